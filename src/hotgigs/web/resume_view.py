"""A parsed resume (JSON Resume) as the pages show it: plain text values, readable dates."""

from __future__ import annotations

from typing import Any

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month(value: Any) -> str:
    """A JSON Resume date ("2019-03", "2019") as people read it ("Mar 2019")."""
    if not isinstance(value, str) or not value:
        return ""
    parts = value.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def period(entry: dict[str, Any]) -> str:
    """The span of an entry ("Jan 2019 - Present") from its startDate and endDate."""
    start, end = month(entry.get("startDate")), month(entry.get("endDate"))
    if start and not end and "endDate" in entry and entry["endDate"] is None:
        end = "Present"
    return " \u2013 ".join(p for p in (start, end) if p)


def text(value: Any) -> str:
    """A resume field as text (parsers may put odd types anywhere)."""
    return value.strip() if isinstance(value, str) else ""


def entries(resume: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A section's entries that are objects."""
    section = resume.get(key)
    return [e for e in section if isinstance(e, dict)] if isinstance(section, list) else []


def lines(value: Any) -> list[str]:
    """A list of strings (highlights, keywords, courses), without blanks."""
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def sections(resume: dict[str, Any]) -> dict[str, Any]:
    """The parsed resume, shaped for the template (every value still plain text)."""
    basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
    profiles = [
        {
            "network": text(p.get("network")),
            "url": text(p.get("url")),
            "user": text(p.get("username")),
        }
        for p in basics.get("profiles") or []
        if isinstance(p, dict)
    ]
    location = basics.get("location") if isinstance(basics.get("location"), dict) else {}
    return {
        "summary": text(basics.get("summary")),
        "place": ", ".join(
            str(location[k]) for k in ("city", "region", "countryCode") if location.get(k)
        ),
        "url": text(basics.get("url")),
        "profiles": [p for p in profiles if p["url"] or p["user"]],
        "work": [
            {
                "position": text(w.get("position")),
                "name": text(w.get("name")),
                "location": text(w.get("location")),
                "period": period(w),
                "summary": text(w.get("summary")),
                "highlights": lines(w.get("highlights")),
            }
            for w in entries(resume, "work")
        ],
        "education": [
            {
                "institution": text(e.get("institution")),
                "degree": " in ".join(
                    v for v in (text(e.get("studyType")), text(e.get("area"))) if v
                ),
                "period": period(e),
                "score": text(e.get("score")),
            }
            for e in entries(resume, "education")
        ],
        "skills": [
            {
                "name": text(s.get("name")),
                "level": text(s.get("level")),
                # Keywords that only repeat the name add nothing.
                "keywords": [
                    k
                    for k in lines(s.get("keywords"))
                    if k.casefold() != text(s.get("name")).casefold()
                ],
            }
            for s in entries(resume, "skills")
            if text(s.get("name"))
        ],
        "languages": [
            {"language": text(lang.get("language")), "fluency": text(lang.get("fluency"))}
            for lang in entries(resume, "languages")
            if text(lang.get("language"))
        ],
        "certificates": [
            {
                "name": text(c.get("name")),
                "issuer": text(c.get("issuer")),
                "date": month(c.get("date")),
            }
            for c in entries(resume, "certificates")
            if text(c.get("name"))
        ],
        "projects": [
            {
                "name": text(p.get("name")),
                "description": text(p.get("description")),
                "period": period(p),
                "highlights": lines(p.get("highlights")),
                "url": text(p.get("url")),
            }
            for p in entries(resume, "projects")
            if text(p.get("name")) or text(p.get("description"))
        ],
    }
