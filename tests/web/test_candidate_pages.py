"""The candidate database pages in-process: search, facets, empty states, profile, access."""

from __future__ import annotations

import itertools
import re
import uuid
from html import unescape

import pytest
from sqlalchemy import select

from hotgigs.auth.models import Role, User
from hotgigs.candidates import annotations, sharing
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.models import ActivityEntry, SharePermission
from hotgigs.db import new_session
from hotgigs.resumes.models import Resume, ResumeData, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import get_store
from tests.web.conftest import writes

SCRIPT = "<script>alert(1)</script>"

PHONE_SUFFIXES = itertools.count(1)


def make_candidate(
    owner: User,
    settings,
    name: str,
    *,
    headline: str = "Software Engineer",
    skills: tuple[str, ...] = ("Python",),
    city: str = "Austin",
    region: str = "Texas",
    summary: str = "Builds reliable services.",
    years: float | None = 5.0,
    highlight: str = "Cut p99 latency by 40%.",
) -> uuid.UUID:
    """A candidate imported the way the import flow files one: a stored resume, parsed."""
    slug = re.sub(r"\W+", ".", name.lower()).strip(".") or "someone"
    email = f"{slug}.{uuid.uuid4().hex[:6]}@example.com"
    # Imports file a resume under an existing profile with the same email or phone, so each
    # candidate gets a phone of its own (a random one collided now and then).
    phone = f"+1 512 555 {next(PHONE_SUFFIXES):04d}"
    text = f"{name}\n{headline}\n{email}\n{summary}\nSkills: {', '.join(skills)}\n"
    store = get_store(settings)
    parsed = {
        "basics": {
            "name": name,
            "label": headline,
            "email": email,
            "phone": phone,
            "summary": summary,
            "url": "https://example.com/portfolio",
            "location": {"city": city, "region": region, "countryCode": "US"},
            "profiles": [{"network": "LinkedIn", "url": f"https://linkedin.com/in/{slug}"}],
        },
        "work": [
            {
                "name": "Initech",
                "position": headline,
                "startDate": "2019-03",
                "endDate": None,
                "highlights": [highlight],
            }
        ],
        "education": [
            {
                "institution": "University of Texas",
                "studyType": "Bachelor of Science",
                "area": "Computer Science",
                "endDate": "2015",
            }
        ],
        "skills": [{"name": skill, "keywords": [skill]} for skill in skills],
        "languages": [{"language": "Spanish", "fluency": "Professional"}],
        "certificates": [{"name": "AWS Certified Developer", "issuer": "Amazon"}],
    }
    with new_session() as session:
        data = text.encode()
        resume = Resume(
            owner_id=owner.id,
            file_sha256=store.put(data),
            original_filename=f"{slug}-cv.txt",
            file_kind="txt",
            content_type="text/plain",
            size_bytes=len(data),
            source=ResumeSource.UPLOAD,
            status=ResumeStatus.COMPLETED,
        )
        session.add(resume)
        session.flush()
        session.add(ResumeData(resume_id=resume.id, text=text, resume=parsed, meta={}))
        candidate = candidates_service.upsert_from_resume(
            session, resume=resume, parsed=parsed, total_years=years, text=text, owner=owner
        ).candidate
        session.commit()
        return candidate.id


def names_listed(html: str) -> list[str]:
    """The candidate names in a result list, in order."""
    return [unescape(n) for n in re.findall(r'<h3><a href="/candidates/[^"]+">([^<]*)</a>', html)]


@pytest.fixture
def team(browser_like, settings):
    """A signed-in recruiter with three candidates."""
    client, user, csrf = browser_like(Role.RECRUITER)
    ids = {
        "ada": make_candidate(user, settings, "Ada Lovelace", skills=("Python", "SQL"), years=8),
        "bo": make_candidate(
            user,
            settings,
            "Bo Berliner",
            headline="Java Developer",
            skills=("Java",),
            city="Berlin",
            region="Berlin",
            years=2,
        ),
        "cy": make_candidate(
            user,
            settings,
            "Cy Pythonista",
            skills=("Python", "Go"),
            city="Berlin",
            region="Berlin",
            years=4,
        ),
    }
    return client, user, csrf, ids


def test_list_shows_results_with_key_facts_and_facets(team) -> None:
    client, _user, _csrf, _ids = team
    page = client.get("/candidates")
    assert page.status_code == 200
    assert sorted(names_listed(page.text)) == ["Ada Lovelace", "Bo Berliner", "Cy Pythonista"]
    html = page.text
    assert "3 candidates" in html
    assert "Java Developer" in html and "Austin, Texas" in html and "8 yrs experience" in html
    # facets with counts: Python is a skill of two, Berlin the place of two
    python = re.search(
        r'name="skills" value="Python">\s*<span class="facet-name">Python</span>\s*'
        r'<span class="facet-count">(\d+)</span>',
        html,
    )
    assert python and python.group(1) == "2"
    berlin = re.search(
        r'<span class="facet-name">Berlin, Berlin</span><span class="facet-count">(\d+)', html
    )
    assert berlin and berlin.group(1) == "2"
    assert 'href="?location=Berlin%2C+Berlin"' in html
    # the filter form is a GET form that applies itself, with labelled controls
    assert re.search(r'<form id="candidate-search" method="get"[^>]*data-autosubmit', html)
    assert 'for="candidate-q"' in html


