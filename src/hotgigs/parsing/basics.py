"""basics: the person's name, headline (label), location and summary."""

from __future__ import annotations

import itertools
import re

from hotgigs.parsing import lexicon, skills
from hotgigs.parsing.draft import Span
from hotgigs.parsing.gazetteer import Place, find_places, gazetteer, world_city
from hotgigs.parsing.segment import PHRASES, Section
from hotgigs.parsing.text import Document, Line

_NAME_FIELD = re.compile(
    r"(?i)^(?:full\s+|candidate(?:'s)?\s+|applicant(?:'s)?\s+)?name\s*(?:[:\-\u2013]|\s{2,})\s*"
    r"(?P<v>[^\d@|:;,]{2,60}?)\s*(?:$|[|;,]|\s{2,}|\s-\s)"
)
# Latin letters with accents count ("Selimović", "Østerkilde", "Óskarsson").
_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LO = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
_AL = _UP + _LO
_NAME_WORD = re.compile(
    rf"^(?:[{_UP}][{_LO}]*(?:['\-][{_AL}][{_LO}]+)*|[{_UP}]\.?|[{_UP}][{_AL}]*[{_LO}][{_AL}]*"
    rf"|[{_UP}]+(?:['\-][{_UP}]+)*|(?:van|von|de|da|del|der|di|le|la|bin|al)\.?)$"
)
_CREDENTIALS = re.compile(
    r"(?i),?\s+(?:ph\.?\s?d|m\.?\s?ed|ed\.?\s?d|m\.?\s?d|m\.?b\.?a|cpa|pmp|rn|crc|jr|sr|ii|iii|mba|msc|m\.?s|b\.?s)"
    r"\.?(?:\s*,\s*[A-Za-z.]{2,6})*\s*$"
)
# (the accented ranges hold both cases, so a match is kept only on a real capital)
_GLUED_TITLE = re.compile(rf"(?<=[{_LO}])(?=[{_UP}][{_LO}])")
_SPLIT_HEAD = re.compile(r"\s*(?:\||\u2022|\s-\s|\s\u2013\s|,|\t|\s{2,}|:)\s*")
# A capitalised word, hyphenated parts capitalised or not ("Länsi-Suomi", "Stratford-upon-Avon")
_PLACE_WORD = rf"[{_UP}][{_LO}']+(?:-[{_UP}{_LO}][{_LO}']*)*"
# The small words inside place names: "Rio de Janeiro", "Stratford-upon-Avon", "Frankfurt am Main"
_PLACE_JOIN = r" (?:(?:de|da|do|dos|das|del|la|el|am|an|of|upon|sur|en)\s)?"
_CONTACT_PLACE = re.compile(
    rf"^(?P<place>(?P<city>{_PLACE_WORD}(?:{_PLACE_JOIN}{_PLACE_WORD}){{0,2}})"
    rf"(?:, (?P<region>{_PLACE_WORD}(?:{_PLACE_JOIN}{_PLACE_WORD}){{0,2}}))?)"
    r"(?:\s*[\u00b7|\u2022]\s*|\s+(?=\S+@))"
)
_CITY_LABEL = re.compile(r"(?i)^(?:(?:postal|zip)\s*code\s*(?:&|and|/)\s*)?(?:city|town)$")
_CITY_VALUE = re.compile(
    rf"^(?:[A-Z]{{2}}\s+)?(?:[A-Z0-9]*\d[A-Z0-9\- ]{{0,8}}\s+)?"
    rf"(?P<city>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}})"
    rf"(?:,\s*(?P<region>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}}))?$"
)
_CAPS_WORD = rf"[{_UP}][{_AL}'\-]+"  # "Kansas" or "KANSAS"
_POSTAL_LINE = re.compile(  # one-letter words after the first: "Arteixo A Coruña 15141"
    rf"^(?P<words>{_CAPS_WORD}(?: [{_UP}][{_AL}'\-]*){{1,4}})"
    r"[ ,]+(?P<postal>\d{4,6}|\d{4} ?[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d"
    r"|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$"
)
# A location heading or field label: "Location", "Region:", "Address -", "City".
_PLACE_LABEL = re.compile(
    r"(?i)^\s*(?:current\s+)?(?:location|region|address|city|residence|based\s+in)\s*[:\-]?\s*$"
    r"|^\s*(?:current\s+)?(?:location|address|city|residence)\s*[:\-]\s*"
)
_EMAIL_LINE = re.compile(r"\S@[\w\-]+\.\w")
_RELOCATE = re.compile(r"(?i)relocat|prefer|willing|open to|visa|citizen|authori[sz]ed")
_LOCATION_FIELD = re.compile(
    r"(?i)\b(?:(?:current\s+|present\s+)?(?:location|address|city|residence)\s*[:\-]"
    r"|(?:based\s+(?:in|out\s+of)|residing\s+(?:in|at)|lives\s+in)\b)\s*"
)


