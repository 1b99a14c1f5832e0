"""Ranking quality of the matching scorer vs BM25 and TF-IDF: NDCG@10 on a labelled ranking set.

Usage: .venv/bin/python bench/match_quality.py [--embedder auto|tfidf] [--data PATH] [--set PATH]
       [--explain] [--build]

The ranking set (``bench/data/match_ranking.json``, committed so figures are reproducible) is
24 jobs written like real postings, and for each job a graded relevance 0-3 of every one of
the 310 labelled dotin resumes.  Grades come from the GOLD annotations only (never from the
parser), by one fixed rule per job, written before any scorer was run (see ``grade`` and each
job's ``relevance_rule``):

* role match: a gold ``Designation`` of the resume contains one of the job's role phrases
  (whole words, case-folded; a phrase starting with "=" must be the whole designation; a
  designation containing one of the job's excluded phrases does not count);
* skill coverage: the share of the job's required skills found among the resume's gold skill
  entities (Tech Tools, Job Specific Skills, Soft Skills), a skill counting as found when
  one of its spellings (the name and a small alias list) occurs in an entity as whole words;
* grade 3 = role match and coverage >= 0.5; 2 = role match, or coverage >= 0.5;
  1 = coverage >= 0.25; 0 otherwise.  Only jobs with >= 3 resumes of grade >= 2 are kept.

Years of experience and degrees are NOT graded (the jobs still state a minimum, as postings
do), so on this set the scorer's years and education parts can only add noise.  Resumes with
no gold entities (11 of 310) are grade 0 for every job, whatever their text says.

``--build`` rewrites the JSON from the rules (it needs only the labelled data).

Rankers, each ranking the whole pool for every job (ties broken by resume number):

* BM25: ``rank_bm25.BM25Okapi`` over lower-cased word tokens (English stop words removed) of
  the resume text; the query is the job's title, description, required and preferred skills;
* TF-IDF: ``TfidfVectorizer(sublinear_tf=True, stop_words="english")`` fitted on the pool's
  texts, cosine between the same query and each resume;
* ours: every resume parsed with ``parse_text``, in-memory ``Candidate`` and ``Job`` objects,
  features and vectors as the matching service builds them, ``scoring.score`` (total),
  plus two ablations: without the semantic category, and the semantic category alone.

Metric: NDCG@10 with gains 2^grade - 1 and a log2 discount, averaged over jobs.  Shown for
the whole pool (the parser's CRF was trained on dotin-1..250, so ours is optimistic there)
and again for the evaluation part dotin-251..310 alone (jobs with a grade >= 2 resume there).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/resumes-labelled/dotin-train.jsonl"
)
DEFAULT_SET = REPO / "bench/data/match_ranking.json"
sys.path.insert(0, str(REPO / "src"))

K = 10
EVAL_FIRST = 251  # dotin-251..310: the evaluation part (the parser never trained on it)
MIN_RELEVANT = 3  # a job is kept when at least this many resumes have grade >= 2
SKILL_LABELS = ("Tech Tools", "Job Specific Skills", "Soft Skills")
ROLE_LABEL = "Designation"
GRADING = (
    "grade 3 = role match and skill coverage >= 0.5; 2 = role match, or coverage >= 0.5; "
    "1 = coverage >= 0.25; 0 otherwise. Role match: a gold Designation entity contains one of "
    "the job's role phrases as whole words (case-folded; '=phrase' must be the whole "
    "designation; designations containing an excluded phrase do not count). Skill coverage: "
    "share of the job's required skills found among the gold Tech Tools / Job Specific Skills "
    "/ Soft Skills entities, a skill being found when one of its spellings occurs in an entity "
    "as whole words."
)

# --- the ranking set: jobs and gold-only relevance -------------------------------------

# Other spellings of a skill (keys and values lower case); the name itself always counts.
ALIASES: dict[str, tuple[str, ...]] = {
    # software
    "java": ("java", "core java", "j2se"),
    "j2ee": ("j2ee", "java ee", "jee"),
    "spring": ("spring",),
    "sql": ("sql", "pl/sql", "plsql", "t-sql", "mysql", "sql server"),
    "rest": ("rest", "restful", "web services"),
    "restful web services": ("rest", "restful", "web services"),
    "junit": ("junit", "unit testing", "unit tests"),
    "servlets": ("servlet", "servlets"),
    "c#": ("c#", "c sharp"),
    ".net": (".net", "dot net", "asp.net", "vb.net"),
    "asp.net": ("asp.net", "asp .net"),
    "sql server": ("sql server", "mssql", "ms sql", "sql/server"),
    "mvc": ("mvc",),
    "javascript": ("javascript", "js"),
    "html": ("html", "html5", "xhtml", "dhtml"),
    "css": ("css", "css3", "cascading style sheets"),
    "jquery": ("jquery",),
    "ui design": ("ui design", "ui", "user interface", "ux"),
    "seo": ("seo", "search engine optimization", "search engine optimisation"),
    "lamp": ("lamp",),
    "android": ("android",),
    "git": ("git", "github"),
    "ios": ("ios", "iphone"),
    # testing
    "software testing": ("testing", "quality assurance"),
    "selenium": ("selenium",),
    "test cases": ("test cases", "test case", "test scripts"),
    "regression testing": ("regression", "regressiontesting"),
    "qtp": ("qtp", "uft"),
    "quality center": ("quality center", "alm"),
    "test plans": ("test plans", "test plan", "test strategies", "test strategy"),
    # infrastructure
    "linux": ("linux", "unix"),
    "jenkins": ("jenkins",),
    "aws": ("aws", "amazon web services", "ec2", "s3"),
    "shell scripting": ("shell", "bash", "powershell"),
    "cisco": ("cisco", "ccna"),
    "routing protocols": ("routing", "ospf", "eigrp", "bgp"),
    "tcp/ip": ("tcp/ip", "tcp"),
    "lan": ("lan", "local area network"),
    "vlan": ("vlan", "vlans"),
    "firewall": ("firewall", "firewalls"),
    "network security": ("network security", "networking security"),
    "windows": ("windows",),
    "troubleshooting": ("troubleshooting", "troubleshoot"),
    "exchange server": ("exchange",),
    "incident management": ("incident management", "incident", "incidents", "ticketing"),
    "office 365": ("office 365", "o365"),
    "networking": ("networking", "network"),
    "windows server": ("windows server",),
    # data
    "oracle": ("oracle",),
    "pl/sql": ("pl/sql", "plsql", "pl sql"),
    "unix": ("unix", "solaris", "hp-ux", "aix"),
    "toad": ("toad",),
    "database administration": (
        "database administration",
        "database management",
        "database design",
        "dba",
        "data modeling",
    ),
    "performance tuning": ("performance tuning", "tuning", "query optimization"),
    "data analysis": (
        "data analysis",
        "data analyses",
        "data mining",
        "analytics",
        "data cleaning",
        "data quality",
    ),
    "excel": ("excel",),
    "business intelligence": (
        "business intelligence",
        "bi",
        "msbi",
        "ssrs",
        "ssas",
        "obiee",
        "business objects",
        "dashboards",
    ),
    "sas": ("sas",),
    "spss": ("spss",),
    "data warehousing": ("data warehousing", "data warehouse", "datawarehouse"),
    "machine learning": ("machine learning", "artificial intelligence"),
    "python": ("python",),
    "data mining": ("data mining",),
    "statistics": ("statistics", "statistical", "econometric"),
    # SAP
    "sap": ("sap",),
    "abap": ("abap",),
    "bapi": ("bapi",),
    "smartforms": ("smartforms", "smart forms"),
    "idoc": ("idoc", "idocs"),
    "sap sd": ("sap sd", "sd"),
    "sap mm": ("sap mm", "mm"),
    # business and management
    "requirements gathering": ("requirement", "requirements", "requirements gathering"),
    "business analysis": ("business analysis", "gap analysis", "business process"),
    "use cases": ("use cases", "use case", "user stories", "user story"),
    "agile": ("agile", "scrum"),
    "uml": ("uml",),
    "visio": ("visio",),
    "user acceptance testing": ("user acceptance", "uat", "acceptance testing"),
    "project management": ("project management", "program management", "pmo"),
    "risk management": ("risk management", "risk planning", "risk", "risks"),
    "change management": ("change management", "change requests"),
    "budgeting": ("budgeting", "budget", "budgets", "budgetary"),
    "stakeholder management": ("stakeholder", "stakeholders"),
    "ms project": ("ms project", "microsoft project"),
    "six sigma": ("six sigma",),
    # marketing and sales
    "digital marketing": (
        "digital marketing",
        "online marketing",
        "internet marketing",
        "digital strategy",
        "digital strategies",
        "social media marketing",
        "digital advertising",
    ),
    "social media": ("social media", "social networking", "social marketing"),
    "market research": ("market research", "competitor analysis", "competitive analysis"),
    "google analytics": ("google analytics",),
    "google adwords": ("adwords", "ppc", "sem", "search engine marketing"),
    "content marketing": ("content", "copywriting", "copy writing"),
    "branding": ("branding", "brand"),
    "sales": ("sales", "selling"),
    "business development": (
        "business development",
        "new business",
        "lead generation",
        "channel development",
    ),
    "negotiation": ("negotiation", "negotiations", "negotiating"),
    "customer relationship management": (
        "customer relationship",
        "customer relationships",
        "client relationship",
        "relationship management",
        "account management",
        "crm",
    ),
    "lead generation": ("lead generation", "lead genearation"),
    "salesforce": ("salesforce",),
    "communication": ("communication", "communications", "communicator"),
    # education
    "lesson planning": ("lesson planning", "lesson plans", "lesson plan", "lesson"),
    "classroom management": (
        "classroom management",
        "classroom supervision",
        "behaviour management",
        "behavior management",
        "behavioral management",
        "discipline",
    ),
    "curriculum development": ("curriculum",),
    "student assessment": ("assessment", "assessments", "student evaluation", "evaluating"),
    "differentiated instruction": ("differentiated instruction",),
    "special education": ("special education", "special needs", "sped"),
    "elementary education": ("elementary education", "early childhood", "primary education"),
    "smartboard": ("smartboard", "smart board"),
    "microsoft office": ("microsoft office", "ms office", "word", "powerpoint", "excel"),
    "students with disabilities": ("disabilities", "disability", "special needs"),
    "behavior management": (
        "behavior management",
        "behaviour management",
        "behavioral",
        "behaviour",
        "behavior",
        "pbis",
    ),
    "assistive technology": ("assistive technology", "augmentative communication"),
    "counseling": ("counseling", "counselling"),
    "applied behavior analysis": ("applied behavioral", "applied behavior", "aba"),
    "physical education": ("physical education",),
    "coaching": ("coaching", "coach"),
    "physical fitness": ("fitness", "exercise"),
    "health education": ("health education", "health awareness", "nutrition"),
    "kinesiology": ("kinesiology",),
    "team sports": (
        "team sports",
        "football",
        "soccer",
        "basketball",
        "volleyball",
        "baseball",
        "tennis",
    ),
    "first aid": ("first aid",),
    "school administration": (
        "school administration",
        "high school administration",
        "school operations",
        "educational policies",
        "education administration",
        "educational management",
        "administrative duties",
    ),
    "staff development": ("staff development", "staff evaluations", "staff selection"),
    "strategic planning": ("strategic planning", "strategic"),
    "professional development": ("professional development",),
    "policies and procedures": ("policies", "procedures"),
    "student discipline": ("disciplinary", "discipline"),
    "teaching": ("teaching", "lecturing", "lectures", "instruction", "instructional"),
    "research": ("research", "research methodologies"),
    "grant writing": ("grant writing", "grants"),
    "mentoring": ("mentoring", "mentor"),
    "career development": ("career development", "career services", "career", "job search"),
    "academic advising": ("academic planning", "academic advising", "advising", "admissions"),
    "mental health": ("mental health", "psychological", "psychiatric", "social work"),
    "psychology": ("psychology",),
    "crisis intervention": ("crisis intervention", "crisis"),
    "group counseling": ("group counseling", "group counselling"),
    # legal
    "legal research": ("legal research",),
    "litigation": ("litigation", "litigations"),
    "contract drafting": ("drafting", "contracts", "contract", "agreements"),
    "commercial law": (
        "commercial law",
        "company law",
        "company laws",
        "corporate law",
        "business law",
        "business laws",
        "mercantile law",
        "contract law",
        "trade law",
        "securities law",
    ),
    "legal advice": ("legal advice", "legal solutions"),
    "arbitration": ("arbitration", "dispute resolution", "mediation"),
    "company law": ("company law", "company laws", "corporate law"),
    "employment law": ("employment law", "labor law", "labour law"),
    "contract negotiation": ("contract negotiations", "contract negotiation"),
    "westlaw": ("westlaw", "lexis", "lexisnexis"),
    "case preparation": ("case preparation", "case files", "court procedures", "court"),
    "document management": ("document management", "documents", "diary management"),
    "drafting": ("drafting",),
    "pacer": ("pacer",),
    "family law": ("family law",),
    # finance and HR
    "accounting": ("accounting", "accounts", "accountcom"),
    "bookkeeping": ("bookkeeping", "book keeping", "ledger", "accounts payable"),
    "financial reporting": (
        "financial reporting",
        "financial statements",
        "financial analysis",
        "financial",
    ),
    "erp": ("erp", "enterprise resource planning"),
    "sap fi": ("sap fi",),
    "financial analysis": ("financial analysis", "financial modeling"),
    "quickbooks": ("quickbooks", "tally", "peachtree", "quicken"),
    "recruitment": ("recruitment", "recruiting", "staffing", "hiring"),
    "human resources": ("human resources", "hr", "personnel management", "human capital"),
    "training and development": ("training", "staff development"),
    "employee relations": ("employee relations", "employment relations"),
    "payroll": ("payroll",),
    "hr law": ("hr law", "employment law", "labor law"),
}


@dataclass(frozen=True)
class JobDef:
    """A job of the ranking set and the rule its relevance grades follow."""

    id: str
    title: str
    description: str
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    min_years: float | None
    education: str
    roles: tuple[str, ...]
    exclude_roles: tuple[str, ...] = ()


JOBS: tuple[JobDef, ...] = (
    JobDef(
        id="java-developer",
        title="Java Developer",
        description=(
            "We are hiring a Java developer to build and maintain server-side enterprise "
            "applications for our banking and insurance clients. You will design services with "
            "Spring and Hibernate on top of Oracle and MySQL databases, write unit tests and "
            "take part in code reviews. Hands-on J2EE experience (Servlets, JSP) and build "
            "tools such as Maven are expected. You will work in an agile team with testers and "
            "business analysts."
        ),
        required=("Java", "J2EE", "Spring", "Hibernate", "SQL"),
        preferred=("JSP", "Servlets", "Struts", "Maven", "JUnit", "REST"),
        min_years=3,
        education="bachelor",
        roles=("java developer", "java programmer", "j2ee developer", "java j2ee developer"),
    ),
    JobDef(
        id="dotnet-developer",
        title=".NET Developer",
        description=(
            "Join our Microsoft-stack team building customer portals and internal tools. You "
            "will develop ASP.NET MVC web applications and services in C#, backed by SQL "
            "Server, write stored procedures and deploy to Azure. We value clean "
            "object-oriented design and unit testing. Familiarity with JavaScript and Visual "
            "Studio tooling is expected."
        ),
        required=("C#", ".NET", "ASP.NET", "SQL Server"),
        preferred=("MVC", "JavaScript", "Visual Studio", "Azure", "SSIS"),
        min_years=3,
        education="bachelor",
        roles=(".net developer", "dot net developer", "c# developer", "asp.net developer"),
    ),
    JobDef(
        id="php-developer",
        title="PHP Web Developer",
        description=(
            "We build e-commerce and content-managed websites for small businesses. As a PHP "
            "developer you will write server-side code on the LAMP stack, design MySQL "
            "schemas and build pages with HTML, CSS and JavaScript. Experience with a CMS such "
            "as WordPress, Joomla or Drupal and with jQuery and AJAX is a plus. You will talk "
            "to clients directly about their requirements."
        ),
        required=("PHP", "MySQL", "HTML", "CSS", "JavaScript"),
        preferred=("jQuery", "AJAX", "WordPress", "Joomla", "Drupal", "LAMP"),
        min_years=2,
        education="bachelor",
        roles=("php", "drupal", "web developer", "website developer", "web development"),
    ),
    JobDef(
        id="android-developer",
        title="Android Developer",
        description=(
            "We are building consumer mobile apps and need an Android developer. You will "
            "write Android applications in Java, integrate RESTful web services, store data "
            "locally with SQLite and publish releases to the Play Store. Code lives in Git and "
            "is built on Jenkins. Experience with iOS and Objective-C is a plus."
        ),
        required=("Android", "Java", "RESTful web services", "Git"),
        preferred=("iOS", "Objective-C", "SQLite", "JUnit", "Jenkins"),
        min_years=2,
        education="bachelor",
        roles=(
            "android",
            "mobile developer",
            "mobile application developer",
            "mobile application development",
            "ios developer",
        ),
    ),
    JobDef(
        id="qa-automation",
        title="QA / Test Automation Engineer",
        description=(
            "Our QA team is hiring a test automation engineer. You will write test plans and "
            "test cases, automate regression suites with Selenium WebDriver, run functional, "
            "integration and regression testing, and log defects in JIRA or HP Quality "
            "Center. You will work within an agile team and take part in the whole software "
            "testing life cycle."
        ),
        required=("Software testing", "Selenium", "Test cases", "Regression testing"),
        preferred=("QTP", "JIRA", "Quality Center", "Agile", "Test plans", "Test automation"),
        min_years=3,
        education="bachelor",
        roles=(
            "test engineer",
            "test manager",
            "test lead",
            "test analyst",
            "test automation",
            "tester",
            "software testing",
            "qa",
            "quality assurance",
            "sdet",
            "quality engineer",
            "quality engineering",
        ),
    ),
    JobDef(
        id="devops-engineer",
        title="DevOps Engineer",
        description=(
            "We need a DevOps engineer to own our build and release pipelines and our cloud "
            "infrastructure. You will maintain CI/CD with Jenkins, automate deployments with "
            "shell and Python scripts and Ansible, run Linux servers on AWS and keep "
            "everything in Git. Experience with Docker, Maven and monitoring tools is a plus."
        ),
        required=("Linux", "Jenkins", "Git", "AWS", "Shell scripting"),
        preferred=("Ansible", "Docker", "Python", "Maven", "Azure"),
        min_years=3,
        education="bachelor",
        roles=("devops", "dev ops", "site reliability", "release engineer", "cloud engineer"),
    ),
    JobDef(
        id="sap-abap",
        title="SAP ABAP Consultant",
        description=(
            "A consulting practice is looking for an SAP ABAP consultant for implementation "
            "and support projects on SAP ECC 6.0. You will write reports, interfaces, "
            "enhancements and forms (Smartforms, BAPIs, IDocs), work with SD, MM and FI "
            "functional consultants on specifications, and support end users after go-live. "
            "Knowledge of SAP PI or Fiori is a plus."
        ),
        required=("SAP", "ABAP", "BAPI", "Smartforms"),
        preferred=("IDoc", "SAP SD", "SAP MM", "SAP PI", "SAP Fiori"),
        min_years=3,
        education="bachelor",
        roles=("sap", "abap"),
    ),
    JobDef(
        id="network-engineer",
        title="Network Engineer",
        description=(
            "We run a multi-site enterprise network and need a network engineer to configure "
            "and troubleshoot Cisco routers, switches and firewalls. You will manage LAN and "
            "WAN links, VLANs and routing protocols (OSPF, EIGRP, BGP), resolve TCP/IP, DNS "
            "and DHCP issues, and keep network security up to date. CCNA certification is "
            "preferred."
        ),
        required=("Cisco", "Routing protocols", "TCP/IP", "LAN", "VLAN"),
        preferred=("OSPF", "EIGRP", "BGP", "DNS", "DHCP", "Firewall", "Network security"),
        min_years=2,
        education="bachelor",
        roles=(
            "network engineer",
            "networks engineer",
            "network administrator",
            "network administration",
            "networking professional",
            "networking design",
        ),
    ),
    JobDef(
        id="it-support",
        title="IT Support Engineer (Windows / Exchange)",
        description=(
            "Our IT service desk needs a second-line support engineer for about 800 users. You "
            "will troubleshoot Windows desktops and servers, administer Active Directory "
            "accounts and Exchange / Office 365 mailboxes, handle incidents through the "
            "ticketing system and look after VMware virtual machines. Clear communication "
            "with non-technical users is essential."
        ),
        required=(
            "Windows",
            "Troubleshooting",
            "Active Directory",
            "Exchange Server",
            "Incident management",
        ),
        preferred=("Office 365", "VMware", "Networking", "Windows Server", "Linux"),
        min_years=2,
        education="bachelor",
        roles=(
            "technical support",
            "tech support",
            "it support",
            "help desk",
            "helpdesk",
            "service desk",
            "support engineer",
            "desktop support",
            "system administrator",
            "systems administrator",
            "system administration",
            "computer technician",
        ),
    ),
    JobDef(
        id="database-developer",
        title="Oracle Database Developer / DBA",
        description=(
            "We are looking for a database developer and administrator to look after our "
            "Oracle and SQL Server databases. You will write and tune SQL and PL/SQL "
            "(procedures, packages, triggers), design schemas, manage backups and user "
            "access, and support the reporting team. Unix shell scripting and tools such as "
            "TOAD are a plus."
        ),
        required=("Oracle", "PL/SQL", "Database administration", "Performance tuning"),
        preferred=("SQL", "SQL Server", "Unix", "TOAD", "Shell scripting", "Data warehousing"),
        min_years=3,
        education="bachelor",
        roles=(
            "database",
            "dba",
            "sql developer",
            "pl sql developer",
            "oracle developer",
        ),
    ),
    JobDef(
        id="data-analyst",
        title="Data Analyst (SQL / BI)",
        description=(
            "The analytics team needs a data analyst to turn raw operational data into "
            "reports and insights. You will query SQL databases, clean and analyse data with "
            "SAS, SPSS or Python, build dashboards in Tableau and maintain SSIS / SSRS "
            "data-warehouse jobs. A degree in statistics, mathematics or a related field is "
            "preferred."
        ),
        required=("Data analysis", "SQL", "SAS", "Business intelligence"),
        preferred=("Excel", "SPSS", "Tableau", "Python", "SSIS", "Data warehousing"),
        min_years=2,
        education="bachelor",
        roles=(
            "data analyst",
            "business intelligence",
            "bi developer",
            "msbi developer",
            "reporting",
            "quantitative analyst",
            "data scientist",
        ),
    ),
    JobDef(
        id="business-analyst",
        title="IT Business Analyst",
        description=(
            "We are hiring a business analyst to bridge our business users and development "
            "teams. You will run requirements-gathering workshops, write business "
            "requirement documents, use cases and user stories, model processes in UML and "
            "Visio, and support user acceptance testing. Experience in agile projects and "
            "with SQL for data checks is a plus."
        ),
        required=("Requirements gathering", "Business analysis", "Use cases", "Agile"),
        preferred=("UML", "Visio", "SQL", "JIRA", "User acceptance testing"),
        min_years=3,
        education="bachelor",
        roles=(
            "business analyst",
            "business analysis",
            "systems analyst",
            "system analyst",
            "requirements analyst",
        ),
    ),
    JobDef(
        id="project-manager",
        title="IT Project Manager",
        description=(
            "We need an experienced project manager to deliver software and infrastructure "
            "projects for enterprise clients. You will plan scope, schedule and budget, "
            "manage risks and change requests, run agile ceremonies or a waterfall plan as "
            "the project needs, and report to stakeholders. PMP or Six Sigma certification "
            "and MS Project experience are a plus."
        ),
        required=("Project management", "Risk management", "Agile", "Change management"),
        preferred=("MS Project", "Budgeting", "Stakeholder management", "Six Sigma", "PMP"),
        min_years=5,
        education="bachelor",
        roles=(
            "project manager",
            "program manager",
            "programme manager",
            "project management",
            "program management",
            "pmo",
            "project leader",
            "project lead",
            "scrum master",
            "delivery manager",
        ),
    ),
    JobDef(
        id="digital-marketing",
        title="Digital Marketing Specialist",
        description=(
            "A consumer brand is hiring a digital marketing specialist to grow its online "
            "presence. You will plan and run social media campaigns, manage SEO and Google "
            "AdWords budgets, measure results in Google Analytics, write content for the "
            "website and blog, and run market research on customers and competitors."
        ),
        required=("Digital marketing", "Social media", "SEO", "Market research"),
        preferred=(
            "Google Analytics",
            "Google AdWords",
            "Content marketing",
            "WordPress",
            "Branding",
        ),
        min_years=2,
        education="bachelor",
        roles=(
            "marketing",
            "marketer",
            "social media",
            "advertising",
            "advertiser",
            "copywriter",
            "copy writer",
        ),
    ),
    JobDef(
        id="sales-executive",
        title="B2B Sales Executive",
        description=(
            "We sell software and hardware to mid-size businesses and need a sales executive "
            "to grow a territory. You will generate leads, run the full sales cycle from "
            "first call to contract negotiation, manage key accounts and keep the pipeline up "
            "to date in the CRM. Strong communication and a track record against targets are "
            "essential."
        ),
        required=(
            "Sales",
            "Business development",
            "Negotiation",
            "Customer relationship management",
        ),
        preferred=("Lead generation", "Salesforce", "Communication", "Excel"),
        min_years=2,
        education="",
        roles=("sales", "account manager", "account executive", "business development"),
    ),
    JobDef(
        id="accountant",
        title="Accountant",
        description=(
            "A growing distribution company is looking for an accountant to run day-to-day "
            "bookkeeping and the monthly close. You will maintain the general ledger, "
            "accounts payable and receivable, reconcile bank accounts, prepare financial "
            "statements and budgets, and support the auditors. Advanced Excel and experience "
            "with an ERP (SAP FI, Oracle, QuickBooks or Tally) are required."
        ),
        required=("Accounting", "Bookkeeping", "Financial reporting", "Excel"),
        preferred=("ERP", "SAP FI", "Budgeting", "Financial analysis", "QuickBooks"),
        min_years=2,
        education="bachelor",
        roles=(
            "accountant",
            "bookkeeper",
            "finance",
            "financial",
            "cfo",
            "cpa",
        ),
    ),
    JobDef(
        id="elementary-teacher",
        title="Elementary School Teacher",
        description=(
            "Our primary school is looking for a classroom teacher for grades 1 to 5. You "
            "will plan and deliver lessons across the curriculum, manage the classroom, "
            "assess and report on student progress, and differentiate instruction for "
            "learners with special needs. A teaching certification and experience in student "
            "teaching or substitute teaching are required; SmartBoard skills are a plus."
        ),
        required=(
            "Lesson planning",
            "Classroom management",
            "Curriculum development",
            "Student assessment",
        ),
        preferred=(
            "Differentiated instruction",
            "Special education",
            "Elementary education",
            "SmartBoard",
            "Microsoft Office",
        ),
        min_years=1,
        education="bachelor",
        roles=("teacher", "teachers", "student teaching", "elementary teaching", "tutor"),
    ),
    JobDef(
        id="special-education-teacher",
        title="Special Education Teacher",
        description=(
            "We are hiring a special education teacher for a resource room serving students "
            "with learning and behavioural disabilities. You will write and carry out "
            "individualised education programmes, adapt lesson plans, use positive behaviour "
            "support strategies and assistive technology, and work with parents, therapists "
            "and general education teachers."
        ),
        required=(
            "Special education",
            "Lesson planning",
            "Behavior management",
            "Students with disabilities",
        ),
        preferred=(
            "Assistive technology",
            "Classroom management",
            "Counseling",
            "Applied behavior analysis",
            "Student assessment",
        ),
        min_years=1,
        education="bachelor",
        roles=(
            "special education",
            "sped",
            "intervention specialist",
            "integration aide",
            "resource specialist",
            "special needs",
        ),
    ),
    JobDef(
        id="pe-teacher",
        title="Physical Education Teacher and Coach",
        description=(
            "A secondary school needs a physical education teacher who will also coach one of "
            "our sports teams. You will teach PE and health classes, plan fitness and "
            "team-sport units, keep students safe while managing large groups, and coach "
            "after-school practices and matches. Knowledge of kinesiology, first aid and "
            "exercise physiology is valued."
        ),
        required=("Physical education", "Coaching", "Physical fitness", "Health education"),
        preferred=("Kinesiology", "Team sports", "Classroom management", "First aid"),
        min_years=1,
        education="bachelor",
        roles=("physical education", "coach", "pe teacher"),
    ),
    JobDef(
        id="school-principal",
        title="School Principal / Education Administrator",
        description=(
            "A K-12 school district is hiring a principal to lead one of its schools. You "
            "will manage school operations and budgets, recruit, evaluate and develop staff, "
            "lead curriculum and instructional improvement, enforce student discipline "
            "policies, and work with parents and the district board. A master's degree in "
            "education administration and teaching experience are required."
        ),
        required=(
            "School administration",
            "Staff development",
            "Budgeting",
            "Curriculum development",
        ),
        preferred=(
            "Strategic planning",
            "Professional development",
            "Policies and procedures",
            "Student discipline",
        ),
        min_years=5,
        education="master",
        roles=(
            "=principal",
            "assistant principal",
            "school principal",
            "high school principal",
            "building principal",
            "education administrator",
            "educational administrator",
            "higher education administrator",
            "dean",
            "school director",
            "campus director",
            "provost",
        ),
    ),
    JobDef(
        id="counsellor",
        title="School and Career Counsellor",
        description=(
            "Our student services office is hiring a counsellor to support students' "
            "academic, career and personal development. You will hold one-to-one counselling "
            "sessions, advise on academic planning and career choices, run workshops on job "
            "search and resumes, and refer students to mental health services when needed. A "
            "master's degree in counselling, psychology or higher education is required."
        ),
        required=("Counseling", "Career development", "Academic advising", "Mental health"),
        preferred=("Psychology", "Crisis intervention", "Group counseling", "Microsoft Office"),
        min_years=1,
        education="master",
        roles=(
            "counselor",
            "counsellor",
            "counseling",
            "counselling",
            "career mentor",
            "career services",
            "career ambassador",
            "admissions advisor",
        ),
        exclude_roles=("camp counselor",),
    ),
    JobDef(
        id="university-lecturer",
        title="University Lecturer",
        description=(
            "The faculty is appointing a lecturer to teach undergraduate and graduate "
            "courses. You will prepare and deliver lectures and seminars, design course "
            "curricula and assessments, supervise student projects, mentor students, and "
            "keep an active research and publication record, including grant applications."
        ),
        required=("Teaching", "Research", "Curriculum development", "Student assessment"),
        preferred=("Mentoring", "Grant writing", "Program management", "Public speaking"),
        min_years=3,
        education="master",
        roles=("lecturer", "professor", "adjunct", "faculty", "course instructor"),
    ),
    JobDef(
        id="lawyer",
        title="Commercial Lawyer (Associate Attorney)",
        description=(
            "A mid-size law firm is hiring an associate attorney for its commercial practice. "
            "You will advise corporate clients on contracts and company law, draft and "
            "negotiate commercial agreements, conduct legal research, and represent clients "
            "in litigation and arbitration. A law degree (LLB or JD) and admission to the bar "
            "are required; employment or immigration law experience is a plus."
        ),
        required=("Legal research", "Litigation", "Contract drafting", "Commercial law"),
        preferred=(
            "Legal advice",
            "Arbitration",
            "Company law",
            "Employment law",
            "Contract negotiation",
            "Westlaw",
        ),
        min_years=3,
        education="bachelor",
        roles=(
            "attorney",
            "lawyer",
            "solicitor",
            "barrister",
            "legal counsel",
            "legal advisor",
            "legal officer",
            "legal practitioner",
            "law practice",
            "legal practice",
            "legal director",
            "director for legal services",
            "legal manager",
            "legal concessions manager",
            "legal consultant",
        ),
    ),
    JobDef(
        id="paralegal",
        title="Paralegal / Legal Assistant",
        description=(
            "Our litigation practice needs a paralegal to support four attorneys. You will "
            "do legal research, prepare case files and court documents, manage documents and "
            "calendars, draft routine correspondence and pleadings, and use e-filing and "
            "research tools such as PACER and Westlaw. Experience in family or employment "
            "law is a plus."
        ),
        required=("Legal research", "Case preparation", "Document management", "Drafting"),
        preferred=("Litigation", "Westlaw", "PACER", "Microsoft Office", "Family law"),
        min_years=1,
        education="",
        roles=(
            "paralegal",
            "legal assistant",
            "legal secretary",
            "litigation assistant",
            "law clerk",
            "calendar clerk",
            "legal placement",
        ),
    ),
)

_TOKEN = re.compile(r"\.?[a-z0-9+#]+(?:\.[a-z0-9+#]+)*")


@functools.cache
def gold_tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens for gold matching ("Java Script" is one word, "/" splits)."""
    return tuple(_TOKEN.findall(text.lower().replace("java script", "javascript")))


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether `needle` occurs in `haystack` as a run of whole tokens."""
    # tokens hold no spaces, so a padded substring test is a whole-token test
    return bool(needle) and f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def spelling_forms(skill: str) -> list[str]:
    """A skill's name and aliases, lower case."""
    return sorted({skill.lower(), *ALIASES.get(skill.lower(), ())})


