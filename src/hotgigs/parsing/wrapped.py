"""Names a narrow column broke across two lines, joined again before entries are read."""

from __future__ import annotations

import re
from collections.abc import Callable

from hotgigs.parsing import lexicon
from hotgigs.parsing.text import Line

# A name broken after a linking word at the end of a line ("University of" / "Cape Town").
BROKEN_NAME = re.compile(r"(?i)\s(?:of|and|&|for|the|de|da|do|del|di|des|du|la|le|für)$")
# "Title at Company" (a header, not a sentence), and a legal form that can only end a name.
_TITLE_AT = re.compile(r"\S\s+at\s+[A-Z0-9]")
_LEGAL_FORM = re.compile(
    r"(?i)^(?:gmbh|inc|ltd|llc|llp|plc|corp|s\.?a\.?|ag|b\.?v\.?|s\.?r\.?o\.?)\.?$"
)
# A line this close to the widest of its section ran out of room rather than ended.
WRAPPED_SHARE = 0.75


def rejoin_broken_names(lines: list[Line], naming: re.Pattern[str] | None = None) -> list[Line]:
    """Lines with a name broken after a linking word ("University of" / "Cape Town") joined
    to the short capitalised line below; with ``naming``, only lines it finds a word of."""

    def broken(line: Line, nxt: Line) -> bool:
        return (
            len(line.words) <= 10
            and BROKEN_NAME.search(line.text) is not None
            and (naming is None or naming.search(line.text) is not None)
            and nxt.text[:1].isupper()
            and len(nxt.words) <= 4
        )

    return _rejoined(lines, broken)


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
