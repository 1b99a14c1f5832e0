"""The parser's typed intermediate form (hotgigs.parsing.draft), written as JSON Resume."""

from __future__ import annotations

from hotgigs.parsing import parse_text
from hotgigs.parsing.draft import EntryDraft, ResumeDraft, SkillMention, Span
from hotgigs.parsing.text import Document

TEXT = "Ana Lima\nBackend Engineer at Quorvex, 2019 - Present\nSkills: Python\n"


def _at(text: str, value: str) -> tuple[int, int]:
    start = text.index(value)
    return start, start + len(value)


def _draft() -> ResumeDraft:
    draft = ResumeDraft()
    draft.basics["name"] = Span("Ana Lima", *_at(TEXT, "Ana Lima"), 0.9)
    job = EntryDraft()
    job.fields["position"] = Span("Backend Engineer", *_at(TEXT, "Backend Engineer"), 0.8)
    job.fields["name"] = Span("Quorvex", *_at(TEXT, "Quorvex"), 1.7)  # clamped when written
    when = _at(TEXT, "2019 - Present")
    job.dates = {"startDate": Span("2019", *when, 0.85), "endDate": Span(None, *when, 0.8)}
    job.extra["highlights"] = ["Built the billing API"]
    draft.work.append(job)
    draft.mentions.append(
        SkillMention(Span("Python", *_at(TEXT, "Python"), 0.9), ["Python"], "tool")
    )
    draft.skills.append(Span("Python", *_at(TEXT, "Python"), 0.85))
    return draft


def test_a_draft_is_written_as_json_resume_with_paths_for_confidence_and_evidence() -> None:
    written = _draft().written(Document(TEXT))

    assert written.resume["work"] == [
        {
            "position": "Backend Engineer",
            "name": "Quorvex",
            "startDate": "2019",
            "endDate": None,  # still there
            "highlights": ["Built the billing API"],
        }
    ]
    assert written.resume["skills"] == [{"name": "Python"}]
    assert written.confidence["work[0].name"] == 1.0
    assert written.confidence["work[0].endDate"] == 0.8
    assert written.evidence["work[0].position"] == list(_at(TEXT, "Backend Engineer"))
    # the taxonomy's mention is meta, not a listed skill: its evidence has its own path
    assert written.mentions == [{"name": "Python", "keywords": ["Python"], "category": "tool"}]
    assert "skill_mentions[0].name" in written.evidence
    assert written.categories == {"skills[0]": "tool"}


def test_without_a_headline_the_current_jobs_title_stands_in_as_a_guess() -> None:
    draft = _draft()
    written = draft.written(Document(TEXT))

    assert written.resume["basics"]["label"] == "Backend Engineer"
    assert written.confidence["basics.label"] == 0.6
    # the tagger sees only what the rules read, not the stand-in
    assert "basics.label" not in draft.rule_spans()
    assert draft.rule_spans()["work[0].startDate"] == _at(TEXT, "2019 - Present")


def test_a_job_without_a_title_gives_no_headline() -> None:
    draft = _draft()
    del draft.work[0].fields["position"]

    assert "label" not in draft.written(Document(TEXT)).resume["basics"]


def test_every_value_parse_text_returns_keeps_its_confidence_and_evidence() -> None:
    text = (
        "Ana Lima\nana.lima@example.com\n\nEXPERIENCE\nSenior Backend Engineer\n"
        "Quorvex Labs | Jan 2019 - Present\n\nEDUCATION\nUniversity of Porto\n"
        "BSc Computer Science, 2014 - 2018\n"
    )
    result = parse_text(text)

    for group in ("work", "education"):
        for i, item in enumerate(result.resume[group]):
            for key in item.keys() - {"highlights", "score"}:
                path = f"{group}[{i}].{key}"
                assert 0.0 < result.meta["confidence"][path] <= 1.0, path
                start, end = result.meta["evidence"][path]
                assert 0 <= start < end <= len(text), path
