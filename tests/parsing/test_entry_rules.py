"""Rules for reading work and education entries, each on a small hand-written snippet."""

from __future__ import annotations

from hotgigs.parsing.api import _parse


def _rules(text: str) -> dict:
    """The rules' reading alone (no learned tagger), so the rule under test decides."""
    return _parse(text, model=None)[0].resume


def test_a_bulleted_employer_above_the_dates_heads_its_entry() -> None:
    text = (
        "Marie Dubois\nWork\n\u2022 Northwind Traders\nMarch 2020 - Present\nData Analyst\n"
        "- Built the monthly sales dashboards.\n- Automated the stock reports.\n"
        "\u2022 Contoso Ltd.\nJan 2017 - Feb 2020\nJunior Analyst\n- Cleaned customer data.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("Northwind Traders", "Data Analyst"),
        ("Contoso Ltd", "Junior Analyst"),
    ]


def test_the_wrapped_tail_of_a_sentence_is_not_an_entry_header() -> None:
    text = (
        "Marie Dubois\nWork\n\u2022 Northwind Traders\nMarch 2020 - Present\nData Analyst\n"
        "- Introduced a shared tracker for better visibility of the open tasks across the\n"
        "team.\n\u2022 Northwind Traders\nJan 2017 - Feb 2020\nWeb/Application Developer\n"
        "- Maintained the internal sites.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work][1] == (
        "Northwind Traders",
        "Web/Application Developer",
    )


def test_jobs_after_a_sidebar_list_belong_to_the_experience_section() -> None:
    text = (
        "Lena Berg\nEXPERIENCE\nNORTHWIND (VIA CONTOSO)\t03/2019 - 06/2021\nBACKEND ENGINEER\n"
        "Built the order service in Kotlin.\nINTERESTS\nCYCLING\nCHESS\n"
        "FABRIKAM (VIA CONTOSO)\t05/2016 - 02/2019\nDATA ENGINEER\n"
        "Moved the nightly reports to Spark.\nEDUCATION\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("Northwind (Via Contoso)", "Backend Engineer"),
        ("Fabrikam (Via Contoso)", "Data Engineer"),
    ]


def test_the_wrapped_tail_of_a_bullet_above_a_dated_title_is_not_the_employer() -> None:
    text = (
        "Lena Berg\nExperience\nData Lead\tFeb 2022 - Present\nNorthwind Health\n"
        "Rebuilt the reporting chain.\n"
        "- Audited the pipelines and automated the checks for the regulated\n"
        "clients\n"
        "Research Engineer\tNov 2019 - Jan 2022\nContoso Energy\nModelled coupled systems.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("Northwind Health", "Data Lead"),
        ("Contoso Energy", "Research Engineer"),
    ]


def test_one_word_and_a_slash_before_a_title_are_part_of_the_title() -> None:
    text = (
        "Lena Berg\nExperience\nWeb / Hybrid Application Developer\tJan 2014 - Jan 2015\n"
        "Northwind Apps\nBuilt mobile applications with Cordova.\n"
    )
    (job,) = _rules(text)["work"]
    assert (job["position"], job["name"]) == (
        "Web / Hybrid Application Developer",
        "Northwind Apps",
    )


def test_the_kind_of_a_course_of_study_is_its_study_type() -> None:
    text = (
        "Lena Berg\nEducation\n2024-02 to 2024-05\nUdemy\nCourse: Digital Marketing\n"
        "Le Wagon\n03/2014 - 05/2014\nBootcamp\n"
        "NORTHWIND ACADEMY\t01/2015 - 02/2015\nCERTIFICATION CLOUD ARCHITECTURE\n"
    )
    education = _rules(text)["education"]
    assert [e.get("studyType") for e in education] == ["Course", "Bootcamp", "Certification"]


def test_a_courses_line_over_a_list_is_no_study_type() -> None:
    text = "Lena Berg\nEducation\nBSc Computer Science\nUniversity of Leeds\n2012 - 2015\nCourses\n"
    education = _rules(text)["education"]
    assert [e.get("studyType") for e in education] == ["B.Sc"]


