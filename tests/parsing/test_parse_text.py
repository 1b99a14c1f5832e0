"""parse_text on realistic synthetic resumes: fields, dates, skills, evidence."""

from __future__ import annotations

import json

import pytest

from hotgigs.parsing import PARSER_NAME, PARSER_VERSION, ParseResult, parse_text, segment, skills
from hotgigs.parsing.text import Document
from tests.parsing import resumes


def _slice(text: str, result: ParseResult, path: str) -> str:
    start, end = result.meta["evidence"][path]
    return text[start:end]


def _skill_names(result: ParseResult) -> list[str]:
    """The taxonomy's canonical mentions (``skills`` holds only what the person listed)."""
    return [s["name"] for s in result.meta["skill_mentions"]]


def _skill_path(result: ParseResult, name: str) -> str:
    index = _skill_names(result).index(name)
    return f"skill_mentions[{index}].name"


@pytest.fixture(scope="module")
def indian() -> ParseResult:
    return parse_text(resumes.INDIAN_WITH_HEADINGS)


def test_result_shape_and_parser_identity(indian: ParseResult) -> None:
    assert isinstance(indian, ParseResult)
    meta = indian.meta
    assert meta["parser"] == PARSER_NAME == "hotgigs-rules"
    assert meta["version"] == PARSER_VERSION == "0.2.0"
    assert set(meta["evidence"]) <= set(meta["confidence"])
    assert all(0.0 <= v <= 1.0 for v in meta["confidence"].values())
    json.dumps(indian.resume)
    json.dumps(meta)


def test_basics_with_indian_mobile(indian: ParseResult) -> None:
    text = resumes.INDIAN_WITH_HEADINGS
    basics = indian.resume["basics"]
    assert basics["name"] == "Priya Sharma"  # ALL CAPS in the text, title case out
    assert _slice(text, indian, "basics.name") == "PRIYA SHARMA"
    assert basics["email"] == "priya.sharma@example.in"
    assert basics["phone"] == "+919845012345"
    assert _slice(text, indian, "basics.phone") == "+91 98450 12345"
    assert basics["label"] == "Senior Software Engineer"
    assert basics["location"] == {"city": "Bengaluru", "region": "Karnataka", "countryCode": "IN"}
    assert _slice(text, indian, "basics.location") == "Bengaluru, Karnataka"
    networks = {p["network"]: p for p in basics["profiles"]}
    assert networks["LinkedIn"]["username"] == "priya-sharma"
    assert networks["LinkedIn"]["url"] == "https://linkedin.com/in/priya-sharma"
    assert networks["GitHub"]["username"] == "priyasharma"
    assert "7+ years of experience" in basics["summary"]


def test_work_entries_with_dates_and_highlights(indian: ParseResult) -> None:
    text = resumes.INDIAN_WITH_HEADINGS
    first, second = indian.resume["work"]
    assert first["position"] == "Senior Software Engineer"
    assert first["name"] == "Flipkart Internet Pvt Ltd"
    assert first["location"] == "Bengaluru, Karnataka"
    assert first["startDate"] == "2019-01"
    assert first["endDate"] is None  # present
    assert first["highlights"][0].startswith("Led a team of 6 engineers")
    assert second["position"] == "Software Engineer"
    assert second["name"] == "Infosys Limited"
    assert (second["startDate"], second["endDate"]) == ("2015-01", "2019-03")
    assert _slice(text, indian, "work[1].startDate") == "01/2015 \u2013 03/2019"
    assert _slice(text, indian, "work[0].name") == "Flipkart Internet Pvt Ltd"


def test_education_certificates_languages(indian: ParseResult) -> None:
    (edu,) = indian.resume["education"]
    assert edu["studyType"] == "B.Tech"
    assert edu["area"] == "Computer Science and Engineering"
    assert edu["institution"] == "National Institute of Technology"
    assert (edu["startDate"], edu["endDate"]) == ("2010", "2014")
    (cert,) = indian.resume["certificates"]
    assert cert == {
        "name": "AWS Certified Solutions Architect",
        "issuer": "Amazon Web Services",
        "date": "2020",
    }
    langs = {lang["language"]: lang.get("fluency") for lang in indian.resume["languages"]}
    assert langs == {"English": "Fluent", "Hindi": "Native speaker", "Kannada": None}


