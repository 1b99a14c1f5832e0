"""The parser on hostile text: mixed scripts, huge lines, NULs, controls, direction overrides.

Whatever the text, parse_text returns a JSON Resume that any JSON consumer and database can
store (valid Unicode, no NULs, dates in the contract's form), or, for input that is not text
at all, raises its one documented error (TypeError).
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotgigs.parsing import parse_text
from tests.parsing.test_hostile_input import SNIPPETS, assert_well_formed
from tests.support.sample_resumes import sample_resume

SCRIPTS = {
    "latin": (0x41, 0x24F),
    "greek": (0x370, 0x3FF),
    "cyrillic": (0x400, 0x4FF),
    "hebrew": (0x5D0, 0x5EA),
    "arabic": (0x600, 0x6FF),
    "devanagari": (0x900, 0x97F),
    "thai": (0xE00, 0xE7F),
    "cjk": (0x4E00, 0x9FFF),
    "hangul": (0xAC00, 0xD7A3),
    "emoji": (0x1F300, 0x1FAFF),
    "math-letters": (0x1D400, 0x1D7FF),
}
INVISIBLE = [
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ud800",
    "\udfff",
]
DATE = re.compile(r"\d{4}(-\d{2})?")


def words_in(low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(min_codepoint=low, max_codepoint=high), min_size=1, max_size=30)


PIECES = st.one_of(
    *(words_in(low, high) for low, high in SCRIPTS.values()),
    st.sampled_from(SNIPPETS),
    st.sampled_from(INVISIBLE),
    # A huge line: one short piece repeated to up to 20,000 characters.
    st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=8), st.integers(500, 2500)
    ),
)
HOSTILE_TEXT = st.lists(
    st.tuples(PIECES, st.sampled_from(["\n", " ", "\t", "\r\n", ""])), max_size=40
).map(lambda pairs: "".join(piece + joint for piece, joint in pairs))


def assert_storable_json_resume(resume: dict) -> None:
    """Valid Unicode without NULs (PostgreSQL's JSONB refuses both) and contract dates."""
    encoded = json.dumps(resume, ensure_ascii=False).encode("utf-8")  # raises on surrogates
    assert b"\\u0000" not in encoded and b"\x00" not in encoded

    def walk(value, key: str = "") -> None:
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif key.endswith(("Date", "date")) and value is not None:
            assert isinstance(value, str) and DATE.fullmatch(value), (key, value)
        else:
            assert value is None or isinstance(value, str | int | float | bool), (key, value)

    walk(resume)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
def test_mixed_scripts_huge_lines_and_invisible_characters(text: str) -> None:
    result = parse_text(text)
    assert_well_formed(text, result)
    assert_storable_json_resume(result.resume)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=3),
    st.integers(0, len(sample_resume()) - 1),
)
def test_invisible_characters_inside_a_resume_change_nothing_visible(invisible, line) -> None:
    lines = sample_resume()
    clean = parse_text("\n".join(lines)).resume
    lines[line] = "".join(invisible) + lines[line] + "".join(reversed(invisible))
    result = parse_text("\n".join(lines))
    assert_storable_json_resume(result.resume)
    assert result.resume["basics"]["email"] == clean["basics"]["email"]


def test_text_read_in_the_wrong_encoding_still_parses() -> None:
    # UTF-16 taken for an 8-bit encoding: a NUL after every character.
    text = "\n".join(sample_resume())
    result = parse_text("\x00".join(text))
    assert result.resume["basics"]["name"] == "Priya Raman"
    assert result.resume["basics"]["email"] == "priya.raman@example.com"
    assert_storable_json_resume(result.resume)


def test_lone_surrogates_and_overrides_never_reach_the_resume() -> None:
    lines = sample_resume()
    lines[0] = "\u202ePriya\ud800 Raman\u202c"
    lines[9] = lines[9].replace("Acme", "Ac\udfffme")
    result = parse_text("\n".join(lines))
    assert result.resume["basics"]["name"] == "Priya Raman"
    assert result.resume["work"][0]["name"] == "Acme Analytics"
    assert_storable_json_resume(result.resume)


@pytest.mark.parametrize("value", [None, 42, ["Priya Raman"], {"text": "x"}, 3.5])
def test_input_that_is_not_text_raises_the_documented_error(value) -> None:
    with pytest.raises(TypeError, match="needs a str"):
        parse_text(value)


def test_bytes_are_decoded_not_refused() -> None:
    raw = "\n".join(sample_resume()).encode() + b"\xff\xfe\x00 broken tail"
    result = parse_text(raw)
    assert result.resume["basics"]["email"] == "priya.raman@example.com"
    assert_storable_json_resume(result.resume)