def test_dates_printed_again_under_the_school_are_one_entry() -> None:
    text = (
        "Lena Berg\nEducation\nIntroduction to Computer Science, Course\n2023 - 2023\n"
        "Harvard University\n2023 - 2023\nData Science, Courses\n2021 - 2022\n"
        "Open University\n2021 - 2022\n"
    )
    education = _rules(text)["education"]
    assert [(e.get("studyType"), e.get("institution")) for e in education] == [
        ("Course", "Harvard University"),
        ("Courses", "Open University"),
    ]


def test_a_legal_form_after_a_comma_is_part_of_the_company() -> None:
    text = (
        "Lena Berg\nExperience\nSenior Software Engineer Jun 2020 - Present\nNORTHWIND, SA\n"
        "Built the trading platform.\n"
    )
    (job,) = _rules(text)["work"]
    assert (job["position"], job["name"]) == ("Senior Software Engineer", "NORTHWIND, SA")
    assert "location" not in job


def test_schools_named_by_a_faculty_or_a_german_compound() -> None:
    text = (
        "Lena Berg\nEducation\nFaculty of Mechanical Engineering Split\n2010 - 2015\n"
        "Master of Engineering\nMusikhochschule Köln\n2006 - 2009\nBachelor of Music\n"
    )
    education = _rules(text)["education"]
    assert [e.get("institution") for e in education] == [
        "Faculty of Mechanical Engineering Split",
        "Musikhochschule Köln",
    ]


def test_a_university_with_its_campus_is_one_employer() -> None:
    text = (
        "Lena Berg\nWork\nUniversity of Michigan, Flint 2008-03-01 - 2013-06-01\n"
        "https://umflint.edu\nApplication Developer\nBuilt the admissions portal.\n"
        "Research Fellow\tJan 2014 - Dec 2015\nSimons Institute at UC Berkeley\n"
        "Studied sampling algorithms.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("University of Michigan, Flint", "Application Developer"),
        ("Simons Institute at UC Berkeley", "Research Fellow"),
    ]


def test_bulleted_employers_whose_dates_show_only_present() -> None:
    text = (
        "Petr Novak\nWork\n\u2022 Northwind\n- present\n\u2022 Contoso GmbH\n- present\n"
        "Splunk Developer\n\u2022 Fabrikam s.r.o.\n- present\n\nEducation\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("Northwind", None),
        ("Contoso GmbH", "Splunk Developer"),
        ("Fabrikam s.r.o", None),
    ]
    assert all("startDate" not in w for w in work)


def test_a_school_without_a_school_word_printed_before_its_dates() -> None:
    text = (
        "Lena Berg\nEducation\nDuoc UC 2021-01 - 2023-07\nProgramming Analyst\n"
        "Associate's Degree\nTecnoland, Chile August 2018 - December 2020\n"
        "D.Sc. in Computational Engineering\n"
    )
    education = _rules(text)["education"]
    assert [(e.get("institution"), e.get("studyType")) for e in education] == [
        ("Duoc UC", "Associate's"),
        ("Tecnoland", "D.Sc"),
    ]


def test_an_employer_and_its_division_above_the_dates_with_the_title_below() -> None:
    text = (
        "Lena Berg\nExperience\nNorthwind Media \u2014 Evening News\n09/2023 - 07/2024\n"
        "Development Lead\nBuilt the live chat for the news site.\n"
    )
    (job,) = _rules(text)["work"]
    assert (job["name"], job["position"]) == (
        "Northwind Media - Evening News",  # dashes are read as "-"
        "Development Lead",
    )


def test_a_title_on_the_dated_line_keeps_the_company_after_a_dash_whole() -> None:
    text = (
        "Lena Berg\nExperience\nMobile Application Developer\tJan 2015 - Dec 2015\n"
        "Fabrikam - 360 Mobile Agency\nMaintained responsive websites.\n"
    )
    (job,) = _rules(text)["work"]
    assert (job["name"], job["position"]) == (
        "Fabrikam - 360 Mobile Agency",
        "Mobile Application Developer",
    )


def test_the_last_item_of_a_bullet_list_is_not_the_next_entry_title() -> None:
    text = (
        "Lena Berg\nExperience\nTech Coach\tJan 2020 - May 2022\nNorthwind\n"
        "- Facilitating retrospectives\n- Mentoring developers\n"
        "Trainer\nJune 2022 - Present\nWrote a video course on test design.\n"
    )
    work = _rules(text)["work"]
    assert [w.get("position") for w in work] == ["Tech Coach", "Trainer"]


