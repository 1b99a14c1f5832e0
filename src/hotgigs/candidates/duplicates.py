"""People imported by several recruiters: profiles of different owners that are one person.

An admin sees them grouped, with their owners; nothing is merged across owners. Strong
links are found by SQL grouping (same normalised email or phone); the weaker link, a
near-identical name plus a shared employer, compares each name with its neighbours in two
sort orders rather than with every other name.
"""

from __future__ import annotations

import re
import time
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Select, String, cast, distinct, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from hotgigs.auth.models import Role, User
from hotgigs.candidates.models import Candidate
from hotgigs.candidates.service import EMPLOYER_SIMILARITY, NAME_SIMILARITY

SAME_EMAIL = "same email"
SAME_PHONE = "same phone"
SIMILAR_NAME = "similar name and employer"
STRENGTH = {SAME_EMAIL: 0, SAME_PHONE: 1, SIMILAR_NAME: 2}
# Phones are compared on their last ten digits (so "+1 312-555-0177" is "(312) 555 0177"),
# and only when they have at least seven.
PHONE_TAIL = 10
MIN_PHONE_DIGITS = 7
PHONE_PUNCTUATION = " -().+/"
# Each distinct name is compared with this many neighbours in each of two sort orders.
NAME_WINDOW = 5
# Ids per `IN (...)` when resumes are read for their employers.
ID_BATCH = 500
# Groups found are reused while the profiles are unchanged, for at most this long.
CACHE_SECONDS = 300


class PhoneKey(FunctionElement[str]):
    """SQL: the last ten digits of a phone column, whatever its punctuation."""

    type = String()
    name = "phone_key"
    inherit_cache = True


@compiles(PhoneKey)
def _phone_key_portable(element: PhoneKey, compiler: SQLCompiler, **kw: Any) -> str:
    """The usual separators removed with replace() (SQLite has no regexp_replace)."""
    sql = compiler.process(element.clauses, **kw)
    for char in PHONE_PUNCTUATION:
        sql = f"replace({sql}, '{char}', '')"
    return f"substr({sql}, -{PHONE_TAIL})"


@compiles(PhoneKey, "postgresql")
def _phone_key_postgresql(element: PhoneKey, compiler: SQLCompiler, **kw: Any) -> str:
    """Every non-digit removed."""
    sql = compiler.process(element.clauses, **kw)
    return f"right(regexp_replace({sql}, '[^0-9]', '', 'g'), {PHONE_TAIL})"


class DuplicateProfile(BaseModel):
    """One profile of a group, with its owner."""

    id: uuid.UUID
    full_name: str
    owner_id: uuid.UUID
    owner_email: str
    owner_name: str
    updated_at: datetime


class DuplicateGroup(BaseModel):
    """Profiles of at least two owners that look like one person, and why."""

    reason: str = Field(description="The strongest link: same email, same phone, or similar name")
    key: str = Field(description="What they share: the email, the phone digits, or name · employer")
    weak: bool = Field(description="Linked only by a near-identical name and a shared employer")
    reasons: list[str] = Field(description="Every kind of link found within the group")
    profiles: list[DuplicateProfile]


class DuplicateGroups(BaseModel):
    """A page of cross-owner groups: strong ones first, each kind in the order of its keys."""

    groups: list[DuplicateGroup]
    total: int
    weak_total: int
    limit: int
    offset: int


class _Links:
    """Union-find over profile ids, remembering what linked each set."""

    def __init__(self) -> None:
        """Nothing linked yet."""
        self.parent: dict[uuid.UUID, uuid.UUID] = {}
        self.why: dict[uuid.UUID, dict[str, set[str]]] = {}

    def find(self, item: uuid.UUID) -> uuid.UUID:
        """The representative of the item's set (the item itself when unlinked)."""
        root = item
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while item != root:
            item, self.parent[item] = self.parent[item], root
        return root

    def link(self, items: Iterable[uuid.UUID], reason: str, key: str) -> None:
        """Put these items in one set, because they share `key` (a `reason`)."""
        roots = {self.find(i) for i in items}
        root = min(roots)
        why: dict[str, set[str]] = defaultdict(set)
        for other in roots:
            self.parent[other] = root
            for kind, keys in self.why.pop(other, {}).items():
                why[kind] |= keys
        why[reason].add(key)
        self.why[root] = why

    def sets(self) -> dict[uuid.UUID, list[uuid.UUID]]:
        """Each set of two or more linked items, by representative."""
        found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for item in list(self.parent):
            found[self.find(item)].append(item)
        return {root: items for root, items in found.items() if len(items) > 1}