def test_filters_and_search_narrow_the_list(team) -> None:
    client, _user, _csrf, _ids = team

    def listed(query: str) -> list[str]:
        page = client.get(f"/candidates?{query}")
        assert page.status_code == 200, page.text
        return sorted(names_listed(page.text))

    assert listed("skills=Python") == ["Ada Lovelace", "Cy Pythonista"]
    assert listed("skills=Python&skills=Go") == ["Cy Pythonista"]
    assert listed("q=java") == ["Bo Berliner"]
    assert listed("q=sql") == ["Ada Lovelace"]
    assert listed("location=Berlin") == ["Bo Berliner", "Cy Pythonista"]
    assert listed("min_years=5") == ["Ada Lovelace"]
    assert listed("degree=bachelor&location=Austin") == ["Ada Lovelace"]
    assert listed("source=upload&imported_from=2000-01-01") == [
        "Ada Lovelace",
        "Bo Berliner",
        "Cy Pythonista",
    ]
    assert listed("imported_to=2000-01-01") == []
    # empty form fields are no filters at all
    assert len(listed("q=&min_years=&degree=&source=&location=&imported_from=")) == 3
    # a chosen filter shows as a chip that removes it, and the box stays ticked
    page = client.get("/candidates?skills=Python&q=engineer").text
    assert 'aria-label="Remove filter Skill: Python"' in page
    assert 'href="?q=engineer"' in page
    assert 'value="Python" checked' in page


def test_tag_facet_refines_the_search(team) -> None:
    client, user, _csrf, ids = team
    with new_session() as session:
        annotations.add_tags(session, actor=user, candidate_id=ids["bo"], tags=["Shortlist"])
    page = client.get("/candidates").text
    assert '<input type="checkbox" name="tags" value="shortlist">' in page
    assert names_listed(client.get("/candidates?tags=Shortlist").text) == ["Bo Berliner"]


def test_unreadable_filters_are_reported_not_crashed_on(team) -> None:
    client, _user, _csrf, _ids = team
    page = client.get("/candidates?min_years=lots&degree=wizard&imported_from=yesterday")
    assert page.status_code == 200
    assert "Years of experience must be a number" in page.text
    assert "There is no degree level" in page.text
    assert "Imported from is not a date" in page.text
    assert len(names_listed(page.text)) == 3
    bad_cursor = client.get("/candidates?cursor=not-a-cursor")
    assert bad_cursor.status_code == 422
    assert "The cursor does not belong to this search." in bad_cursor.text
    # longer than the search form takes: the same note, not a server error
    long_cursor = client.get("/candidates?cursor=" + "x" * 2000)
    assert long_cursor.status_code == 422
    assert "The cursor does not belong to this search." in long_cursor.text


def test_pages_through_a_long_result(browser_like, settings) -> None:
    client, user, _csrf = browser_like(Role.RECRUITER)
    for n in range(23):
        make_candidate(user, settings, f"Person {n:02d} Example", years=None)
    first = client.get("/candidates?sort=date")
    assert len(names_listed(first.text)) == 20
    assert "23 candidates" in first.text
    next_link = re.search(r'<a class="button small" href="([^"]+)" rel="next">', first.text)
    assert next_link
    second = client.get("/candidates" + unescape(next_link.group(1)))
    assert second.status_code == 200
    rest = names_listed(second.text)
    assert len(rest) == 3 and not set(rest) & set(names_listed(first.text))
    assert "page 2" in second.text and "First page" in second.text
    assert 'rel="next"' not in second.text


def test_empty_database_invites_an_import(browser_like) -> None:
    client, _user, _csrf = browser_like(Role.RECRUITER)
    page = client.get("/candidates?skills=Python")
    assert page.status_code == 200
    assert "No candidates yet — import resumes" in page.text
    assert 'href="/import"' in page.text


def test_no_match_offers_a_reset(team) -> None:
    client, _user, _csrf, _ids = team
    page = client.get("/candidates?q=cobol")
    assert "No candidate matches these filters" in page.text
    assert '<a class="button" href="/candidates">Reset the search</a>' in page.text
    assert "No candidates yet" not in page.text


