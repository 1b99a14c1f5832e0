"""Reading the skills a job posting asks for, on postings as they are written: with the
hiring line, the benefits, the equal-opportunity text and the apply-now line around them."""

from __future__ import annotations

from hotgigs.parsing.jobs import read_job_skills

NURSE = """Registered Nurse - Medical/Surgical Unit
St. Mary's Hospital is hiring! We are hiring compassionate nurses to join our growing team.
About us: we are an equal opportunity employer and value diversity.
Responsibilities
- Provide direct patient care to 5-6 patients per shift
- Administer medications and monitor vital signs
- Document care in the electronic health record (Epic)
Requirements
- Current RN license in the state of Ohio
- BLS and ACLS certification
- 2+ years of acute care experience
Benefits
- Health, dental and vision insurance
- 401(k) with company match, tuition reimbursement, paid time off
- Employee referral program and recruitment bonus
Apply today! Our recruiting team will contact you within a week.
"""

DATA_ENGINEER = """Senior Data Engineer
We're a fast-growing fintech startup hiring across Europe. Join our team of 40 engineers!
What you'll do: build pipelines in Python and Spark on AWS.
Requirements: 5+ years with SQL, Airflow, Kafka. Nice to have: Terraform, dbt.
Perks: remote-first, learning budget, team offsites, marketing events.
We are an equal opportunity employer. No unsolicited resumes from recruitment agencies.
"""

SALES = """Account Executive (SaaS)
Why join us
We are a marketing analytics company with great benefits and a generous sales bonus.
What you'll do
- Own the full sales cycle with mid-market customers
- Keep Salesforce up to date and forecast accurately
Requirements
- 3+ years of B2B sales, excellent negotiation skills
- Experience with Salesforce and HubSpot
How to apply
Send your resume; our recruitment team replies within days.
"""


def test_hiring_benefits_and_apply_lines_ask_for_no_skills() -> None:
    nurse = read_job_skills(NURSE)
    assert {"Patient Care", "Vital Signs", "Epic", "ACLS"} <= set(nurse.required)
    assert not {"Recruitment", "Insurance"} & set(nurse.required + nurse.preferred)

    engineer = read_job_skills(DATA_ENGINEER)
    assert {"Python", "Spark", "AWS", "SQL", "Airflow", "Kafka"} <= set(engineer.required)
    assert "Recruitment" not in engineer.required + engineer.preferred
    assert "Marketing" not in engineer.required + engineer.preferred

    sales = read_job_skills(SALES)
    assert {"Salesforce", "HubSpot", "Negotiation"} <= set(sales.required)
    assert "Recruitment" not in sales.required + sales.preferred
    assert "Marketing" not in sales.required + sales.preferred


def test_a_cue_on_the_line_decides_for_what_follows_it() -> None:
    engineer = read_job_skills(DATA_ENGINEER)
    assert "Terraform" in engineer.preferred
    assert "Kafka" in engineer.required