_HONORIFICS = frozenset(["dr.", "dr", "ing.", "prof.", "mr.", "mrs.", "ms.", "mx."])


def _name_candidate(text: str) -> str | None:
    text = _CREDENTIALS.sub("", text.strip(" \t\"'.,:;-"))
    words = text.split()
    if not 2 <= len(words) <= 5:
        return None
    if sum(1 for w in words if len(w.rstrip(".")) > 1) < 2:
        return None
    for position, w in enumerate(words):
        if position == 0 and w.lower() in _HONORIFICS:
            continue  # "Ing. Ondrej Sevcik", "Dr. Jane Doe": kept as printed
        if not _NAME_WORD.match(w):
            return None
        lw = w.lower().strip(".")
        if lw in lexicon.NOT_NAME_WORDS or lw in lexicon.TITLE_HEADS or lw in _NOT_NAME_EXTRA:
            return None
    low = " ".join(words).lower()
    if low in PHRASES or skills.lookup(low) is not None:
        return None  # a heading, or a skill a sidebar lists ("Machine Learning")
    gz = gazetteer()
    if low in gz.cities or low in gz.regions or low in gz.countries:
        return None
    long_words = [w for w in words if len(w.rstrip(".")) > 1]
    shouts = [w.isupper() for w in long_words]
    if any(shouts) and not all(shouts) and shouts != sorted(shouts):
        return None  # "David PIATEK" (surname in capitals) is a name; "JOHN Smith Ltd" not
    return text


_NOT_NAME_EXTRA = frozenset(
    lexicon.word_list(
        """
        skills technical professional objective career summary experience work history
        employment qualification qualifications certifications projects achievements
        languages hobbies interests strengths declaration english hindi java python
        microsoft oracle google amazon infosys wipro accenture developer engineering
        management marketing sales software systems services data business digital social
        media special education teacher teaching resumes sample examples template position
        job seeker seeking entry level senior junior career center room building suite st
        ave blvd dr rd do not copy cum laude magna summa vill san santa applicant knowledge
        interface user web universitys hopkins los las fort port mount lake
        development learning design analysis analytics programming testing computing
        security intelligence networking frontend backend devops
        """
    )
)


_RESUME_OF = re.compile(
    r"(?i)^(?:resume|résumé|cv|curriculum\s+vitae|bio-?data)\s+(?:of\s+)?[:\-]?\s*"
)


def _name_prefix(piece: str) -> str | None:
    """ "Allen Neal King ESB Integration Developer": the name before the rest."""
    words = piece.split()
    for n in range(min(4, len(words) - 1), 1, -1):
        nxt = words[n].strip(".,")
        low = nxt.lower()
        stop = (
            low in lexicon.NOT_NAME_WORDS
            or low in lexicon.TITLE_HEADS
            or low in _NOT_NAME_EXTRA
            or (nxt.isupper() and not all(w.isupper() for w in words[:n]))
            or any(ch.isdigit() for ch in nxt)
        )
        if stop:
            cand = _name_candidate(" ".join(words[:n]))
            if cand:
                return cand
    return None


def _titlecase_name(text: str) -> str:
    if any(c.islower() for c in text):
        return text
    # "RAJ KUMAR" -> "Raj Kumar", "O'BRIEN" -> "O'Brien", "JEAN-LUC" -> "Jean-Luc"
    return re.sub(rf"[{_AL}]+", lambda m: m.group().capitalize(), text)


