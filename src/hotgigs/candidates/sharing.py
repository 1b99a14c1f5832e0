"""Sharing a candidate with another recruiter, at a permission, revocably.

A view share sees the profile and its resumes; whether it may also download the original
files is the sharer's choice (``can_download``). Edit shares, owners, admins and the
candidate itself always may.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotgigs.auth import service as auth_service
from hotgigs.auth.models import Role, User
from hotgigs.candidates import activity
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import Access, access_of
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate, CandidateShare, SharePermission
from hotgigs.config import get_settings
from hotgigs.errors import Forbidden, Invalid, NotFound
from hotgigs.matching import flows as matching_flows
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType
from hotgigs.resumes.models import Resume


class ShareNotFound(NotFound):
    """No such share on a candidate the caller manages."""


class DownloadNotAllowed(Forbidden):
    """A view share whose sharer did not allow downloading the original files."""


def managed_candidate(session: Session, *, actor: User, candidate_id: uuid.UUID) -> Candidate:
    """A candidate whose shares the caller manages: its owner or an admin.

    Invisible candidates are 404; a recipient of a share sees it but gets 403.
    """
    candidate = candidates_service.get_visible(session, user=actor, candidate_id=candidate_id)
    if access_of(session, user=actor, candidate=candidate) < Access.OWNER:
        raise Forbidden("Only the candidate's owner or an admin manages its shares.")
    return candidate


def share(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    permission: SharePermission,
    can_download: bool = False,
    recruiter_id: uuid.UUID | None = None,
    recruiter_email: str | None = None,
    client_ip: str | None = None,
) -> CandidateShare:
    """Share a candidate with a recruiter (or change the permission of an existing share).

    ``can_download`` lets a view share download the original files; an edit share always
    may. The recipient is told through an event (the notification center shows it).
    """
    (granted,) = share_many(
        session,
        actor=actor,
        candidate_ids=[candidate_id],
        recruiters=[(recruiter_id, recruiter_email)],
        permission=permission,
        can_download=can_download,
        client_ip=client_ip,
    )
    return granted


def share_many(
    session: Session,
    *,
    actor: User,
    candidate_ids: Sequence[uuid.UUID],
    recruiters: Sequence[tuple[uuid.UUID | None, str | None]],
    permission: SharePermission,
    can_download: bool = False,
    client_ip: str | None = None,
) -> list[CandidateShare]:
    """Share every candidate with every recruiter (each named by id or email), all or
    nothing: one that cannot be shared refuses the whole request and nothing changes."""
    recipients = list(
        {
            user.id: user
            for user in (
                _recipient(session, recruiter_id=rid, recruiter_email=email)
                for rid, email in recruiters
            )
        }.values()
    )
    granted = [
        _grant(
            session,
            actor=actor,
            candidate_id=candidate_id,
            recipient=recipient,
            permission=permission,
            can_download=can_download,
            client_ip=client_ip,
        )
        for candidate_id in dict.fromkeys(candidate_ids)
        for recipient in recipients
    ]
    session.commit()
    for candidate_id in dict.fromkeys(candidate_ids):  # matched for the recipients' jobs
        matching_flows.candidate_changed(candidate_id, get_settings())
    return granted


def _grant(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    recipient: User,
    permission: SharePermission,
    can_download: bool,
    client_ip: str | None,
) -> CandidateShare:
    """Create or change one share, record it and tell the recipient (not committed)."""
    candidate = managed_candidate(session, actor=actor, candidate_id=candidate_id)
    if recipient.id == candidate.owner_id:
        raise Invalid("The recruiter already owns this candidate.")
    current = session.scalar(
        select(CandidateShare).where(
            CandidateShare.candidate_id == candidate.id,
            CandidateShare.recruiter_id == recipient.id,
        )
    )
    if current is None:
        current = CandidateShare(
            candidate_id=candidate.id, recruiter_id=recipient.id, granted_by_id=actor.id
        )
        session.add(current)
    current.permission = permission
    current.can_download = can_download or permission is SharePermission.EDIT
    current.granted_by_id = actor.id
    session.flush()
    activity.record(
        session,
        actor=actor,
        action=Action.SHARE,
        candidate_id=candidate.id,
        client_ip=client_ip,
        detail={
            "recruiter_id": str(recipient.id),
            "permission": str(permission),
            "can_download": current.can_download,
        },
    )
    notifications_service.emit(
        session,
        type=NotificationType.CANDIDATE_SHARED,
        user_id=recipient.id,
        subject_id=candidate.id,
        data={
            "candidate_id": str(candidate.id),
            "candidate_name": candidate.full_name,
            "permission": str(permission),
            "shared_by": actor.full_name or actor.email,
        },
    )
    return current


def shares_of(session: Session, *, actor: User, candidate_id: uuid.UUID) -> list[CandidateShare]:
    """The shares of a candidate the caller manages, oldest first."""
    candidate = managed_candidate(session, actor=actor, candidate_id=candidate_id)
    query = (
        select(CandidateShare)
        .where(CandidateShare.candidate_id == candidate.id)
        .order_by(CandidateShare.created_at)
    )
    return list(session.scalars(query))


def revoke(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    share_id: uuid.UUID,
    client_ip: str | None = None,
) -> None:
    """Withdraw a share; the recruiter loses access at once."""
    candidate = managed_candidate(session, actor=actor, candidate_id=candidate_id)
    current = session.scalar(
        select(CandidateShare).where(
            CandidateShare.id == share_id, CandidateShare.candidate_id == candidate.id
        )
    )
    if current is None:
        raise ShareNotFound(f"Share {share_id} not found.")
    activity.record(
        session,
        actor=actor,
        action=Action.UNSHARE,
        candidate_id=candidate.id,
        client_ip=client_ip,
        detail={"recruiter_id": str(current.recruiter_id)},
    )
    # What the recruiter was told about the candidate is no longer theirs to read.
    notifications_service.forget_subject_for(
        session, user_id=current.recruiter_id, subject_id=candidate.id
    )
    notifications_service.emit(
        session,
        type=NotificationType.CANDIDATE_UNSHARED,
        user_id=current.recruiter_id,
        subject_id=candidate.id,
        data={"candidate_id": str(candidate.id)},
    )
    session.delete(current)
    session.commit()
    matching_flows.candidate_changed(candidate.id, get_settings())  # the recipient's jobs lose it


def download_withheld(
    session: Session, *, user: User, candidate: Candidate
) -> CandidateShare | None:
    """The view share through which the caller sees a candidate without its files, if any."""
    if user.role is Role.ADMIN or user.id in (candidate.owner_id, candidate.user_id):
        return None
    share = session.scalar(
        select(CandidateShare).where(
            CandidateShare.candidate_id == candidate.id, CandidateShare.recruiter_id == user.id
        )
    )
    if share is None or share.permission is SharePermission.EDIT or share.can_download:
        return None
    return share


def check_download(session: Session, *, user: User, resume: Resume) -> None:
    """Refuse a visible resume's original file to a view share that may not download it."""
    if resume.owner_id == user.id or resume.candidate_id is None:
        return
    candidate = session.get(Candidate, resume.candidate_id)
    if candidate is not None and download_withheld(session, user=user, candidate=candidate):
        raise DownloadNotAllowed(
            "The recruiter who shared this candidate with you did not allow downloading "
            "the original resume file."
        )


def _recipient(
    session: Session, *, recruiter_id: uuid.UUID | None, recruiter_email: str | None
) -> User:
    """The recruiter a share is for, named by id or email."""
    if recruiter_id is not None:
        user = session.get(User, recruiter_id)
    elif recruiter_email:
        user = auth_service.user_by_email(session, email=recruiter_email)
    else:
        raise Invalid("Name the recruiter by recruiter_id or recruiter_email.")
    if user is None or user.role is not Role.RECRUITER or not user.is_active:
        raise Invalid("No active recruiter with that id or email.")
    return user
