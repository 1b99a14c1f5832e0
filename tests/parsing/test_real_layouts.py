"""parse_text on layouts real resumes use: listed skills, headings, titles, places, names.

Each text is small and hand-written in the way themes, word processors and PDF
extraction print resumes; the behaviour checked is general, not one document's quirk.
"""

from __future__ import annotations

from hotgigs.parsing import parse_text
from hotgigs.parsing.dates import find_dates
from hotgigs.parsing.gazetteer import find_places
from hotgigs.parsing.merge import flattened
from hotgigs.parsing.segment import segment
from hotgigs.parsing.text import Document

LISTED = """Ana Souza
Backend Developer
Skills
Languages: Python, Go, C++
Cloud Services (Azure/365/AWS/DO), Angular, Socket.IO
Statistics & Machine Learning - Expert
Web
Intermediate
Experience
Acme Corp
2019-03 to Present
Backend Developer
Built services with Kubernetes and Kafka, and gave First Aid training.
"""


def _sections(text: str) -> list[tuple[str, str | None]]:
    """(kind, heading text) of each section ``segment`` finds."""
    return [(s.kind, s.heading.text if s.heading else None) for s in segment(Document(text).lines)]


def _skill_names(text: str) -> list[str]:
    return [s["name"] for s in parse_text(text).resume.get("skills", [])]


def test_skills_are_what_the_person_listed_as_written() -> None:
    result = parse_text(LISTED)
    names = [s["name"] for s in result.resume["skills"]]
    assert names == ["Python", "Go", "C++", "Cloud Services (Azure/365/AWS/DO)", "Angular",
                     "Socket.IO"]  # fmt: skip
    # prose skills are not claims of the skills list, but they stay in meta
    mentions = {m["name"] for m in result.meta["skill_mentions"]}
    assert {"Kubernetes", "Kafka"} <= mentions
    assert not {"Kubernetes", "Kafka"} & set(names)
    for i, name in enumerate(names):
        start, end = result.meta["evidence"][f"skills[{i}].name"]
        assert LISTED[start:end] == name


def test_a_skill_group_label_or_level_is_not_a_skill() -> None:
    names = _skill_names(LISTED)
    assert "Languages" not in names
    assert "Web" not in names  # a group name above its level
    assert not any("Expert" in n or "Intermediate" in n for n in names)
    table = "Sam Lee\nSKILLS\nWEB DEVELOPMENT\tHTML, CSS, JavaScript\n"
    assert _skill_names(table) == ["HTML", "CSS", "JavaScript"]


def test_long_prose_in_a_skills_section_is_not_a_skill() -> None:
    text = (
        "Sam Lee\nSkills\nI have worked with many different tools over the years and enjoy "
        "learning new ones every week.\nDocker, Terraform\n"
    )
    assert _skill_names(text) == ["Docker", "Terraform"]


def test_languages_heading_over_programming_languages_is_a_skills_group() -> None:
    text = "Lee Chan\nLanguages\nJavaScript\nTypeScript\nPython\nExperience\n"
    assert _skill_names(text) == ["JavaScript", "TypeScript", "Python"]
    spoken = parse_text("Lee Chan\nSkills\nDocker\nLanguages\nEnglish\nFrench\n")
    assert _skill_names("Lee Chan\nSkills\nDocker\nLanguages\nEnglish\nFrench\n") == ["Docker"]
    assert [lang["language"] for lang in spoken.resume["languages"]] == ["English", "French"]


def test_headings_real_resumes_use() -> None:
    text = (
        "Kim Park\nWork\nAcme\n2019 - 2021\nHighlights\nShipped things\nCourses\n"
        "Professional Skills Summary\nPython\nSkills and Tech\nGo\n"
    )
    kinds = _sections(text)
    assert ("work", "Work") in kinds
    assert ("skills", "Professional Skills Summary") in kinds
    assert ("skills", "Skills and Tech") in kinds
    assert not any(h == "Highlights" for _, h in kinds)  # part of the job above
    edu = "Kim Park\nEducation\nLancaster University 2015 - 2018\nCourses\nIT Strategy\n"
    assert [s.kind for s in segment(Document(edu).lines)] == ["header", "education"]


