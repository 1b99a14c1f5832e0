"""parse_text on layouts that none of the corpus's themes prints, found with
``bench/render_own_layouts.py``: a table whose date column wraps a range, a name printed
after a sidebar, and names with honorifics or accented letters beside a headline.

Each text is written the way PDF or Word extraction gives such a layout; the behaviour
checked is general, not one document's quirk.
"""

from __future__ import annotations

from hotgigs.parsing import parse_text
from tests.parsing.resumes import jobs_of


def _name(text: str) -> str | None:
    return parse_text(text).resume["basics"].get("name")


def test_a_range_wrapped_in_a_narrow_date_column_keeps_its_end_and_its_employer() -> None:
    text = (
        "John Wyles\nExperience\n"
        "Oct 2022 \u2013\tSenior Principal Engineer, The OCC\n"
        "Present\tLed team for centralized standardization of pipelines\n"
        "Mar 2021 \u2013 May\tSenior Principal Engineer, RSI\n"
        "2022\tLed four interdisciplinary engineering AWS teams\n"
        "Mar 2020 \u2013 Apr\tEngineering Manager, DocMagic\n"
        "2021\tLed three small teams using industry best practices\n"
    )
    assert jobs_of(text) == [
        {"name": "The OCC", "position": "Senior Principal Engineer", "startDate": "2022-10",
         "endDate": None},
        {"name": "RSI", "position": "Senior Principal Engineer", "startDate": "2021-03",
         "endDate": "2022-05"},
        {"name": "DocMagic", "position": "Engineering Manager", "startDate": "2020-03",
         "endDate": "2021-04"},
    ]  # fmt: skip


def test_a_name_printed_after_a_sidebar_is_the_name() -> None:
    text = (
        "Contact\nwlin26@yahoo.com\n(917) 444-5340\nShelton, Connecticut, US\n"
        "Skills\nWeb Development\nHTML\tCSS\nAzure Functions\nAzure Traffic Manager\n"
        "William Lin\nSoftware Engineer\n"
        "About me\nI love coding and being a part of the developer community.\n"
        "Professional Experience\nCapital One\nSoftware Engineer Intern | 06/2020 \u2013 08/2020\n"
    )
    assert _name(text) == "William Lin"


def test_a_name_ending_the_sidebar_above_an_about_heading_is_the_name() -> None:
    text = (
        "Contact\nebuka422@gmail.com\nLagos, Lagos, NG\nSkills\nReact\nMachine Learning\n"
        "Chukwuebuka Osuji\nAbout me\nFrontend engineer building web apps.\n"
    )
    assert _name(text) == "Chukwuebuka Osuji"


def test_a_skill_or_an_address_line_at_the_top_is_no_name() -> None:
    text = (
        "Machine Learning\nBuenos Aires, Buenos Aires, AR\nSkills\nPython\n"
        "Lorenzo Graizzaro\nFrontend Developer\n"
        "Experience\nAcme Analytics\nData Scientist | 2019 - 2021\n"
    )
    assert _name(text) == "Lorenzo Graizzaro"


def test_a_name_keeps_its_honorific_and_its_accented_letters() -> None:
    assert _name("Ing. Ondrej Sevcik\nSoftware Engineer\nondrej@example.com\n") == (
        "Ing. Ondrej Sevcik"
    )
    assert _name("Piotr Szyma\u0144ski | Full-Stack Developer\npiotr@example.com\n") == (
        "Piotr Szyma\u0144ski"
    )


def test_a_place_after_a_long_dash_and_a_country_code_before_the_dates_is_no_employer() -> None:
    text = (
        "Mickael Bourgois\nProfessional Experience\n"
        "Backend Developer (Cloud), ekonoo \u2014 Luxembourg, LU\t05/2020 \u2013 Present\n"
        "Development of a cloud native platform.\n"
        "Part-time web developer, PandaLab SAS \u2014 Nancy, FR\t07/2019 \u2013 02/2020\n"
        "Development of a web application.\n"
    )
    assert [(job["position"], job["name"]) for job in jobs_of(text)] == [
        ("Backend Developer (Cloud)", "ekonoo"),
        ("Part-time web developer", "PandaLab SAS"),
    ]