@dataclass(frozen=True)
class _Group:
    """A group found: the ids of its profiles and what links them."""

    weak: bool
    key: str
    reasons: list[str]
    ids: list[uuid.UUID]


# The groups last found: the state of the profiles they were found in, when, and the groups.
_latest: dict[str, tuple[tuple[Any, ...], float, list[_Group]]] = {}


def cross_owner_groups(session: Session, *, limit: int, offset: int = 0) -> DuplicateGroups:
    """Groups of profiles of different owners that are probably one person; a page of them.

    The groups are found again when profiles or owners changed since the last time, and
    at least every CACHE_SECONDS.
    """
    state, now = _state(session), time.monotonic()
    last_state, found_at, found = _latest.get("groups", ((), 0.0, []))
    if last_state != state or now - found_at > CACHE_SECONDS:
        found = _find_groups(session)
        _latest["groups"] = (state, now, found)
    page = found[offset : offset + limit]
    people = _profiles(session, [i for group in page for i in group.ids])
    return DuplicateGroups(
        groups=[
            DuplicateGroup(
                reason=group.reasons[0],
                key=group.key,
                weak=group.weak,
                reasons=group.reasons,
                profiles=sorted(
                    (people[i] for i in group.ids if i in people),
                    key=lambda p: (p.owner_email, p.updated_at),
                ),
            )
            for group in page
        ],
        total=len(found),
        weak_total=sum(1 for group in found if group.weak),
        limit=limit,
        offset=offset,
    )


def _state(session: Session) -> tuple[Any, ...]:
    """What changes whenever a profile is added, changed or removed, or an owner's role."""
    profiles = session.execute(
        select(func.count(), func.max(Candidate.updated_at), func.max(cast(Candidate.id, String)))
    ).one()
    staff = session.scalar(select(func.count()).where(User.role != Role.CANDIDATE))
    return (*profiles, staff, str(session.get_bind().url))


def _find_groups(session: Session) -> list[_Group]:
    """Every group: by email or phone (strong) first, then by name and employer (weak)."""
    strong = _Links()
    email, phone = func.lower(func.trim(Candidate.email)), PhoneKey(Candidate.phone)
    for reason, key, usable in (
        (SAME_EMAIL, email, email != ""),
        (SAME_PHONE, phone, func.length(phone) >= MIN_PHONE_DIGITS),
    ):
        for shared, ids in _shared(session, key, usable).items():
            strong.link(ids, reason, shared)
    weak = _Links()
    for ids, key in _look_alikes(session, strong):
        weak.link(ids, SIMILAR_NAME, key)
    found = []
    for links in (strong, weak):
        for root, ids in links.sets().items():
            why = links.why[root]
            reasons = sorted(why, key=STRENGTH.__getitem__)
            found.append(_Group(links is weak, min(why[reasons[0]]), reasons, sorted(ids)))
    return sorted(found, key=lambda group: (group.weak, group.key))


def _staff_profiles(*columns: Any) -> Select[Any]:
    """A query over the profiles recruiters and admins own (not candidates' own accounts)."""
    return (
        select(*columns)
        .join(User, User.id == Candidate.owner_id)
        .where(User.role != Role.CANDIDATE)
    )


def _shared(
    session: Session, key: ColumnElement[str], usable: ColumnElement[bool]
) -> dict[str, list[uuid.UUID]]:
    """Profile ids by `key` (where `usable`), for the keys profiles of two or more owners share."""
    shared = (
        _staff_profiles(key)
        .where(key.is_not(None), usable)
        .group_by(key)
        .having(func.count(distinct(Candidate.owner_id)) > 1)
    )
    rows = session.execute(_staff_profiles(key, Candidate.id).where(key.in_(shared)))
    found: dict[str, list[uuid.UUID]] = defaultdict(list)
    for value, candidate_id in rows:
        found[value].append(candidate_id)
    return found


