"""GDPR: anonymised views, export archives, erasure with its tombstone, and retention."""

from __future__ import annotations

import copy
import io
import json
import re
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from hotgigs.auth.models import Role, User
from hotgigs.background import celery_app
from hotgigs.candidates import activity, flows, gdpr
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import (
    ActivityEntry,
    Candidate,
    CandidateNote,
    CandidateShare,
    CandidateSkill,
    CandidateTag,
    DuplicateFlag,
    SharePermission,
)
from hotgigs.candidates.tasks import enforce_retention
from hotgigs.cli import app
from hotgigs.config import Settings
from hotgigs.db import new_session
from hotgigs.notifications.models import Notification
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import Resume, ResumeData, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import FileStore, get_store
from tests.support import documents
from tests.support.processes import start_test_worker, stop_gracefully, wait_for
from tests.support.sample_resumes import sample_resume

NAME, EMAIL, PHONE = "Priya Raman", "priya.raman@example.com", "+1 415 555 0134"
LABEL = "Candidate 3F2A9C"
GENDERED = re.compile(r"(?i)\b(?:he|she|him|her|his|hers|himself|herself|mrs?|ms|miss|mx)\b")


@pytest.fixture
def store(settings: Settings) -> FileStore:
    """The run's real encrypted file store."""
    return get_store(settings)


def unique_file(**facts: str) -> bytes:
    """A plain-text resume no other test stores (tests share one file store)."""
    return documents.make_txt([*sample_resume(**facts), f"Reference code {uuid.uuid4().hex}"])


def import_resume(
    settings: Settings,
    owner: User,
    data: bytes,
    filename: str = "priya-raman-cv.txt",
    candidate_id: uuid.UUID | None = None,
) -> Resume:
    """Store a file and run the real import flow on it, as the worker would."""
    with new_session() as session:
        outcome = resumes_service.accept_upload(
            session,
            settings=settings,
            store=get_store(settings),
            uploader=owner,
            data=data,
            filename=filename,
            source=ResumeSource.UPLOAD,
            candidate_id=candidate_id,
        )
    assert resumes_flows.process(outcome.resume.id, settings=settings) is ResumeStatus.COMPLETED
    with new_session() as session:
        return session.get(Resume, outcome.resume.id)


def annotate(candidate_id: uuid.UUID, owner: User, colleague: User) -> None:
    """Give a candidate a note, a tag, a share, a skill and some activity."""
    with new_session() as session:
        session.add(CandidateNote(candidate_id=candidate_id, author_id=owner.id, content="Strong"))
        session.add(
            CandidateTag(candidate_id=candidate_id, name="shortlist", created_by_id=owner.id)
        )
        session.add(
            CandidateShare(
                candidate_id=candidate_id,
                recruiter_id=colleague.id,
                permission=SharePermission.VIEW,
                granted_by_id=owner.id,
            )
        )
        session.merge(CandidateSkill(candidate_id=candidate_id, skill="python"))
        activity.record(
            session, actor=owner, action=Action.NOTE_ADD, candidate_id=candidate_id, detail={}
        )
        activity.record(
            session, actor=colleague, action=Action.VIEW, candidate_id=candidate_id, client_ip="::1"
        )
        session.commit()


def make_candidate(owner: User, name: str, idle: timedelta) -> uuid.UUID:
    """A bare profile last worked on `idle` ago."""
    with new_session() as session:
        candidate = Candidate(
            owner_id=owner.id,
            full_name=name,
            email=f"{name.split()[0].lower()}@example.com",
            last_activity_at=datetime.now(UTC) - idle,
        )
        session.add(candidate)
        session.commit()
        return candidate.id


def set_idle(candidate_id: uuid.UUID, idle: timedelta) -> None:
    with new_session() as session:
        session.execute(
            update(Candidate)
            .where(Candidate.id == candidate_id)
            .values(last_activity_at=datetime.now(UTC) - idle)
        )
        session.commit()


def table_counts() -> dict[str, int]:
    """Row counts of every table GDPR work touches."""
    models = (Candidate, Resume, ResumeData, Notification, ActivityEntry, CandidateNote)
    with new_session() as session:
        return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}