def test_a_list_of_skills_after_a_title_is_part_of_the_title_not_the_employer() -> None:
    text = (
        "Guido Percu\nWork Experience\n"
        "2015-08 to 2016-11\tBackend Engineer - Python/MongoDB at Anchor Loans LP\n"
        "Created a crawler to get thousands of real estate properties.\n"
    )
    assert [(job["position"], job["name"]) for job in jobs_of(text)] == [
        ("Backend Engineer - Python/MongoDB", "Anchor Loans LP")
    ]


def test_the_tail_of_a_bracket_above_the_dates_is_not_the_next_employer() -> None:
    text = (
        "Sam Reyes\nWork\n2018-02-05 - present\nJPMorgan Chase\nVice President\n"
        "- Care services for managers. (Kotlin, Java 8,\nSpring Boot, MySQL, Kafka)\n"
        "2015-08-01 - 2016-11-11\nFuse by Cardinal Health\nSoftware Engineer\n"
        "- Single page web application used by pharmacists.\n"
    )
    assert [(job["position"], job["name"]) for job in jobs_of(text)] == [
        ("Vice President", "JPMorgan Chase"),
        ("Software Engineer", "Fuse by Cardinal Health"),
    ]


def test_a_sidebar_group_rated_experienced_lists_its_keywords() -> None:
    text = (
        "ARLO HERRINE\nABOUT\nROUND ROCK, TEXAS 78681\nARLO@EXAMPLE.COM\n"
        "JAVA\nEXPERIENCED\nJAVA 8\nSPRING\nGUAVA\nPYTHON\nEXPERIENCED\nPYTHON 3\nVIRTUAL ENV\n"
        "EXPERIENCE\nINDEED.COM\t08/2014 - PRESENT\nSOFTWARE ENGINEER\n"
    )
    names = [s["name"] for s in parse_text(text).resume.get("skills", [])]
    assert names == ["JAVA 8", "SPRING", "GUAVA", "PYTHON 3", "VIRTUAL ENV"]


def test_titles_dated_on_their_row_with_a_bare_employer_below_read_down() -> None:
    # The prose above each row is the previous job's; the bare line below is the employer.
    text = (
        "William Lin\nExperience\n"
        "Graduate Teaching Assistant\tSep 2019 - Present\nUniversity of New Haven\n"
        "Teaching assistant for: Intro to C Programming, Intermediate C/C++, Android\n"
        "Development, UNIX Systems Programming, and\nObject Oriented Programming.\n"
        "Software Engineer Intern\tJun 2020 - Aug 2020\nCapital One\n"
        "Designed and developed a full stack web application using React, Node.js and\n"
        "Express, Docker, Kubernetes, Jenkins,\nDocker Compose.\n"
        "Android Developer\tMar 2018 - May 2019\nConferdense Inc.\n"
        "Built an Android application using Java and Google Firebase.\n"
    )
    assert [(job["position"], job["name"]) for job in jobs_of(text)] == [
        ("Graduate Teaching Assistant", "University of New Haven"),
        ("Software Engineer Intern", "Capital One"),
        ("Android Developer", "Conferdense Inc"),
    ]


def test_a_name_above_each_dated_title_keeps_the_summary_below_out() -> None:
    text = (
        "Vincent Billey\nCareer\n"
        "Synbioz\nDeveloper | 2014 - Present\nFrontend (Ember, React) and Ruby (Rails)\n"
        "Axiome\nCTO and co-founder | 2014 - 2016\nFrontend dev of Metod\n"
        "3DDUO\nWeb technical director | 2011 - 2014\nWeb Game Development with facebook\n"
    )
    assert [job["name"].lower() for job in jobs_of(text)] == ["synbioz", "axiome", "3dduo"]


