"""Resumes of many distinct people: no two share a name, email, phone or file content."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support import documents
from tests.support.sample_resumes import sample_resume

# Every first x last pair scores below the duplicate detector's name similarity (90) against
# every other pair, so a correct import flags no look-alikes among them.
FIRST_NAMES = ("Amara", "Bogdan", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hiroshi")
FIRST_NAMES += ("Ingrid", "Jamal")
LAST_NAMES = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Petrov", "Haddad", "Novak")
LAST_NAMES += ("Castillo", "Brennan", "Sato")
MAX_PEOPLE = len(FIRST_NAMES) * len(LAST_NAMES)


@dataclass(frozen=True)
class Person:
    """Who a generated resume is about."""

    name: str
    email: str
    phone: str


def people(count: int) -> list[Person]:
    """`count` distinct people (at most MAX_PEOPLE)."""
    if count > MAX_PEOPLE:
        raise ValueError(f"at most {MAX_PEOPLE} distinct people can be generated")
    found = []
    for index in range(count):
        first = FIRST_NAMES[index // len(LAST_NAMES)]
        last = LAST_NAMES[index % len(LAST_NAMES)]
        found.append(
            Person(
                name=f"{first} {last}",
                email=f"{first}.{last}@example.com".lower(),
                # 555-0100 to 555-0199 are set aside for fiction.
                phone=f"+1 415 555 {100 + index:04d}",
            )
        )
    return found


def resume_files(count: int) -> list[tuple[str, bytes]]:
    """(filename, content) of one resume a person, alternating PDF and DOCX."""
    files = []
    for index, person in enumerate(people(count)):
        lines = sample_resume(
            name=person.name,
            email=person.email,
            phone=person.phone,
            employer=f"{person.name.split()[1]} Analytics",
        )
        if index % 2:
            files.append((f"resume-{index:03d}.docx", documents.make_docx(lines)))
        else:
            files.append((f"resume-{index:03d}.pdf", documents.make_pdf(lines)))
    return files
