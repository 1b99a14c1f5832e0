"""Listed skills: the items a person writes in a skills section, kept as written.

JSON Resume ``skills`` is what the person lists (a skills section, table or sidebar), not
every taxonomy word in the prose; taxonomy mentions anywhere in the text are kept apart
(``meta["skill_mentions"]``).  A skills line is split into items at list separators
(commas, semicolons, bars, bullets) outside brackets, so "Webhacking (XSS, SQLi)" and
"AWS [EC2, S3]" stay one item; a group label ("Languages: Java, C", or a label cell before
a wide gap) is not an item; neither is a skill level ("Expert", "Master"), a line of prose
or a bare number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import takewhile

from hotgigs.parsing import lexicon, skills
from hotgigs.parsing.dates import find_dates
from hotgigs.parsing.segment import Section, heading_kind
from hotgigs.parsing.text import Document, Line

MAX_ITEMS = 150
_MAX_ITEM_WORDS = 6
_SEPARATORS = frozenset(",;|\u2022\u00b7\u25aa\u25cf\u2023\u2043\u2219")
_OPEN, _CLOSE = "([{", ")]}"
_EDGE = " \t-\u2013\u2014*\u2022\u00b7:;,|"
# A label may hold a bracketed note with commas of its own: "Web Development (80,100,40): JS".
_LABEL = re.compile(r"^(?P<label>(?:[^:,;|()]|\([^():]{0,20}\)){1,40}?)\s*:\s+(?=\S)")
# "Backend Development (Advanced): Go", "JavaScript (80): jQuery": a group with its level
# (a word or a rating) before its items.
_LEVEL_NOTE = re.compile(r"\((?P<level>[^()]{2,20})\)\s*$")
_WRAP_ENDS = ("&", ",", "/", " and")
# "Statistics & Machine Learning - Expert": a group name with its level, not a skill.
_LEVEL_SUFFIX = re.compile(r"\s[-\u2013\u2014|]\s*(?:\w+\s)?(?P<level>\w+)\s*$")
LEVELS = frozenset(
    lexicon.word_list(
        """
        beginner elementary basic novice familiar intermediate competent proficient advanced
        expert master mastery fluent native good excellent strong working professional junior
        senior
        """
    )
)
SKILL_LEVELS = lexicon.SKILL_LEVELS
# Sections where a rated run can be a headless skills sidebar (not entry lists).
_FREE_KINDS = frozenset(["header", "summary", "contact", "languages", "interests", "additional"])
_NUMBER = re.compile(r"^[\d\s.,/%+-]*$")


@dataclass(frozen=True, slots=True)
class ListedSkill:
    """One listed skill: the text as written and its span in the normalised text."""

    name: str
    start: int
    end: int


def _split(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces between separators outside brackets."""
    pieces: list[tuple[int, int]] = []
    depth = 0
    pos = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _SEPARATORS and depth == 0:
            pieces.append((pos, i))
            pos = i + 1
    pieces.append((pos, len(text)))
    return pieces


def _is_prose(text: str, pieces: int) -> bool:
    words = text.split()
    if pieces > 1:
        return len(words) > 6 * pieces  # list items are short
    if len(words) > 12 and _tag_run(text):
        return False  # tags printed side by side ("Javascript Es6+ React Redux ...")
    return len(words) > 12 or (text.rstrip().endswith(".") and len(words) > 5)


def _item(line: Line, s: int, e: int) -> ListedSkill | None:
    text = line.text
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    value = " ".join(text[s:e].split())
    if not value or _NUMBER.match(value) or value.lower() in LEVELS:
        return None
    if any(d.end - d.start >= 0.6 * len(value) for d in find_dates(value)):
        return None  # "May 2024 - Dec 2024": an entry's dates read into a sidebar
    if len(value.split()) > _MAX_ITEM_WORDS and not _tag_run(value):
        return None  # a phrase of prose, not a skill name
    return ListedSkill(value, line.start + s, line.start + e)


# Words that name a group of skills rather than a skill ("Backend", "Cloud & DevOps",
# "Programming Languages", "Other Tools").
_CATEGORY_WORDS = frozenset(
    lexicon.word_list(
        """
        backend back-end back end frontend front-end front fullstack full-stack full stack
        languages language programming frameworks framework libraries library databases
        database tools tooling tool cloud devops infrastructure web mobile development dev
        developer engineering software data testing platforms platform other others misc
        miscellaneous operating systems security design science technologies technical
        skills soft hard general core and quality delivery tooling ai practices best
        methodologies methodology provisioning providers engines agents simulation
        """
    )
)