def test_profile_shows_parsed_sections_files_notes_tags_and_activity(team) -> None:
    client, user, _csrf, ids = team
    with new_session() as session:
        annotations.add_note(session, actor=user, candidate_id=ids["ada"], content="Great call")
        annotations.add_tags(session, actor=user, candidate_id=ids["ada"], tags=["shortlist"])
    page = client.get(f"/candidates/{ids['ada']}")
    assert page.status_code == 200
    html = page.text
    for text in (
        "<h1>Ada Lovelace</h1>",
        "Builds reliable services.",  # summary
        "Software Engineer",
        "Initech",
        "Cut p99 latency by 40%.",  # work highlight
        "Mar 2019 \u2013 Present",
        "Bachelor of Science in Computer Science",
        "University of Texas",
        "Spanish",
        "AWS Certified Developer",
        "+1 512 555 ",
        "https://linkedin.com/in/ada.lovelace",
        "Great call",  # note
        "ada.lovelace-cv.txt",  # resume version
    ):
        assert text in html, text
    assert re.search(r'<span class="skill">Python</span>', html)
    assert re.search(
        r'<li class="tag">shortlist<button type="button" aria-label="Remove tag shortlist"', html
    )
    with new_session() as session:
        resume_id = session.scalar(select(Resume.id).where(Resume.candidate_id == ids["ada"]))
    assert f'href="/api/resumes/{resume_id}/download"' in html
    assert "Preview the extracted text" in html
    # the owner manages it: share form, activity, note and tag forms
    assert 'name="recruiter_email"' in html and "Activity" in html
    assert "You</strong> added a note" in html
    assert f'data-api="/api/resumes/candidates/{ids["ada"]}/notes"' in html
    # opening the page is logged like an API read
    with new_session() as session:
        views = session.scalars(
            select(ActivityEntry).where(
                ActivityEntry.candidate_id == ids["ada"], ActivityEntry.action == "view"
            )
        ).all()
    assert len(views) == 1 and views[0].actor_id == user.id


def test_page_controls_call_the_real_api(team) -> None:
    client, _user, csrf, ids = team
    base = f"/api/resumes/candidates/{ids['bo']}"
    added = client.post(f"{base}/notes", json={"content": "Call back Monday"}, headers=writes(csrf))
    assert added.status_code == 201, added.text
    tagged = client.post(f"{base}/tags", json={"tags": ["java", "c++"]}, headers=writes(csrf))
    assert tagged.status_code == 200, tagged.text
    html = client.get(f"/candidates/{ids['bo']}").text
    assert "Call back Monday" in html
    note_id = added.json()["id"]
    # the page offers its author edit and delete on that note, at the API's addresses
    assert f'data-api="{base}/notes/{note_id}" data-method="PATCH"' in html
    assert f'data-api="{base}/notes/{note_id}" data-method="DELETE"' in html
    remove = re.search(
        r'aria-label="Remove tag c\+\+" data-api="([^"]+)" data-method="DELETE"', html
    )
    assert remove and remove.group(1) == f"{base}/tags/c%2B%2B"
    assert client.delete(remove.group(1), headers=writes(csrf)).json()["tags"] == ["java"]
    assert "Remove tag c++" not in client.get(f"/candidates/{ids['bo']}").text


def test_another_recruiters_candidate_is_not_found(team, browser_like) -> None:
    _client, _user, _csrf, ids = team
    stranger, _, _ = browser_like(Role.RECRUITER)
    page = stranger.get(f"/candidates/{ids['ada']}")
    assert page.status_code == 404
    assert "Not found" in page.text and "Ada Lovelace" not in page.text
    assert "Ada Lovelace" not in stranger.get("/candidates").text
    assert stranger.get("/candidates/not-a-uuid").status_code == 404


@pytest.mark.slow
def test_shared_candidate_shows_controls_by_permission(team, browser_like) -> None:
    _client, owner, _csrf, ids = team
    viewer, viewer_user, _ = browser_like(Role.RECRUITER)
    editor, editor_user, _ = browser_like(Role.RECRUITER)
    with new_session() as session:
        for who, permission in (
            (viewer_user, SharePermission.VIEW),
            (editor_user, SharePermission.EDIT),
        ):
            sharing.share(
                session,
                actor=owner,
                candidate_id=ids["ada"],
                permission=permission,
                recruiter_id=who.id,
            )
        annotations.add_tags(session, actor=owner, candidate_id=ids["ada"], tags=["shortlist"])
    listing = viewer.get("/candidates").text
    assert names_listed(listing) == ["Ada Lovelace"]
    assert "Shared with you · view only" in listing
    view_page = viewer.get(f"/candidates/{ids['ada']}").text
    assert "Shared with you by Test Recruiter · view only" in view_page
    assert "Remove tag" not in view_page and 'name="content"' not in view_page
    assert 'name="recruiter_email"' not in view_page and "activity-title" not in view_page
    edit_page = editor.get(f"/candidates/{ids['ada']}").text
    assert "Remove tag shortlist" in edit_page and "New note" in edit_page
    # editing is not managing: no share form, no activity log
    assert 'name="recruiter_email"' not in edit_page and "activity-title" not in edit_page