@functools.cache
def spellings(skill: str) -> tuple[tuple[str, ...], ...]:
    """A skill's name and aliases as token runs."""
    return tuple(sorted({gold_tokens(f) for f in spelling_forms(skill)} - {()}))


def role_match(job: JobDef, designations: Iterable[Sequence[str]]) -> bool:
    """Whether a gold designation contains one of the job's role phrases (and no exclusion)."""
    excluded = [gold_tokens(p) for p in job.exclude_roles]
    for title in designations:
        if any(contains(title, e) for e in excluded):
            continue
        for phrase in job.roles:
            if phrase.startswith("="):
                if tuple(title) == gold_tokens(phrase[1:]):
                    return True
            elif contains(title, gold_tokens(phrase)):
                return True
    return False


def coverage(job: JobDef, skills: Sequence[Sequence[str]]) -> float:
    """Share of the job's required skills found among the gold skill entities."""
    texts = [f" {' '.join(entity)} " for entity in skills]
    found = sum(
        any(f" {' '.join(form)} " in text for form in spellings(skill) for text in texts)
        for skill in job.required
    )
    return found / len(job.required)


def grade(
    job: JobDef, designations: Sequence[Sequence[str]], skills: Sequence[Sequence[str]]
) -> int:
    """The 0-3 relevance of one resume (its gold entities as token runs) for one job."""
    role = role_match(job, designations)
    share = coverage(job, skills)
    if role and share >= 0.5:
        return 3
    if role or share >= 0.5:
        return 2
    return 1 if share >= 0.25 else 0


