"""parse_text on layouts met in real resumes: prose lines beside entry headers, letter-spaced
PDF dates, campus names and unreadable dates in education, and skill groups.

Each text is small and written the way themes, word processors and PDF extraction print
resumes; the behaviour checked is general, not one document's quirk.
"""

from __future__ import annotations

from hotgigs.parsing import parse_text
from hotgigs.parsing.text import Document
from tests.parsing.resumes import jobs_of


def _skills(text: str) -> list[str]:
    return [s["name"] for s in parse_text(text).resume.get("skills", [])]


def _education(text: str) -> list[dict]:
    return parse_text(text).resume.get("education", [])


def test_an_achievement_line_above_the_next_company_is_not_its_header() -> None:
    text = (
        "Maria Lopez\nExperience\nNorthwind\n01/2019 - Present\nProject Manager\n"
        "Managed more than 20 projects\nUpdating and maintaining the solutions catalog\n"
        "Contoso\n01/2015 - 01/2019\nTraining Manager\n"
        "Defined strategic training guidelines aligned with company objectives\n"
    )
    assert jobs_of(text) == [
        {"name": "Northwind", "position": "Project Manager", "startDate": "2019-01",
         "endDate": None},
        {"name": "Contoso", "position": "Training Manager", "startDate": "2015-01",
         "endDate": "2019-01"},
    ]  # fmt: skip


def test_a_dated_line_alone_takes_a_long_title_at_company_line_below() -> None:
    text = (
        "Sam Lee\nExperience\n2014-09 to 2016-08\nApplication Developer at Fabrikam\n"
        "Integrated client website analytics for ad-retargeting\n"
        "Developed multiple HTML5/JavaScript advertisements\n2012-09 to 2013-08\n"
        "Web Developer at Osgoode Hall Law School (York University)\n"
        "Designed a web-based digital signage system\n"
    )
    work = jobs_of(text)
    assert [(w.get("position"), w.get("startDate")) for w in work] == [
        ("Application Developer", "2014-09"),
        ("Web Developer", "2012-09"),
    ]
    assert work[1]["name"] == "Osgoode Hall Law School (York University)"


def test_letter_spaced_pdf_dates_are_read() -> None:
    doc = Document("Fe b 2022 to Pre s e nt\nSe pte mbe r 2016 to Marc h, 2020")
    assert doc.text == "Feb 2022 to Present\nSeptember 2016 to March, 2020"
    # evidence still points into the text as extracted
    assert doc.span(0, 3) == [0, 4]
    text = (
        "Ebuka Obi\nExperience\nSoftware Engineer at Analytics House\nFe b 2022 to Pre s e nt\t"
        "Built a data gateway in Node.js\n"
    )
    assert jobs_of(text) == [
        {"name": "Analytics House", "position": "Software Engineer", "startDate": "2022-02",
         "endDate": None}
    ]  # fmt: skip


def test_ordinary_words_are_not_joined_into_dates() -> None:
    for text in ("No v 5 items", "Represent 2019", "Ma y be", "Mar k 2019 as done"):
        assert Document(text).text == text


def test_an_unreadable_date_is_neither_company_nor_part_of_a_school() -> None:
    text = (
        "Kim Park\nExperience\nACME LABS\t05/2019 - INVALID DATE\nBackend Engineer\n"
        "Education\nUniversity of Florida Invalid Date — Invalid Date\nBachelor of Science\n"
        "Instituto Infnet Dec 2005 — Dec 2005\nCertified Developer\n"
    )
    assert "Invalid Date" not in str(jobs_of(text))
    assert [e.get("institution") for e in _education(text)][:2] == [
        "University of Florida",
        "Instituto Infnet",
    ]


def test_a_university_campus_and_a_school_inside_its_university_stay_whole() -> None:
    text = (
        "Ana Ruiz\nEducation\nUniversity of California, Davis 2002-09-01 — 2006-06-01\n"
        "Computer Science\nBachelor\nCalifornia State University - Long Beach\n"
        "Master of Science\nLassonde School of Engineering (York University)\nBSc: Physics\n"
        "University of Florida, Gainesville, FL\nMaster of Arts\n"
    )
    assert [e.get("institution") for e in _education(text)] == [
        "University of California, Davis",
        "California State University - Long Beach",
        "Lassonde School of Engineering (York University)",
        "University of Florida",
    ]