def everything_logged() -> str:
    """All activity entries and notifications, as one text to search for personal data."""
    with new_session() as session:
        rows = [
            (e.action, e.actor_role, e.target_type, e.client_ip, e.detail)
            for e in session.scalars(select(ActivityEntry))
        ]
        rows += [(e.type, e.data) for e in session.scalars(select(Notification))]
    return json.dumps(rows, default=str)


# --------------------------------------------------------------------------------------------
# Anonymised view


FULL_RESUME = {
    "basics": {
        "name": NAME,
        "label": "Senior Data Engineer",
        "email": EMAIL,
        "phone": PHONE,
        "url": "https://priya.dev",
        "image": "https://priya.dev/me.jpg",
        "summary": (
            "Mrs. Priya Raman is a data engineer. She has led teams of five; her team shipped "
            "Kafka pipelines and the company promoted her. PRIYA RAMAN did it herself.\n"
            "Gender: Female, Marital status: Married\n"
            "Date of birth: 12/05/1990 Nationality: Indian\n"
            "Religion: Hindu; Father's name: Raghav Raman\n"
            f"Reach me at {EMAIL} or +1 (415) 555-0134, github.com/priyar, "
            "https://www.linkedin.com/in/priya @priya_r"
        ),
        "location": {
            "address": "12 Market St",
            "postalCode": "94105",
            "city": "San Francisco",
            "region": "California",
            "countryCode": "US",
        },
        "profiles": [{"network": "GitHub", "username": "priyar", "url": "https://github.com/p"}],
    },
    "work": [
        {
            "name": "Acme Analytics",
            "position": "Senior Data Engineer",
            "url": "https://acme.example.com",
            "startDate": "2019-01",
            "endDate": None,
            "summary": "Moved ASP.NET and Node.js services to Kafka (2015 - 2018 stack).",
            "highlights": [
                "He mentored him and his peers.",
                "Led migration of the warehouse to Snowflake.",
            ],
        }
    ],
    "education": [
        {
            "institution": "University of California, Berkeley",
            "studyType": "Bachelor of Science",
            "area": "Computer Science",
            "endDate": "2015",
        }
    ],
    "skills": [{"name": "Python", "keywords": ["Python", "C++"]}],
    "languages": [{"language": "English", "fluency": "Fluent"}],
    "references": [{"name": "Bob Smith", "reference": "She is a star."}],
    "meta": {"canonical": "https://priya.dev/resume.json"},
}


def test_anonymise_removes_identity_and_gender_cues_and_keeps_the_substance() -> None:
    original = copy.deepcopy(FULL_RESUME)
    result = gdpr.anonymise(FULL_RESUME, label=LABEL)

    assert original == FULL_RESUME  # the profile's own resume is left alone
    assert set(result) == {"basics", "work", "education", "skills", "languages"}
    basics = result["basics"]
    assert set(basics) == {"name", "label", "summary", "location"}
    assert basics["name"] == LABEL
    assert basics["location"] == {"region": "California", "countryCode": "US"}
    assert basics["summary"].splitlines() == [
        f"{LABEL} is a data engineer. They have led teams of five; their team shipped Kafka "
        f"pipelines and the company promoted them. {LABEL} did it themself.",
        "Reach me at [removed] or [removed], [removed] [removed] [removed]",
    ]
    text = json.dumps(result)
    for personal in (
        "Priya", "Raman", "RAMAN", "priya", "415", "555", "94105", "Market St", "San Francisco",
        "Female", "Married", "1990", "Indian", "Hindu", "Raghav", "Bob Smith", "http", "github",
        "Gender", "Marital", "Nationality", "Religion", "Father",
    ):  # fmt: skip
        assert personal not in text, personal
    assert not GENDERED.search(text), GENDERED.search(text)

    work = result["work"][0]
    assert "url" not in work
    assert work["summary"] == FULL_RESUME["work"][0]["summary"]  # tech names and years survive
    assert work["highlights"] == [
        "They mentored them and their peers.",
        "Led migration of the warehouse to Snowflake.",
    ]
    kept = ("name", "position", "startDate", "endDate")
    assert {k: work[k] for k in kept} == {k: FULL_RESUME["work"][0][k] for k in kept}
    assert result["education"] == FULL_RESUME["education"]
    assert result["skills"] == FULL_RESUME["skills"]
    assert result["languages"] == FULL_RESUME["languages"]


