"""Pages for candidate accounts: my profile and my matches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from hotgigs.auth.dependencies import AppSettings, DbSession
from hotgigs.auth.models import User
from hotgigs.candidates.access import visible_to
from hotgigs.candidates.models import Candidate
from hotgigs.jobs import service as jobs_service
from hotgigs.jobs.models import Job
from hotgigs.matching import queries as match_queries
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import FINISHED
from hotgigs.web import resume_view
from hotgigs.web.deps import CandidateViewer, render
from hotgigs.web.import_pages import upload_limits
from hotgigs.web.job_pages import MIN_SCORE_CHOICES, match_view, parse_min_score, score_band

router = APIRouter(include_in_schema=False)
RECENT_UPLOADS = 5
MATCHES_PER_PAGE = 50


def own_profile(session: Session, user: User) -> Candidate | None:
    """The candidate account's own profile (made by its first upload), if it has one yet."""
    mine = visible_to(user=user)
    # A profile linked to the account wins over anything else it may have uploaded.
    return session.scalar(
        mine.order_by((Candidate.user_id == user.id).desc(), Candidate.created_at).limit(1)
    )


@router.get("/me")
def my_profile_page(
    request: Request, viewer: CandidateViewer, session: DbSession, settings: AppSettings
) -> Response:
    """Upload my resume, follow it live, and see and correct the profile it made."""
    candidate = own_profile(session, viewer.user)
    uploads = resumes_service.list_visible(session, user=viewer.user, limit=RECENT_UPLOADS)
    working = next((r for r in uploads if r.status not in FINISHED), None)
    stats = None
    if candidate is not None:
        query = match_queries.matches_of_candidate(
            session, user=viewer.user, candidate_id=candidate.id
        )
        stats = match_queries.summary(session, query, threshold=settings.match_notify_threshold)
    return render(
        request,
        "me/profile.html",
        viewer,
        candidate=candidate,
        parsed=resume_view.sections(candidate.resume or {}) if candidate else None,
        uploads=uploads,
        working=working,
        stats=stats,
        **upload_limits(settings),
    )


@router.get("/me/matches")
def my_matches_page(
    request: Request,
    viewer: CandidateViewer,
    session: DbSession,
    settings: AppSettings,
    min_score: str = "",
) -> Response:
    """The open jobs my profile matches, best first, with the reasons and what I lack."""
    candidate = own_profile(session, viewer.user)
    wanted = parse_min_score(min_score)
    open_jobs = len(jobs_service.list_jobs(session, user=viewer.user, limit=1))
    context: dict[str, Any] = {
        "candidate": candidate,
        "min_score": wanted,
        "min_score_choices": MIN_SCORE_CHOICES,
        "any_open_jobs": open_jobs > 0,
        "matches": [],
        "total": 0,
        "all_total": 0,
    }
    if candidate is not None:
        query = match_queries.matches_of_candidate(
            session, user=viewer.user, candidate_id=candidate.id
        )
        results = match_queries.page(session, query, min_score=wanted, limit=MATCHES_PER_PAGE)
        threshold = settings.match_notify_threshold
        jobs = {
            j.id: j
            for j in session.scalars(
                select(Job).where(Job.id.in_([m.job_id for m in results.items]))
            )
        }
        stats = match_queries.summary(session, query, threshold=threshold)
        context.update(
            matches=[match_view(m, threshold) for m in results.items],
            jobs=jobs,
            total=results.total,
            all_total=stats["total_matches"],
            best_band=score_band(stats["best_score"], threshold),
            stats=stats,
        )
    return render(request, "me/matches.html", viewer, **context)