def test_an_employer_campus_in_capitals_stays_whole() -> None:
    # Themes print headings in capitals: the campus is still part of the employer's name.
    text = (
        "Ana Ruiz\nExperience\nUNIVERSITY OF CALIFORNIA, DAVIS\t03/2008 - 06/2013\n"
        "SENIOR APPLICATION DEVELOPER\n"
    )
    assert [(w.get("name"), w.get("position")) for w in jobs_of(text)] == [
        ("University of California, Davis", "Senior Application Developer")
    ]


def test_an_employer_broken_after_a_linking_word_is_one_name() -> None:
    # A narrow column wraps a long employer after "of": the next short line finishes it.
    text = (
        "Ana Ruiz\nExperience\nASSOCIATED STUDENTS OF THE UNIVERSITY OF\n"
        "CALIFORNIA, SANTA BARBARA\t03/2008 - 06/2013\nSENIOR APPLICATION DEVELOPER\n"
        "• Built the students' union site\n"
    )
    assert [w.get("name") for w in jobs_of(text)] == [
        "Associated Students of the University of California, Santa Barbara"
    ]


def test_a_title_at_company_header_wrapped_at_the_column_edge_keeps_its_last_word() -> None:
    text = (
        "Ana Ruiz\nExperience\n2022-11 to 2023-08\n"
        "Deep Learning Engineer Intern at San Diego Supercomputer\nCenter\n"
        "Implemented scalable multi-GPU hyperparameter tuning with Ray\n"
        "May 2016 to Sep 2016\nIT Systems Assistant at Ministry of Natural Resources and\n"
        "Forestry\nPart of a team replacing a legacy system.\n"
    )
    assert [(w.get("position"), w.get("name")) for w in jobs_of(text)] == [
        ("Deep Learning Engineer Intern", "San Diego Supercomputer Center"),
        ("IT Systems Assistant", "Ministry of Natural Resources and Forestry"),
    ]


def test_group_names_above_their_items_are_not_skills() -> None:
    commas = "Li Wei\nSkills\nBackend\nKotlin, Java, Go\nFrontend\nReact, Angular\n"
    assert _skills(commas) == ["Kotlin", "Java", "Go", "React", "Angular"]
    bullets = "Li Wei\nSkills\nBackend\n• Java\n• PHP\nMisc\n• Blockchain\n"
    assert _skills(bullets) == ["Java", "PHP", "Blockchain"]
    cells = "Li Wei\nSkills\nTesting\nPHPUnit\tBehat\tJest\nBest Practices\nSOLID\tKISS\tDRY\n"
    assert _skills(cells) == ["PHPUnit", "Behat", "Jest", "SOLID", "KISS", "DRY"]
    # two cells side by side are two columns, not a group and its items
    columns = "Li Wei\nSkills\nStatistical\tR\nModelling\tPython\n"
    assert _skills(columns) == ["Statistical", "R", "Modelling", "Python"]


def test_group_names_in_a_one_item_a_line_list_are_not_skills() -> None:
    text = (
        "Li Wei\nSkills\nLanguages\nJavaScript\nRuby\nBackend\nRuby on Rails\nNode.js\n"
        "Cloud & DevOps\nAWS\nDocker\nExperience\n"
    )
    assert _skills(text) == ["JavaScript", "Ruby", "Ruby on Rails", "Node.js", "AWS", "Docker"]
    # one such word alone in a flat list is an item
    assert _skills("Li Wei\nSkills\nPython\nDevOps\nDocker\n") == ["Python", "DevOps", "Docker"]


def test_skills_printed_side_by_side_with_spaces_are_split() -> None:
    text = (
        "Li Wei\nSkills\nWeb — Master\nHTML CSS JavaScript\nMobile — Novice\nAndroid React Native\n"
    )
    assert _skills(text) == ["HTML", "CSS", "JavaScript", "Android", "React Native"]
    # a phrase, or items joined as written, stay whole
    assert _skills("Li Wei\nSkills\nScrum / Agile\nStatistical Computing in Python\n") == [
        "Scrum / Agile",
        "Statistical Computing in Python",
    ]


