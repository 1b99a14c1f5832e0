"""Plain-text resumes with known facts, to render into any document format."""

from __future__ import annotations


def sample_resume(
    *,
    name: str = "Priya Raman",
    email: str = "priya.raman@example.com",
    phone: str = "+1 415 555 0134",
    employer: str = "Acme Analytics",
    title: str = "Senior Data Engineer",
) -> list[str]:
    """The lines of a small but realistic resume."""
    return [
        name,
        title,
        f"Email: {email}   Phone: {phone}",
        "San Francisco, CA",
        "",
        "Summary",
        "Data engineer with eight years of experience building pipelines.",
        "",
        "Experience",
        f"{title}, {employer}",
        "Jan 2019 - Present",
        "- Built streaming ingestion with Kafka and Spark.",
        "- Led migration of the warehouse to Snowflake.",
        "Data Engineer, Northwind Traders",
        "Jun 2015 - Dec 2018",
        "- Wrote ETL jobs in Python and SQL.",
        "",
        "Education",
        "University of California, Berkeley",
        "Bachelor of Science in Computer Science, 2015",
        "",
        "Skills",
        "Python, SQL, Apache Spark, Kafka, Docker, Kubernetes, AWS",
    ]