def test_skills_aliases_normalise_and_keep_the_mention(indian: ParseResult) -> None:
    text = resumes.INDIAN_WITH_HEADINGS
    names = _skill_names(indian)
    for expected in ("Java", "Kubernetes", "Kafka", "Redis", "Spring Boot", "PostgreSQL",
                     "JavaScript", "Python", "Docker", "Jenkins", "Git", "Excel"):  # fmt: skip
        assert expected in names
    assert len(names) == len(set(names)), "one entry per canonical skill"
    k8s = indian.meta["skill_mentions"][names.index("Kubernetes")]
    assert k8s["keywords"] == ["k8s"]
    assert _slice(text, indian, _skill_path(indian, "Kubernetes")) == "k8s"
    assert _slice(text, indian, _skill_path(indian, "JavaScript")) == "JS"
    # "C" and "Go" come from the skills list, where they are safe to read
    assert "C" in names and "Go" in names
    go_start, _ = indian.meta["evidence"][_skill_path(indian, "Go")]
    assert go_start > text.index("Technical Skills")
    assert indian.meta["skill_mentions"][names.index("Go")]["category"] == "tool"


def test_every_evidence_span_slices_to_what_was_read(indian: ParseResult) -> None:
    text = resumes.INDIAN_WITH_HEADINGS
    for path, (start, end) in indian.meta["evidence"].items():
        assert 0 <= start < end <= len(text), path
        assert text[start:end].strip() == text[start:end], path
    for i, skill in enumerate(indian.meta["skill_mentions"]):
        mention = _slice(text, indian, f"skill_mentions[{i}].name")
        assert mention in skill["keywords"]
    for i, skill in enumerate(indian.resume["skills"]):
        assert _slice(text, indian, f"skills[{i}].name") == skill["name"]


def test_merged_years_count_overlaps_once() -> None:
    result = parse_text(resumes.TWO_OVERLAPPING_JOBS)
    work = result.resume["work"]
    assert [w["position"] for w in work] == ["Accountant", "Tax Consultant"]
    assert [w["name"] for w in work] == ["Delta Finance LLC", "Lakeside Partners LLP"]
    # Jan 2015 - Dec 2018 and Jun 2017 - Jun 2020 overlap: Jan 2015 .. Jun 2020 = 5.5 years
    assert result.meta["total_years_experience"] == 5.5


def test_us_resume_without_headings() -> None:
    text = resumes.US_NURSE_NO_HEADINGS
    result = parse_text(text)
    basics = result.resume["basics"]
    assert basics["name"] == "Jordan A. Reyes"
    assert basics["phone"] == "+15125550142"
    assert _slice(text, result, "basics.phone") == "(512) 555-0142"
    assert basics["location"] == {"city": "Austin", "region": "Texas", "countryCode": "US"}
    first, second = result.resume["work"]
    assert first["position"] == "Registered Nurse"
    assert first["name"] == "St. David's Medical Center"
    assert first["startDate"] == "2015-03" and first["endDate"] is None
    assert _slice(text, result, "work[0].startDate") == "March, 2015 - till date"
    assert second["position"] == "Staff Nurse"
    assert second["name"] == "Seton Family Hospital"
    assert (second["startDate"], second["endDate"]) == ("2012", "2015")
    (edu,) = result.resume["education"]
    assert edu["studyType"] == "Bachelor of Science"
    assert edu["area"] == "Nursing"
    assert edu["institution"] == "University of Texas at Austin"
    assert edu["endDate"] == "2012"
    names = _skill_names(result)
    for expected in ("Critical Care", "Patient Care", "Wound Care", "Infection Control"):
        assert expected in names
    icu = result.meta["skill_mentions"][names.index("Critical Care")]
    assert "ICU" in icu["keywords"]


def test_flattened_export_with_byte_escapes() -> None:
    text = resumes.FLAT_EXPORT
    result = parse_text(text)
    basics = result.resume["basics"]
    assert basics["name"] == "Jon Feest"
    assert basics["email"] == "Jon.Feest@example.org"
    assert basics["location"]["city"] == "Oklahoma City"
    assert basics["location"]["countryCode"] == "US"
    (job,) = result.resume["work"]
    assert job["position"] == "Sales Associate"
    assert job["name"] == "Southern Accents Boutique & Gifts"
    assert (job["startDate"], job["endDate"]) == ("2014-06", "2015-05")
    assert job["highlights"][0].startswith("Greeted customers")
    (edu,) = result.resume["education"]
    assert edu["studyType"] == "Bachelor of Arts"
    assert edu["area"] == "Music"
    assert edu["institution"] == "Oklahoma City University"
    assert edu["endDate"] == "2021-05"
    for path, (start, end) in result.meta["evidence"].items():
        assert 0 <= start <= end <= len(text), path


