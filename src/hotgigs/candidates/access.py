"""Who may see, change and manage a candidate: the one statement of the access policy.

Levels, lowest first:

- ``NONE``: the candidate is not visible to the user at all;
- ``VIEW``: a recruiter the candidate is shared with to view (profile and resumes);
- ``EDIT``: a recruiter the candidate is shared with to edit (notes, tags, corrections);
- ``SELF``: a candidate account looking at the profile linked to it (``Candidate.user_id``):
  it may correct its profile but not share it;
- ``OWNER``: the user who owns the profile; manages its shares, activity, export, erasure;
- ``ADMIN``: an admin, who reaches every candidate as an owner would.

Shares are for recruiters: a candidate account sees its own and linked profiles only, even
if a share names it (one left over from when the account was a recruiter's). Everything
asking "may this user ..." about candidates goes through here: ``visible_to`` for queries,
``viewers_of`` for the inverse (which users may see one candidate: the jobs a candidate is
matched against), ``access_of`` for one candidate and ``access_map`` for a page of them.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from hotgigs.auth.models import Role, User
from hotgigs.candidates.models import Candidate, CandidateShare, SharePermission


class Access(enum.IntEnum):
    """How far a user reaches a candidate; a higher level may do all a lower one may."""

    NONE = 0
    VIEW = 1
    EDIT = 2
    SELF = 3
    OWNER = 4
    ADMIN = 5

    @property
    def label(self) -> str:
        """The word the API and pages have always used: "view", "edit", "self", "owner"..."""
        return self.name.lower()

    def __str__(self) -> str:
        """The label, so a template or f-string prints "edit" rather than "2"."""
        return self.label

    @classmethod
    def of_share(cls, permission: SharePermission) -> Access:
        """The level a share at `permission` gives its recruiter."""
        return cls.EDIT if permission is SharePermission.EDIT else cls.VIEW


def _permissions_at_least(at_least: Access) -> list[SharePermission]:
    """The share permissions that reach `at_least`, in a stable order."""
    return [p for p in SharePermission if Access.of_share(p) >= at_least]


def level(
    *,
    user: User,
    owner_id: uuid.UUID,
    user_id: uuid.UUID | None,
    share: SharePermission | None,
) -> Access:
    """The level of `user` on a candidate with these owner, account and share (the rule)."""
    if user.role is Role.ADMIN:
        return Access.ADMIN
    if owner_id == user.id:
        return Access.OWNER
    if user.role is Role.CANDIDATE:
        return Access.SELF if user_id == user.id else Access.NONE
    return Access.of_share(share) if share is not None else Access.NONE


def _condition(*, user: User, at_least: Access) -> ColumnElement[bool] | None:
    """SQL for "`user` reaches this Candidate at `at_least` or more" (None: every row)."""
    if at_least <= Access.NONE or user.role is Role.ADMIN:
        return None
    if at_least >= Access.ADMIN:
        return false()
    owned = Candidate.owner_id == user.id
    if at_least >= Access.OWNER:
        return owned
    if user.role is Role.CANDIDATE:  # SELF (above EDIT) on linked profiles, never a share
        return or_(owned, Candidate.user_id == user.id)
    if at_least >= Access.SELF:  # a recruiter is never SELF
        return owned
    shared = select(CandidateShare.candidate_id).where(
        CandidateShare.recruiter_id == user.id,
        CandidateShare.permission.in_(_permissions_at_least(at_least)),
    )
    return or_(owned, Candidate.id.in_(shared))


def visible_to(*, user: User, at_least: Access = Access.VIEW) -> Select[tuple[Candidate]]:
    """The candidates `user` reaches at `at_least` or more, as a query to narrow further."""
    query = select(Candidate)
    condition = _condition(user=user, at_least=at_least)
    return query if condition is None else query.where(condition)


def viewers_of(*, candidate: Candidate, at_least: Access = Access.VIEW) -> ColumnElement[bool]:
    """SQL over ``User``: the users who reach `candidate` at `at_least` (visible_to inverted)."""
    if at_least <= Access.NONE:
        return true()
    is_admin = User.role == Role.ADMIN
    if at_least >= Access.ADMIN:
        return is_admin
    terms: list[ColumnElement[bool]] = [is_admin, User.id == candidate.owner_id]
    if at_least >= Access.OWNER:
        return or_(*terms)
    if candidate.user_id is not None:
        terms.append(and_(User.role == Role.CANDIDATE, User.id == candidate.user_id))
    if at_least <= Access.EDIT:
        shared = exists().where(
            CandidateShare.candidate_id == candidate.id,
            CandidateShare.recruiter_id == User.id,
            CandidateShare.permission.in_(_permissions_at_least(at_least)),
        )
        terms.append(and_(User.role != Role.CANDIDATE, shared))
    return or_(*terms)


def access_of(session: Session, *, user: User, candidate: Candidate) -> Access:
    """The level of `user` on one candidate (NONE when it may not see it)."""
    share = None
    if user.role is Role.RECRUITER and candidate.owner_id != user.id:
        share = session.scalar(
            select(CandidateShare.permission).where(
                CandidateShare.candidate_id == candidate.id,
                CandidateShare.recruiter_id == user.id,
            )
        )
    return level(user=user, owner_id=candidate.owner_id, user_id=candidate.user_id, share=share)


def access_map(
    session: Session, *, user: User, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Access]:
    """The level of `user` on each of these candidates, in one query (unknown ids left out)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    query = (
        select(Candidate.id, Candidate.owner_id, Candidate.user_id, CandidateShare.permission)
        .outerjoin(
            CandidateShare,
            and_(
                CandidateShare.candidate_id == Candidate.id,
                CandidateShare.recruiter_id == user.id,
            ),
        )
        .where(Candidate.id.in_(wanted))
    )
    return {
        candidate_id: level(user=user, owner_id=owner_id, user_id=user_id, share=share)
        for candidate_id, owner_id, user_id, share in session.execute(query)
    }