def _name_key(name: str) -> str:
    """A name folded for comparing: no case, accents or punctuation, its words sorted."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(sorted(re.findall(r"[^\W_]+", plain)))


def _similar_names(keys: list[str]) -> set[tuple[str, str]]:
    """Pairs of names alike enough (a name with itself too), each compared with neighbours only.

    Two sort orders (the name, and the name spelt backwards) put names that differ at the
    end, or at the start, next to each other.
    """
    pairs = {(key, key) for key in keys}
    for order in (sorted(keys), sorted(keys, key=lambda k: k[::-1])):
        for i, key in enumerate(order):
            for other in order[i + 1 : i + 1 + NAME_WINDOW]:
                if fuzz.ratio(key, other, score_cutoff=NAME_SIMILARITY):
                    pairs.add((min(key, other), max(key, other)))
    return pairs


def _look_alikes(session: Session, strong: _Links) -> list[tuple[list[uuid.UUID], str]]:
    """Cross-owner pairs with a near-identical name and a shared employer, not linked already."""
    by_name: dict[str, list[tuple[uuid.UUID, uuid.UUID]]] = defaultdict(list)
    rows = session.execute(
        _staff_profiles(Candidate.id, Candidate.owner_id, Candidate.full_name).where(
            Candidate.full_name != ""
        )
    )
    for candidate_id, owner_id, full_name in rows:
        key = _name_key(full_name)
        if " " in key:  # a single word is too little to go on across owners
            by_name[key].append((candidate_id, owner_id))
    # Profiles linked by email or phone already need no weaker link.
    person = {i: strong.find(i) for i in strong.parent}
    pairs = [
        (a, b, key)
        for key, other in _similar_names(list(by_name))
        for i, (a, owner_a) in enumerate(by_name[key])
        for b, owner_b in (by_name[other][i + 1 :] if key == other else by_name[other])
        if owner_a != owner_b and person.get(a, a) != person.get(b, b)
    ]
    employers = _employers_of(session, {i for a, b, _ in pairs for i in (a, b)})
    found = []
    for a, b, name in pairs:
        shared = _shared_employer(employers.get(a, []), employers.get(b, []))
        if shared:
            found.append(([a, b], f"{name} · {shared}"))
    return found


def _employers_of(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The employers named in each profile's resume (work entries), folded for comparing."""
    found: dict[uuid.UUID, list[str]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), ID_BATCH):
        batch = wanted[start : start + ID_BATCH]
        rows = session.execute(
            select(Candidate.id, Candidate.resume["work"]).where(Candidate.id.in_(batch))
        )
        for candidate_id, work in rows:
            found[candidate_id] = [
                " ".join(str(w["name"]).casefold().split())
                for w in (work if isinstance(work, list) else [])
                if isinstance(w, dict) and w.get("name")
            ]
    return found


def _shared_employer(mine: list[str], theirs: list[str]) -> str | None:
    """An employer both lists name (alike enough), if any.

    Of the spellings that match, the same one whichever profile comes first (rows come in
    no fixed order), so a group's key does not change from one look to the next.
    """
    alike = [
        min(one, other)
        for one in mine
        for other in theirs
        if fuzz.token_sort_ratio(one, other) >= EMPLOYER_SIMILARITY
    ]
    return min(alike, default=None)


def _profiles(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, DuplicateProfile]:
    """The shown fields of these profiles and their owners."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            Candidate.id,
            Candidate.full_name,
            Candidate.owner_id,
            Candidate.updated_at,
            User.email,
            User.full_name,
        )
        .join(User, User.id == Candidate.owner_id)
        .where(Candidate.id.in_(ids))
    )
    return {
        row[0]: DuplicateProfile(
            id=row[0],
            full_name=row[1],
            owner_id=row[2],
            updated_at=row[3],
            owner_email=row[4],
            owner_name=row[5],
        )
        for row in rows
    }
