"""Synthetic resumes (fictional people) in the layouts the parser meets in practice, and
what the parser reads of a text's jobs."""

from hotgigs.parsing import parse_text


def jobs_of(text: str) -> list[dict]:
    """The parsed jobs of a resume text, without their highlights."""
    return [
        {k: v for k, v in job.items() if k != "highlights"}
        for job in parse_text(text).resume.get("work", [])
    ]


INDIAN_WITH_HEADINGS = """\
PRIYA SHARMA
Senior Software Engineer
Bengaluru, Karnataka | priya.sharma@example.in | +91 98450 12345
linkedin.com/in/priya-sharma | github.com/priyasharma

Professional Summary
Backend engineer with 7+ years of experience building payment systems in Java and Go.

Work Experience
Senior Software Engineer
Flipkart Internet Pvt Ltd - Bengaluru, Karnataka
Jan 2019 - Present
\u2022 Led a team of 6 engineers building the payments ledger on k8s and Kafka.
\u2022 Cut p99 latency by 40% with Redis caching.

Software Engineer
Infosys Limited, Pune, Maharashtra
01/2015 \u2013 03/2019
\u2022 Built REST APIs in Java with Spring Boot and PostgreSQL.
\u2022 Wrote JS dashboards for the operations team.

Education
B.Tech in Computer Science and Engineering
National Institute of Technology, Tiruchirappalli
2010 - 2014

Technical Skills
Languages: Java, Go, Python, C, JS
Tools: Docker, Jenkins, Git, Excel

Certifications
AWS Certified Solutions Architect - Amazon Web Services, 2020

Languages
English (Fluent), Hindi (Native), Kannada
"""

US_NURSE_NO_HEADINGS = """\
Jordan A. Reyes
1402 Barton Springs Rd, Austin, TX 78704
Cell: (512) 555-0142 \u00b7 jordan.reyes@example.com

Registered Nurse with ICU and emergency care background; BLS and ACLS certified.

Registered Nurse, St. David's Medical Center, Austin, TX    March, 2015 - till date
Provide patient care for 5-6 critical care patients per shift.
Administer medications and monitor vital signs; document in Epic EMR.

Staff Nurse at Seton Family Hospital (2012 to 2015)
Wound care, infection control and patient education.

Bachelor of Science in Nursing, University of Texas at Austin, 2012
"""

FLAT_EXPORT = (
    '"Jon Feest  2501 N. Blackwelder Ave. #466 Oklahoma City, OK 73106 | 123-345-7890 | '
    "Jon.Feest@example.org    OBJECTIVE  To obtain employment in a driven retail team.    "
    "RETAIL EXPERIENCE  SALES ASSOCIATE  Southern Accents Boutique & Gifts | Jun 2014 - May 2015  "
    "\\xe2\\x80\\xa2 Greeted customers and managed social media accounts (Facebook & Instagram)  "
    "\\xe2\\x80\\xa2 Built weekly merchandising displays    "
    "EDUCATION  BACHELOR OF ARTS, MAJOR IN MUSIC  Oklahoma City University, Oklahoma City, OK | "
    'Aug 2017 - May 2021  GPA: 3.9"'
)

TWO_OVERLAPPING_JOBS = """\
Maria Lopez
maria.lopez@example.com

EMPLOYMENT
Accountant
Delta Finance LLC, Chicago, IL
Jan 2015 - Dec 2018
- Monthly close, reconciliation and financial reporting in QuickBooks.

Tax Consultant
Lakeside Partners LLP
Jun 2017 - Jun 2020
- Prepared tax returns.
"""

ALL_CAPS_NAME_FIELD = """\
CURRICULUM VITAE
NAME: RAHUL KUMAR VERMA
Mobile: 9876543210
Email: rahul.verma@example.co.in
Address: Sector 62, Noida, Uttar Pradesh

ACADEMIC QUALIFICATIONS:
MBA (Finance), Symbiosis Institute of Business Management, 2016
B.Com, Delhi University, 2014

KEY SKILLS
Financial Analysis, Budgeting, Tally, MS Excel, Taxation
"""