def test_iso_year_month_ranges_are_dates() -> None:
    (m,) = find_dates("2016-04 to Present")
    assert (m.start_date, m.end_date, m.present) == ("2016-04", None, True)
    (m,) = find_dates("2019-03 - 2021-05")
    assert (m.start_date, m.end_date) == ("2019-03", "2021-05")
    (m,) = find_dates("2004-05")  # still the academic years 2004-2005
    assert (m.start_date, m.end_date) == ("2004", "2005")


def test_one_title_per_position_line_and_brackets_stay() -> None:
    text = (
        "Jo Lind\nExperience\n"
        "Senior Data Engineer - Tech Lead\tJan 2020 - Present\nFieldAware (Remote)\n"
        "Founder / Lead Developer\tMar 2015 - Dec 2019\nQuizUp (http://quizup.com)\n"
    )
    work = parse_text(text).resume["work"]
    assert [w["position"] for w in work] == [
        "Senior Data Engineer - Tech Lead",
        "Founder / Lead Developer",
    ]
    assert [w["name"] for w in work] == ["FieldAware (Remote)", "QuizUp"]


def test_durations_and_headings_are_not_job_fields() -> None:
    text = (
        "Jo Lind\nExperience\nWeb engineer, Nubel\nDecember 2024 - Present\t3 months\n"
        "Highlights\nBuilt a video system\n"
    )
    (job,) = parse_text(text).resume["work"]
    assert (job["position"], job["name"]) == ("Web engineer", "Nubel")


def test_cities_with_accents_regions_and_country_codes() -> None:
    (p,) = find_places("Reykjavík, IS\n")
    assert (p.city, p.country_code) == ("Reykjavík", "IS")
    (p,) = find_places("Świdnica, Lower Silesia, PL")
    assert (p.city, p.region, p.country_code) == ("Świdnica", "Lower Silesia", "PL")
    assert find_places("Acme Consulting, IT Department") == []  # a code must end the line
    assert find_places("Siemens, AG\n") == []  # a legal form, not Antigua
    loc = parse_text("Kristján Oddsson\nDeveloper\nReykjavík, IS\nkodd@example.com\n")
    assert loc.resume["basics"]["location"] == {"city": "Reykjavík", "countryCode": "IS"}


def test_institutions_in_other_languages_and_in_two_parts() -> None:
    text = (
        "Ana Souza\nEducation\nUniversidad de Santiago de Chile\nBachelor\n2013\n"
        "University of Southern California, Marshall School of Business\nPh.D. in Statistics\n"
        "2020\nHosanna National High School\n2008\n"
    )
    names = [e.get("institution") for e in parse_text(text).resume["education"]]
    assert names == [
        "Universidad de Santiago de Chile",
        "University of Southern California, Marshall School of Business",
        "Hosanna National High School",
    ]


def test_names_with_accents_capitals_stacked_or_glued_to_the_headline() -> None:
    def name(text: str) -> str:
        return parse_text(text).resume["basics"]["name"]

    assert name("Alfred García\nCreative Software Engineer\n") == "Alfred García"
    assert name("Emir Selimović\nDeveloper\n") == "Emir Selimović"
    assert name("David PIATEK\nLead Developer\n") == "David PIATEK"
    assert name("Mickael\nBOURGOIS\nBackend Developer\nExperience\n") == "Mickael BOURGOIS"
    assert name("Kamil KacperekFrontend Engineer\n• kamil@example.com\n") == "Kamil Kacperek"


def test_the_tagger_reads_only_flattened_text() -> None:
    assert flattened("Name " + "word " * 400)
    assert not flattened("Name\nDeveloper\n" * 50)


def test_team_after_the_title_and_web_address_between_company_and_title() -> None:
    text = (
        "Tiger Oakes\nExperience\nMicrosoft\t08/2023 - Present\n"
        "Senior Software Engineer - Microsoft Loop\n"
        "Led a team of six to re-architect the web app.\n"
        "Autodesk 2021-06 - 2022-09\nhttps://www.autodesk.com/\nData Scientist Intern\n"
        "Built dashboards.\n"
    )
    work = parse_text(text).resume["work"]
    assert [(w["name"], w["position"]) for w in work] == [
        ("Microsoft", "Senior Software Engineer - Microsoft Loop"),
        ("Autodesk", "Data Scientist Intern"),
    ]