def test_skill_tags_printed_with_only_spaces_between_them_are_separate_items() -> None:
    text = (
        "Contact\ntdreitz@gmail.com\nSkills\n"
        "Javascript Es6+ React Redux GraphQL TDD Mocha Jest\n"
        "Containers Docker VCS Git Github CI/CD AWS Cloud Providers\n"
        "Tyler Reitz\nFull-Stack Javascript Developer\nAbout me\nI build web apps.\n"
    )
    result = parse_text(text).resume
    assert [s["name"] for s in result["skills"]] == [
        "Javascript", "Es6+", "React", "Redux", "GraphQL", "TDD", "Mocha", "Jest",
        "Containers", "Docker", "VCS", "Git", "Github", "CI/CD", "AWS", "Cloud Providers",
    ]  # fmt: skip
    assert result["basics"]["name"] == "Tyler Reitz"  # neither name nor headline is a skill


def test_a_sentence_naming_skills_is_not_split_into_tags() -> None:
    text = "Jane Roe\nSkills\nBuilt internal APIs with Python Django Flask Celery Redis\n"
    names = [s["name"] for s in parse_text(text).resume.get("skills", [])]
    assert "Python" not in names and "Django" not in names


def test_a_row_that_wraps_its_range_or_its_place_keeps_its_job() -> None:
    # "Title | dates | place" under the employer's name: a range cut after its dash goes on
    # before the next cell's bar, and a place cut after its city goes on at the next line.
    text = (
        "Sirui Tao\nWork Experience\nAutodesk\n"
        "PhD Intern | June 2026 -\nSeptember 2026 | Remote\nWorked on 3D CAD evaluation.\n"
        "Tesla\nData Scientist Intern | June 2022 - September 2022 | Fremont,\n"
        "California, USA\nDeveloped lossless image compression solutions.\n"
        "Buhler Group\nData Scientist Intern | July 2021 - September 2021 | Wuxi,\n"
        "Jiangsu, China\nInitiated image-labeling features for defect detection.\n"
        "J.D. Power\nAnalyst Intern | June 2021 - July 2021 | Shanghai, China\n"
        "Optimized workflow for quality analytics.\n"
    )
    assert jobs_of(text) == [
        {"name": "Autodesk", "position": "PhD Intern", "startDate": "2026-06",
         "endDate": "2026-09"},
        {"name": "Tesla", "position": "Data Scientist Intern",
         "location": "Fremont, California, USA", "startDate": "2022-06", "endDate": "2022-09"},
        {"name": "Buhler Group", "position": "Data Scientist Intern",
         "location": "Wuxi, Jiangsu, China", "startDate": "2021-07", "endDate": "2021-09"},
        {"name": "J.D. Power", "position": "Analyst Intern", "location": "Shanghai, China",
         "startDate": "2021-06", "endDate": "2021-07"},
    ]  # fmt: skip


def test_a_career_heading_opens_the_jobs() -> None:
    text = (
        "Luca Di Marco\nFrontend developer\nluca@example.com\nCareer\n2024 \u2013 Present\n"
        "Jr Front End Developer, Nubel, Vancouver, British Columbia, Canada\n"
        "Built a video system for candidate assessments\n2021 \u2013 2024\n"
        "Front End Developer, ADN Soluciones Web, C\u00f3rdoba, Argentina\n"
        "Shipped three projects as part of a team\n"
    )
    assert [(j["name"], j["position"]) for j in jobs_of(text)] == [
        ("Nubel", "Jr Front End Developer"),
        ("ADN Soluciones Web", "Front End Developer"),
    ]


def test_education_rows_opening_with_their_dates_are_one_entry_each() -> None:
    # The school is the row's last cell even with no school word in its name.
    text = (
        "Luca Di Marco\nEducation\n"
        "2024 \u2013 2027 | Computer Science, Open Source Society University\n"
        "2023 \u2013 2023 | Course, Introduction to Computer Science, Harvard Online\n"
        "2022 \u2013 2023 | Courses, Computer Software Engineering, Argentina Programa\n"
    )
    schools = [
        (e.get("institution"), e.get("studyType"), e.get("endDate"))
        for e in parse_text(text).resume["education"]
    ]
    assert schools == [
        ("Open Source Society University", None, "2027"),
        ("Harvard Online", "Course", "2023"),
        ("Argentina Programa", "Courses", "2023"),
    ]


