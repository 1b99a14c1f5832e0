"""Job postings, the matching dashboard, one match's explanation and a profile's matches."""

from __future__ import annotations

import math
import re
import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from hotgigs.auth.dependencies import AppSettings, DbSession
from hotgigs.auth.models import Role, User
from hotgigs.candidates.models import Candidate
from hotgigs.candidates.search import DegreeLevel
from hotgigs.config import Settings
from hotgigs.errors import NotFound
from hotgigs.jobs import service as jobs_service
from hotgigs.jobs.models import Job, JobStatus
from hotgigs.matching import queries as match_queries
from hotgigs.matching.models import Match
from hotgigs.matching.scoring import DEFAULT_WEIGHTS
from hotgigs.parsing import skills as skills_lib
from hotgigs.web.deps import RecruiterViewer, render

router = APIRouter(include_in_schema=False)
MATCHES_PER_PAGE = 20
JOBS_LISTED = 500
# The categories of a match's breakdown, in the order the bars show them.
CATEGORIES = {
    "skills": "Skills",
    "experience": "Experience",
    "education": "Education",
    "semantic": "Profile fit",
    "location": "Location",
}
MIN_SCORE_CHOICES = (0, 30, 50, 60, 70, 80, 90)
# A profile lists the candidate's best matches; the job's Matching page has the rest.
PROFILE_MATCHES = 10
# Where an explanation's evidence was found, in words (JSON Resume paths otherwise).
EVIDENCE_PLACES = {
    "skills": "Skills list",
    "work": "Experience",
    "education": "Education",
    "basics.location": "Location",
    "text": "Resume text",
}


def page_uuid(
    value: str, what: str, missing: type[NotFound] = jobs_service.JobNotFound
) -> uuid.UUID:
    """An id from a page address; a malformed one is a 404 page like an unknown one."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise missing(f"{what} {value} not found.") from None


def score_band(score: float | None, threshold: float) -> str:
    """The `.score` colouring: high from the notification threshold, low under two thirds of it."""
    if score is None:
        return ""
    if score >= threshold:
        return "high"
    return "low" if score < threshold * 2 / 3 else ""


def breakdown_bars(breakdown: dict[str, Any]) -> list[dict[str, Any]]:
    """A match's categories as labelled bars, known categories first."""
    keys = [k for k in CATEGORIES if k in breakdown] + [k for k in breakdown if k not in CATEGORIES]
    return [
        {"key": k, "label": CATEGORIES.get(k, k.replace("_", " ").title()), "value": breakdown[k]}
        for k in keys
    ]


def parse_min_score(raw: str | None, default: float = 0.0) -> float:
    """The minimum-score filter from the address: a number 0-100; anything else, the default."""
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return min(max(value, 0.0), 100.0) if math.isfinite(value) else default


def min_score_choices(floor: float) -> list[int]:
    """The dashboard's minimum-score choices: any score, MATCH_MIN_SCORE, then steps above it."""
    start = int(floor)
    return list(dict.fromkeys([0, start, *(c for c in MIN_SCORE_CHOICES if c > start)]))


def match_view(match: Match, threshold: float) -> dict[str, Any]:
    """What a match card shows."""
    return {
        "match": match,
        "band": score_band(match.score, threshold),
        "bars": breakdown_bars(match.breakdown or {}),
        "gap": gap_of(match),
    }


def match_row(match: Match, threshold: float, job: Job) -> dict[str, Any]:
    """What a row of a match table shows: the card's view and the required skills held."""
    view = match_view(match, threshold)
    view["required"] = required_tally(job, view["gap"])
    return view


def required_tally(job: Job, gap: list[dict[str, Any]]) -> dict[str, int]:
    """Of the job's required skills: how many the candidate has, of how many, related ones."""
    wanted = len(dict.fromkeys(skills_lib.canonical_key(s) for s in job.required_skills))
    missing = [item for item in gap if item["required"]]
    return {
        "have": max(wanted - len(missing), 0),
        "of": wanted,
        "related": sum(1 for item in missing if item["related"]),
    }


def evidence_place(source: str) -> str:
    """Where a claim's evidence is, in words: "Experience 2", "Skills list", "Resume text"."""
    entry = re.fullmatch(r"(work|education|skills)\[(\d+)\]", source)
    if entry is None:
        return EVIDENCE_PLACES.get(source, source)
    if entry[1] == "skills":
        return EVIDENCE_PLACES["skills"]
    return f"{EVIDENCE_PLACES[entry[1]]} {int(entry[2]) + 1}"


def gap_of(match: Match) -> list[dict[str, Any]]:
    """The missing skills, each with whether the job requires it and related skills held."""
    details = {g.get("skill"): g for g in match.gap or [] if isinstance(g, dict)}
    out = []
    for name in match.missing_skills or []:
        detail = details.get(name, {})
        out.append(
            {
                "skill": name,
                "required": bool(detail.get("required", True)),
                "related": [r for r in detail.get("related") or [] if isinstance(r, str)],
            }
        )
    return out


def _job_figures(session: DbSession, viewer: RecruiterViewer) -> dict[uuid.UUID, dict[str, Any]]:
    """Match count, average and best score of each job, over the matches the viewer may see."""
    visible = match_queries.visible_matches(viewer.user).subquery()
    rows = session.execute(
        select(
            visible.c.job_id,
            func.count(),
            func.avg(visible.c.score),
            func.max(visible.c.score),
        ).group_by(visible.c.job_id)
    ).all()
    return {
        job_id: {"count": count, "average": round(float(avg), 1), "best": best}
        for job_id, count, avg, best in rows
    }