def test_name_field_in_capitals_and_indian_ten_digit_mobile() -> None:
    text = resumes.ALL_CAPS_NAME_FIELD
    result = parse_text(text)
    basics = result.resume["basics"]
    assert basics["name"] == "Rahul Kumar Verma"
    assert _slice(text, result, "basics.name") == "RAHUL KUMAR VERMA"
    assert basics["phone"] == "+919876543210"
    assert basics["location"]["city"] == "Noida"
    assert [e["studyType"] for e in result.resume["education"]] == ["MBA", "B.Com"]
    assert result.resume["education"][0]["area"] == "Finance"
    assert result.resume["education"][1]["endDate"] == "2014"
    assert {"Financial Analysis", "Budgeting", "Tally", "Excel", "Taxation"} <= set(
        _skill_names(result)
    )


def test_short_skill_names_need_skill_context() -> None:
    text = (
        "Alex Morgan\n"
        "I go to the gym daily and excel at teamwork.\n"
        "Grade C in chemistry; R and D budget; let's Go!\n"
    )
    names = _skill_names(parse_text(text))
    assert "Go" not in names and "C" not in names and "R" not in names
    assert "Excel" not in names  # "excel at" is a verb, not the spreadsheet
    listed = parse_text("Alex Morgan\nSKILLS\nC, R, Go, Excel\n")
    assert {"C", "R", "Go", "Excel"} <= set(_skill_names(listed))
    inline = parse_text("Alex Morgan\nProgramming: Java, C, C++ and Go\n")
    assert {"Java", "C", "C++", "Go"} <= set(_skill_names(inline))


def test_numbers_that_are_not_phones_are_ignored() -> None:
    text = "Sam Lee\nEmployee ID: 9876543210\n2014 - 2019\nPIN: 560001\n"
    assert "phone" not in parse_text(text).resume.get("basics", {})


def test_us_number_in_us_context_and_explicit_country_code() -> None:
    us = parse_text("Sam Lee\nSeattle, WA\nPhone: 206-555-0187\n")
    assert us.resume["basics"]["phone"] == "+12065550187"
    uk = parse_text("Sam Lee\nLondon\nMobile: +44 7700 900123\n")
    assert uk.resume["basics"]["phone"] == "+447700900123"


def test_stated_experience_without_dates() -> None:
    result = parse_text(
        "Sam Lee\nSales professional with over 6 years of experience in B2B sales.\n"
    )
    assert result.meta["total_years_experience"] == 6.0
    assert result.meta["stated_years_experience"] == 6.0


def test_empty_and_blank_input() -> None:
    for text in ("", "   \n\t  ", "\x00\x01"):
        result = parse_text(text)
        assert result.resume == {}
        assert result.meta["evidence"] == {}
        assert result.meta["total_years_experience"] is None


def test_non_string_input_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_text(12345)  # type: ignore[arg-type]
    assert parse_text(b"Sam Lee\nsam@example.com").resume["basics"]["email"] == "sam@example.com"  # type: ignore[arg-type]


PROJECTS_RESUME = """\
Arjun Mehta
arjun.mehta@example.com | 98450 12345

ACADEMIC PROJECTS
Smart Parking System (Jan 2020 - May 2020)
Role: Team Lead
Technologies: Python, OpenCV, Raspberry Pi
\u2022 Detected free slots from CCTV frames with OpenCV.
\u2022 Served availability over a Flask API.

Project: Library Management Portal
Description: A web portal for a college library.
Environment: Java, Spring Boot, MySQL

EDUCATION
B.E. (Electronics and Communication), Visvesvaraya Technological University, 2020
"""


