"""HTTP routes for candidates: search, profiles, notes, tags, shares, activity, GDPR."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from hotgigs.auth.dependencies import (
    AdminUser,
    AppSettings,
    ClientIP,
    CurrentUser,
    DbSession,
    RecruiterUser,
)
from hotgigs.auth.models import User
from hotgigs.candidates import activity, annotations, corrections, flows, gdpr, queries, sharing
from hotgigs.candidates import duplicates as duplicates_service
from hotgigs.candidates import search as search_service
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import Access, access_of
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate
from hotgigs.candidates.schemas import (
    ActivityList,
    ActivityRead,
    AdminShareCreate,
    CandidateList,
    CandidateRead,
    CandidateUpdate,
    CorrectionList,
    CorrectionRead,
    DuplicateList,
    DuplicateRead,
    Facet,
    MergeRequest,
    NoteCreate,
    NoteList,
    NoteRead,
    NoteUpdate,
    ResumeCorrection,
    SearchQuery,
    ShareCreate,
    ShareList,
    ShareRead,
    TagsRead,
    TagsRequest,
)
from hotgigs.errors import responses
from hotgigs.params import ListWindow
from hotgigs.resumes.schemas import ResumeList, ResumeStatusRead
from hotgigs.resumes.storage import get_store

router = APIRouter(prefix="/api/resumes", tags=["candidates"], responses=responses(401))


SearchParams = Annotated[SearchQuery, Query()]


def _search(
    session: DbSession, user: User, params: SearchQuery, *, owner_id: uuid.UUID | None = None
) -> CandidateList:
    """Run a search within what `user` may see and shape the page."""
    if params.q and params.search and params.q != params.search:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Give q or search, not both.")
    try:
        page = queries.search_page(
            session,
            user=user,
            # facets describe the whole result: the first page carries them, later pages (a
            # cursor or an offset) need not count them again
            params=params.to_params(
                owner_id=owner_id, facets=params.cursor is None and not params.skip
            ),
        )
    except search_service.InvalidSearch as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    items = [
        _read(
            session,
            user,
            item.candidate,
            tags=item.tags,
            anonymised=params.anonymised,
            owner_email=item.owner_email,
            access=item.access,
        )
        for item in page.items
    ]
    facets = {
        name: [Facet(value=value, count=count) for value, count in values]
        for name, values in page.facets.items()
    }
    return CandidateList(
        items=items,
        total=page.total,
        next_cursor=page.next_cursor,
        facets=facets,
        facets_exact=page.facets_exact,
    )


def _read(
    session: DbSession,
    user: User,
    candidate: Candidate,
    *,
    tags: list[str],
    anonymised: bool = False,
    owner_email: str | None = None,
    access: Access | None = None,
) -> CandidateRead:
    """The API form of a candidate, optionally anonymised for bias-reduced screening.

    `access` is the caller's level when a list has it already (access_map); else it is read.
    """
    if access is None:
        access = access_of(session, user=user, candidate=candidate)
    read = CandidateRead.model_validate(candidate).model_copy(
        update={
            "tags": tags,
            "access": access.label,
            "owner_email": owner_email,
        }
    )
    if not anonymised:
        return read
    anonymous = gdpr.anonymised_profile(candidate)
    return read.model_copy(
        update={
            "full_name": anonymous.label,
            "email": None,
            "phone": None,
            "location": anonymous.location,
            "resume": anonymous.resume,
            "owner_email": None,
            "anonymised": True,
        }
    )


# --------------------------------------------------------------------------- profiles


@router.get("/candidates", responses=responses(422))
def list_candidates(user: CurrentUser, session: DbSession, params: SearchParams) -> CandidateList:
    """Search the candidates the caller may see, with filters, facets and cursor pages."""
    return _search(session, user, params)


@router.get("/candidates/{candidate_id}", responses=responses(404))
def get_candidate(
    candidate_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    client_ip: ClientIP,
    anonymised: bool = False,
) -> CandidateRead:
    """One candidate profile (every view is logged)."""
    view = queries.view_profile(session, user=user, candidate_id=candidate_id, client_ip=client_ip)
    return _read(
        session, user, view.candidate, tags=view.tags, anonymised=anonymised, access=view.access
    )


@router.patch("/candidates/{candidate_id}", responses=responses(400, 403, 404))
def update_candidate(
    candidate_id: uuid.UUID,
    body: CandidateUpdate,
    user: CurrentUser,
    session: DbSession,
    client_ip: ClientIP,
) -> CandidateRead:
    """Correct profile fields (owner, edit share, admin, or the candidate itself)."""
    candidate = corrections.update_profile(
        session,
        user=user,
        candidate_id=candidate_id,
        changes=body.model_dump(exclude_unset=True, exclude_none=True),
        client_ip=client_ip,
    )
    tags = annotations.tags_of(session, candidate_id=candidate.id)
    return _read(session, user, candidate, tags=tags)


@router.post("/candidates/{candidate_id}/corrections", responses=responses(403, 404, 422))
def correct_candidate(
    candidate_id: uuid.UUID,
    body: ResumeCorrection,
    user: CurrentUser,
    session: DbSession,
    client_ip: ClientIP,
) -> CandidateRead:
    """Correct what the parser read (owner, edit share, admin, or the candidate itself).

    Each changed field is kept as a labelled example for `hotgigs train --with-corrections`,
    and a later re-parse never overwrites it.
    """
    sent = body.model_dump(exclude_unset=True)
    candidate = corrections.correct(
        session,
        user=user,
        candidate_id=candidate_id,
        basics=sent.get("basics"),
        sections={k: v for k, v in sent.items() if k != "basics" and v is not None},
        client_ip=client_ip,
    )
    tags = annotations.tags_of(session, candidate_id=candidate.id)
    return _read(session, user, candidate, tags=tags)


@router.get("/candidates/{candidate_id}/corrections", responses=responses(404))
def list_corrections(
    candidate_id: uuid.UUID, user: CurrentUser, session: DbSession, window: ListWindow
) -> CorrectionList:
    """The corrections people made to this candidate's parsed data, oldest first."""
    rows = corrections.corrections_of(session, user=user, candidate_id=candidate_id)
    return CorrectionList(
        items=[CorrectionRead.model_validate(r) for r in window.of(rows)], total=len(rows)
    )