def test_education_broken_across_lines_and_still_in_progress() -> None:
    text = (
        "Thandi Nkosi\nEducation\nUniversity of\nCape Town\nBSc Computer Science\n2015\n"
        "University of Lagos\nPhD, Physics\n2021 - Present\n"
    )
    first, second = parse_text(text).resume["education"]
    assert (first["institution"], first["endDate"]) == ("University of Cape Town", "2015")
    assert second["institution"] == "University of Lagos"
    assert "endDate" not in second  # no graduation date yet


def test_school_names_a_full_line_broke_are_joined_again() -> None:
    # A school's first word left at the end of a full line (a place, not a field of
    # study), a name broken after "at", and a business school run onto the next line.
    text = (
        "Yanfei Zhou\nEducation\n2016 - 2019\n"
        "Bachelor of Science in Statistics with Finance and Economics, London\n"
        "School of Economics\n"
        "2004 - 2006\nComputational Biology (BSc. Biochemistry), The University of Texas at\n"
        "Austin, Sep 2004 - May 2006\n2021 - Present\n"
        "Ph.D. (Statistics), University of Southern California, Marshall School of\nBusiness\n"
        "2019 - 2020\nMaster of Science in Computational Mathematics, Statistics\n"
        "University of Chicago\n"
    )
    schools = [e.get("institution") for e in parse_text(text).resume["education"]]
    assert schools == [
        "London School of Economics",
        "University of Texas at Austin",
        "University of Southern California, Marshall School of Business",
        "University of Chicago",
    ]


def test_skill_items_wrapped_over_lines_and_groups_with_a_level() -> None:
    text = (
        "Ryland Donovan\nSkills\nCloud &\nInfrastructure\nAzure (AKS, Service Bus,\n"
        "Event Grid), Docker\nBackend Development (Advanced): Go\nDevOps - Professional\n"
    )
    # "Cloud & Infrastructure" names the group whose items follow: it is not an item
    assert _skill_names(text) == [
        "Azure (AKS, Service Bus, Event Grid)",
        "Docker",
        "Go",
    ]


def test_groups_rated_with_numbers_before_their_items() -> None:
    text = (
        "Ryland Donovan\nSkills\nJavaScript (80): jQuery, AJAX\n"
        "Mach. Learn. & Data Anlys. (100,80,60): MATLAB, R\n"
    )
    assert _skill_names(text) == ["jQuery", "AJAX", "MATLAB", "R"]


def test_a_skills_certificate_is_no_skills_heading() -> None:
    text = (
        "Kim Park\nSkills\nPython, Go\nAwards\nDigital Skills Certificate\n"
        "Awarded 2019-11-05\nby Lancaster University\n"
    )
    kinds = [s.kind for s in segment(Document(text).lines)]
    assert kinds == ["header", "skills", "awards"]
    assert _skill_names(text) == ["Python", "Go"]


def test_letter_spaced_headings_are_headings() -> None:
    # Some PDF fonts come out with spaces inside words; a heading is still a heading.
    text = "Kim Park\nProfes sional Skill s\nPython, Go\nWo rk Expe rie nce\nAcme\n2019 - 2021\n"
    kinds = _sections(text)
    assert ("skills", "Profes sional Skill s") in kinds
    assert ("work", "Wo rk Expe rie nce") in kinds
    spread = (
        "Kim Park\nWo r k Ex p e r i e n c e\n2019-03-01\tt o\tP r e s e n t\nEngineer at Acme\n"
    )
    headings = [s.heading.text for s in segment(Document(spread).lines) if s.heading]
    assert headings == ["Wo r k Ex p e r i e n c e"]
    [job] = parse_text(spread).resume["work"]
    assert (job["startDate"], job["endDate"]) == ("2019-03", None)  # "t o" and "P r e s e n t"


def test_city_lines_without_a_known_city() -> None:
    def location(text: str) -> dict | None:
        return parse_text(text).resume.get("basics", {}).get("location")

    assert location("Jo Smith\nWichita Kansas 67235\njo@example.com\n") == {
        "city": "Wichita",
        "region": "Kansas",
        "countryCode": "US",
    }
    assert location("Piotr Nowak\nWrocław · piotr@example.com · +48 600 100 200\n") == {
        "city": "Wrocław"
    }
    # a headline on the contact line is not a place, nor is the person's first name
    assert location("Austin Moss\nSenior Developer · austin@example.com\n") is None