def relevance_rule(job: JobDef) -> str:
    """The job's grading rule in words, with its role phrases and skill spellings."""
    skills = "; ".join(f"{s} = {' | '.join(spelling_forms(s))}" for s in job.required)
    rule = f"role phrases: {', '.join(job.roles)}"
    if job.exclude_roles:
        rule += f" (not counting designations with: {', '.join(job.exclude_roles)})"
    return f"{rule}. Required skills and their spellings: {skills}. {GRADING}"


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """The labelled resumes: one {"id", "text", "entities"} object per line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def id_number(resume_id: str) -> int:
    """N in "dotin-N"."""
    return int(resume_id.rsplit("-", 1)[1])


def gold_entities(record: Mapping[str, Any]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """A record's gold designations and skill entities as token runs."""
    designations, skills = [], []
    for e in record["entities"]:
        if e["label"] == ROLE_LABEL:
            designations.append(gold_tokens(e["text"]))
        elif e["label"] in SKILL_LABELS:
            skills.append(gold_tokens(e["text"]))
    return designations, skills


def build_set(records: Sequence[Mapping[str, Any]], data: Path) -> tuple[dict[str, Any], list]:
    """The ranking set from the rules; returns it and the dropped (job id, count) pairs."""
    entities = {r["id"]: gold_entities(r) for r in records}
    jobs, dropped = [], []
    for job in JOBS:
        grades = {rid: grade(job, d, s) for rid, (d, s) in entities.items()}
        relevant = sum(g >= 2 for g in grades.values())
        if relevant < MIN_RELEVANT:
            dropped.append((job.id, relevant))
            continue
        jobs.append(
            {
                "id": job.id,
                "title": job.title,
                "description": job.description,
                "required_skills": list(job.required),
                "preferred_skills": list(job.preferred),
                "min_years": job.min_years,
                "education": job.education,
                "location": "",
                "remote": False,
                "role_keywords": list(job.roles),
                "exclude_role_keywords": list(job.exclude_roles),
                "relevance_rule": relevance_rule(job),
                "grades": {
                    rid: g
                    for rid, g in sorted(grades.items(), key=lambda kv: id_number(kv[0]))
                    if g
                },
            }
        )
    document = {
        "about": (
            "Jobs with graded relevance (0-3) of the dotin labelled resumes, computed from the "
            "gold annotations only by bench/match_quality.py --build; only non-zero grades are "
            "listed. Pool: all resumes of the data file; dotin-1..250 are the parser's "
            "training part, dotin-251..310 its evaluation part."
        ),
        "data": data.name,
        "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "resumes": len(records),
        "grading": GRADING,
        "min_relevant_per_job": MIN_RELEVANT,
        "jobs": jobs,
    }
    return document, dropped