def find_name(doc: Document, sections: list[Section]) -> Span | None:
    """The person's name: an explicit "Name:" field, else a name-like line near the top."""
    for line in doc.lines[:80]:
        m = _NAME_FIELD.match(line.text)
        if m:
            value = m.group("v").strip()
            cand = _name_candidate(value)
            if cand:
                s = line.start + m.start("v")
                return Span(_titlecase_name(cand), s, s + len(cand), 0.95)
    top = _top_lines(doc, sections)
    stacked = _stacked_name(top)
    if stacked is not None:
        return stacked
    for rank, line in enumerate(top):
        text = line.text
        if _address_line(text):
            continue  # "Manhattan Beach, California, US"
        glued = next((m for m in _GLUED_TITLE.finditer(text) if text[m.start()].isupper()), None)
        if glued is not None and lexicon.title_score(text[glued.start() :]) >= 0.7:
            text = text[: glued.start()]  # "Kamil KacperekFrontend Engineer": lost spacing
        pieces = [(0, len(text))]
        if _SPLIT_HEAD.search(text):
            pieces = []
            pos = 0
            for m in _SPLIT_HEAD.finditer(text):
                pieces.append((pos, m.start()))
                pos = m.end()
            pieces.append((pos, len(text)))
            pieces = pieces[:1]
        digit = re.search(r"\s\d", text)
        if digit and pieces == [(0, len(text))]:
            pieces = [(0, digit.start())]  # "Ivan Keeling 87 Some Example Street"
        for ps, pe in pieces:
            piece = text[ps:pe]
            lead = _RESUME_OF.match(piece)
            if lead:
                piece, ps = piece[lead.end() :], ps + lead.end()
            cand = _name_candidate(piece) or (_name_prefix(piece) if rank < 3 else None)
            if cand:
                offset = piece.find(cand[:2]) if cand else 0
                s = line.start + ps + max(offset, 0)
                conf = 0.9 if rank < 3 else 0.7
                return Span(_titlecase_name(cand), s, s + len(cand), conf)
    return _name_over_headline(doc, sections)


def _address_line(text: str) -> bool:
    """A place followed by places ("Salta, Salta, Argentina", "Buenos Aires, Buenos Aires, AR")."""
    parts = [p.strip() for p in text.split(",")]
    gz = gazetteer()
    return len(parts) >= 2 and all(
        p in gz.codes or p.lower() in gz.regions or p.lower() in gz.countries or world_city(p)
        for p in parts[1:]
        if p
    )


# Sections a sidebar prints before the main column, where the name then stands.
_SIDEBAR_BEFORE_NAME = frozenset(["header", "contact", "skills", "languages", "interests"])


def _name_over_headline(doc: Document, sections: list[Section]) -> Span | None:
    """A name printed after a sidebar, before any job or school: a name-like line that
    ends its section, or is followed only by a headline (a job title)."""
    for index, sec in enumerate(sections):
        if sec.kind not in _SIDEBAR_BEFORE_NAME:
            return None
        after = sections[index + 1].kind if index + 1 < len(sections) else None
        for i, line in enumerate(sec.lines):
            cand = _name_candidate(line.text) if len(line.text) <= 40 else None
            if cand is None or cand != line.text.strip():
                continue
            below = sec.lines[i + 1 :]
            if (not below and after == "summary") or (
                len(below) == 1 and lexicon.title_score(below[0].text) >= 0.7
            ):
                return Span(_titlecase_name(cand), line.start, line.start + len(cand), 0.6)
    return None


def _stacked_name(top: list[Line]) -> Span | None:
    """A name printed one word a line ("Mickael" / "BOURGOIS") as the first lines."""
    words: list[Line] = []
    for line in top[:3]:
        if len(line.words) != 1 or not _NAME_WORD.match(line.text) or len(line.text) < 2:
            break
        words.append(line)
    if len(words) < 2:
        return None
    cand = _name_candidate(" ".join(ln.text for ln in words))
    if cand is None:
        return None
    return Span(_titlecase_name(cand), words[0].start, words[-1].end, 0.7)


_LIST_SECTIONS = frozenset(["skills", "languages", "interests"])


def _top_lines(doc: Document, sections: list[Section]) -> list[Line]:
    header = sections[0].lines if sections and sections[0].kind == "header" else []
    top = header[:12] if header else []
    if len(top) < 3:
        # a sidebar's list is no name ("Legacy System" under "Skills")
        listed = {ln.index for sec in sections if sec.kind in _LIST_SECTIONS for ln in sec.lines}
        top = top + [ln for ln in doc.lines[:8] if ln not in top and ln.index not in listed]
    return [ln for ln in top if "@" not in ln.text and not re.search(r"\d{5,}", ln.text)] + [
        ln for ln in top if "@" in ln.text and len(ln.text.split()) > 2
    ]