@router.get("/jobs")
def jobs_page(
    request: Request,
    viewer: RecruiterViewer,
    session: DbSession,
    settings: AppSettings,
    status: str = "",
) -> Response:
    """The viewer's jobs with their skills and how many candidates match each."""
    wanted = JobStatus(status) if status in {s.value for s in JobStatus} else None
    all_jobs = jobs_service.list_jobs(session, user=viewer.user, limit=JOBS_LISTED)
    jobs = [j for j in all_jobs if wanted is None or j.status is wanted]
    counts = {s.value: sum(j.status is s for j in all_jobs) for s in JobStatus}
    return render(
        request,
        "jobs/list.html",
        viewer,
        jobs=jobs,
        total=len(all_jobs),
        counts=counts,
        status=wanted.value if wanted else "",
        figures=_job_figures(session, viewer),
        threshold=settings.match_notify_threshold,
        band=score_band,
    )


def _form(request: Request, viewer: RecruiterViewer, job: Job | None) -> Response:
    """The job form, empty for a new job or filled from one."""
    return render(
        request,
        "jobs/form.html",
        viewer,
        job=job,
        degrees=[d.value for d in DegreeLevel],
        statuses=[s.value for s in JobStatus],
        categories=CATEGORIES,
        default_weights=DEFAULT_WEIGHTS,
        weights={**DEFAULT_WEIGHTS, **(job.match_weights or {})} if job else DEFAULT_WEIGHTS,
    )


@router.get("/jobs/new")
def new_job_page(request: Request, viewer: RecruiterViewer) -> Response:
    """The form for posting a job."""
    return _form(request, viewer, None)


@router.get("/jobs/{job_id}/edit")
def edit_job_page(
    request: Request, job_id: str, viewer: RecruiterViewer, session: DbSession
) -> Response:
    """The form for changing a job the viewer manages."""
    job = jobs_service.get_managed(session, user=viewer.user, job_id=page_uuid(job_id, "Job"))
    return _form(request, viewer, job)


@router.get("/matching")
def matching_page(
    request: Request,
    viewer: RecruiterViewer,
    session: DbSession,
    settings: AppSettings,
    job: str = "",
    min_score: str = "",
    cursor: str | None = None,
    start: str = "1",
) -> Response:
    """A job's candidates ranked best first, with scores, reasons and skills gaps."""
    jobs = jobs_service.list_jobs(session, user=viewer.user, limit=JOBS_LISTED)
    threshold = settings.match_notify_threshold
    context: dict[str, Any] = {
        "jobs": jobs,
        "job": None,
        "min_score": parse_min_score(min_score, settings.match_min_score),
        "min_score_choices": min_score_choices(settings.match_min_score),
        "threshold": threshold,
        "keep_min": settings.match_min_score,
        "matching_on": settings.enable_ai_matching,
    }
    if job:
        selected = jobs_service.get_visible(session, user=viewer.user, job_id=page_uuid(job, "Job"))
    else:
        # No job picked: the newest open one (or the newest at all) is the one to look at.
        selected = next((j for j in jobs if j.status is JobStatus.OPEN), jobs[0] if jobs else None)
    if selected is None:
        return render(request, "matching/dashboard.html", viewer, **context)
    query = match_queries.matches_of_job(session, user=viewer.user, job_id=selected.id)
    results = match_queries.page(
        session, query, min_score=context["min_score"], limit=MATCHES_PER_PAGE, cursor=cursor
    )
    people = {
        c.id: c
        for c in session.scalars(
            select(Candidate).where(Candidate.id.in_([m.candidate_id for m in results.items]))
        )
    }
    stats = match_queries.summary(session, query, threshold=threshold)
    context.update(
        job=selected,
        results=results,
        first_rank=int(start) if cursor and start.isdigit() and int(start) > 0 else 1,
        matches=[match_row(m, threshold, selected) for m in results.items],
        people=people,
        stats=stats,
        best_band=score_band(stats["best_score"], threshold),
        gaps=match_queries.common_gaps(session, query),
        bands=stats["score_bands"],
        band_peak=max(stats["score_bands"].values(), default=0) or 1,
        manages=viewer.user.role is Role.ADMIN or selected.owner_id == viewer.user.id,
    )
    return render(request, "matching/dashboard.html", viewer, **context)


@router.get("/matching/matches/{match_id}")
def match_page(
    request: Request,
    match_id: str,
    viewer: RecruiterViewer,
    session: DbSession,
    settings: AppSettings,
) -> Response:
    """One match: score, breakdown, explanation with its resume evidence, and skills gap."""
    match = match_queries.get_match(
        session,
        user=viewer.user,
        match_id=page_uuid(match_id, "Match", match_queries.MatchNotFound),
    )
    job = session.get(Job, match.job_id)
    return render(
        request,
        "matching/match.html",
        viewer,
        view=match_row(match, settings.match_notify_threshold, job),
        job=job,
        person=session.get(Candidate, match.candidate_id),
        evidence=[
            {**item, "place": evidence_place(item.get("source", ""))}
            for item in match.evidence or []
            if isinstance(item, dict)
        ],
    )


def candidate_matches(
    session: Session, user: User, candidate_id: uuid.UUID, settings: Settings
) -> dict[str, Any]:
    """A profile's matches: the candidate's best jobs among those the viewer may see."""
    query = match_queries.matches_of_candidate(session, user=user, candidate_id=candidate_id)
    results = match_queries.page(
        session, query, min_score=settings.match_min_score, limit=PROFILE_MATCHES
    )
    jobs = {
        j.id: j
        for j in session.scalars(select(Job).where(Job.id.in_([m.job_id for m in results.items])))
    }
    threshold = settings.match_notify_threshold
    return {
        "rows": [
            {**match_row(m, threshold, jobs[m.job_id]), "job": jobs[m.job_id]}
            for m in results.items
        ],
        "total": results.total,
        "floor": settings.match_min_score,
    }