def _category(text: str) -> bool:
    """Whether a line is only a skill group's name ("Backend", "Cloud & DevOps")."""
    words = [w for w in re.split(r"[\s&/,]+", text.lower()) if w]
    return 0 < len(words) <= 4 and all(w in _CATEGORY_WORDS for w in words)


def _group_name(line: Line, next_line: Line | None, row: Sequence[Line]) -> bool:
    """A lone name above its group's items: a list on the next printed line ("Backend" /
    "Kotlin, Java, Go", or three or more cells split by tabs; two cells are more likely two
    columns side by side) or bullets under an unbulleted name."""
    if next_line is None or line.text.endswith(_WRAP_ENDS):
        return False
    if next_line.bullet and not line.bullet:
        return True
    if len(_split(next_line.text)) > 1 and not _is_prose(next_line.text, 2):
        return True
    cells = 1 + sum(1 for _ in takewhile(lambda ln: not ln.physical_start, row))
    return next_line.physical_start and cells >= 3


def _line_items(line: Line, next_line: Line | None, row: Sequence[Line] = ()) -> list[ListedSkill]:
    text = line.text
    pieces = _split(text)
    if _is_prose(text, len(pieces)) or text.endswith(":"):
        return []
    level = _LEVEL_SUFFIX.search(text)
    if level is not None and level.group("level").lower() in LEVELS:
        return []
    if next_line is not None and next_line.text.lower() in LEVELS:
        return []  # a group name above its level ("Back-end" / "Intermediate")
    label = _LABEL.match(text)
    note = _LEVEL_NOTE.search(label.group("label")) if label is not None else None
    leveled = note is not None and (
        note.group("level").lower() in LEVELS or _NUMBER.match(note.group("level")) is not None
    )
    if label is not None and (len(pieces) > 1 or leveled):
        pieces = _split(text[label.end() :])
        pieces = [(s + label.end(), e + label.end()) for s, e in pieces]
    elif (
        len(pieces) == 1
        and next_line is not None
        and not next_line.physical_start
        and len(_split(next_line.text)) > 1
    ):
        return []  # a label cell before a list on the same printed line
    elif len(pieces) == 1 and _group_name(line, next_line, row):
        return []
    out = []
    for s, e in pieces:
        item = _item(line, s, e)
        if item is not None:
            out.extend(_run_together(item))
    return out


_JOINERS = re.compile(r"[/&+\[\]()]|\s(?:and|or)\s|\s\.")


# Tags printed side by side: at least this many words, this share of them skills the
# taxonomy knows, and no run of unknown words longer than this.
_TAG_RUN_WORDS = 5
_TAG_RUN_KNOWN = 0.5
# Joiners between words make one item ("Scrum / Agile"); inside a tag they are its own
# ("Es6+", "CI/CD", "SQL/noSQL").
_SPACED_JOINERS = re.compile(r"\s[/&+]\s|[\[\]()]|\s(?:and|or)\s|\s\.")
_TAG_RUN_GAP = 3