def test_shares_are_listed_with_revoke(team, make_user) -> None:
    client, _owner, csrf, ids = team
    colleague = make_user(Role.RECRUITER)
    shared = client.post(
        f"/api/resumes/candidates/{ids['cy']}/shares",
        json={"recruiter_email": colleague.email, "permission": "edit"},
        headers=writes(csrf),
    )
    assert shared.status_code == 201, shared.text
    html = client.get(f"/candidates/{ids['cy']}").text
    assert colleague.email in html and "can edit" in html
    assert f'data-api="/api/resumes/candidates/{ids["cy"]}/shares/{shared.json()["id"]}"' in html
    assert (
        f'You</strong> shared the profile <span class="muted">with {colleague.full_name} (edit)'
        in html
    )


def test_candidate_accounts_get_the_403_page(browser_like, team) -> None:
    _client, _user, _csrf, ids = team
    candidate, _, _ = browser_like(Role.CANDIDATE)
    for path in ("/candidates", f"/candidates/{ids['ada']}"):
        page = candidate.get(path)
        assert page.status_code == 403
        assert "Not allowed" in page.text


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    page = client.get("/candidates?q=x", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/candidates")


def test_admin_sees_every_candidate_with_its_owner(team, browser_like) -> None:
    _client, owner, _csrf, ids = team
    admin, _, _ = browser_like(Role.ADMIN)
    page = admin.get("/candidates").text
    assert len(names_listed(page)) == 3
    assert f"Owner {owner.email}" in page
    profile = admin.get(f"/candidates/{ids['ada']}").text
    assert "Owner: Test Recruiter" in profile and 'name="recruiter_email"' in profile


def test_anonymised_view_hides_identity(team) -> None:
    client, _user, _csrf, ids = team
    with new_session() as session:
        filename = session.scalar(
            select(Resume.original_filename).where(Resume.candidate_id == ids["ada"])
        )
    full = client.get(f"/candidates/{ids['ada']}").text
    assert "Ada Lovelace" in full
    page = client.get(f"/candidates/{ids['ada']}?view=anonymised")
    assert page.status_code == 200
    html = page.text
    for secret in (
        "Ada",
        "Lovelace",
        "ada.lovelace",
        "+1 512 555 ",
        "linkedin.com",
        "example.com/portfolio",
        "Austin",
        filename,
    ):
        assert secret not in html, secret
    assert re.search(r"<h1>Candidate [0-9A-F]{6}</h1>", html)
    assert "Anonymised view for fair screening" in html
    # what is screened stays: work, skills, education, the region
    assert "Cut p99 latency by 40%." in html and "Bachelor of Science" in html
    assert "Texas, US" in html
    assert '<a href="/candidates/' in html and 'aria-current="page">Anonymised view</a>' in html


def test_resume_content_is_escaped(browser_like, settings) -> None:
    client, user, _csrf = browser_like(Role.RECRUITER)
    candidate_id = make_candidate(
        user,
        settings,
        f"Eve {SCRIPT}",
        headline=f"Hacker {SCRIPT}",
        skills=("Python", f"SQL{SCRIPT}"),
        summary=f"Summary {SCRIPT} line",
        highlight=f'Shipped <img src=x onerror="alert(2)"> {SCRIPT}',
    )
    for path in (
        "/candidates",
        f"/candidates/{candidate_id}",
        f"/candidates/{candidate_id}?view=anonymised",
    ):
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_possible_duplicate_is_flagged_on_the_profile(team, settings) -> None:
    client, user, _csrf, ids = team
    # same name and employer, other contacts: a new profile, flagged for review
    twin = make_candidate(user, settings, "Ada Lovelace", skills=("Python",))
    with new_session() as session:
        flag = candidates_service.open_duplicates(session, user=user)[0]
    html = client.get(f"/candidates/{twin}").text
    assert "Possible duplicate." in html
    assert f'<a href="/candidates/{ids["ada"]}">Open Ada Lovelace</a>' in html
    assert f'data-api="/api/resumes/duplicates/{flag.id}/dismiss"' in html
    assert f'data-merge="/api/resumes/candidates/{twin}/merge"' in html
    assert "Possible duplicate." not in client.get(f"/candidates/{twin}?view=anonymised").text


def test_repeated_views_show_once_in_the_activity(team) -> None:
    client, _user, _csrf, ids = team
    for _ in range(3):
        client.get(f"/candidates/{ids['bo']}")
    html = client.get(f"/candidates/{ids['bo']}").text
    assert 'You</strong> viewed the profile <span class="times">\u00d74</span>' in html
    assert "You</strong> imported the profile" in html