def load_set(path: Path) -> dict[str, Any]:
    """The committed ranking set."""
    return json.loads(path.read_text(encoding="utf-8"))


# --- metric -----------------------------------------------------------------------------


def dcg(gains: Sequence[int], k: int = K) -> float:
    """Discounted cumulative gain of graded relevances in rank order: (2^g - 1) / log2(i + 1)."""
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))


def ndcg(ranked_ids: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """NDCG@k of a ranking against graded relevances (ids missing from `grades` are 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True), k)
    if ideal == 0:
        raise ValueError("no relevant item: NDCG is undefined")
    return dcg([grades.get(i, 0) for i in ranked_ids], k) / ideal


def rank(ids: Sequence[str], scores: Sequence[float]) -> list[str]:
    """Ids by score, highest first; ties by resume number."""
    order = sorted(range(len(ids)), key=lambda i: (-float(scores[i]), id_number(ids[i])))
    return [ids[i] for i in order]


# --- rankers ----------------------------------------------------------------------------


def query_text(job: Mapping[str, Any]) -> str:
    """The baselines' query: title, description, required and preferred skills."""
    parts = [job["title"], job["description"], *job["required_skills"], *job["preferred_skills"]]
    return "\n".join(parts)


_WORD = re.compile(r"\w[\w+#.]*[\w+#]|\w")


def bm25_scores(texts: Sequence[str], jobs: Sequence[Mapping[str, Any]]) -> list[list[float]]:
    """Per job, BM25Okapi scores of every text."""
    from rank_bm25 import BM25Okapi
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    def tokens(text: str) -> list[str]:
        return [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]

    bm25 = BM25Okapi([tokens(t) for t in texts])
    return [bm25.get_scores(tokens(query_text(job))).tolist() for job in jobs]


def tfidf_scores(texts: Sequence[str], jobs: Sequence[Mapping[str, Any]]) -> list[list[float]]:
    """Per job, cosine of TF-IDF vectors (fitted on the pool) between query and every text."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    docs = vectorizer.fit_transform(texts)
    queries = vectorizer.transform([query_text(job) for job in jobs])
    return (queries @ docs.T).toarray().tolist()


@dataclass
class Ours:
    """The parsed pool as the matching service sees it."""

    candidates: list[Any]
    matrix: Any
    embedder: Any
    parse_seconds: float
    encode_seconds: float


def candidate_from(result: Any, text: str) -> Any:
    """An unsaved Candidate from a parse result and the resume text, as an import files it."""
    from hotgigs.candidates.models import Candidate
    from hotgigs.candidates.search import degree_level
    from hotgigs.candidates.service import search_document

    resume = result.resume
    basics = resume.get("basics") or {}
    place = basics.get("location") or {}
    location = ", ".join(str(place[k]) for k in ("city", "region", "countryCode") if place.get(k))
    return Candidate(
        full_name=basics.get("name") or "",
        headline=basics.get("label") or "",
        location=location,
        resume=resume,
        total_years_experience=result.meta.get("total_years_experience"),
        degree_level=degree_level(resume),
        search_document=search_document(resume, text),
        mentioned_skills=[m["name"] for m in result.meta.get("skill_mentions") or []],
    )


def prepare_ours(texts: Sequence[str], embedder_choice: str) -> Ours:
    """Parse every resume, build candidates, vectors and the feature matrix."""
    from hotgigs.matching import features as match_features
    from hotgigs.matching import scoring, semantic
    from hotgigs.parsing import parse_text

    started = time.perf_counter()
    candidates = [candidate_from(parse_text(t), t) for t in texts]
    parse_seconds = time.perf_counter() - started
    embedder = semantic.get_embedder(embedder_choice)
    started = time.perf_counter()
    vectors = embedder.encode([match_features.profile_text(c) for c in candidates])
    encode_seconds = time.perf_counter() - started
    stored = [
        {**match_features.feature_values(c), "vector": semantic.to_bytes(vector)}
        for c, vector in zip(candidates, vectors, strict=True)
    ]
    rows = match_features.feature_rows(stored)
    matrix = scoring.FeatureMatrix(rows, dimensions=vectors.shape[1])
    return Ours(candidates, matrix, embedder, parse_seconds, encode_seconds)


def job_model(job: Mapping[str, Any], weights: Mapping[str, float]) -> Any:
    """An unsaved Job from a ranking-set job."""
    from hotgigs.jobs.models import Job

    return Job(
        title=job["title"],
        description=job["description"],
        required_skills=list(job["required_skills"]),
        preferred_skills=list(job["preferred_skills"]),
        min_years=job["min_years"],
        education=job["education"],
        location=job["location"],
        remote=job["remote"],
        match_weights=dict(weights),
    )


def score_ours(ours: Ours, job: Mapping[str, Any], weights: Mapping[str, float]):
    """Our scorer on one job: (spec, skill names, Scores)."""
    from hotgigs.matching import features as match_features
    from hotgigs.matching import scoring

    model = job_model(job, weights)
    vector = ours.embedder.encode([match_features.job_text(model)])[0]
    spec, names = match_features.job_spec(model, vector)
    return spec, names, scoring.score(spec, ours.matrix, ours.embedder)


VARIANTS: dict[str, dict[str, float]] = {
    "ours": {},
    "ours w/o semantic": {"semantic": 0.0},
    "semantic only": {
        "skills": 0.0,
        "experience": 0.0,
        "education": 0.0,
        "semantic": 1.0,
        "location": 0.0,
    },
}
MAIN = ("BM25", "TF-IDF", "ours")


# --- report -----------------------------------------------------------------------------


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a table with Rich (plain text, no colour, so output is stable)."""
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        t.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        t.add_row(*row)
    Console(width=140, no_color=True, highlight=False).print(t)


def report(
    label: str,
    jobs: Sequence[Mapping[str, Any]],
    rankings: Mapping[str, Mapping[str, list[str]]],
    pool: set[str],
) -> dict[str, float]:
    """Per-job and mean NDCG@10 of every ranker over one pool; returns the means."""
    names = list(rankings)
    rows, sums, used = [], dict.fromkeys(names, 0.0), 0
    for job in jobs:
        grades = {i: g for i, g in job["grades"].items() if i in pool}
        counts = [sum(g == n for g in grades.values()) for n in (3, 2, 1)]
        if counts[0] + counts[1] == 0:
            continue
        used += 1
        values = {}
        for name in names:
            ranked = [i for i in rankings[name][job["id"]] if i in pool]
            values[name] = ndcg(ranked, grades)
            sums[name] += values[name]
        best_baseline = max(values["BM25"], values["TF-IDF"])
        mark = "" if values["ours"] >= best_baseline - 0.1 else " <"
        rows.append(
            [job["id"], "/".join(map(str, counts))]
            + [f"{values[n]:.3f}" for n in names]
            + [f"{values['ours'] - best_baseline:+.3f}{mark}"]
        )
    means = {n: sums[n] / used for n in names} if used else {}
    rows.append(["MEAN", f"{used} jobs"] + [f"{means[n]:.3f}" for n in names] + [""])
    header = ["job", "g3/g2/g1", *names, "ours-best"]
    table(f"NDCG@{K}, {label} ({len(pool)} resumes)", header, rows)
    return means


def explain_losses(
    ours: Ours,
    ids: Sequence[str],
    records: Mapping[str, Mapping[str, Any]],
    jobs: Sequence[Mapping[str, Any]],
    rankings: Mapping[str, Mapping[str, list[str]]],
    margin: float = 0.1,
) -> None:
    """For jobs where ours trails the best baseline, explain its top wrong resumes."""
    from hotgigs.matching import rematch as match_rematch

    row_of = {rid: row for row, rid in enumerate(ids)}
    for job in jobs:
        grades = job["grades"]
        values = {n: ndcg(rankings[n][job["id"]], grades) for n in MAIN}
        if values["ours"] >= max(values["BM25"], values["TF-IDF"]) - margin:
            continue
        spec, names, scores = score_ours(ours, job, {})
        top = rankings["ours"][job["id"]][:K]
        print(f"\n## {job['id']}: ours {values['ours']:.3f}, BM25 {values['BM25']:.3f}, ", end="")
        print(f"TF-IDF {values['TF-IDF']:.3f}")
        print("ours top 10 (grade): " + ", ".join(f"{i}({grades.get(i, 0)})" for i in top))
        print("BM25 top 10 (grade): ", end="")
        print(", ".join(f"{i}({grades.get(i, 0)})" for i in rankings["BM25"][job["id"]][:K]))
        wrong = [i for i in top if grades.get(i, 0) == 0][:3]
        for rid in wrong:
            c = ours.candidates[row_of[rid]]
            row = row_of[rid]
            why = match_rematch.explain_candidate(spec, names, c, scores.breakdown(row))
            gold = [e["text"].strip() for e in records[rid]["entities"] if e["label"] == ROLE_LABEL]
            print(f"  {rid} total {float(scores.total[row]):.1f} {scores.breakdown(row)}")
            print(f"    gold designations: {'; '.join(dict.fromkeys(gold)) or '-'}")
            print(f"    parsed headline: {c.headline!r}; skills: ", end="")
            print(", ".join(s.get("name", "") for s in (c.resume.get("skills") or [])[:12]))
            print(f"    explanation: {why.text}")


def main(argv: list[str] | None = None) -> int:
    """Build the ranking set (--build) or run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled resumes (jsonl)")
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="the ranking set (json)")
    ap.add_argument("--embedder", choices=("auto", "model", "tfidf"), default="auto")
    ap.add_argument("--build", action="store_true", help="rewrite the ranking set and stop")
    ap.add_argument(
        "--explain", action="store_true", help="explain ours' top wrong resumes where it loses"
    )
    args = ap.parse_args(argv)

    print("command:", " ".join(getattr(sys, "orig_argv", sys.argv)))
    records = load_labelled(args.data)
    if args.build:
        document, dropped = build_set(records, args.data)
        args.set.parent.mkdir(parents=True, exist_ok=True)
        args.set.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.set} ({len(document['jobs'])} jobs from {len(records)} resumes)")
        for job in document["jobs"]:
            counts = [sum(g == n for g in job["grades"].values()) for n in (3, 2, 1)]
            print(f"  {job['id']:<28} grades 3/2/1: {'/'.join(map(str, counts))}")
        for job_id, n in dropped:
            print(f"  dropped {job_id}: {n} resumes of grade >= 2 (< {MIN_RELEVANT})")
        return 0

    ranking_set = load_set(args.set)
    digest = hashlib.sha256(args.data.read_bytes()).hexdigest()
    if digest != ranking_set["data_sha256"]:
        print(f"warning: {args.data} differs from the data the ranking set was built from")
    jobs = ranking_set["jobs"]
    by_id = {r["id"]: r for r in records}
    ids = sorted(by_id, key=id_number)
    texts = [by_id[i]["text"] for i in ids]
    eval_pool = {i for i in ids if id_number(i) >= EVAL_FIRST}
    relevant = [sum(g >= 2 for g in job["grades"].values()) for job in jobs]
    print(f"data: {args.data} ({len(ids)} resumes; parser trained on dotin-1..{EVAL_FIRST - 1})")
    print(f"ranking set: {args.set} ({len(jobs)} jobs; each job's rule: relevance_rule)")
    print(f"resumes of grade >= 2 per job: min {min(relevant)}, max {max(relevant)}, ", end="")
    print(f"mean {sum(relevant) / len(jobs):.1f}")

    rankings: dict[str, dict[str, list[str]]] = {}
    for name, scorer in (("BM25", bm25_scores), ("TF-IDF", tfidf_scores)):
        per_job = scorer(texts, jobs)
        rankings[name] = {job["id"]: rank(ids, s) for job, s in zip(jobs, per_job, strict=True)}

    ours = prepare_ours(texts, args.embedder)
    print(f"embedder: {ours.embedder.name}")
    print(f"parse time: {ours.parse_seconds:.1f}s for {len(ids)} resumes ", end="")
    print(f"({1000 * ours.parse_seconds / len(ids):.0f} ms/resume); ", end="")
    print(f"profile vectors: {ours.encode_seconds:.1f}s")
    for name, weights in VARIANTS.items():
        rankings[name] = {
            job["id"]: rank(ids, score_ours(ours, job, weights)[2].total.tolist()) for job in jobs
        }

    print()
    means = report("whole pool, dotin-1..310", jobs, rankings, set(ids))
    print("g3/g2/g1: resumes of each grade; ours-best: ours minus the better baseline, '<' when")
    print("ours trails it by more than 0.1. The parser's CRF was trained on dotin-1..250, so ours")
    print("is optimistic on this pool.")
    print()
    eval_jobs = [j for j in jobs if any(g >= 2 and i in eval_pool for i, g in j["grades"].items())]
    if len(eval_jobs) >= 3:
        report("evaluation part only, dotin-251..310", jobs, rankings, eval_pool)
        print("(only jobs with a resume of grade >= 2 among dotin-251..310 are counted; with one")
        print("or two relevant resumes a job's figure is coarse)")
    else:
        print(f"evaluation part: only {len(eval_jobs)} jobs have a relevant resume there; skipped")
    print()
    for name in ("BM25", "TF-IDF"):
        verdict = "beats" if means["ours"] > means[name] else "does NOT beat"
        print(f"ours {verdict} {name} on the whole pool: {means['ours']:.3f} vs {means[name]:.3f}")
    if args.explain:
        explain_losses(ours, ids, by_id, jobs, rankings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
