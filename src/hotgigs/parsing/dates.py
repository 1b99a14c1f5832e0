"""Dates, date ranges and durations as resumes write them.

Handles "Jan 2019 - Present", "01/2019 - 03/2021", "2019 to 2021", "since 2017",
"March, 2015 - till date", "Sept 2017 onwards", "2004-05", "Fall 2000" and durations
such as "(3 years)" or "2 years 10 months".  Dates normalise to ``YYYY-MM`` or ``YYYY``;
an open ("present") end is ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19[4-9]\d|20[0-4]\d)"
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_S0 = r"[ \t]{0,12}"  # bounded blanks keep hostile input linear
_S1 = r"[ \t]{1,12}"
_DATE = (
    "(?:(?:" + _DAY + _S1 + "(?:of" + _S1 + ")?)?(?P<PFXmon>" + _MONTH + r")\.?"
    "(?:(?:" + _S0 + "," + _S0 + "|" + _S1 + "|" + _S0 + "[-/]" + _S0 + r"|(?=\d))"
    "(?:" + _DAY + ",?" + _S1 + ")?"
    "(?P<PFXy1>" + _YEAR + ")|" + _S0 + "'" + _S0 + r"(?P<PFXy2>\d\d))(?!\d)"
    "|(?P<PFXseason>spring|summer|fall|autumn|winter)" + _S1 + "(?P<PFXy3>" + _YEAR + r")(?!\d)"
    r"|(?<![\d.])(?P<PFXmnum>0?[1-9]|1[0-2])[/.-](?:[0-3]?\d[/.-])?(?P<PFXy4>"
    + _YEAR
    + r")(?!\.?\d)"
    r"|(?<![\d.$])(?P<PFXy5>" + _YEAR + r")(?:-(?P<PFXm5>0[1-9]|1[0-2])(?:-[0-3]\d|PFXISO))?"
    r"(?![\d%])"
    ")"
)
# "2016-04" alone reads as the years 2016-2004 ("2004-05" is 2004-2005), so a start date
# is ISO year-month only when a range follows ("2016-04 to Present", "2019-03 - 2021-05");
# after a range separator it always is.
_ISO_START = (
    "(?="
    + _S0
    + r"(?:[-\u2013\u2014~]|to|till|until)"
    + _S0
    + "(?:present|current|now|"
    + _YEAR
    + "))"
)
_PRESENT = (
    "(?:present|current(?:ly)?|now|today|ongoing|continuing|till" + _S1 + "(?:date|now|today)"
    "|to" + _S1 + "date|date)"
)
_SEP = (
    "(?:(?=(?i:present|current))|" + _S0 + r"(?:[-\u2013\u2014]+|~|/|\||to|till|until|through"
    "|thru|upto|up" + _S1 + "to)" + _S0 + "|" + _S1 + ")"
)

DATE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<since>since|from|starting|w\.e\.f\.?)"
    + _S1
    + ")?"
    + _DATE.replace("PFXISO", _ISO_START).replace("PFX", "a_")
    + "(?:(?P<sep>"
    + _SEP
    + ")(?:(?P<present>"
    + _PRESENT
    + ")(?![A-Za-z])|"
    + _DATE.replace("PFXISO", "").replace("PFX", "b_")
    + r"|(?<=-)(?P<short>\d\d)(?![\d/.\-]))"
    + "|"
    + _S0
    + "(?P<onwards>onwards?)(?![A-Za-z]))?",
    re.IGNORECASE,
)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
DURATION_RE = re.compile(
    r"(?<![\w.])(?P<num>\d{1,2}(?:\.\d{1,2})?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty)[ \t]{0,12}(?P<plus>\+)?[ \t]{0,12}(?:years?|yrs?)(?![a-z])"
    r"(?:[ \t]{0,12}(?:and[ \t]{1,12})?(?P<months>\d{1,2})[ \t]{0,12}(?:months?|mos?)(?![a-z]))?",
    re.IGNORECASE,
)
_EXPERIENCE_CONTEXT = re.compile(
    r"experience|exp\b|industry|career|professional|worked|working", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or a date range found in the text (offsets into the normalised text)."""

    start: int
    end: int
    start_date: str | None  # YYYY-MM or YYYY
    end_date: str | None  # None: open / present, or a single date (see ``single``)
    present: bool  # explicitly ongoing ("to Present", "since 2017", "onwards")
    single: bool  # one date only, no range
    text: str

    @property
    def is_range(self) -> bool:
        return not self.single