def test_anonymise_handles_contractions_and_a_sparse_resume() -> None:
    result = gdpr.anonymise(
        {"basics": {"summary": "She's been promoted twice; he'd lead and HE IS ready."}},
        label=LABEL,
    )
    assert result == {
        "basics": {
            "name": LABEL,
            "summary": "They've been promoted twice; they'd lead and THEY ARE ready.",
        }
    }
    assert gdpr.anonymise({}, label=LABEL) == {"basics": {"name": LABEL}}


def test_anonymise_tells_software_dates_and_months_from_personal_data() -> None:
    summary = (
        "Ms Excel guru; Ms. Jones hired May Chen in May 2019 (01.02.2019 - 2020-03). "
        "Call 06 12 34 56 78."
    )
    result = gdpr.anonymise(
        {"basics": {"name": "May Chen"}, "work": [{"summary": summary}]}, label=LABEL
    )
    assert result["work"][0]["summary"] == (
        f"Ms Excel guru; Jones hired {LABEL} in May 2019 (01.02.2019 - 2020-03). Call [removed]."
    )


def test_anonymised_label_is_stable_and_not_the_id() -> None:
    candidate_id = uuid.uuid4()
    label = gdpr.anonymised_label(candidate_id)
    assert re.fullmatch(r"Candidate [0-9A-F]{6}", label)
    assert label == gdpr.anonymised_label(candidate_id)
    assert label[-6:].lower() != candidate_id.hex[:6]
    assert label != gdpr.anonymised_label(uuid.uuid4())


# --------------------------------------------------------------------------------------------
# Export


def test_export_archive_holds_everything_held_and_the_original_files(
    make_user, settings: Settings, store: FileStore
) -> None:
    owner, colleague = make_user(Role.RECRUITER), make_user(Role.RECRUITER)
    first_file = unique_file()
    first = import_resume(settings, owner, first_file, filename="Priya Raman CV.txt")
    candidate_id = first.candidate_id
    second_file = unique_file(title="Lead Data Engineer")
    second = import_resume(
        settings, owner, second_file, filename="../cv v2.txt", candidate_id=candidate_id
    )
    annotate(candidate_id, owner, colleague)

    with new_session() as session:
        candidate = session.get(Candidate, candidate_id)
        archive = zipfile.ZipFile(
            io.BytesIO(
                flows.export_archive(session, candidate=candidate, reader=owner, store=store)
            )
        )
    first_path = f"files/{first.id}-Priya Raman CV.txt"
    second_path = f"files/{second.id}-cv v2.txt"
    assert sorted(archive.namelist()) == sorted(["candidate.json", first_path, second_path])
    assert archive.read(first_path) == first_file
    assert archive.read(second_path) == second_file

    document = json.loads(archive.read("candidate.json"))
    assert document["format"] == gdpr.EXPORT_FORMAT
    profile = document["candidate"]
    assert (profile["id"], profile["full_name"], profile["email"]) == (
        str(candidate_id),
        NAME,
        EMAIL,
    )
    assert profile["resume"]["basics"]["name"] == NAME
    assert datetime.fromisoformat(profile["last_activity_at"]).tzinfo is not None
    resumes = {entry["id"]: entry for entry in document["resumes"]}
    assert set(resumes) == {str(first.id), str(second.id)}
    assert resumes[str(first.id)]["file"] == first_path
    assert resumes[str(first.id)]["file_status"] == "included"
    assert resumes[str(first.id)]["original_filename"] == "Priya Raman CV.txt"
    assert "Kafka" in resumes[str(first.id)]["data"]["text"]
    assert resumes[str(second.id)]["data"]["resume"]["basics"]["email"] == EMAIL
    assert [(n["author_id"], n["content"]) for n in document["notes"]] == [
        (str(owner.id), "Strong")
    ]
    assert [t["name"] for t in document["tags"]] == ["shortlist"]
    assert [(s["recruiter_id"], s["permission"]) for s in document["shares"]] == [
        (str(colleague.id), "view")
    ]
    assert "python" in document["skills"]
    actions = [entry["action"] for entry in document["activity"]]
    assert {"create", "note.add", "view"} <= set(actions)
    event_types = {event["type"] for event in document["notifications"]}
    assert {"candidate_added", "resume_completed"} <= event_types


