"""Names a narrow column broke across two lines, joined again before entries are read."""

from __future__ import annotations

import re
from collections.abc import Callable

from hotgigs.parsing import lexicon
from hotgigs.parsing.gazetteer import find_places
from hotgigs.parsing.text import Line

# A name broken after a linking word at the end of a line ("University of" / "Cape Town").
_LINKING = "of|and|&|for|the|de|da|do|del|di|des|du|la|le|für"
BROKEN_NAME = re.compile(rf"(?i)\s(?:{_LINKING})$")
# A school's name also breaks after "at" ("The University of Texas at" / "Austin").
_BROKEN_SCHOOL = re.compile(rf"(?i)\s(?:{_LINKING}|at)$")
# "Title at Company" (a header, not a sentence), and a legal form that can only end a name.
_TITLE_AT = re.compile(r"\S\s+at\s+[A-Z0-9]")
_LEGAL_FORM = re.compile(
    r"(?i)^(?:gmbh|inc|ltd|llc|llp|plc|corp|s\.?a\.?|ag|b\.?v\.?|s\.?r\.?o\.?)\.?$"
)
# A line this close to the widest of its section ran out of room rather than ended.
WRAPPED_SHARE = 0.75


def rejoin_broken_names(lines: list[Line]) -> list[Line]:
    """Lines with a name broken after a linking word ("University of" / "Cape Town") joined
    to the short capitalised line below."""

    def broken(line: Line, nxt: Line) -> bool:
        return (
            len(line.words) <= 10
            and BROKEN_NAME.search(line.text) is not None
            and nxt.text[:1].isupper()
            and len(nxt.words) <= 4
        )

    return _rejoined(lines, broken)


# A school's name whose first words a full line left behind: "..., London" / "School of
# Economics", "..., Queensland" / "University of Technology".
_NAME_TAIL = re.compile(r",[ \t]*[A-Z][\w\-']*(?:[ \t]+[A-Z][\w\-']*){0,2}$")


def rejoin_wrapped_schools(lines: list[Line]) -> list[Line]:
    """Education lines with a school's name broken across two of them joined: after a
    linking word ("University of" / "Cape Town", "The University of Texas at" / "Austin, Sep
    2004"), or before the school word when a full line ended on the name's first words
    ("..., London" / "School of Economics")."""
    widest = max((len(line.text) for line in lines), default=0)

    def broken(line: Line, nxt: Line) -> bool:
        head, tail = nxt.text.split(",")[0], line.text.rsplit(",", 1)[-1]
        if (
            len(tail.split()) <= 10
            and _BROKEN_SCHOOL.search(tail) is not None
            and lexicon.INSTITUTION_RE.search(tail) is not None
        ):
            return head[:1].isupper() and len(head.split()) <= 4
        return (
            len(line.text) >= WRAPPED_SHARE * widest
            and _NAME_TAIL.search(line.text) is not None
            and _place_name(tail.strip())
            and lexicon.INSTITUTION_RE.search(line.text) is None  # "Cal State, Sacramento"
            and lexicon.INSTITUTION_RE.match(nxt.text) is not None
            and len(nxt.words) <= 6
        )

    return _rejoined(lines, broken)


def _place_name(text: str) -> bool:
    """Whether the whole text names a place ("London", "Queensland"), as a school's name
    can begin; a field of study ("Statistics") does not."""
    return any(p.start == 0 and p.end == len(text) for p in find_places(text))


def rejoin_wrapped_employers(lines: list[Line]) -> list[Line]:
    """A "Title at Company" line that ran to the column's edge, with the company's last word
    or two alone on the next line ("... at San Diego Supercomputer" / "Center"), joined."""
    widest = max((len(line.text) for line in lines), default=0)

    def wrapped(line: Line, nxt: Line) -> bool:
        return (
            len(line.text) >= WRAPPED_SHARE * widest
            and _TITLE_AT.search(line.text) is not None
            and not line.text.endswith((".", ",", ":"))
            and _name_ending(nxt.text)
        )

    return _rejoined(lines, wrapped)


def _rejoined(lines: list[Line], belong_together: Callable[[Line, Line], bool]) -> list[Line]:
    """Each unbulleted line joined to the unbulleted line below it where the two belong
    together (a joined pair is not joined again to the line after it)."""
    out: list[Line] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and not line.bullet and not nxt.bullet and belong_together(line, nxt):
            out.append(Line(line.index, line.start, nxt.end, f"{line.text} {nxt.text}",
                            line.bullet, line.gap_before, line.physical_start))  # fmt: skip
            skip = True
            continue
        out.append(line)
    return out


def _name_ending(text: str) -> bool:
    """One or two capitalised words that can end a name: no date, title or sentence."""
    words = text.split()
    return (
        0 < len(words) <= 2
        and text[:1].isupper()
        and not re.search(r"[\d:;!?]", text)
        and (_LEGAL_FORM.match(text) is not None or lexicon.title_score(text) < 0.7)
    )