def test_a_documenter_is_a_job_title() -> None:
    text = (
        "Lena Berg\nWork\nCONTOSO May 2019 - May 2022\nTechnical Documenter\n"
        "Documented the contracting process.\n"
    )
    (job,) = _rules(text)["work"]
    assert (job["name"], job["position"]) == ("Contoso", "Technical Documenter")


def test_a_header_ending_in_inc_with_a_full_stop_is_no_sentence() -> None:
    text = (
        "Lena Berg\nWork Experience\n2016-04 to Present\n"
        "Co-Founder & Director of Operations at Northwind Labs Inc.\n"
        "Technologies: Java (Spring), React, Docker\nCo-founded a consulting firm.\n"
    )
    (job,) = _rules(text)["work"]
    assert (job["position"], job["name"]) == (
        "Co-Founder & Director of Operations",
        "Northwind Labs Inc",
    )


def test_a_lone_date_in_a_wrapped_sentence_tail_is_no_entry() -> None:
    text = (
        "Lena Berg\nExperience\nFounder, Northwind Design\nJune 2010 - Present\n"
        "Northwind Design builds websites for small businesses. I started this\n"
        "company in June 2010.\nEducation\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [("Northwind Design", "Founder")]


def test_an_employer_with_its_place_under_a_dated_title_line() -> None:
    # "Title  dates" / "Company, City - Remote" / body: the short line below with a place is
    # the employer, not the last line of the entry above (a highlight without a bullet).
    text = (
        "Charles Desneuf\nExperience\nDDD - Architecture Consultant\tNov 2024 - Present\n"
        "MAIF, Niort - Remote\nI help MAIF teams deploy a Data Mesh initiative.\n"
        "Workshop facilitation\nArchitecture proposals\n"
        "Craft Coach - Staff Engineer\tMay 2024 - Oct 2024\nWakam, Paris - Remote\n"
        "I collaborated with one of Wakam's teams on their architecture.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("MAIF", "DDD - Architecture Consultant"),
        ("Wakam", "Craft Coach - Staff Engineer"),
    ]


def test_a_section_printing_employers_under_the_dates_does_so_for_every_entry() -> None:
    # Most entries show "Company, City" under "Title  dates"; the one whose employer has no
    # place ("FloraHolland (via Xebia)") follows the same layout, and the keywords line of
    # the entry above is no employer.
    text = (
        "Stijn Koopal\nExperience\nFrontend Engineer\tNov 2023 - Present\n"
        "Knights Analytics, Utrecht\nBootstrapped a UI for a no code solution.\n"
        "Full-Stack Engineer\tSep 2021 - Oct 2023\nDHL Parcel, Utrecht\n"
        "Helped integrate new parties.\nKotlin, Java 11, Spring Boot\n"
        "Backend Engineer\tSep 2018 - May 2019\nFloraHolland (via Xebia)\n"
        "Built services for the sales side.\nScala, Akka, GCP\n"
        "Lead Engineer\tJan 2016 - Aug 2018\nZorgDomein, Breukelen\nLed the team.\n"
    )
    work = _rules(text)["work"]
    assert [w.get("name") for w in work] == [
        "Knights Analytics",
        "DHL Parcel",
        "FloraHolland (via Xebia)",
        "ZorgDomein",
    ]


def test_a_middle_dot_parts_employer_and_place_and_joins_two_titles() -> None:
    text = (
        "Hugo Martin\nExperience\nSoftware developer\tSep 2019 - Present\nOrange \u00b7 Arcueil\n"
        "Built the mediation application.\n"
        "Development Lead \u00b7 Full Stack Developer\tApr 2016 - Jun 2019\nRenault\n"
        "Led the simulator team.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("Orange", "Software developer"),
        ("Renault", "Development Lead \u00b7 Full Stack Developer"),
    ]


def test_jobs_after_a_sidebars_education_take_the_experience_up_again() -> None:
    # Two-column themes print the sidebar (skills, education) after page one's jobs; page
    # two's jobs then follow "Education". Rows that name a job title go back to the jobs;
    # a school's rows stay.
    text = (
        "Ana Lima\nExperience\nSenior Engineer\tJun 2020 - Present\nAcme Corp\n"
        "Built the platform.\nSkills\nPython\nSQL\nEducation\nBachelor of Science\n"
        "University of Lisbon\n"
        "Software Developer at Beta Systems\tAug 2016 - May 2020\nMaintained the billing.\n"
        "Junior Developer at Gamma Ltd\tJan 2014 - Jul 2016\nWrote the tests.\n"
        "Developer & Scrum Master at Delta BV\tMay 2012 - Dec 2013\nRan the sprints.\n"
    )
    result = _rules(text)
    assert [(w.get("name"), w.get("position")) for w in result["work"]] == [
        ("Acme Corp", "Senior Engineer"),
        ("Beta Systems", "Software Developer"),
        ("Gamma Ltd", "Junior Developer"),
        ("Delta BV", "Developer & Scrum Master"),
    ]
    assert [e.get("institution") for e in result["education"]] == ["University of Lisbon"]
    schools = (
        "Ana Lima\nExperience\nSenior Engineer\tJun 2020 - Present\nAcme Corp\nBuilt it.\n"
        "Education\nTeaching Assistant\tSep 2012 - Jun 2013\nUniversity of Lisbon\n"
        "Bachelor of Science\tSep 2010 - Jun 2014\nUniversity of Lisbon\n"
    )
    assert len(_rules(schools)["work"]) == 1


def test_undated_entries_with_the_employer_over_the_title() -> None:
    # A theme given no dates prints each job as its employer over its title.
    text = (
        "WILLIAM LIN\nSOFTWARE ENGINEER\nEXPERIENCE\nUNIVERSITY OF NEW HAVEN\n"
        "GRADUATE TEACHING ASSISTANT\nLecturer for the C/C++ recitation class of the term.\n"
        "CAPITAL ONE\nSOFTWARE ENGINEER INTERN\nDesigned and developed a full stack web app.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name", "").upper(), w.get("position")) for w in work] == [
        ("UNIVERSITY OF NEW HAVEN", "Graduate Teaching Assistant"),
        ("CAPITAL ONE", "Software Engineer Intern"),
    ]