def test_export_holds_private_notes_of_its_reader_alone(make_user) -> None:
    owner, colleague, admin = (
        make_user(Role.RECRUITER),
        make_user(Role.RECRUITER),
        make_user(Role.ADMIN),
    )
    candidate_id = make_candidate(owner, NAME, timedelta(days=1))
    with new_session() as session:
        session.add_all(
            [
                CandidateNote(candidate_id=candidate_id, author_id=owner.id, content="Shared"),
                CandidateNote(
                    candidate_id=candidate_id, author_id=owner.id, content="Mine", is_private=True
                ),
                CandidateNote(
                    candidate_id=candidate_id,
                    author_id=colleague.id,
                    content="Theirs",
                    is_private=True,
                ),
            ]
        )
        session.commit()
        candidate = session.get(Candidate, candidate_id)

        def notes(reader: User) -> set[tuple[str, bool]]:
            document = gdpr.export_document(session, candidate=candidate, reader=reader)
            return {(note["content"], note["is_private"]) for note in document["notes"]}

        assert notes(owner) == {("Shared", False), ("Mine", True)}
        assert notes(colleague) == {("Shared", False), ("Theirs", True)}
        # an admin's export, like the admin's view, holds nobody's private note
        assert notes(admin) == {("Shared", False)}


def test_export_lists_missing_and_corrupt_files_instead_of_failing(
    make_user, settings: Settings, store: FileStore
) -> None:
    owner = make_user(Role.RECRUITER)
    gone = import_resume(settings, owner, unique_file())
    broken = import_resume(
        settings,
        owner,
        unique_file(title="Staff Engineer"),
        filename="v2.txt",
        candidate_id=gone.candidate_id,
    )
    store.delete(gone.file_sha256)
    # Unique content, so no other test meets this damaged file.
    next(settings.storage_dir.rglob(broken.file_sha256)).write_bytes(b"not a fernet token")

    with new_session() as session:
        candidate = session.get(Candidate, gone.candidate_id)
        data = flows.export_archive(session, candidate=candidate, reader=owner, store=store)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["candidate.json"]
    resumes = {r["id"]: r for r in json.loads(archive.read("candidate.json"))["resumes"]}
    assert (resumes[str(gone.id)]["file"], resumes[str(gone.id)]["file_status"]) == (
        None,
        "missing",
    )
    assert (resumes[str(broken.id)]["file"], resumes[str(broken.id)]["file_status"]) == (
        None,
        "corrupt",
    )
    store.delete(broken.file_sha256)


# --------------------------------------------------------------------------------------------
# Erasure


def test_erase_removes_everything_personal_and_leaves_a_tombstone(
    make_user, settings: Settings, store: FileStore
) -> None:
    owner, colleague, admin = (
        make_user(Role.RECRUITER),
        make_user(Role.RECRUITER),
        make_user(Role.ADMIN),
    )
    first = import_resume(settings, owner, unique_file())
    candidate_id = first.candidate_id
    second = import_resume(
        settings,
        owner,
        unique_file(title="Lead Data Engineer"),
        filename="priya-raman-2025.txt",
        candidate_id=candidate_id,
    )
    annotate(candidate_id, owner, colleague)
    # A look-alike of the same owner is flagged as a duplicate; the flag's event names Priya.
    look_alike = import_resume(
        settings,
        owner,
        unique_file(name="Pria Raman", email="pria@example.org", phone="+44 20 7946 0000"),
        filename="pria.txt",
    )
    with new_session() as session:
        flagged = session.scalars(
            select(Notification).where(Notification.type == "candidate_duplicate_flagged")
        ).all()
    assert [e.data["duplicate_of_id"] for e in flagged] == [str(candidate_id)]
    assert NAME in everything_logged()

    with new_session() as session:
        flows.erase_candidate(
            session,
            candidate=session.get(Candidate, candidate_id),
            actor=admin,
            store=store,
            client_ip="203.0.113.9",
        )

    with new_session() as session:
        assert session.get(Candidate, candidate_id) is None
        for model in (CandidateNote, CandidateTag, CandidateShare, CandidateSkill):
            rows = session.scalars(select(model).where(model.candidate_id == candidate_id))
            assert rows.all() == [], model
        assert session.scalars(select(DuplicateFlag)).all() == []
        assert (
            session.scalars(select(Resume).where(Resume.id.in_([first.id, second.id]))).all() == []
        )
        assert (
            session.scalars(
                select(ResumeData).where(ResumeData.resume_id.in_([first.id, second.id]))
            ).all()
            == []
        )
        subjects = set(session.scalars(select(Notification.subject_id)))
        assert not subjects & {candidate_id, first.id, second.id}
        assert session.get(Candidate, look_alike.candidate_id) is not None
        entries = session.scalars(
            select(ActivityEntry)
            .where(ActivityEntry.candidate_id == candidate_id)
            .order_by(ActivityEntry.at)
        ).all()
    assert not store.exists(first.file_sha256)
    assert not store.exists(second.file_sha256)
    assert store.exists(look_alike.file_sha256)

    tombstone = entries[-1]
    assert tombstone.action == Action.ERASE
    assert (tombstone.actor_id, tombstone.actor_role, tombstone.client_ip) == (
        admin.id,
        "admin",
        "203.0.113.9",
    )
    assert tombstone.detail == {"resumes": 2, "files": 2, "reason": "request"}
    assert {"create", "note.add", "view"} <= {e.action for e in entries[:-1]}
    logged = everything_logged()
    for personal in (NAME, "Priya", EMAIL, "415 555 0134", "4155550134", "priya-raman"):
        assert personal not in logged, personal