@router.delete(
    "/candidates/{candidate_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(403, 404),
)
def erase_candidate(
    candidate_id: uuid.UUID,
    user: RecruiterUser,
    session: DbSession,
    settings: AppSettings,
    client_ip: ClientIP,
) -> Response:
    """GDPR erase: the profile, its resumes, files, notes, tags and shares (owner or admin)."""
    candidate = sharing.managed_candidate(session, actor=user, candidate_id=candidate_id)
    flows.erase_candidate(
        session, candidate=candidate, actor=user, store=get_store(settings), client_ip=client_ip
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/candidates/{candidate_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "A ZIP of everything held about the candidate and its files.",
            "content": {"application/zip": {}},
        },
        **responses(403, 404),
    },
)
def export_candidate(
    candidate_id: uuid.UUID,
    user: RecruiterUser,
    session: DbSession,
    settings: AppSettings,
    client_ip: ClientIP,
) -> Response:
    """GDPR export: a ZIP of everything held (JSON) and the original files (owner or admin)."""
    candidate, archive = flows.export_candidate(
        session,
        actor=user,
        candidate_id=candidate_id,
        store=get_store(settings),
        client_ip=client_ip,
    )
    return Response(
        content=archive,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="candidate-{candidate.id}.zip"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/candidates/{candidate_id}/resumes", responses=responses(404))
def list_candidate_resumes(
    candidate_id: uuid.UUID, user: CurrentUser, session: DbSession, window: ListWindow
) -> ResumeList:
    """The resumes filed under a candidate, newest first."""
    resumes = queries.candidate_resumes(session, user=user, candidate_id=candidate_id)
    return ResumeList(
        items=[ResumeStatusRead.of(r) for r in window.of(resumes)], total=len(resumes)
    )


@router.get("/candidates/{candidate_id}/activity", responses=responses(403, 404))
def candidate_activity(
    candidate_id: uuid.UUID,
    user: RecruiterUser,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> ActivityList:
    """Who did what to this candidate, newest first (owner or admin)."""
    candidate = sharing.managed_candidate(session, actor=user, candidate_id=candidate_id)
    entries = activity.for_candidate(session, candidate_id=candidate.id, limit=limit)
    return ActivityList(items=[ActivityRead.model_validate(e) for e in entries], total=len(entries))


# --------------------------------------------------------------------------- notes


@router.get("/candidates/{candidate_id}/notes", responses=responses(403, 404))
def list_notes(
    candidate_id: uuid.UUID, user: RecruiterUser, session: DbSession, window: ListWindow
) -> NoteList:
    """A candidate's notes, oldest first: the shared ones and the caller's own private ones."""
    notes = annotations.notes_of(session, actor=user, candidate_id=candidate_id)
    return NoteList(items=[NoteRead.model_validate(n) for n in window.of(notes)], total=len(notes))


@router.post(
    "/candidates/{candidate_id}/notes",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400, 403, 404, 422),
)
def add_note(
    candidate_id: uuid.UUID,
    body: NoteCreate,
    user: RecruiterUser,
    session: DbSession,
    client_ip: ClientIP,
) -> NoteRead:
    """Add a note (owner, edit share or admin); a private one is seen by its author alone."""
    note = annotations.add_note(
        session,
        actor=user,
        candidate_id=candidate_id,
        content=body.content,
        title=body.title,
        is_important=body.is_important,
        is_private=body.is_private,
        client_ip=client_ip,
    )
    return NoteRead.model_validate(note)


@router.patch("/candidates/{candidate_id}/notes/{note_id}", responses=responses(400, 403, 404, 422))
def edit_note(
    candidate_id: uuid.UUID,
    note_id: uuid.UUID,
    body: NoteUpdate,
    user: RecruiterUser,
    session: DbSession,
    client_ip: ClientIP,
) -> NoteRead:
    """Change one's own note: any of its fields; an empty or null title removes the title."""
    note = annotations.edit_note(
        session,
        actor=user,
        candidate_id=candidate_id,
        note_id=note_id,
        content=body.content,
        title=(body.title or "") if "title" in body.model_fields_set else None,
        is_important=body.is_important,
        is_private=body.is_private,
        client_ip=client_ip,
    )
    return NoteRead.model_validate(note)


@router.delete(
    "/candidates/{candidate_id}/notes/{note_id}", status_code=204, responses=responses(403, 404)
)
def delete_note(
    candidate_id: uuid.UUID,
    note_id: uuid.UUID,
    user: RecruiterUser,
    session: DbSession,
    client_ip: ClientIP,
) -> Response:
    """Delete one's own note."""
    annotations.delete_note(
        session, actor=user, candidate_id=candidate_id, note_id=note_id, client_ip=client_ip
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------- tags


@router.get("/candidates/{candidate_id}/tags", responses=responses(403, 404))
def list_tags(candidate_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> TagsRead:
    """A candidate's tags."""
    candidate = candidates_service.get_visible(session, user=user, candidate_id=candidate_id)
    return TagsRead(
        candidate_id=candidate.id, tags=annotations.tags_of(session, candidate_id=candidate.id)
    )


@router.post("/candidates/{candidate_id}/tags", responses=responses(400, 403, 404, 422))
def add_tags(
    candidate_id: uuid.UUID,
    body: TagsRequest,
    user: RecruiterUser,
    session: DbSession,
    client_ip: ClientIP,
) -> TagsRead:
    """Add tags (owner, edit share or admin); answers with all the candidate's tags."""
    tags = annotations.add_tags(
        session, actor=user, candidate_id=candidate_id, tags=body.tags, client_ip=client_ip
    )
    return TagsRead(candidate_id=candidate_id, tags=tags)


@router.delete("/candidates/{candidate_id}/tags/{tag}", responses=responses(403, 404, 422))
def remove_tag(
    candidate_id: uuid.UUID, tag: str, user: RecruiterUser, session: DbSession, client_ip: ClientIP
) -> TagsRead:
    """Remove a tag; answers with the tags left."""
    tags = annotations.remove_tag(
        session, actor=user, candidate_id=candidate_id, tag=tag, client_ip=client_ip
    )
    return TagsRead(candidate_id=candidate_id, tags=tags)


# --------------------------------------------------------------------------- shares


@router.get("/candidates/{candidate_id}/shares", responses=responses(403, 404))
def list_shares(
    candidate_id: uuid.UUID, user: RecruiterUser, session: DbSession, window: ListWindow
) -> ShareList:
    """Whom the candidate is shared with (owner or admin)."""
    shares = sharing.shares_of(session, actor=user, candidate_id=candidate_id)
    items = [ShareRead.model_validate(s) for s in window.of(shares)]
    return ShareList(items=items, total=len(shares))


@router.post(
    "/candidates/{candidate_id}/shares",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400, 403, 404, 422),
)
def share_candidate(
    candidate_id: uuid.UUID,
    body: ShareCreate,
    user: RecruiterUser,
    session: DbSession,
    client_ip: ClientIP,
) -> ShareRead:
    """Share with another recruiter, `view` or `edit`, downloads allowed or not (owner or admin)."""
    return _share(session, user, candidate_id, body, client_ip)


@router.delete(
    "/candidates/{candidate_id}/shares/{share_id}", status_code=204, responses=responses(403, 404)
)
def revoke_share(
    candidate_id: uuid.UUID,
    share_id: uuid.UUID,
    user: RecruiterUser,
    session: DbSession,
    client_ip: ClientIP,
) -> Response:
    """Withdraw a share (owner or admin); the recruiter's jobs lose their matches with it."""
    sharing.revoke(
        session, actor=user, candidate_id=candidate_id, share_id=share_id, client_ip=client_ip
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _share(
    session: DbSession,
    user: User,
    candidate_id: uuid.UUID,
    body: ShareCreate,
    client_ip: str | None,
) -> ShareRead:
    """Share, then match the candidate for the recipient's jobs in the background."""
    created = sharing.share(
        session,
        actor=user,
        candidate_id=candidate_id,
        permission=body.permission,
        can_download=body.can_download,
        recruiter_id=body.recruiter_id,
        recruiter_email=body.recruiter_email,
        client_ip=client_ip,
    )
    return ShareRead.model_validate(created)


# --------------------------------------------------------------------------- duplicates


@router.get("/duplicates")
def list_duplicates(user: CurrentUser, session: DbSession, window: ListWindow) -> DuplicateList:
    """Possible duplicates waiting for a recruiter's decision."""
    flags = candidates_service.open_duplicates(session, user=user)
    items = [DuplicateRead.model_validate(f) for f in window.of(flags)]
    return DuplicateList(items=items, total=len(flags))


@router.post("/duplicates/{flag_id}/dismiss", responses=responses(403, 404))
def dismiss_duplicate(flag_id: uuid.UUID, user: CurrentUser, session: DbSession) -> DuplicateRead:
    """Record that a flagged pair are different people."""
    flag = candidates_service.dismiss_duplicate(session, user=user, flag_id=flag_id)
    return DuplicateRead.model_validate(flag)


@router.post("/candidates/{candidate_id}/merge", responses=responses(400, 403, 404, 409))
def merge_candidates(
    candidate_id: uuid.UUID,
    body: MergeRequest,
    user: CurrentUser,
    session: DbSession,
    client_ip: ClientIP,
) -> CandidateRead:
    """Fold another profile (and its resumes) into this one."""
    try:
        kept = candidates_service.merge(
            session,
            user=user,
            keep_id=candidate_id,
            duplicate_id=body.duplicate_id,
            client_ip=client_ip,
        )
    except candidates_service.MergeRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return _read(session, user, kept, tags=annotations.tags_of(session, candidate_id=kept.id))


# --------------------------------------------------------------------------- admin


@router.get("/admin/candidates", responses=responses(403, 422))
def master_database(
    user: AdminUser,
    session: DbSession,
    params: SearchParams,
    owner_id: uuid.UUID | None = None,
) -> CandidateList:
    """Every recruiter's candidates, with the owner shown; filter by `owner_id`."""
    return _search(session, user, params, owner_id=owner_id)


@router.get("/admin/duplicates", responses=responses(403, 422))
def cross_owner_duplicates(
    user: AdminUser,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> duplicates_service.DuplicateGroups:
    """People imported by several recruiters: groups of their profiles, with the owners.

    Linked by the same email or phone, or (marked `weak`) a near-identical name and a shared
    employer. Nothing is merged: each profile stays with its owner.
    """
    return duplicates_service.cross_owner_groups(session, limit=limit, offset=offset)


@router.post(
    "/admin/candidates/share",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400, 403, 404, 422),
)
def admin_share(
    body: AdminShareCreate,
    user: AdminUser,
    session: DbSession,
    client_ip: ClientIP,
) -> ShareRead | ShareList:
    """Share candidates with recruiters (the spec's admin route): one share, or with the
    lists every candidate with every recruiter in one request, all or nothing."""
    created = sharing.share_many(
        session,
        actor=user,
        candidate_ids=body.candidates,
        recruiters=body.recruiters,
        permission=body.permission,
        can_download=body.can_download,
        client_ip=client_ip,
    )
    items = [ShareRead.model_validate(s) for s in created]
    if not body.bulk:
        return items[0]
    return ShareList(items=items, total=len(items))


@router.get("/admin/activity", responses=responses(403))
def activity_log(
    user: AdminUser,
    session: DbSession,
    actor_id: uuid.UUID | None = None,
    action: Action | None = None,
    candidate_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> ActivityList:
    """The whole activity log, newest first, filtered."""
    entries = activity.search_log(
        session,
        where=activity.ActivityFilter(
            actor_id=actor_id,
            action=str(action) if action else None,
            candidate_id=candidate_id,
            since=since,
            until=until,
        ),
        limit=limit,
    )
    return ActivityList(items=[ActivityRead.model_validate(e) for e in entries], total=len(entries))