def find_label(doc: Document, sections: list[Section], name: Span | None) -> Span | None:
    """A headline job title close under the name, if the resume has one."""
    if name is None:
        return None
    header = sections[0].lines if sections and sections[0].kind == "header" else []
    if not any(ln.start <= name.start < ln.end for ln in header):
        # a name printed after a sidebar: its headline is the line right under it
        header = next((sec.lines for sec in sections if sec.start <= name.start < sec.end), [])
    after = [ln for ln in header if ln.start >= name.end][:3]
    name_line = doc.line_at(name.start)
    if name_line is not None and name_line.end > name.end + 2:
        rest_start = name.end
        after.insert(0, Line(-1, rest_start, name_line.end, doc.text[rest_start : name_line.end],
                             False, False, False))  # fmt: skip
    for line in after:
        text = line.text
        m = re.match(r"^[\s,|\-\u2013:]*", text)
        lead = m.end() if m else 0
        piece_end = len(text)
        sm = _SPLIT_HEAD.search(text, lead)
        if sm:
            piece_end = sm.start()
        piece = text[lead:piece_end].strip()
        if "@" in piece or len(piece.split()) > 8:
            continue
        if lexicon.title_score(piece) >= 0.7:
            s = line.start + lead
            value = piece if not piece.isupper() else lexicon.title_case(piece)
            return Span(value, s, s + len(piece), 0.75)
    return None


def find_location(
    doc: Document, sections: list[Section], name: Span | None = None
) -> tuple[Span, dict] | None:
    """Where the person lives: a location field, else a place in the header lines.

    A place inside the person's ``name`` is not one ("Jordan Blake" is not in Jordan).
    """
    header = sections[0].lines if sections and sections[0].kind == "header" else []
    candidates = header[:15] or doc.lines[:10]
    extra = [s for s in sections if s.kind in ("personal", "contact")]
    for sec in extra:
        candidates = candidates + sec.lines[:15]
    about: list[Line] = []
    for sec in sections:  # an "About" block's own address line, never its sentences
        if sec.kind == "summary":
            about += [ln for ln in sec.lines[:15] if _short_line(ln.text)]
    found = _location_in(doc, candidates + about, name)
    if found is None:  # a contact block printed further down (a sidebar read last)
        found = _location_in(doc, _beside_email(doc, candidates + about), name)
    return found or _about_city(about[:ABOUT_CITY_LINES])


ABOUT_CITY_LINES = 3  # a sidebar's "About" block starts with the address, if it has one


def _about_city(lines: list[Line]) -> tuple[Span, dict] | None:
    """A city of the world opening a line of an "About" block ("WARSAW", "BUENOS AIRES
    BUENOS" wrapped from "Buenos Aires Buenos Aires")."""
    for line in lines:
        words = line.text.split(",")[0].split()
        if len(words) > ABOUT_CITY_WORDS:
            continue
        found = _leading_world_city(line, words, 0.6)
        if found is not None:
            return found
    return None


ABOUT_CITY_WORDS = 4


def _leading_world_city(
    line: Line, words: list[str], confidence: float
) -> tuple[Span, dict] | None:
    """The longest city of the world that `words` (the start of `line`) begin with."""
    for k in range(len(words), 0, -1):
        known = world_city(" ".join(words[:k]))
        if known is not None:
            end = line.start + len(" ".join(words[:k]))
            return Span(known[0], line.start, end, confidence), {
                "city": known[0],
                "countryCode": known[1],
            }
    return None


def _beside_email(doc: Document, seen: list[Line]) -> list[Line]:
    """The short lines around the first e-mail line when ``seen`` has none: the address of a
    contact block ("jane@example.com" / "Luxembourg, Luxembourg")."""
    if any(_EMAIL_LINE.search(ln.text) for ln in seen):
        return []  # the person's contact block was read already
    for pos, line in enumerate(doc.lines):
        if _EMAIL_LINE.search(line.text):
            return [ln for ln in doc.lines[max(0, pos - 1) : pos + 2] if _short_line(ln.text)]
    return []


def _location_in(
    doc: Document, candidates: list[Line], name: Span | None
) -> tuple[Span, dict] | None:
    """The best place on ``candidates`` (see :func:`find_location`)."""
    best = None
    for line in candidates:
        if _RELOCATE.search(line.text):
            continue
        field_m = _LOCATION_FIELD.search(line.text)
        start = line.start + field_m.end() if field_m else line.start
        for place in find_places(doc.text, start, line.end):
            if name is not None and place.start < name.end and name.start < place.end:
                continue
            score = place.score + (0.1 if field_m else 0)
            if place.city is None:
                score -= 0.2
            if best is None or score > best[0] + 0.05:
                best = (score, place)
        if best is not None and best[0] >= 0.85:
            break
    if best is None or best[1].city is None:  # no place, or only a country or region
        found = (
            _labelled_city(candidates)
            or _postal_line_place(candidates)
            or _labelled_world_city(candidates)
            or _contact_line_place(candidates, name)
        )
        if found is not None or best is None:
            return found
    score, place = best
    span = Span(doc.text[place.start : place.end], place.start, place.end, min(score, 0.95))
    return _city_state(doc, place) or (span, place.as_location())