def test_erase_keeps_a_file_another_recruiters_resume_still_uses(
    make_user, settings: Settings, store: FileStore
) -> None:
    mine, theirs = make_user(Role.RECRUITER), make_user(Role.RECRUITER)
    shared_file = unique_file()
    my_copy = import_resume(settings, mine, shared_file)
    my_other = import_resume(
        settings,
        mine,
        unique_file(title="Lead Data Engineer"),
        filename="v2.txt",
        candidate_id=my_copy.candidate_id,
    )
    their_copy = import_resume(settings, theirs, shared_file)
    assert my_copy.file_sha256 == their_copy.file_sha256

    with new_session() as session:
        flows.erase_candidate(
            session,
            candidate=session.get(Candidate, my_copy.candidate_id),
            actor=mine,
            store=store,
            client_ip=None,
        )
        tombstone = session.scalars(
            select(ActivityEntry).where(ActivityEntry.action == Action.ERASE)
        ).one()
        assert session.get(Candidate, their_copy.candidate_id) is not None
        assert session.get(Resume, their_copy.id) is not None
    assert tombstone.detail == {"resumes": 2, "files": 1, "reason": "request"}
    assert store.get(their_copy.file_sha256) == shared_file
    assert not store.exists(my_other.file_sha256)


def test_a_failed_erase_commit_loses_no_file(
    make_user, settings: Settings, store: FileStore, monkeypatch
) -> None:
    owner = make_user(Role.RECRUITER)
    resume = import_resume(settings, owner, unique_file())

    with new_session() as session:

        def failing_commit() -> None:
            raise RuntimeError("database went away")

        monkeypatch.setattr(session, "commit", failing_commit)
        with pytest.raises(RuntimeError):
            flows.erase_candidate(
                session,
                candidate=session.get(Candidate, resume.candidate_id),
                actor=owner,
                store=store,
                client_ip=None,
            )
        session.rollback()

    with new_session() as session:
        assert session.get(Candidate, resume.candidate_id) is not None
        assert session.get(Resume, resume.id) is not None
    assert store.exists(resume.file_sha256)


# --------------------------------------------------------------------------------------------
# Retention


def test_expired_candidates_counts_calendar_months(make_user) -> None:
    owner = make_user(Role.RECRUITER)
    now = datetime(2025, 3, 31, 10, 0, tzinfo=UTC)  # one month back is 28 February, 10:00
    with new_session() as session:
        for name, at in (
            ("Old Timer", datetime(2025, 2, 28, 9, 0, tzinfo=UTC)),
            ("Just Inside", datetime(2025, 2, 28, 11, 0, tzinfo=UTC)),
        ):
            session.add(Candidate(owner_id=owner.id, full_name=name, last_activity_at=at))
        session.commit()
        expired = gdpr.expired_candidates(session, months=1, now=now)
        assert [c.full_name for c in expired] == ["Old Timer"]
        with pytest.raises(ValueError):
            gdpr.expired_candidates(session, months=0, now=now)