def test_intern_alone_beside_its_dates_is_the_position() -> None:
    text = (
        "Tom Ade\nExperience\nTerraCycle\nIntern Jun 2009 - Aug 2009\n"
        "Constructed database using PHP and MySQL\n"
    )
    assert jobs_of(text) == [
        {"name": "TerraCycle", "position": "Intern", "startDate": "2009-06", "endDate": "2009-08"}
    ]


def test_keyword_tags_under_an_entry_are_not_the_next_company() -> None:
    text = (
        "Rui Costa\nExperience\nSenior Software Engineer Jun 2020 — Present\nReditus Group\n"
        "https://reditus.pt\nI built the asset marketplace with Angular.\ntypescript\ndocker\n"
        "azure\nSenior System Analyst Sep 2019 — Apr 2020\nBanco de Portugal\n"
        "https://www.bportugal.pt\nI built the supervision system.\nasp.net\nsql server\n"
    )
    assert [(w.get("name"), w.get("position")) for w in jobs_of(text)] == [
        ("Reditus Group", "Senior Software Engineer"),
        ("Banco de Portugal", "Senior System Analyst"),
    ]


def test_dates_printed_again_under_an_entry_do_not_open_another() -> None:
    text = (
        "Luca Marco\nExperience\nTrainee Developer, Nubel\nSeptember 2024 — December 2024\n"
        "Implemented a geolocation system for 200 countries\nDeveloped core UI component library\n"
        "September 2024\n—\nDecember 2024\nFull Stack Developer, WeDevelop\n"
        "May 2023 — May 2024\nDeveloping a recruitment solution with modern web technologies\n"
        "May 2023\n—\nMay 2024\n"
    )
    assert jobs_of(text) == [
        {"name": "Nubel", "position": "Trainee Developer", "startDate": "2024-09",
         "endDate": "2024-12"},
        {"name": "WeDevelop", "position": "Full Stack Developer", "startDate": "2023-05",
         "endDate": "2024-05"},
    ]  # fmt: skip


def test_an_address_line_in_the_about_block_gives_the_city() -> None:
    text = (
        "Tyler Reed\nFull-Stack Developer\nAbout\nLos Angeles, California 90013\n"
        "tyler@example.com\nI moved to Seattle, WA in 2019 and love it.\n"
    )
    location = parse_text(text).resume["basics"]["location"]
    assert location["city"] == "Los Angeles"


def test_a_dated_education_entry_names_a_school_without_a_school_word() -> None:
    text = (
        "Ada Rossi\nEducation\n2024-02 to 2024-05\nUdemy\nCourse: Digital Marketing\n"
        "2019-09 to 2023-08\nEpitech\nMaster of Science: Computer Science\n"
    )
    assert [(e.get("institution"), e.get("endDate")) for e in _education(text)] == [
        ("Udemy", "2024-05"),
        ("Epitech", "2023-08"),
    ]


def test_a_school_without_a_school_word_above_the_dates_of_its_entry() -> None:
    # "Telecom Lille" / dates / degree: the name above the dates is the entry's school, not
    # a line of the entry before it.
    text = (
        "Ada Rossi\nEducation\nTelecom Lille\nSep 2005 - Jun 2011\n"
        "Master Degree in Networks and Telecommunications\nDuoc UC\nJan 2001 - Jul 2003\n"
        "Bachelor of Engineering\nLanguages\nFrench\n"
    )
    assert [(e.get("institution"), e.get("endDate")) for e in _education(text)] == [
        ("Telecom Lille", "2011-06"),
        ("Duoc UC", "2003-07"),
    ]


