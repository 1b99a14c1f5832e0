"""Resumes as staffing agencies send them: the agency's letterhead above the candidate.

A kind of document the shipped parser reads wrong (it takes the agency's name for the
person's), used to show that an installation's corrections teach its parser. Every
document differs in agency, label wording, person, jobs and order; ``truth`` is what it
prints, in JSON Resume form.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

AGENCIES = (
    "Northbridge Talent Partners", "Harbourline Staffing Group", "Crestview Recruitment Ltd",
    "Bluewater Executive Search", "Summit Peak Consulting", "Ironwood Talent Solutions",
    "Meridian People Services", "Copperfield Staffing Agency", "Silverline Search Associates",
    "Evergreen Workforce Partners", "Kestrel Recruitment Group", "Lakeshore Talent Advisors",
    "Redstone Personnel Services", "Oakridge Executive Partners", "Brightpath Staffing Inc",
    "Granite Hill Recruiting", "Westgate Talent Group", "Foxglove Search Partners",
)  # fmt: skip
CLIENTS = ("Acme Bank", "Globex Logistics", "Initech", "Umbrella Health", "Stark Retail")
HEADINGS = (
    "Candidate Profile prepared for {client}",
    "Candidate Submittal - {client}",
    "Confidential candidate presentation for {client}",
    "Shortlist submission: {client}",
)
NAME_LABELS = ("Candidate", "Candidate name", "Presented candidate", "Consultant", "Name")
FIRST = (
    "Maria", "Tomasz", "Aiyana", "Kwame", "Sofia", "Lars", "Priya", "Mateo", "Yuki", "Olumide",
    "Ingrid", "Rafael", "Leila", "Bjorn", "Chen", "Amara", "Dmitri", "Fatima", "Hugo", "Nadia",
    "Emeka", "Sigrid", "Tariq", "Valentina", "Kenji", "Zanele", "Pavel", "Ines", "Rohan", "Elif",
)  # fmt: skip
LAST = (
    "Kowalczyk", "Brennan", "Okonkwo", "Lindholm", "Castellanos", "Nakamura", "Haddad",
    "Varga", "Oyelaran", "Sorensen", "Mehta", "Duarte", "Novak", "Achterberg", "Quispe",
    "Moreau", "Abara", "Ferreira", "Petrovic", "Takahashi", "Mbeki", "Rasmussen", "Iqbal",
)  # fmt: skip
ROLES = (
    "Senior Business Analyst", "Data Engineer", "Project Manager", "Software Developer",
    "Financial Controller", "Supply Chain Planner", "QA Engineer", "Product Owner",
    "Registered Nurse", "Operations Manager", "UX Designer", "Network Administrator",
)  # fmt: skip
EMPLOYERS = (
    "ING Group", "Rabobank", "Siemens AG", "Unilever", "Maersk Line", "Philips Healthcare",
    "Vodafone", "Deloitte", "Heineken", "Shell Global", "Accenture", "Ericsson", "Nestle SA",
    "Allianz", "Airbus", "KPMG", "Capgemini", "Novartis",
)  # fmt: skip
CITIES = (
    ("Rotterdam", "Netherlands"), ("Lyon", "France"), ("Porto", "Portugal"),
    ("Gdansk", "Poland"), ("Aarhus", "Denmark"), ("Leeds", "United Kingdom"),
    ("Toronto", "Canada"), ("Nairobi", "Kenya"), ("Osaka", "Japan"), ("Brisbane", "Australia"),
)  # fmt: skip
SCHOOLS = (
    "Erasmus University Rotterdam", "University of Lyon", "University of Porto",
    "Gdansk University of Technology", "Aarhus University", "University of Leeds",
)  # fmt: skip
DEGREES = ("MSc Economics", "BSc Computer Science", "BA Business Administration", "MBA")
SKILLS = ("SQL", "Power BI", "Agile", "Python", "Excel", "Jira", "SAP", "Tableau", "Scrum")


@dataclass(frozen=True)
class AgencyResume:
    """One generated agency resume: its text and what it prints."""

    text: str
    truth: dict[str, Any]


def agency_resumes(
    count: int, *, seed: int, agencies: Sequence[str] = AGENCIES
) -> list[AgencyResume]:
    """``count`` distinct agency resumes from ``agencies``; another seed gives other people."""
    rng = random.Random(seed)
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(names)
    return [_resume(rng, names[i], rng.choice(agencies)) for i in range(count)]


def _resume(rng: random.Random, name: str, agency: str) -> AgencyResume:
    city, country = rng.choice(CITIES)
    role = rng.choice(ROLES)
    first, last = name.split()
    email = f"{first}.{last}@example.com".lower()
    phone = f"+44 20 7946 {rng.randrange(1000, 9999)}"
    end = rng.randrange(2021, 2026)
    jobs = []
    for employer in rng.sample(EMPLOYERS, rng.randrange(2, 4)):
        start = end - rng.randrange(2, 6)
        jobs.append(
            {"name": employer, "position": role, "startDate": str(start), "endDate": str(end)}
        )
        end = start
        role = rng.choice(ROLES)
    jobs[0]["endDate"] = None
    school, degree = rng.choice(SCHOOLS), rng.choice(DEGREES)
    skills = rng.sample(SKILLS, 4)
    lines = [
        agency,
        rng.choice(HEADINGS).format(client=rng.choice(CLIENTS)),
        "",
        f"{rng.choice(NAME_LABELS)}: {name}",
        f"Role applied for: {jobs[0]['position']}",
        f"Location: {city}, {country}",
        f"Email: {email} | Phone: {phone}",
        "",
        "EMPLOYMENT",
    ]
    for job in jobs:
        until = job["endDate"] or "Present"
        lines.append(f"{job['startDate']} - {until}    {job['position']}, {job['name']}")
    lines += ["", "EDUCATION", f"{end - 1}  {degree}, {school}", "", "SKILLS", ", ".join(skills)]
    lines += ["", f"Presented by {agency}. Please contact us before approaching the candidate."]
    truth = {
        "basics": {
            "name": name,
            "email": email,
            "phone": phone,
            "location": {"city": city},
        },
        "work": jobs,
        "education": [
            {"institution": school, "studyType": degree.split()[0], "endDate": str(end - 1)}
        ],
        "skills": [{"name": s} for s in skills],
    }
    return AgencyResume("\n".join(lines) + "\n", truth)