def _fmt(year: int, month: int | None) -> str:
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _date_from(m: re.Match[str], p: str) -> tuple[int, int | None] | None:
    g = m.group
    if g(p + "mon"):
        month = MONTHS.get(g(p + "mon")[:3].lower())
        if g(p + "y1"):
            return int(g(p + "y1")), month
        two = int(g(p + "y2"))
        return (2000 + two if two < 50 else 1900 + two), month
    if g(p + "season"):
        return int(g(p + "y3")), SEASONS[g(p + "season").lower()]
    if g(p + "mnum"):
        return int(g(p + "y4")), int(g(p + "mnum"))
    if g(p + "y5"):
        return int(g(p + "y5")), (int(g(p + "m5")) if g(p + "m5") else None)
    return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date or date range in ``text[start:end]``, in order."""
    out: list[DateMention] = []
    for m in DATE_RE.finditer(text, start, len(text) if end is None else end):
        a = _date_from(m, "a_")
        if a is None:
            continue
        s, e = m.span()
        start_date = _fmt(*a)
        b: tuple[int, int | None] | None = None
        single_end = m.start("sep") if m.group("sep") is not None else e
        if m.group("sep") is not None:
            if m.group("short"):
                year = a[0] // 100 * 100 + int(m.group("short"))
                if a[0] < year <= a[0] + 10:
                    b = (year, None)
            else:
                b = _date_from(m, "b_")
        if b is not None:
            backwards = b[0] < a[0] or (b[0] == a[0] and (b[1] or 13) < (a[1] or 0))
            if backwards:
                out.append(DateMention(s, single_end, start_date, None, False, True, ""))
            else:
                out.append(DateMention(s, e, start_date, _fmt(*b), False, False, text[s:e]))
        elif m.group("present") or m.group("onwards") or m.group("since"):
            out.append(DateMention(s, e, start_date, None, True, False, text[s:e]))
        else:
            out.append(DateMention(s, single_end, start_date, None, False, True, ""))
    return _wrapped_ranges(text, [d for d in out if d.end > d.start])


# A range cut at the end of its cell: "Mar 2021 - May" / "2022", "Oct 2022 -" / "Present"
# (a date column too narrow for the whole range, as table layouts print it).
_DANGLING = re.compile(
    _S0 + r"(?:[-\u2013\u2014]+|to|till|until)" + _S0 + r"(?:(?P<month>" + _MONTH + r")\.?)?"
    r"[ \t]*(?P<rest>\t[^\n]*| {2,}[^\n]*)?\n[ \t]*",
    re.IGNORECASE,
)
# Where a cell ends: a tab, a run of spaces, the line's end, or a separator ("| Remote").
_CELL_END = re.compile(r"[ \t]*(?:\t| {2,}|\n|$|[|\u00b7\u2022,])")
_PRESENT_CELL = re.compile(_PRESENT + r"(?=[ \t]*(?:\t| {2,}|\n|$))", re.IGNORECASE)


def _wrapped_ranges(text: str, found: list[DateMention]) -> list[DateMention]:
    """Single dates whose range goes on at the start of the next line, made whole."""
    out: list[DateMention] = []
    i = 0
    while i < len(found):
        d = found[i]
        m = _DANGLING.match(text, d.end) if d.single and d.start_date else None
        if m is None:
            out.append(d)
            i += 1
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        # with a cell after it, the range ends where its own cell does and the title beside
        # it stays free; alone on its line, the range spans both lines
        own_end = m.start("rest") if m.group("rest") else None
        if (
            nxt is not None
            and nxt.start == m.end()
            and nxt.single
            and _CELL_END.match(text, nxt.end)
            and (not m.group("month") or re.fullmatch(_YEAR, text[nxt.start : nxt.end]))
            and nxt.start_date is not None
        ):
            end_date = nxt.start_date
            if m.group("month"):
                end_date = _fmt(int(end_date), MONTHS[m.group("month")[:3].lower()])
            if end_date[:4] >= d.start_date[:4]:
                span_end = own_end or nxt.end
                out.append(
                    DateMention(
                        d.start,
                        span_end,
                        d.start_date,
                        end_date,
                        False,
                        False,
                        text[d.start : span_end],
                    )
                )
                i += 2
                continue
        present = None if m.group("month") else _PRESENT_CELL.match(text, m.end())
        if present is not None:
            span_end = own_end or present.end()
            out.append(
                DateMention(
                    d.start, span_end, d.start_date, None, True, False, text[d.start : span_end]
                )
            )
        else:
            out.append(d)
        i += 1
    return out


def month_index(value: str) -> int:
    """Months since year 0 for a ``YYYY[-MM]`` date (January when the month is unknown)."""
    year = int(value[:4])
    month = int(value[5:7]) if len(value) >= 7 else 1
    return year * 12 + month - 1


def today() -> dt.date:
    """The reference date for open ranges (a seam for tests)."""
    return dt.date.today()


def interval(mention: DateMention, *, now: dt.date | None = None) -> tuple[int, int] | None:
    """The ``[start, end)`` month interval a range covers, or None for a single date."""
    if mention.single or mention.start_date is None:
        return None
    now = now or today()
    now_index = now.year * 12 + now.month - 1
    start = month_index(mention.start_date)
    if mention.end_date is None:
        end = now_index + 1
    else:
        end = month_index(mention.end_date) + 1
        if len(mention.end_date) == 4 and len(mention.start_date) == 4:
            end = month_index(mention.end_date)  # "2016 - 2019": three years
            if end <= start:
                end = start + 12
    end = min(end, now_index + 1)
    if end <= start or end - start > 12 * 50:
        return None
    return start, end


def merged_years(intervals: list[tuple[int, int]]) -> float | None:
    """Total years covered by month intervals, overlaps counted once."""
    if not intervals:
        return None
    total = 0
    cur_s, cur_e = None, None
    for s, e in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None and cur_s is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None and cur_s is not None:
        total += cur_e - cur_s
    return round(total / 12, 1)


@dataclass(frozen=True, slots=True)
class Duration:
    start: int
    end: int
    years: float
    plus: bool


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[Duration]:
    """Durations such as "3 years", "2.5+ yrs", "2 years 10 months", "five years"."""
    out = []
    for m in DURATION_RE.finditer(text, start, len(text) if end is None else end):
        num = m.group("num").lower()
        years = float(_NUMBER_WORDS[num]) if num in _NUMBER_WORDS else float(num)
        if m.group("months"):
            years += int(m.group("months")) / 12
        if 0 < years <= 50:
            out.append(Duration(m.start(), m.end(), round(years, 1), bool(m.group("plus"))))
    return out


def stated_experience(text: str) -> Duration | None:
    """The total experience a resume states ("over 7 years of experience"), if any."""
    best: Duration | None = None
    for d in find_durations(text):
        window = text[max(0, d.start - 60) : d.end + 40]
        if not _EXPERIENCE_CONTEXT.search(window):
            continue
        after = text[d.end : d.end + 40].lower()
        before = text[max(0, d.start - 40) : d.start].lower()
        if "experience" in after or "exp" in after or "experience" in before:
            return d
        best = best or d
    return best