def test_a_city_inside_a_company_name_stays_in_it() -> None:
    text = (
        "Ana Souza\nExperience\nSan Diego Supercomputer Center\t2022-11 - 2023-08\n"
        "Deep Learning Engineer Intern\nAcme Labs, Boston\t2020-01 - 2022-10\nData Engineer\n"
    )
    work = parse_text(text).resume["work"]
    assert [w["name"] for w in work] == ["San Diego Supercomputer Center", "Acme Labs"]


def test_a_title_glued_to_the_company_by_lost_spacing_is_split() -> None:
    text = (
        "John Wyles\nExperience\nEngineering ManagerDocMagic\nJan 2019 - Present\n"
        "Led the platform team through a rewrite of the billing system.\n"
    )
    (job,) = parse_text(text).resume["work"]
    assert (job["position"], job["name"]) == ("Engineering Manager", "DocMagic")


def test_a_date_line_opening_its_entry_does_not_take_the_bullets_above() -> None:
    text = (
        "David Piatek\nWork\n2024-06 - 2025-07\nOneyTrust\nSenior PHP Developer\n"
        "- Feature development\n- CI/CD improvements\n2023-01 - 2024-05\nSkaleet\nTech Lead\n"
        "- Team leadership\n"
    )
    work = parse_text(text).resume["work"]
    assert [(w["name"], w["position"]) for w in work] == [
        ("OneyTrust", "Senior PHP Developer"),
        ("Skaleet", "Tech Lead"),
    ]


def test_company_and_dates_above_the_title_do_not_take_the_summary_above() -> None:
    text = (
        "Ana Souza\nExperience\nSynbioz 2016-02 - Present\nhttp://www.synbioz.com\nDeveloper\n"
        "Frontend (Ember, React) and Ruby (Rails)\nAxiome 2014-10 - 2016-02\n"
        "http://www.axiome.io\nCTO and co-founder\nFrontend dev of Metod\n"
    )
    work = parse_text(text).resume["work"]
    assert [(w["name"], w["position"]) for w in work] == [
        ("Synbioz", "Developer"),
        ("Axiome", "CTO and co-founder"),
    ]


def test_a_rated_sidebar_without_a_heading_is_skills_and_master_is_a_level() -> None:
    text = (
        "Stijn Koopal\nFull Stack Developer\nstijn@example.com\nScala / Kotlin /\nJava\nMaster\n"
        "Golang\nMaster\nKafka\nAdvanced\nLanguages\nDutch\nNative\nEnglish\nFluent\n"
    )
    result = parse_text(text)
    assert [s["name"] for s in result.resume["skills"]] == [
        "Scala / Kotlin / Java",
        "Golang",
        "Kafka",
    ]
    assert "education" not in result.resume


def test_a_rated_group_followed_by_its_keywords_in_a_sidebar() -> None:
    # Sidebars print a group's name, its level, then its keywords, one a line: the keywords
    # are the skills, the group's name and level are not.
    text = (
        "Skip Hendriks\nSoftware Developer\nAbout\nskip@example.com\n+31 6 43039991\n"
        "Frontend\nJunior\nHTML5\nCSS\nJavaScript / ECMAScript\nBackend\nJunior\n"
        "Node.js & Express.js\nMongoDB / Mongoose\nTesting\nJunior\nMocha.js\nChai.js\n"
        "Experience\nAcme\n2019 - 2021\nDeveloper\n"
    )
    assert _skill_names(text) == [
        "HTML5",
        "CSS",
        "JavaScript / ECMAScript",
        "Node.js & Express.js",
        "MongoDB / Mongoose",
        "Mocha.js",
        "Chai.js",
    ]


def test_a_rated_group_read_after_the_last_job_is_still_listed() -> None:
    # A sidebar that runs onto the next page is read after that page's main column, so
    # its rated group lands at the end of the experience section; its keywords are listed
    # skills, and the job before it keeps its own fields.
    text = (
        "Martin Ponce\nSoftware Developer\nmartin@example.com\nExperience\n"
        "Cash Converters, Perth\n08/2017 - 02/2018\nGraduate Software Developer\n"
        "Developed an event source replication library for read models.\n"
        "CI/CD Automation\nAdvanced\nTeamCity\nJenkins\nAppVeyor\nBash Scripting\nDocker\n"
    )
    result = parse_text(text)
    assert [s["name"] for s in result.resume["skills"]] == [
        "TeamCity", "Jenkins", "AppVeyor", "Bash Scripting", "Docker",
    ]  # fmt: skip
    job = result.resume["work"][0]
    assert (job["name"], job["position"]) == ("Cash Converters", "Graduate Software Developer")