def test_an_employer_the_gazetteer_does_not_know_before_a_region_is_the_employer() -> None:
    # "WeDevelop, Florida" reads like "City, Region"; with no other employer in the row,
    # the unknown name is the employer and the region its place.
    text = (
        "Luca Di Marco\nExperience\n2024 \u2013 Present\n"
        "Full Stack Developer, WeDevelop, Florida, United States\n"
        "Built a recruitment platform with modern web technologies\n"
    )
    assert jobs_of(text) == [
        {"name": "WeDevelop", "position": "Full Stack Developer", "location": "Florida",
         "startDate": "2024", "endDate": None},
    ]  # fmt: skip


def test_a_name_after_the_dates_is_the_place_when_every_employer_is_printed_above() -> None:
    text = (
        "Hugo Pauthier\nWork Experience\nOrange\n"
        "Software developer | September 2019 - Current | Arcueil\n"
        "Worked on the new customer usages mediation application.\nRenault\n"
        "Software developer | April 2019 - June 2019 | Guyancourt\n"
        "Developed the GUI of a simulator piloting application.\n"
    )
    assert jobs_of(text) == [
        {"name": "Orange", "position": "Software developer", "location": "Arcueil",
         "startDate": "2019-09", "endDate": None},
        {"name": "Renault", "position": "Software developer", "location": "Guyancourt",
         "startDate": "2019-04", "endDate": "2019-06"},
    ]  # fmt: skip


def test_a_department_after_a_title_is_part_of_the_title_not_the_employer() -> None:
    text = (
        "Shaunn Barron\nExperience\n"
        "Vice President - Software Engineering, JPMorgan Chase\n"
        "February 2018 \u2014 Present\nBuilt a mobile application for managing allowances.\n"
    )
    assert jobs_of(text) == [
        {"name": "JPMorgan Chase", "position": "Vice President - Software Engineering",
         "startDate": "2018-02", "endDate": None},
    ]  # fmt: skip


def test_a_bracketed_note_with_a_title_word_leaves_the_employer_an_employer() -> None:
    # "contractor" inside the brackets does not make "NetJets (...)" a second job title.
    text = (
        "Shaunn Barron\nExperience\n"
        "Senior Developer Analyst, NetJets (contractor via ComResource)\n"
        "February 2015 \u2014 August 2015\nBuilt a single page web application for trips.\n"
        "Developer, Acme (consultant for Beta Corp)\n"
        "March 2013 \u2014 January 2015\nMaintained the billing services.\n"
    )
    assert [(j.get("name"), j.get("position")) for j in jobs_of(text)] == [
        ("NetJets (contractor via ComResource)", "Senior Developer Analyst"),
        ("Acme (consultant for Beta Corp)", "Developer"),
    ]


def test_names_joined_by_a_spaced_slash_or_a_colon_are_one_employer() -> None:
    text = (
        "Luca Di Marco\nExperience\n"
        "Assistant Software Engineer \u2014 SaTech / Country Club: El Tipal (2022 \u2013 2023)\n"
        "Helped build a security system for a country club.\n"
        "Corporate Wellness Intern \u2014 MediFit / EXOS (2019 \u2013 2020)\n"
        "Ran wellness programs.\nDeveloper / DevOps, Acme (2017 \u2013 2019)\nBuilt things.\n"
    )
    assert [(j["name"], j["position"]) for j in jobs_of(text)] == [
        ("SaTech / Country Club: El Tipal", "Assistant Software Engineer"),
        ("MediFit / EXOS", "Corporate Wellness Intern"),
        ("Acme", "Developer / DevOps"),
    ]


def test_a_row_that_names_its_employer_takes_none_from_the_line_below() -> None:
    # "Kubernetes, Rancher" reads like "Company, Place", but the row has its employer.
    text = (
        "Avery Khoo\nExperience\nSenior Devops Engineer \u2014 CSIT (2021-01 to now)\n"
        "Kubernetes, Rancher, Container Images\nTracing, monitoring, health checks, alerting\n"
        "Data Scientist \u2014 CSIT (2015-11 to 2017-12)\nStatistical Machine Translation\n"
    )
    assert [(j["name"], j["position"]) for j in jobs_of(text)] == [
        ("CSIT", "Senior Devops Engineer"),
        ("CSIT", "Data Scientist"),
    ]
