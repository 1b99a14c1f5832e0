"""Correcting parsed data: every field, kept as labelled examples, never lost to a re-parse."""

from __future__ import annotations

import uuid

from hotgigs.auth.models import Role, User
from hotgigs.candidates.models import Candidate, SharePermission
from hotgigs.config import get_settings
from hotgigs.db import new_session
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes.models import ResumeSource
from tests.support.agency_resumes import agency_resumes

API = "/api/resumes/candidates"


def imported(owner: User, text: str) -> uuid.UUID:
    """Import a text resume through the real upload path (in this process); its candidate."""
    with new_session() as session:
        outcome = resumes_flows.submit(
            session,
            settings=get_settings(),
            uploader=owner,
            data=text.encode(),
            filename=f"resume-{uuid.uuid4().hex[:6]}.txt",
            source=ResumeSource.UPLOAD,
        )
        resume_id = outcome.resume.id
    resumes_flows.process(resume_id)
    with new_session() as session:
        candidate = session.query(Candidate).filter_by(current_resume_id=resume_id).one()
        return candidate.id


def headers_of(login, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(user)['access_token']}"}


def test_a_recruiter_corrects_every_parsed_field_and_each_change_is_kept(
    client, make_user, login
) -> None:
    owner = make_user(Role.RECRUITER)
    doc = agency_resumes(1, seed=7)[0]
    candidate_id = imported(owner, doc.text)
    headers = headers_of(login, owner)
    before = client.get(f"{API}/{candidate_id}", headers=headers).json()
    parsed_name = before["resume"]["basics"]["name"]
    assert parsed_name != doc.truth["basics"]["name"]  # the agency's name, read as the person's
    work = before["resume"]["work"]
    skills = [s["name"] for s in before["resume"]["skills"]]

    body = {
        "basics": {"name": doc.truth["basics"]["name"], "location": {"region": "Zuid-Holland"}},
        "work": [
            {"origin": 1, "position": "Lead Analyst"},  # moved up, retitled
            {"origin": 0, "name": "ING Bank N.V."},
            {"name": "Freelance", "position": "Consultant", "startDate": "2010", "endDate": "2011"},
        ],
        "skills": [
            {"origin": 0, "name": "Structured Query Language"},
            *({"origin": i} for i in range(2, len(skills))),
            {"name": "Stakeholder management"},
        ],
    }
    response = client.post(f"{API}/{candidate_id}/corrections", json=body, headers=headers)
    assert response.status_code == 200, response.text
    read = response.json()
    assert read["full_name"] == doc.truth["basics"]["name"]
    resume = read["resume"]
    assert resume["basics"]["location"]["region"] == "Zuid-Holland"
    assert [w.get("position") for w in resume["work"]] == [
        "Lead Analyst",
        work[0]["position"],
        "Consultant",
    ]
    assert resume["work"][1]["name"] == "ING Bank N.V."
    assert resume["work"][0]["name"] == work[1]["name"]  # untouched keys stay
    assert len(resume["work"]) == 3  # the third parsed job was not kept
    names = [s["name"] for s in resume["skills"]]
    assert names[0] == "Structured Query Language" and skills[1] not in names
    assert names[-1] == "Stakeholder management"

    kept = client.get(f"{API}/{candidate_id}/corrections", headers=headers).json()["items"]
    by_path = {c["path"]: c for c in kept}
    assert by_path["basics.name"]["parsed"] == parsed_name
    assert by_path["basics.name"]["value"] == doc.truth["basics"]["name"]
    assert by_path["basics.name"]["author_id"] == str(owner.id)
    assert by_path["work[0].position"] == {
        **by_path["work[0].position"],
        "parsed": work[1]["position"],
        "value": "Lead Analyst",
    }
    assert by_path["skills[0].name"]["value"] == "Structured Query Language"
    assert by_path["skills[1]"]["value"] is None  # removed: the whole entry was the parser's
    assert by_path["skills[1]"]["parsed"]["name"] == skills[1]
    assert "work[2].startDate" in by_path and "basics.location.region" in by_path

    # Search and the skills filter use the corrected values at once.
    found = client.get(API, params={"q": doc.truth["basics"]["name"]}, headers=headers).json()
    assert [c["id"] for c in found["items"]] == [str(candidate_id)]
    by_skill = client.get(
        API, params={"skills": "Structured Query Language"}, headers=headers
    ).json()
    assert by_skill["total"] == 1


def test_a_reparse_never_overwrites_a_correction(client, make_user, login) -> None:
    owner = make_user(Role.RECRUITER)
    doc = agency_resumes(1, seed=8)[0]
    candidate_id = imported(owner, doc.text)
    headers = headers_of(login, owner)
    name = doc.truth["basics"]["name"]
    client.post(
        f"{API}/{candidate_id}/corrections",
        json={"basics": {"name": name}, "education": [{"origin": 0, "studyType": "Master"}]},
        headers=headers,
    ).raise_for_status()
    with new_session() as session:
        resume_id = session.get(Candidate, candidate_id).current_resume_id
    resumes_flows.reparse(resume_id)
    after = client.get(f"{API}/{candidate_id}", headers=headers).json()
    assert after["full_name"] == name
    assert after["resume"]["education"][0]["studyType"] == "Master"

    # A new version of the resume: the same mistake is corrected again, new sections are read.
    newer = doc.text.replace("EMPLOYMENT", "EMPLOYMENT\n2025 - Present    CTO, Newco")
    client.post(
        "/api/resumes/upload",
        files={"file": ("v2.txt", newer.encode(), "text/plain")},
        data={"candidate_id": str(candidate_id)},
        headers=headers,
    )
    with new_session() as session:
        from hotgigs.resumes.models import Resume

        version = session.query(Resume).filter(Resume.original_filename == "v2.txt").one()
    resumes_flows.process(version.id)
    latest = client.get(f"{API}/{candidate_id}", headers=headers).json()
    assert latest["current_resume_id"] == str(version.id)
    assert latest["full_name"] == name
    assert latest["resume"]["work"][0]["name"] == "Newco"


def test_only_editors_correct_and_bad_values_change_nothing(client, make_user, login) -> None:
    owner = make_user(Role.RECRUITER)
    viewer = make_user(Role.RECRUITER)
    candidate_id = imported(owner, agency_resumes(1, seed=9)[0].text)
    headers = headers_of(login, owner)
    client.post(
        f"{API}/{candidate_id}/shares",
        json={"recruiter_id": str(viewer.id), "permission": SharePermission.VIEW.value},
        headers=headers,
    ).raise_for_status()
    refused = client.post(
        f"{API}/{candidate_id}/corrections",
        json={"basics": {"name": "Someone Else"}},
        headers=headers_of(login, viewer),
    )
    assert refused.status_code == 403
    before = client.get(f"{API}/{candidate_id}", headers=headers).json()
    bad = client.post(
        f"{API}/{candidate_id}/corrections",
        json={"basics": {"name": "X Y"}, "work": [{"origin": 0, "startDate": "last spring"}]},
        headers=headers,
    )
    assert bad.status_code == 422 and "YYYY" in bad.json()["detail"]
    unknown = client.post(
        f"{API}/{candidate_id}/corrections", json={"basics": {"nickname": "x"}}, headers=headers
    )
    assert unknown.status_code == 422
    after = client.get(f"{API}/{candidate_id}", headers=headers).json()
    assert after["resume"] == before["resume"] and after["full_name"] == before["full_name"]
    assert client.get(f"{API}/{candidate_id}/corrections", headers=headers).json()["items"] == []
