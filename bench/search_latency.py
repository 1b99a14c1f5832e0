"""Candidate search latency at 100,000 profiles, through the real `search()` service.

Usage: python bench/search_latency.py [--count 100000] [--seed 7] [--rounds 5]
                                      [--database-url postgresql+psycopg://...]
                                      [--keep DATABASE] [--facets both|on|off]

Loads synthetic candidates (names, headlines, locations, skills from the parser's taxonomy,
years, degrees, tags, sources, import dates and resume-sized texts; the same for a given
seed) into a fresh database: a SQLite file in a temporary folder by default, or a scratch
database created beside `--database-url` and dropped afterwards. `--keep` names a database
to keep instead: candidates are generated and committed 10,000 at a time, so a run that
stops (a million takes long) continues where it stopped, and a finished one is reused.
Then runs a mix of searches as a recruiter (own plus shared candidates) and as an admin
(everything), with facets on first pages (as the API answers) and then without, and prints
p50 / p95 / p99 milliseconds per kind of query and overall, and the largest tables and
indexes.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    """The items of a word list (separated by whitespace unless told otherwise)."""
    return tuple(text.split(separator))


FIRST_NAMES = _words(
    "Aarav Aditi Aditya Akash Amit Ananya Anjali Arjun Deepa Divya Gaurav Harish Isha Karan "
    "Kavya Lakshmi Manoj Meera Neha Nikhil Pooja Pradeep Priya Rahul Rajesh Ramesh Ravi Rohan "
    "Sanjay Shreya Sneha Suresh Swati Varun Vikram Vivek Yash Zara Mohammed Fatima Ahmed "
    "Aisha Omar Layla Yusuf Mariam John Mary James Patricia Robert Jennifer Michael Linda "
    "William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen "
    "Daniel Nancy Matthew Emily Anthony Olivia Mark Sophia Steven Emma Paul Chloe Andrew "
    "José María Zoë Renée André Björn Sørina Wei Li Mei Jun Hiroshi Yuki Minh Thanh Chen "
    "Kwame Amara Chinedu Ngozi Tunde Ayesha Imran Sana Bilal Hamza Elena Ivan Olga Dmitri"
)
LAST_NAMES = _words(
    "Sharma Verma Gupta Kumar Singh Patel Shah Mehta Reddy Rao Nair Iyer Menon Pillai Das "
    "Banerjee Chatterjee Mukherjee Ghosh Bose Joshi Kulkarni Deshpande Patil Jain Agarwal "
    "Khan Hussain Ali Sheikh Qureshi Siddiqui Smith Johnson Williams Brown Jones Garcia "
    "Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson Taylor Thomas Moore "
    "Jackson Martin Lee Thompson White Harris Clark Lewis Walker Hall Allen Young King "
    "Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell "
    "Parker Evans Edwards Collins O'Brien O'Connor McDonald Müller Schmidt Schneider Fischer "
    "Álvarez Gómez Pérez Sánchez Núñez Wang Zhang Liu Chen Yang Huang Zhao Nguyen Tran Le "
    "Tanaka Suzuki Sato Okafor Adeyemi Mensah Ivanov Petrov Kowalski Nowak"
)
LOCATIONS = (
    ("Bengaluru, Karnataka", 14),
    ("Hyderabad, Telangana", 9),
    ("Pune, Maharashtra", 8),
    ("Mumbai, Maharashtra", 7),
    ("Chennai, Tamil Nadu", 7),
    ("New Delhi, Delhi", 6),
    ("Gurugram, Haryana", 5),
    ("Noida, Uttar Pradesh", 4),
    ("Kolkata, West Bengal", 3),
    ("Ahmedabad, Gujarat", 2),
    ("Kochi, Kerala", 2),
    ("Jaipur, Rajasthan", 1),
    ("Indore, Madhya Pradesh", 1),
    ("Coimbatore, Tamil Nadu", 1),
    ("New York, NY", 4),
    ("San Francisco, CA", 3),
    ("Seattle, WA", 2),
    ("Austin, TX", 2),
    ("Chicago, IL", 2),
    ("Boston, MA", 1),
    ("Atlanta, GA", 1),
    ("Dallas, TX", 1),
    ("Toronto, Ontario", 2),
    ("Vancouver, British Columbia", 1),
    ("London, England", 3),
    ("Manchester, England", 1),
    ("Dublin, Leinster", 1),
    ("Berlin, Berlin", 1),
    ("München, Bayern", 1),
    ("Amsterdam, North Holland", 1),
    ("Singapore, Singapore", 1),
    ("Dubai, Dubai", 1),
    ("Sydney, New South Wales", 1),
    ("", 3),
)
# (title, core skills, weight): a candidate takes most of the core skills of the role.
ROLES = (
    ("Java Developer", "Java|Spring|Spring Boot|Hibernate|SQL|Maven|JUnit|Microservices|REST", 12),
    ("Python Developer", "Python|Django|Flask|FastAPI|SQL|PostgreSQL|REST|PyTest|Git", 10),
    ("Frontend Engineer", "JavaScript|TypeScript|React|Redux|HTML|CSS|Webpack|Jest|Node.js", 9),
    ("Full Stack Developer", "JavaScript|Node.js|React|MongoDB|Express.js|HTML|CSS|REST|Git", 9),
    (".NET Developer", "C#|.NET|ASP.NET|SQL Server|Entity Framework|LINQ|Azure|WCF", 6),
    ("Data Scientist", "Python|Machine Learning|pandas|NumPy|scikit-learn|SQL|Statistics|R", 6),
    ("Data Engineer", "Python|Spark|Hadoop|Hive|Kafka|Airflow|SQL|AWS|Scala", 5),
    ("DevOps Engineer", "Kubernetes|Docker|AWS|Terraform|Jenkins|Linux|Ansible|CI/CD|Bash", 6),
    ("QA Engineer", "Selenium|Manual Testing|Automation Testing|JIRA|TestNG|SQL|Postman", 7),
    ("Android Developer", "Kotlin|Java|Android Development|Firebase|REST|Git|SQLite", 3),
    ("iOS Developer", "Swift|Objective-C|iOS Development|Xcode|REST|Git", 2),
    ("Business Analyst", "Business Analysis|SQL|Excel|JIRA|Agile|Requirements Gathering", 4),
    ("Project Manager", "Project Management|Agile|Scrum|JIRA|Stakeholder Management|Risk", 4),
    ("Network Engineer", "Networking|Routing|Switching|Firewalls|Linux|TCP/IP|Cisco", 3),
    ("SAP Consultant", "SAP|ABAP|SAP HANA|SQL|Business Analysis", 2),
    ("Salesforce Developer", "Salesforce|Apex|JavaScript|SOQL|REST", 2),
    ("Go Developer", "Go|Kubernetes|Docker|gRPC|PostgreSQL|Redis|Microservices", 2),
)
SENIORITY = ("Junior", "", "", "Senior", "Senior", "Lead", "Principal", "Staff")
COMPANIES = _words(
    "Infosys|Tata Consultancy Services|Wipro|HCL Technologies|Tech Mahindra|Accenture|Cognizant|"
    "Capgemini|IBM|Oracle|Microsoft|Google|Amazon|Flipkart|Swiggy|Zomato|Paytm|Razorpay|Ola|"
    "Freshworks|Zoho|Mindtree|Mphasis|L&T Infotech|Deloitte|EY|KPMG|PwC|Goldman Sachs|"
    "JPMorgan Chase|Morgan Stanley|Barclays|HSBC|Citi|Walmart Labs|Adobe|SAP Labs|Intuit|"
    "PayPal|Uber|Atlassian|Thoughtworks|Globant|EPAM Systems|Siemens|Bosch|Philips|Ericsson|"
    "Nokia|Cisco|VMware|Dell|HP|Samsung R&D|Qualcomm|Intel|Nvidia|Salesforce|ServiceNow",
    separator="|",
)
FILLER = _words(
    "developed designed implemented maintained built delivered improved optimised migrated "
    "automated tested deployed supported led mentored collaborated reviewed analysed managed "
    "application applications system systems service services platform module modules "
    "feature features customer customers client clients business requirements team teams "
    "project projects performance reliability scalability security data database databases "
    "reports reporting dashboard dashboards pipeline pipelines release releases production "
    "integration interfaces users stakeholders quality process processes documentation "
    "design architecture code coverage latency throughput costs revenue million percent "
    "responsible for the and with using across new existing internal external high large "
    "critical real time batch daily weekly monthly agile sprint sprints backlog estimates "
    "onshore offshore vendor migration upgrade legacy cloud on premise support tickets "
    "incidents root cause analysis fixes enhancements workflow workflows orders payments "
    "inventory billing claims policy banking insurance retail healthcare telecom logistics"
)
TAGS = _words(
    "shortlist hot-lead immediate-joiner notice-30 notice-60 notice-90 relocate remote-only "
    "java-2025 python-pool contract permanent referral rehire do-not-contact interviewed"
)
STUDY = {
    1: ("HSC", "Class XII", "SSC"),
    2: ("Diploma", "Associate Degree"),
    3: ("B.E.", "B.Tech", "BSc", "Bachelor of Science", "BCA", "B.Com"),
    4: ("M.Tech", "MBA", "MSc", "Master of Science", "MCA"),
    5: ("PhD", "Ph.D."),
}
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@dataclass
class Dataset:
    """Rows ready for bulk insert, and who is who."""

    admin_id: uuid.UUID
    recruiter_id: uuid.UUID  # the recruiter the benchmark searches as
    users: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)


CHUNK = 10_000  # candidates generated and committed together; a restarted load resumes here


def generate(count: int, seed: int) -> Dataset:
    """`count` synthetic candidates of 40 recruiters; the same for the same seed."""
    data = generate_users(seed)
    for index in range(-(-count // CHUNK)):
        chunk = generate_chunk(data, seed, index, min(CHUNK, count - index * CHUNK))
        data.candidates += chunk.candidates
        data.skills += chunk.skills
        data.tags += chunk.tags
        data.shares += chunk.shares
    return data


def generate_users(seed: int) -> Dataset:
    """The admin and the 40 recruiters, without candidates; the same for the same seed."""
    rng = random.Random(seed)
    user_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(41)]
    data = Dataset(admin_id=user_ids[0], recruiter_id=user_ids[1])
    for i, user_id in enumerate(user_ids):
        data.users.append(
            {
                "id": user_id,
                "email": f"user{i}@bench.example.com",
                "full_name": f"Bench User {i}",
                "password_hash": "-",
                "role": "admin" if i == 0 else "recruiter",
                "is_active": True,
                "created_at": NOW,
            }
        )
    return data


def generate_chunk(users: Dataset, seed: int, index: int, size: int) -> Dataset:
    """Candidates number `index * CHUNK` onwards, `size` of them, owned by `users`' people.

    Each chunk has its own random stream, so any chunk can be made again without the ones
    before it (a resumed load, or the query mix's sample of names).
    """
    from hotgigs.candidates import search
    from hotgigs.candidates.service import search_document
    from hotgigs.parsing.skills import taxonomy

    rng = random.Random(f"{seed}-{index}")
    other_skills = [e.name for e in taxonomy().entries if e.category != "soft"]
    places, place_weights = zip(*LOCATIONS, strict=True)
    roles, role_weights = [r[:2] for r in ROLES], [r[2] for r in ROLES]
    user_ids = [user["id"] for user in users.users]
    data = Dataset(admin_id=users.admin_id, recruiter_id=users.recruiter_id)
    # Recruiter workloads are skewed: the benchmark's recruiter owns about 6%.
    owners = random.Random(f"{seed}-owners")
    owner_weights = [0, 6] + [owners.uniform(0.5, 4) for _ in range(39)]
    for i in range(index * CHUNK, index * CHUNK + size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        (title, core), level = rng.choices(roles, role_weights)[0], rng.random()
        seniority = rng.choice(SENIORITY)
        headline = f"{seniority} {title}".strip()
        core_skills = core.split("|")
        chosen = rng.sample(core_skills, k=max(3, len(core_skills) - rng.randint(0, 3)))
        chosen += rng.sample(other_skills, k=rng.randint(3, 12))
        skills = [{"name": name, "keywords": [name]} for name in dict.fromkeys(chosen)]
        degree = 3 if level < 0.55 else 4 if level < 0.8 else 1 if level < 0.88 else 2
        degree = 5 if level > 0.97 else 0 if level > 0.94 else degree
        years = round(rng.uniform(0, 25), 1) if rng.random() > 0.05 else None
        place = rng.choices(places, place_weights)[0]
        city, _, region = place.partition(", ")
        jobs = [
            {
                "name": rng.choice(COMPANIES),
                "position": f"{rng.choice(SENIORITY)} {title}".strip(),
                "startDate": f"{2024 - j * 3}-0{rng.randint(1, 9)}",
                "highlights": [_sentence(rng, chosen) for _ in range(rng.randint(2, 5))],
            }
            for j in range(rng.randint(1, 4))
        ]
        education = (
            [{"institution": "University", "studyType": rng.choice(STUDY[degree]), "area": "CS"}]
            if degree
            else []
        )
        resume = {
            "basics": {
                "name": f"{first} {last}",
                "label": headline,
                "email": f"{first}.{last}.{i}@mail.example.com".lower(),
                "location": {"city": city, "region": region} if place else {},
            },
            "work": jobs,
            "education": education,
            "skills": skills,
        }
        body = "\n".join(
            [f"{first} {last}", headline, ", ".join(chosen)]
            + [f"{j['position']} at {j['name']}. " + " ".join(j["highlights"]) for j in jobs]
            + [_sentence(rng, chosen) for _ in range(rng.randint(15, 35))]
        )
        created = NOW - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
        candidate_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        data.candidates.append(
            {
                "id": candidate_id,
                "owner_id": rng.choices(user_ids, owner_weights)[0],
                "user_id": None,
                "full_name": f"{first} {last}",
                "email": resume["basics"]["email"],
                "phone": None,
                "headline": headline,
                "location": place,
                "total_years_experience": years,
                "resume": resume,
                "search_document": search_document(resume, body),
                "current_resume_id": None,
                "source": rng.choices(("upload", "bulk", "drive"), (6, 3, 1))[0],
                "degree_level": search.degree_level(resume),
                "created_at": created,
                "updated_at": created,
                "last_activity_at": created,
            }
        )
        data.skills += [
            {"candidate_id": candidate_id, "skill": s} for s in search.resume_skills(resume)
        ]
        if rng.random() < 0.3:
            data.tags += [
                {
                    "candidate_id": candidate_id,
                    "name": tag,
                    "created_by_id": None,
                    "created_at": NOW,
                }
                for tag in rng.sample(TAGS, k=rng.randint(1, 3))
            ]
        if rng.random() < 0.015:  # about 1,500 profiles shared with the benchmark recruiter
            data.shares.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "candidate_id": candidate_id,
                    "recruiter_id": data.recruiter_id,
                    "permission": "view",
                    "granted_by_id": None,
                    "created_at": NOW,
                }
            )
    return data


def _sentence(rng: random.Random, skills: list[str]) -> str:
    """A resume-like sentence: filler words with a skill or two."""
    words = rng.choices(FILLER, k=rng.randint(8, 18)) + rng.sample(skills, k=2)
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


@contextmanager
def scratch_database(base_url: str | None, keep: str | None = None) -> Iterator[str]:
    """A new empty database: a SQLite file in a temporary folder, or one beside `base_url`.

    With `keep` (a SQLite file, or a database name on `base_url`'s server), that database
    instead, created if missing and left in place afterwards.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if base_url is None:
        if keep is not None:
            yield f"sqlite:///{Path(keep).resolve()}"
            return
        folder = Path(tempfile.mkdtemp(prefix="hotgigs-search-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = keep or f"hotgigs_search_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if keep is None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def load(engine, data: Dataset) -> None:
    """Bulk-insert the dataset; the database's triggers or generated columns index it."""
    insert_rows(engine, data)
    settle(engine)


def insert_rows(engine, data: Dataset) -> None:
    """Insert the dataset's rows in one transaction."""
    from sqlalchemy import insert

    from hotgigs.auth.models import User
    from hotgigs.candidates.models import Candidate, CandidateShare, CandidateSkill, CandidateTag

    batches = (
        (User, data.users),
        (Candidate, data.candidates),
        (CandidateSkill, data.skills),
        (CandidateTag, data.tags),
        (CandidateShare, data.shares),
    )
    with engine.begin() as connection:
        for model, rows in batches:
            for start in range(0, len(rows), 5000):
                connection.execute(insert(model.__table__), rows[start : start + 5000])


def settle(engine) -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk load: statistics, visibility map."""
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def fill(engine, seed: int, count: int) -> Dataset:
    """Load `count` candidates chunk by chunk, each chunk committed on its own; a database
    holding some chunks already (an interrupted run, same seed) gets only the rest.

    Returns the users and the first chunk (what the query mix needs).
    """
    from sqlalchemy import func, select

    from hotgigs.auth.models import User
    from hotgigs.candidates.models import Candidate

    users = generate_users(seed)
    with engine.connect() as connection:
        have = connection.scalar(select(func.count()).select_from(Candidate.__table__))
        if not connection.scalar(select(func.count()).select_from(User.__table__)):
            insert_rows(engine, users)
    if have > count or (have % CHUNK and have != count):
        raise SystemExit(f"the database holds {have} candidates: not a start of {count}")
    chunks = -(-count // CHUNK)
    started = time.perf_counter()
    for index in range(have // CHUNK, chunks):
        insert_rows(engine, generate_chunk(users, seed, index, min(CHUNK, count - index * CHUNK)))
        print(
            f"chunk {index + 1}/{chunks} committed ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    if have < count:
        settle(engine)
    first = generate_chunk(users, seed, 0, min(CHUNK, count))
    return dataclasses.replace(first, users=users.users)


def sizes(engine) -> list[tuple[str, float]]:
    """The largest tables and indexes of the database (TOAST on its own), in megabytes."""
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":
        query = (
            "SELECT c.relname || CASE WHEN c.relkind = 't' THEN ' (TOAST of ' || "
            "(SELECT relname FROM pg_class o WHERE o.reltoastrelid = c.oid) || ')' ELSE '' END, "
            "pg_relation_size(c.oid) / 1e6 FROM pg_class c "
            "WHERE c.relkind IN ('r', 'i', 't') AND pg_relation_size(c.oid) > 1e6 "
            "ORDER BY 2 DESC"
        )
    else:
        query = (
            "SELECT name, sum(pgsize) / 1e6 FROM dbstat GROUP BY name "
            "HAVING sum(pgsize) > 1e6 ORDER BY 2 DESC"
        )
    with engine.connect() as connection:
        return [(name, float(mb)) for name, mb in connection.execute(text(query))]


@dataclass(frozen=True)
class Query:
    """One search of the mix."""

    kind: str
    as_admin: bool
    params: Any
    next_page: bool = False  # time the second page (through the first page's cursor)


def query_mix(rng: random.Random, data: Dataset) -> list[Query]:
    """Searches a recruiter and an admin might run, several of each kind."""
    from hotgigs.candidates.search import SearchParams

    names = [c["full_name"] for c in rng.sample(data.candidates, 8)]
    words = (
        "java",
        "python developer",
        "react",
        "kubernetes aws",
        "data engineer spark",
        "selenium",
        "salesforce",
        "payments",
        "senior java microservices",
        "sql",
    )
    skills = (
        (["java", "spring"], []),
        (["k8s", "docker"], []),
        ([], ["react", "angular", "vue"]),
        (["python"], ["aws", "gcp"]),
        (["sql"], []),
        ([], ["js", "ts"]),
    )
    filters = (
        ("developer", {"min_years": 5, "location": "bengaluru", "min_degree_level": 3}),
        ("engineer", {"skills_all": ["aws"], "min_years": 3, "source": "bulk"}),
        (None, {"tags": ["shortlist"], "min_years": 2}),
        (None, {"location": "pune", "skills_any": ["java", "python"]}),
        ("senior", {"imported_from": NOW - timedelta(days=180), "min_degree_level": 4}),
        (None, {"imported_from": NOW - timedelta(days=30), "imported_to": NOW}),
    )
    mix: list[Query] = []
    for as_admin in (False, True):
        mix += [Query("text", as_admin, SearchParams(q=q)) for q in words]
        mix += [Query("name", as_admin, SearchParams(q=name)) for name in names]
        mix += [
            Query("prefix", as_admin, SearchParams(q=q))
            for q in ("pyth", "kube", "angul", "micros", "terraf")
        ]
        mix += [
            Query("skills", as_admin, SearchParams(skills_all=all_of, skills_any=any_of))
            for all_of, any_of in skills
        ]
        mix += [Query("filters", as_admin, SearchParams(q=q, **more)) for q, more in filters]
        mix += [
            Query("by date", as_admin, SearchParams(q=q, sort="date"))
            for q in (None, "java", "developer")
        ]
        mix += [
            Query("next page", as_admin, SearchParams(q=q), next_page=True)
            for q in (None, "python", "senior engineer")
        ]
    return mix


def percentiles(values: list[float]) -> str:
    """p50 / p95 / p99 of milliseconds."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f}  p95 {cuts[94]:6.1f}  p99 {cuts[98]:6.1f}"


def run(session_factory: Callable, data: Dataset, mix: list[Query], *, rounds: int) -> None:
    """Time every query of the mix `rounds` times, after one untimed pass, and report."""
    from hotgigs.auth.models import User
    from hotgigs.candidates import search
    from hotgigs.candidates.access import visible_to

    with session_factory() as session:
        scopes = {
            True: visible_to(user=session.get(User, data.admin_id)),
            False: visible_to(user=session.get(User, data.recruiter_id)),
        }
    timings: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    for round_number in range(rounds + 1):
        for query in mix:
            with session_factory() as session:
                params = query.params
                if query.next_page:
                    first = search.search(session, scope=scopes[query.as_admin], params=params)
                    # as the API does: facets come with the first page only
                    params = dataclasses.replace(params, cursor=first.next_cursor, facets=False)
                started = time.perf_counter()
                page = search.search(session, scope=scopes[query.as_admin], params=params)
                elapsed = (time.perf_counter() - started) * 1000
            if round_number:
                label = f"{query.kind} ({'admin' if query.as_admin else 'recruiter'})"
                for key in (label, "all"):
                    timings.setdefault(key, []).append(elapsed)
                    totals.setdefault(key, []).append(page.total)
    print(f"{'query kind':22} {'milliseconds':36} {'median total':>12}")
    for key in sorted(timings, key=lambda k: (k == "all", k)):
        print(f"{key:22} {percentiles(timings[key]):36} {statistics.median(totals[key]):12.0f}")


def main() -> None:
    """Generate, load, search, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the mix")
    parser.add_argument("--database-url", help="PostgreSQL server to make a scratch database on")
    parser.add_argument(
        "--keep",
        metavar="DATABASE",
        help="load into this SQLite file (or database on --database-url's server) and keep it;"
        " a later run continues an unfinished load, or searches a finished one at once",
    )
    parser.add_argument(
        "--facets", choices=("both", "on", "off"), default="both", help="which passes to run"
    )
    args = parser.parse_args()

    from sqlalchemy import func, select
    from sqlalchemy.orm import sessionmaker

    from hotgigs import migrations
    from hotgigs.auth.models import User
    from hotgigs.candidates.access import visible_to
    from hotgigs.candidates.models import Candidate
    from hotgigs.db import create_db_engine

    with scratch_database(args.database_url, args.keep) as url:
        migrations.upgrade(url=url)
        engine = create_db_engine(url)
        started = time.perf_counter()
        data = fill(engine, args.seed, args.count)
        factory = sessionmaker(bind=engine)
        with factory() as session:
            scope = visible_to(user=session.get(User, data.recruiter_id))
            visible = session.scalar(
                select(func.count()).select_from(scope.with_only_columns(Candidate.id).subquery())
            )
        print(
            f"generated, loaded and indexed into {engine.dialect.name} in "
            f"{time.perf_counter() - started:.0f} s; the recruiter sees {visible} candidates, "
            f"the admin {args.count}",
            flush=True,
        )
        print(
            "largest tables and indexes (MB): "
            + ", ".join(f"{n} {mb:.0f}" for n, mb in sizes(engine))
        )
        mix = query_mix(random.Random(args.seed), data)
        for facets in {"both": (True, False), "on": (True,), "off": (False,)}[args.facets]:
            print(
                f"\n{len(mix)} searches x {args.rounds} rounds, facets {'on' if facets else 'off'}:"
            )
            run(
                factory,
                data,
                [
                    dataclasses.replace(q, params=dataclasses.replace(q.params, facets=facets))
                    for q in mix
                ],
                rounds=args.rounds,
            )
        engine.dispose()


if __name__ == "__main__":
    main()
