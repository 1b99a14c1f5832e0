"""Degree mentions: the vocabulary of degrees and where a text names one."""

from __future__ import annotations

import re

_DEGREES: list[tuple[str, str]] = [
    (r"ph\.?\s?d\.?|doctor\s+of\s+philosophy|doctorate", "Ph.D"),
    (r"ed\.\s?d\.?|doctor\s+of\s+education", "Ed.D"),
    (r"d\.\s?sc\.?(?![a-z])|doctor\s+of\s+science", "D.Sc"),
    (r"m\.?\s?b\.?\s?a\.?(?![a-z])|master(?:'?s)?\s+(?:of|in)\s+business\s+administration", "MBA"),
    (r"pgdm|pgdbm|pgdba", "PGDM"),
    (r"post[\s\-]?graduate\s+diploma|pg\s+diploma|pgd[a-z]{1,3}", "Post Graduate Diploma"),
    (r"m\.?\s?tech|master\s+of\s+technology", "M.Tech"),
    (r"m\.?\s?sc\.?|master\s+of\s+science\s+\(m\.?sc\)", "M.Sc"),
    (r"m\.?\s?c\.?\s?a\.?(?![a-z])|master\s+of\s+computer\s+applications?", "MCA"),
    (r"m\.?\s?com\.?|master\s+of\s+commerce", "M.Com"),
    (r"m\.\s?ed\.?|m\.?ed(?=\s)|master\s+of\s+education", "M.Ed"),
    (r"m\.?\s?phil\.?|master\s+of\s+philosophy", "M.Phil"),
    (r"m\.?\s?s\.?\s?s?\.?\s?w\.?(?![a-z])|master\s+of\s+social\s+work", "MSW"),
    (r"m\.?\s?f\.?\s?a\.?(?![a-z])|master\s+of\s+fine\s+arts", "MFA"),
    (r"m\.?\s?pharm|master\s+of\s+pharmacy", "M.Pharm"),
    (r"ll\.?\s?m\.?(?![a-z])|master\s+of\s+laws", "LLM"),
    (r"m\.\s?e\.?(?![a-z])|master\s+of\s+engineering", "M.E."),
    (r"m\.\s?s\.?(?![a-z])|master\s+of\s+science", "Master of Science"),
    (r"m\.\s?a\.?(?![a-z])|master\s+of\s+arts", "Master of Arts"),
    (r"m\.\s?d\.?(?![a-z])|doctor\s+of\s+medicine", "MD"),
    (r"mbbs|m\.b\.b\.s\.?", "MBBS"),
    (r"b\.?\s?tech|bachelor\s+of\s+technology", "B.Tech"),
    (r"b\.\s?e\.?(?![a-z])|bachelor\s+of\s+engineering", "B.E."),
    (r"b\.?\s?sc\.?(?![a-z])", "B.Sc"),
    (r"b\.?\s?c\.?\s?a\.?(?![a-z])|bachelor\s+of\s+computer\s+applications?", "BCA"),
    (r"b\.?\s?com\.?(?![a-z])|bachelor\s+of\s+commerce", "B.Com"),
    (r"b\.?\s?b\.?\s?a\.?(?![a-z])|bachelor\s+of\s+business\s+administration", "BBA"),
    (r"b\.?\s?b\.?\s?m\.?(?![a-z])|bachelor\s+of\s+business\s+management", "BBM"),
    (r"b\.\s?ed\.?|b\.?ed(?=\s)|bachelor\s+of\s+education", "B.Ed"),
    (r"b\.?\s?arch\.?|bachelor\s+of\s+architecture", "B.Arch"),
    (r"b\.?\s?pharm|bachelor\s+of\s+pharmacy", "B.Pharm"),
    (r"b\.?\s?f\.?\s?a\.?(?![a-z])|bachelor\s+of\s+fine\s+arts", "BFA"),
    (r"ll\.?\s?b\.?(?![a-z])|bachelor\s+of\s+laws", "LLB"),
    (r"j\.\s?d\.?(?![a-z])|juris\s+doctor", "J.D."),
    (r"b\.\s?s\.?(?![a-z])|bachelor(?:'?s)?\s+of\s+science", "Bachelor of Science"),
    (r"b\.\s?a\.?(?![a-z])|bachelor(?:'?s)?\s+of\s+arts", "Bachelor of Arts"),
    (r"bachelor(?:'?s)?\s+of\s+(?:[A-Z][a-z]+)(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2}", "Bachelor of"),
    (r"master(?:'?s)?\s+of\s+(?:[A-Z][a-z]+)(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2}", "Master of"),
    (r"associate(?:'?s)?\s+(?:degree\s+)?(?:of|in)\s+(?:applied\s+)?(?:arts|science)", "Associate"),
    (r"bachelor'?s?(?:\s+degree)?", "Bachelor's"),
    (r"associate'?s?\s+degree", "Associate's"),
    (r"master'?s?(?:\s+degree)?", "Master's"),
    (r"h\.?\s?s\.?\s?c\.?(?![a-z])|higher\s+secondary|senior\s+secondary|intermediate|12th|xii(?![a-z])"
     r"|class\s+xii|plus\s+two|pre[\s\-]?university|puc(?![a-z])", "Higher Secondary (12th)"),
    (r"s\.?\s?s\.?\s?c\.?(?![a-z])|matriculation|10th|class\s+x(?![a-z])|secondary\s+school",
     "Secondary (10th)"),
    (r"high\s+school\s+diploma|high\s+school|ged(?![a-z])", "High School"),
    (r"diploma", "Diploma"),
]  # fmt: skip
DEGREE_RE = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(f"(?P<d{i}>{p})" for i, (p, _c) in enumerate(_DEGREES)) + ")",
    re.IGNORECASE,
)
# Bare two-letter forms are matched case-sensitively ("BE", "BS", "MS", "MA", "BA").
_BARE_DEGREE = re.compile(
    r"(?<![A-Za-z.])(?P<bare>BE|BS|BSc|MS|MSc|MA|BA|ME|MBA|BTech|MTech|PhD)(?![A-Za-z.])"
    r"(?!\s+(?:Office|Word|Excel|SQL|Access|Project|Dynamics|Visio|Outlook|Windows|DOS|Teams))"
)
_BARE_CANON = {
    "BE": "B.E.", "BS": "Bachelor of Science", "BSc": "B.Sc", "MS": "Master of Science",
    "MSc": "M.Sc", "MA": "Master of Arts", "BA": "Bachelor of Arts", "ME": "M.E.",
    "MBA": "MBA", "BTech": "B.Tech", "MTech": "M.Tech", "PhD": "Ph.D",
}  # fmt: skip