def test_projects_under_a_heading() -> None:
    text = PROJECTS_RESUME
    result = parse_text(text, layout={"columns": 1})  # layout is accepted and not needed
    first, second = result.resume["projects"]
    assert first["name"] == "Smart Parking System"
    assert (first["startDate"], first["endDate"]) == ("2020-01", "2020-05")
    assert first["roles"] == ["Team Lead"]
    assert first["keywords"] == ["Python", "OpenCV", "Raspberry Pi"]
    assert first["highlights"][0].startswith("Detected free slots")
    assert second["name"] == "Library Management Portal"
    assert second["description"] == "A web portal for a college library."
    assert second["keywords"] == ["Java", "Spring Boot", "MySQL"]
    assert _slice(text, result, "projects[1].name") == "Library Management Portal"
    # a bare Indian mobile number, no country code and no place named
    assert result.resume["basics"]["phone"] == "+919845012345"
    (edu,) = result.resume["education"]
    assert (edu["studyType"], edu["area"]) == ("B.E.", "Electronics and Communication")
    # the field of study is not read as skills
    assert "Communication" not in _skill_names(result)
    assert {"Python", "OpenCV", "Flask", "Java", "Spring Boot", "MySQL"} <= set(
        _skill_names(result)
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("RAJ KUMAR\nraj.kumar@example.com\n", "Raj Kumar"),
        ("SEAN O'BRIEN\nBoston, MA\n", "Sean O'Brien"),
        ("Resume of Mary-Jane Watson\n", "Mary-Jane Watson"),
        ("Curriculum Vitae\nFull Name - Li Na Wu\n", "Li Na Wu"),
        ("Allen Neal King ESB Integration Developer - Cisco\n", "Allen Neal King"),
        ("Trina Mosciski, M.ED.\n1234 Elm Street, West Chester, PA\n", "Trina Mosciski"),
    ],
)
def test_name_shapes(text: str, name: str) -> None:
    result = parse_text(text)
    assert result.resume["basics"]["name"] == name
    assert _slice(text, result, "basics.name").lower() == name.lower()


@pytest.mark.parametrize(
    "text",
    [
        "SKILLS\nJava, Python\n",
        "Software Engineer\nInfosys Limited\n",
        "Sample Resume\nDO NOT COPY\n",
    ],
)
def test_headings_titles_and_boilerplate_are_not_names(text: str) -> None:
    assert "name" not in parse_text(text).resume.get("basics", {})


SPOKEN_LANGUAGES_RESUME = """Meena Iyer
meena.iyer@example.com

SUMMARY
Fluent in English and Spanish, conversant in French. Won the English debate prize.
Taught English literature at a high school.

SKILLS
Java, Python, Communication

PERSONAL DETAILS
Languages Known: Hindi, Tamil
"""


def test_spoken_languages_outside_a_languages_section() -> None:
    result = parse_text(SPOKEN_LANGUAGES_RESUME)
    languages = {lang["language"]: lang.get("fluency") for lang in result.resume["languages"]}
    # a speaking cue or a "Languages Known:" line names a language; "English debate",
    # "English literature" and "Java" do not add one
    assert languages == {
        "English": "Fluent",
        "Spanish": "Fluent",
        "French": None,
        "Hindi": None,
        "Tamil": None,
    }
    assert [name for name in languages if name not in ("English", "Spanish", "French")] == [
        "Hindi",
        "Tamil",
    ]
    assert {s["name"] for s in result.resume["skills"]} >= {"Java", "Python"}


def test_taxonomy_soft_skills_count_only_when_claimed_in_a_list_or_skills_section() -> None:
    text = (
        "SUMMARY\nAn innovative leader, known for teamwork.\nCommunication is my strength.\n\n"
        "SKILLS\nPython, Teamwork, Time Management\n"
    )
    doc = Document(text)
    sections = segment.segment(doc.lines)
    section_of = {line.index: sec.kind for sec in sections for line in sec.lines}
    found = skills.find_skills(
        doc.text,
        line_of=doc.line_at,
        skill_context=lambda line: section_of.get(line.index) == "skills",
    )
    kept = {s.entry.name: s.entry.category for s in skills.summarise(found)}
    # "innovative" and "communication" appear only in prose; "teamwork" also in the list
    assert kept == {"Python": "tool", "Teamwork": "soft", "Time Management": "soft"}


def test_a_place_inside_the_name_is_not_the_location() -> None:
    text = "Jordan Blake\njordan@example.com\n\nEXPERIENCE\nEngineer, Acme, 2019 - Present\n"
    assert "location" not in parse_text(text).resume["basics"]
    located = parse_text(text.replace("\n\n", "\nAmman, Jordan\n\n", 1)).resume["basics"]
    assert located["location"] == {"city": "Amman", "countryCode": "JO"}