@pytest.fixture
def idle_candidates(make_user, settings: Settings):
    """Two candidates idle for over a year (one with a stored resume) and a recent one."""
    owner = make_user(Role.RECRUITER)
    resume = import_resume(settings, owner, unique_file())
    set_idle(resume.candidate_id, timedelta(days=400))
    older = make_candidate(owner, "Ana Older", timedelta(days=800))
    recent = make_candidate(owner, "Rita Recent", timedelta(days=30))
    return {"resumed": resume, "older": older, "recent": recent}


def test_retention_dry_run_lists_only_expired_and_changes_nothing(
    idle_candidates, store: FileStore
) -> None:
    before = table_counts()
    with new_session() as session:
        found = flows.enforce_retention(session, months=12, store=store, dry_run=True)
    assert [(item.candidate_id, item.full_name) for item in found] == [
        (idle_candidates["older"], "Ana Older"),
        (idle_candidates["resumed"].candidate_id, NAME),
    ]
    assert table_counts() == before
    assert store.exists(idle_candidates["resumed"].file_sha256)


def test_retention_erases_expired_candidates_as_the_system(
    idle_candidates, store: FileStore
) -> None:
    expired = {idle_candidates["older"], idle_candidates["resumed"].candidate_id}
    with new_session() as session:
        erased = flows.enforce_retention(session, months=12, store=store, dry_run=False)
    assert {item.candidate_id for item in erased} == expired
    assert all(item.full_name is None for item in erased)
    with new_session() as session:
        left = session.scalars(select(Candidate.id)).all()
        tombstones = session.scalars(
            select(ActivityEntry).where(ActivityEntry.action == Action.ERASE)
        ).all()
    assert left == [idle_candidates["recent"]]
    assert {t.candidate_id for t in tombstones} == expired
    assert {(t.actor_id, t.actor_role, t.detail["reason"]) for t in tombstones} == {
        (None, "system", "retention")
    }
    assert not store.exists(idle_candidates["resumed"].file_sha256)


def test_retention_command_lists_then_erases(idle_candidates) -> None:
    runner = CliRunner()
    before = table_counts()
    off = runner.invoke(app, ["retention"])
    assert off.exit_code == 0, off.output
    assert "retention is off" in off.output

    listed = runner.invoke(app, ["retention", "--dry-run", "--months", "12"])
    assert listed.exit_code == 0, listed.output
    assert "Ana Older" in listed.output and NAME in listed.output
    assert "Rita Recent" not in listed.output
    assert "would erase 2 candidates" in listed.output
    assert table_counts() == before

    erased = runner.invoke(app, ["retention", "--months", "12"])
    assert erased.exit_code == 0, erased.output
    assert "erased 2 candidates" in erased.output
    assert "Ana Older" not in erased.output
    with new_session() as session:
        assert session.scalars(select(Candidate.id)).all() == [idle_candidates["recent"]]


def test_retention_task_is_scheduled_daily_and_off_by_default(idle_candidates) -> None:
    schedule = celery_app.conf.beat_schedule
    assert any(e["task"] == "hotgigs.candidates.enforce_retention" for e in schedule.values())
    before = table_counts()
    assert enforce_retention() == 0  # RETENTION_MONTHS is 0 in the test settings
    assert table_counts() == before


@pytest.mark.worker
def test_retention_task_runs_in_a_real_worker(
    idle_candidates, tmp_path: Path, store: FileStore
) -> None:
    log = tmp_path / "worker.log"
    worker = start_test_worker(log, env={"RETENTION_MONTHS": "12"})
    try:
        wait_for(lambda: " ready." in log.read_text(), timeout=60, what="the worker to be ready")
        assert enforce_retention.delay().get(timeout=60) == 2
    finally:
        stop_gracefully(worker)
    with new_session() as session:
        assert session.scalars(select(Candidate.id)).all() == [idle_candidates["recent"]]
    assert not store.exists(idle_candidates["resumed"].file_sha256)