def test_an_employer_named_like_a_heading_with_its_dates_heads_an_entry() -> None:
    # "Technologies" is a skills heading on its own; beside its dates it is an employer.
    text = (
        "Guido Percu\nExperience\nCANARY TECHNOLOGIES\t09/2025 - 01/2026\n"
        "SENIOR SOFTWARE ENGINEER\nBuilt the auction system.\nBIDHOUND\t01/2025 - 09/2025\n"
        "PRINCIPAL SOFTWARE ENGINEER\nLed the backend team.\n"
    )
    result = _rules(text)
    assert [(w.get("name", "").upper(), w.get("position")) for w in result["work"]] == [
        ("CANARY TECHNOLOGIES", "Senior Software Engineer"),
        ("BIDHOUND", "Principal Software Engineer"),
    ]
    assert result.get("skills", []) == []


def test_a_dated_row_naming_title_and_employer_takes_nothing_from_above() -> None:
    # "2019-01 to 2020-12<tab>Senior PHP Developer at PrestaShop": the short highlight
    # above it ends the previous entry; it is not this one's employer.
    text = (
        "David Piatek\nWork Experience\n2019-06-01\tto\t2021-03-10\tArchitect at Drawsheep\n"
        "Defined the product direction.\nKubernetes cluster management\n"
        "2019-01-09\tto\t2020-12-20\tSenior PHP Developer at PrestaShop\n"
        "Wrote the migration scripts.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("position")) for w in work] == [
        ("Drawsheep", "Architect"),
        ("PrestaShop", "Senior PHP Developer"),
    ]


def test_a_range_printed_again_one_date_a_line_under_short_highlights() -> None:
    # The entry's range again below its highlights, split one date a line: the short
    # highlight above it ("Level 3 support") does not head another entry.
    text = (
        "Ana Lima\nExperience\nTech Lead, Skaleet\nJanuary 2023 \u2014 November 2024\n"
        "Led my squad.\nTeam leadership\nLevel 3 support\nJanuary 2023\n\u2014\nNovember 2024\n"
        "Lead Developer, Pharmanity\nJanuary 2021 \u2014 June 2022\nRebuilt the stack.\n"
    )
    work = _rules(text)["work"]
    assert [(w.get("name"), w.get("startDate"), w.get("endDate")) for w in work] == [
        ("Skaleet", "2023-01", "2024-11"),
        ("Pharmanity", "2021-01", "2022-06"),
    ]