def test_more_words_rate_a_group_but_a_spoken_language_has_no_keywords() -> None:
    # "Professional" rates a group like "Expert" does; the lines after a spoken language's
    # level ("Polish" / "Basic" / "Profiles" / "github") are no skills of it.
    text = (
        "Owen Valentine\nDevOps Engineer\nAbout\nowen@example.com\nDevOps\nProfessional\n"
        "Terraform\nTerragrunt\nDocker\nLinux\nExpert\nRed Hat\nUbuntu\nLanguages\n"
        "Spanish\nBasic\nPolish\nBasic\nProfiles\nlinkedin\ngithub\n"
        "Experience\nXneelo\n08/2023 - Present\nHosting Platform Engineer\n"
    )
    assert _skill_names(text) == ["Terraform", "Terragrunt", "Docker", "Red Hat", "Ubuntu"]


def test_a_headless_sidebar_list_with_names_joined_by_slashes() -> None:
    # "HTML / CSS / SCSS" is three names, not five words of a sentence: the list goes on.
    text = (
        "Helene Jonin\nSoftware Engineer\nAbout\nWarsaw\nhelene@example.com\nFrontend\n"
        "HTML / CSS / SCSS\nJavaScript / TypeScript\nAngular\nBackend\nPython / Flask\n"
        "MySQL / MongoDB\nGit\nDocker\nExperience\nAcme\n2019 - 2021\nDeveloper\n"
    )
    assert _skill_names(text) == [
        "HTML / CSS / SCSS", "JavaScript / TypeScript", "Angular", "Python / Flask",
        "MySQL / MongoDB", "Git", "Docker",
    ]  # fmt: skip


def test_a_headless_sidebar_list_of_quantitative_skills() -> None:
    # The taxonomy knows the skills of statisticians and data scientists, so their sidebar
    # list is read as one even with no heading above it.
    text = (
        "Edimah Songo\nApplied Mathematician\nAbout\nParis\nedimah@example.com\n"
        "Bayesian Inference\nStatistical Modelling\nSensitivity Analysis\n"
        "Time Series Analysis\nStochastic Processes\nNumerical Methods\nPython\nR\n"
        "Experience\nEDF R&D\n04/2023 - 09/2023\nApplied Mathematics Intern\n"
    )
    assert _skill_names(text) == [
        "Bayesian Inference", "Statistical Modelling", "Sensitivity Analysis",
        "Time Series Analysis", "Stochastic Processes", "Numerical Methods", "Python", "R",
    ]  # fmt: skip


def test_a_sidebar_skills_list_without_a_heading() -> None:
    # Themes print the skills heading as an icon: the list follows the contact lines.
    text = (
        "David Piatek\nLead Developer\nAbout\n3 Glatigny\nPrunay-Cassereau 41310\n"
        "dav@example.com\n+33 611212739\nin/david-piatek-519aa275\nWeb Development\nPHP\n"
        "Symfony\nTypeScript\nGolang\nTesting\nPHPUnit\nEvent Sourcing\n"
        "Experience\nAcme\n2019 - 2021\nDeveloper\n"
    )
    assert _skill_names(text) == [
        "PHP", "Symfony", "TypeScript", "Golang", "PHPUnit", "Event Sourcing",
    ]  # fmt: skip
    # a list of profiles ("GitHub" / handle) is not a skills list
    profiles = (
        "Kim Park\nDeveloper\nkim@example.com\nGitHub\nkimpark\nLinkedIn\nkim-park\n"
        "Twitter\nkimpark\nExperience\nAcme\n2019 - 2021\nDeveloper\n"
    )
    assert _skill_names(profiles) == []