def test_degrees_written_in_free_form_are_study_types() -> None:
    text = (
        "Jan Nowak\nEducation\nWrocław University of Technology\nOct 2007 - Oct 2011\n"
        "Engineer - Computer Science, Electronics\nUniversity Institute of Technology\n"
        "Sep 2017 - Jul 2019\nDUT - Computer Science\nISLA Gaia\nSep 2009 - Jul 2010\n"
        "College Degree - Multimedia Systems\n"
    )
    education = _education(text)
    assert [e.get("studyType") for e in education] == ["Engineer", "DUT", "College Degree"]
    assert education[0]["institution"] == "Wrocław University of Technology"


def test_a_skill_before_a_title_belongs_to_the_title() -> None:
    text = (
        "Rui Costa\nExperience\nSenior System Analyst - .NET Developer Sep 2019 — Apr 2020\n"
        "Banco de Portugal\nBuilt the supervision system.\nLidl Digital\nETL - Data Engineer\n"
        "2017 - 2019\nBuilt pipelines.\n"
    )
    assert [(w.get("position"), w.get("name")) for w in jobs_of(text)] == [
        ("Senior System Analyst - .NET Developer", "Banco de Portugal"),
        ("ETL - Data Engineer", "Lidl Digital"),
    ]


def test_a_company_and_its_dates_on_one_printed_row_open_the_entry() -> None:
    text = (
        "Stijn Koopal\nExperience\nFLORAHOLLAND\t09/2018 - 05/2019\nBACKEND ENGINEER\n"
        "Built Kotlin and Java services.\nKotlin, Java 11, Spring Boot\n"
        "BLOCKPORT\t07/2018 - 09/2018\nBACKEND ENGINEER\nIntegrate KYC provider\n"
    )
    assert [(w.get("name"), w.get("position")) for w in jobs_of(text)] == [
        ("Floraholland", "Backend Engineer"),
        ("Blockport", "Backend Engineer"),
    ]


def test_a_skill_after_a_title_belongs_to_the_title() -> None:
    text = (
        "Dave Piat\nExperience\nOneytrust\n2021-01 - 2023-06\n"
        "Senior PHP Developer / DevOps (Freelance)\nBuilt the fraud-scoring API.\n"
    )
    assert jobs_of(text)[0]["position"] == "Senior PHP Developer / DevOps (Freelance)"
    assert jobs_of(text)[0]["name"] == "Oneytrust"


def test_a_leadership_group_among_skills_stays_in_the_skills() -> None:
    text = (
        "Diego Souto\nSkills\nKubernetes\nHelm\nLeadership\nEmpathy\nMentoring\n"
        "Experience\nAltia\n01/2023 - Present\nProgram Manager\n"
    )
    assert _skills(text) == ["Kubernetes", "Helm", "Empathy", "Mentoring"]
    # dated leadership roles after the skills are a section of their own
    roles = "Diego Souto\nSkills\nKubernetes\nLeadership\nChess Club President 2019 - 2021\n"
    assert _skills(roles) == ["Kubernetes"]


def test_a_heading_word_over_a_skill_level_names_a_skill_group() -> None:
    text = (
        "Martin Ponce\nSkills\nJava server side\nMaster\nMaven\nGradle\nProject\nAdvanced\n"
        "Agile\nJira\nWork\n2021-05-17 - 2022-03-11\nCampfire Digital\nSenior Java Developer\n"
    )
    assert _skills(text) == ["Maven", "Gradle", "Agile", "Jira"]


def test_cities_of_the_world_are_read_where_a_place_is_expected() -> None:
    def city(text: str) -> dict | None:
        return parse_text(text).resume.get("basics", {}).get("location")

    form = "Lorenzo Graizzaro\nSoftware Developer\nContact\nEmail\nlg@example.com\n"
    assert city(form + "Location\nRegion\nBuenos Aires\nSkills\nReact\n") == {
        "city": "Buenos Aires",
        "countryCode": "AR",
    }
    assert city("Jan de Vries\nBackend Engineer\nUTRECHT UTRECHT 3513 BH\njan@example.nl\n") == {
        "city": "Utrecht",
        "countryCode": "NL",
    }
    assert city("Ana Kovač\nLocation: Osijek, Croatia\nana@example.com\n")["city"] == "Osijek"
    # A first name that is also a city is never a place.
    assert city("Austin Miller\nSoftware Engineer\naustin@example.com\n") is None