def _city_state(doc: Document, place: Place) -> tuple[Span, dict] | None:
    """ "Luxembourg, Luxembourg", "Singapore, SG": a city named after its country, read as
    the country alone."""
    if place.city is not None or place.region is not None:
        return None
    piece = doc.text[place.start : place.end].split(",")[0].strip()
    known = world_city(piece)
    if (
        known is None
        or known[1] != place.country_code
        or "," not in doc.text[place.start : place.end]
    ):
        return None
    return Span(piece, place.start, place.start + len(piece), 0.6), {
        "city": known[0],
        "countryCode": known[1],
    }


def _short_line(text: str) -> bool:
    """A line short enough to be an address, not a sentence of prose."""
    return len(text.split()) <= 6 and not text.rstrip().endswith(".")


def _labelled_city(lines: list[Line]) -> tuple[Span, dict] | None:
    """A form's "City" (or "Postal Code & City") label with its value on the next line:
    "M5V4B3 Toronto", "78751 Austin, Texas"."""
    for label, value in itertools.pairwise(lines):
        if not _CITY_LABEL.match(label.text):
            continue
        m = _CITY_VALUE.match(value.text)
        if m is None:
            continue
        loc = {"city": m.group("city")}
        if m.group("region"):
            loc["region"] = m.group("region")
        s = value.start + m.start("city")
        return Span(m.group("city"), s, s + len(m.group("city")), 0.7), loc
    return None


def _postal_line_place(lines: list[Line]) -> tuple[Span, dict] | None:
    """A city line without commas: "Wichita Kansas 67235", "TORONTO ONTARIO M6H 2T3"."""
    gz = gazetteer()
    for line in lines:
        m = _POSTAL_LINE.match(line.text)
        if m is None:
            continue
        words = m.group("words").split()
        for k in range(len(words) - 1, 0, -1):  # the longest known region at the end
            region = gz.regions.get(" ".join(words[k:]).lower())
            if region is None:
                continue
            city = " ".join(words[:k])
            city = city.title() if city.isupper() else city
            s = line.start
            loc = {"city": city, "region": region[0], "countryCode": region[1]}
            return Span(line.text[: m.end("words")], s, s + m.end("words"), 0.7), loc
        found = _leading_world_city(line, words, 0.65)  # "UTRECHT UTRECHT 3513 BH"
        if found is not None:
            return found
    return None


def _labelled_world_city(lines: list[Line]) -> tuple[Span, dict] | None:
    """A city of the world under a location label: "Location: Osijek", or a "Location"
    (and "Region") heading with "Buenos Aires" on the line below."""
    for index, line in enumerate(lines):
        label = _PLACE_LABEL.match(line.text)
        if label is None:
            continue
        rest = [line, *lines[index + 1 : index + 3]]
        for value in rest:
            text = value.text[label.end() :] if value is line else value.text
            if not text.strip() or (value is not line and _PLACE_LABEL.fullmatch(value.text)):
                continue
            piece = text.split(",")[0].strip()
            known = world_city(piece)
            if known is None:
                break
            s = value.start + (label.end() if value is line else 0) + text.find(piece)
            return Span(piece, s, s + len(piece), 0.65), {"city": known[0], "countryCode": known[1]}
    return None


def _contact_line_place(lines: list[Line], name: Span | None) -> tuple[Span, dict] | None:
    """A place the gazetteer does not know, written first on the contact line:
    "Paris · hugo@example.com · +33 6...", "Dublin, Ohio engen@example.com"."""
    for line in lines:
        if "@" not in line.text or (name is not None and line.start < name.end):
            continue
        m = _CONTACT_PLACE.match(line.text)
        if m is None or lexicon.title_score(m.group("place")) >= 0.7:
            continue
        city = m.group("city")
        if city.lower() in lexicon.NOT_NAME_WORDS:
            continue
        loc = {"city": city}
        if m.group("region"):
            loc["region"] = m.group("region")
        s = line.start + m.start("place")
        return Span(m.group("place"), s, s + len(m.group("place")), 0.55), loc
    return None


def find_summary(sections: list[Section]) -> tuple[str, int, int] | None:
    for sec in sections:
        if sec.kind == "summary" and sec.lines:
            lines = sec.lines[:25]
            text = " ".join(ln.text for ln in lines)
            if len(text) < 20:
                continue
            return text[:2000], lines[0].start, lines[-1].end
    return None