def test_a_headless_sidebar_list_of_current_tools_wrapped_by_its_column() -> None:
    # Tools of today are in the taxonomy, names joined by a slash or a note count as named,
    # and a bracketed note or an open end wrapped onto the next line stays with its item.
    text = (
        "DANIEL EINARS\nLEAD ENGINEER\nABOUT\nIN/DANIEL\nFRONTEND\nENGINEERING\n"
        "SVELTEKIT\nPRISMA\nTYPESCRIPT/JAVASCRIPT\nINTERNATIONALIZATION\n(I18N)\n"
        "API DESIGN AND\nINTEGRATION\nVITEST\nPLAYWRIGHT\nSTORYBOOK\nVITE\nESLINT/OXLINT\n"
        "PRETTIER\nEXPERIENCE\nACME\t2019 - 2021\nDEVELOPER\n"
    )
    assert _skill_names(text) == [
        "SVELTEKIT", "PRISMA", "TYPESCRIPT/JAVASCRIPT", "INTERNATIONALIZATION (I18N)",
        "API DESIGN AND INTEGRATION", "VITEST", "PLAYWRIGHT", "STORYBOOK", "VITE",
        "ESLINT/OXLINT", "PRETTIER",
    ]  # fmt: skip


def test_a_grouped_list_wrapped_inside_its_cell_keeps_its_items_whole() -> None:
    # "AI/ML<tab>..., Reinforcement" / "Learning, LLM": the row below is the rest of the
    # cell; a row with a label of its own ("Frontend: Vue, Nuxt") is a group of its own.
    text = (
        "Dylan Tao\nSkills\nAI/ML\tLSTM, GAN, Diffusion Models, Reinforcement\nLearning, LLM\n"
        "SOFTWARE\tPython, SQL, Angular\nFrontend: Vue, Nuxt\nExperience\n"
    )
    assert _skill_names(text) == [
        "LSTM", "GAN", "Diffusion Models", "Reinforcement Learning", "LLM", "Python", "SQL",
        "Angular", "Vue", "Nuxt",
    ]  # fmt: skip


def test_tools_named_like_words_count_only_as_skills() -> None:
    # "Playwright", "Vault", "Glue" are tools in a skills list and words in a sentence.
    prose = "Ana Lima\nSummary\nA playwright at heart, I glue teams together and keep the vault.\n"
    assert parse_text(prose).meta["skill_mentions"] == []
    listed = prose + "Skills\nPlaywright, HashiCorp Vault, AWS Glue, Vitest\n"
    mentions = {m["name"]: m["keywords"] for m in parse_text(listed).meta["skill_mentions"]}
    assert mentions == {
        "Playwright": ["Playwright"],
        "HashiCorp Vault": ["HashiCorp Vault"],
        "AWS Glue": ["AWS Glue"],
        "Vitest": ["Vitest"],
    }


def test_a_lone_project_heading_does_not_claim_the_jobs_after_a_sidebar() -> None:
    # A wrapped group name ("Project" / "Management") reads as a projects heading; the jobs
    # after the sidebar that interrupted the experience list are still jobs.
    text = (
        "Kim Park\nExperience\nAcme Corp\t01/2019 - 12/2021\nDeveloper\nProject\n"
        "Management\nAgile\nInterests\nArt\nMusic\nBeta Corp\t11/2016 - 12/2018\n"
        "Lead Developer\n"
    )
    names = [job.get("name") for job in parse_text(text).resume["work"]]
    assert names == ["Acme Corp", "Beta Corp"]


def test_group_names_over_one_skill_a_line_are_not_skills() -> None:
    text = (
        "Daniel Einars\nSkills\nFrontend Engineering\nReact\nSvelteKit\n"
        "Platform and Delivery\nViTest\nCypress\nAI Tooling\nClaude Code\n"
    )
    assert _skill_names(text) == ["React", "SvelteKit", "ViTest", "Cypress", "Claude Code"]


def test_dates_read_into_a_skills_list_are_not_skills() -> None:
    text = "Kim Park\nSkills\nPython\nMay 2024 - Dec 2024\nSQL\nJan 2020\n"
    assert _skill_names(text) == ["Python", "SQL"]


def test_a_labelled_city_field_of_a_form() -> None:
    text = (
        "Ahmet Cecen\nResearch Data Scientist\nEmail\tahmet@example.com\n"
        "Postal Code & City\tTX 77007 Baytown\nCountry\tArgentina\n"
    )
    assert parse_text(text).resume["basics"]["location"] == {"city": "Baytown"}