def _skill_words(text: str) -> list[tuple[int, int, bool]]:
    """The text read longest match first as (start, end, known skill) pieces of words."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    out: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            s, e = words[i][0], words[i + n - 1][1]
            if skills.lookup(text[s:e]) is not None:
                out.append((s, e, True))
                i += n
                break
        else:
            out.append((words[i][0], words[i][1], False))
            i += 1
    return out


def _tag_run(text: str) -> bool:
    """Whether a long line is skill tags a layout printed with only spaces between them:
    mostly skills the taxonomy knows, an unknown word now and then ("Es6+", "ORMs")."""
    if _SPACED_JOINERS.search(text) or len(text.split()) < _TAG_RUN_WORDS:
        return False
    pieces = _skill_words(text)
    known = sum(len(text[s:e].split()) for s, e, ok in pieces if ok)
    gap = longest = 0
    for s, _e, ok in pieces:
        if not ok and text[s].islower():
            return False  # prose: "built", "with"; a tag starts with a capital or a digit
        gap = 0 if ok else gap + 1
        longest = max(longest, gap)
    return known >= _TAG_RUN_KNOWN * len(text.split()) and longest <= _TAG_RUN_GAP


def _run_together(item: ListedSkill) -> list[ListedSkill]:
    """Items a layout printed side by side with only spaces between them ("HTML CSS
    JavaScript", "Android React Native"): three or more words that read, longest match
    first, wholly as two or more skills the taxonomy knows, split into those skills; a long
    run of tags also keeps the few words no skill covers, each run of them one item."""
    if item.end - item.start != len(item.name) or len(item.name.split()) < 3:
        return [item]
    pieces = _skill_words(item.name)
    if not _tag_run(item.name) and (
        _JOINERS.search(item.name) or not all(ok for _s, _e, ok in pieces)
    ):
        return [item]  # "Scrum / Agile", "Django & Flask", a phrase: one item as written
    merged: list[tuple[int, int, bool]] = []
    for s, e, ok in pieces:
        if merged and not ok and not merged[-1][2]:
            merged[-1] = (merged[-1][0], e, False)  # "Browser APIs": unknown words together
        else:
            merged.append((s, e, ok))
    out = [ListedSkill(item.name[s:e], item.start + s, item.start + e) for s, e, _ in merged]
    return out if len(out) >= 2 else [item]


def _continued(lines: list[Line]) -> list[Line]:
    """Lines that wrap mid-item ("Cloud &" / "Infrastructure", "Azure (AKS," / "Blob)",
    "Internationalization" / "(i18n)") joined to the next one; the gap becomes spaces so
    offsets still index the text."""
    out: list[Line] = []
    for index, line in enumerate(lines):
        prev = out[-1] if out else None
        if prev is not None and (
            prev.text.lower().endswith(_WRAP_ENDS)
            or prev.text.count("(") > prev.text.count(")")
            or line.text.startswith("(")
            or _wrapped_cell(prev, line, lines[index + 1] if index + 1 < len(lines) else None)
        ):
            gap = " " * (line.start - prev.end)
            out[-1] = replace(prev, end=line.end, text=prev.text + gap + line.text)
            continue
        out.append(line)
    return out


def _wrapped_cell(prev: Line, line: Line, after: Line | None) -> bool:
    """A list beside its group's label ("AI/ML<tab>GAN, Reinforcement") wrapped in its cell:
    the next row is that cell's rest alone ("Learning, LLM"), not a label and its list."""
    return (
        not prev.physical_start
        and "," in prev.text
        and line.physical_start
        and (after is None or after.physical_start)
        and ("," in line.text or len(line.words) <= 2)
        and not _LABEL.match(line.text)  # "Frontend: Vue, Nuxt" is a group of its own
    )


def _name_start(lines: list[Line], level: int) -> int:
    """The first line of the name rated on line `level` (a name may wrap: "Scala /")."""
    start = level - 1
    while start > 0 and lines[start - 1].text.endswith(_WRAP_ENDS):
        start -= 1
    return start


def _keywords(lines: list[Line], start: int, stop: int) -> list[ListedSkill]:
    """One item a line from `start` until `stop` or the first line that is no list item."""
    out = []
    for line in lines[start:stop]:
        item = _item(line, 0, len(line.text))
        if item is None or _is_prose(line.text, 1) or heading_kind(line) is not None:
            break
        out.append(item)
    return out


def _rated(doc: Document, lines: list[Line]) -> list[ListedSkill]:
    """Skills rated one by one outside a skills section, as sidebars print them without a
    heading: "Golang" / "Master" / "Scala / Kotlin /" / "Java" / "Master".  The text
    between two ratings is one item; a rated name followed by bullets is a group, its
    bullets the items, and so is one followed by two or more short lines before the next
    rated name ("Frontend" / "Junior" / "HTML5" / "CSS").  Spoken languages ("English" /
    "Fluent") are not rated this way."""
    rated = [i for i, ln in enumerate(lines) if ln.text.lower() in SKILL_LEVELS]
    if len(rated) < 2:
        return []
    out: list[ListedSkill] = []
    done = -1  # the last line read
    for n, i in enumerate(rated):
        group_end = _name_start(lines, rated[n + 1]) if n + 1 < len(rated) else len(lines)
        keywords = _keywords(lines, i + 1, group_end)
        spoken = i > 0 and lines[i - 1].text.title() in lexicon.SPOKEN_LANGUAGES
        if len(keywords) >= 2 and not lines[i + 1].bullet and not spoken:
            out += keywords
            done = group_end - 1
            continue
        start = done + 1 if done >= 0 and i - done <= 4 else max(done + 1, _name_start(lines, i))
        stop = rated[n + 1] if n + 1 < len(rated) else len(lines)
        bullets = list(takewhile(lambda ln: ln.bullet, lines[i + 1 : stop]))
        done = i + len(bullets)
        if bullets:
            out += [it for ln in bullets if (it := _item(ln, 0, len(ln.text))) is not None]
        elif 0 <= start < i:
            first, last = lines[start], lines[i - 1]
            name = " ".join(doc.text[first.start : last.end].split()).strip(_EDGE)
            if name and name.title() not in lexicon.SPOKEN_LANGUAGES and len(name.split()) <= 8:
                out.append(ListedSkill(name, first.start, last.end))
    return out


def _closing_group(lines: list[Line]) -> list[ListedSkill]:
    """A rated group's keywords that close a section ("CI/CD" / "Advanced" / "TeamCity" /
    "Jenkins"): a sidebar continued on the next page is read after that page's main text."""
    rated = [i for i, ln in enumerate(lines) if ln.text.lower() in SKILL_LEVELS]
    if not rated or rated[-1] + 3 > len(lines) or lines[rated[-1] + 1].bullet:
        return []
    keywords = _keywords(lines, rated[-1] + 1, len(lines))
    return keywords if rated[-1] + 1 + len(keywords) == len(lines) else []


# Sections where a sidebar's skills list can follow the contact lines with no heading of its
# own (the theme printed it as an icon): not interests or languages, whose items are short too.
_HEADLESS_KINDS = frozenset(["header", "summary", "contact", "additional"])
_MIN_HEADLESS_RUN = 5
_NETWORKS = frozenset(
    [
        *("github", "gitlab", "bitbucket", "linkedin", "twitter", "x", "facebook", "instagram"),
        *("stackoverflow", "stack overflow", "medium", "xing", "youtube", "dribbble", "behance"),
        *("mastodon", "bluesky", "openstreetmap", "portfolio", "website", "blog"),
    ]
)
_CONTACT_MARKS = re.compile(
    r"@|\d{4,}|https?:|www\.|\.(?:com|io|dev|net|org)\b|\b(?:in|github|gitlab|twitter)/",
    re.IGNORECASE,
)


# The words of a line, a slash between names not counted ("HTML / CSS / SCSS": three).
_NAME_WORDS = re.compile(r"\w[\w.+#'\-]*")


def _headless_list(lines: list[Line]) -> list[ListedSkill]:
    """A run of five or more short lines, one item each, mostly skills the taxonomy knows,
    in a sidebar without a skills heading ("Web Development" / "PHP" / "Symfony" / ...);
    group names are left out."""
    best: list[Line] = []
    run: list[Line] = []
    for line in [*lines, None]:
        short = (
            line is not None and not line.bullet and 0 < len(_NAME_WORDS.findall(line.text)) <= 4
        )
        if short and not _CONTACT_MARKS.search(line.text):
            if run or _lookup_or_group(line.text):
                run.append(line)  # a run starts at a skill or a group's name
            continue
        if len(run) > len(best):
            best = run
        run = []
    known = sum(_names_skills(ln.text) for ln in best)
    if len(best) < _MIN_HEADLESS_RUN or known < 0.4 * len(best):
        return []
    if sum(ln.text.lower() in _NETWORKS for ln in best) >= 2:
        return []  # "GitHub" / "octocat" / "LinkedIn" / "octo-cat": profiles, not skills
    return [
        item
        for ln in _continued(best)
        if not _category(ln.text) and (item := _item(ln, 0, len(ln.text))) is not None
    ]


def _names_skills(text: str) -> bool:
    """Whether a line names skills the taxonomy knows: itself, or one of the names it joins
    ("TypeScript/JavaScript", "Docker (Compose)")."""
    if skills.lookup(text) is not None:
        return True
    return any(skills.lookup(part.strip()) is not None for part in _SKILL_PARTS.split(text))


_SKILL_PARTS = re.compile(r"[/()]")


def _lookup_or_group(text: str) -> bool:
    """Whether a short line names a skill the taxonomy knows or a group of skills."""
    return skills.lookup(text) is not None or _category(text)


def listed_skills(doc: Document, sections: list[Section]) -> list[ListedSkill]:
    """The items of every skills section, in order, once each (case-insensitive), and of
    rated runs elsewhere outside entry lists."""
    out: list[ListedSkill] = []
    seen: set[str] = set()
    for section in sections:
        if section.kind == "skills":
            lines = _continued(section.lines)
            groups = {ln.index for ln in lines if _category(ln.text)}
            if len(groups) < 2:  # grouped one item a line: the group names are not items
                groups.clear()
            # a heading word kept inside the section ("Languages", "Leadership") names a group
            groups |= {ln.index for ln in lines if heading_kind(ln) is not None}
            found = [
                item
                for i, line in enumerate(lines)
                if line.index not in groups
                for item in _line_items(
                    line, lines[i + 1] if i + 1 < len(lines) else None, lines[i + 2 : i + 8]
                )
            ]
        elif section.kind in _FREE_KINDS:
            found = _rated(doc, section.lines)
            if not found and section.kind in _HEADLESS_KINDS:
                found = _headless_list(section.lines)
        else:
            found = _rated(doc, section.lines) or _closing_group(section.lines)
        for item in found:
            key = " ".join(item.name.lower().split())
            if key in seen:
                continue
            seen.add(key)
            out.append(item)
            if len(out) >= MAX_ITEMS:
                return out
    return out