def find_degrees(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, canonical studyType) for degree mentions in a span."""
    out = []
    for m in DEGREE_RE.finditer(text, start, end):
        idx = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)
        canon = _DEGREES[idx][1]
        surface = m.group()
        if canon in ("Bachelor of", "Master of"):
            canon = " ".join(w.capitalize() if w.lower() != "of" else "of" for w in surface.split())
            canon = canon.replace("Bachelors ", "Bachelor ").replace("Bachelor's ", "Bachelor ")
            canon = canon.replace("Masters ", "Master ").replace("Master's ", "Master ")
        elif canon == "Associate":
            canon = "Associate of Science" if "science" in surface.lower() else "Associate of Arts"
        if surface == "intermediate":
            continue  # the word, not the Indian 12th-grade certificate
        if canon in ("High School", "Secondary (10th)") and " " in surface:
            prev = text[max(start, m.start() - 30) : m.start()].split()
            if prev and prev[-1][:1].isupper():
                continue  # "Hosanna National High School" is an institution
        out.append((m.start(), m.end(), canon))
    for m in _BARE_DEGREE.finditer(text, start, end):
        if not any(s <= m.start() < e for s, e, _ in out):
            out.append((m.start(), m.end(), _BARE_CANON[m.group("bare")]))
    out.sort()
    return out
