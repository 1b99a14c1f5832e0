"""parse_text never raises and always returns the documented structure."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotgigs.parsing import PARSER_NAME, PARSER_VERSION, ParseResult, parse_text

RESUME_KEYS = {
    "basics", "work", "education", "skills", "certificates", "languages", "projects",
}  # fmt: skip
META_KEYS = {
    "parser", "version", "confidence", "evidence", "total_years_experience",
    "stated_years_experience", "skill_categories",
}  # fmt: skip
PATH = re.compile(r"^[a-zA-Z_]+(?:\[\d+\])?(?:\.[a-zA-Z]+(?:\[\d+\])?)*$")


def assert_well_formed(text: str, result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert set(result.resume) <= RESUME_KEYS
    assert set(result.meta) >= META_KEYS
    assert "failed_stages" not in result.meta, result.meta.get("failed_stages")
    assert result.meta["parser"] == PARSER_NAME and result.meta["version"] == PARSER_VERSION
    years = result.meta["total_years_experience"]
    assert years is None or (isinstance(years, float) and 0 <= years <= 80)
    for path, span in result.meta["evidence"].items():
        assert PATH.match(path), path
        assert isinstance(span, list) and len(span) == 2
        start, end = span
        assert 0 <= start <= end <= len(text), (path, span)
    for path, value in result.meta["confidence"].items():
        assert PATH.match(path), path
        assert 0.0 <= value <= 1.0
    for value in result.resume.values():
        assert value  # only keys with values
    json.dumps(result.resume)
    json.dumps(result.meta)


SNIPPETS = [
    "Jan 2019 - Present", "EDUCATION", "B.Tech in CSE", "Software Engineer", "Infosys Ltd",
    "Pune, Maharashtra", "+91 98765 43210", "x@y.com", "\u2022", "\\xe2\\x80\\xa2", "&amp;",
    "SKILLS: C, R, Go", "since 2017", "(3 years)", "https://linkedin.com/in/a", "NAME: A B",
    "University of X", "2019", "-", "|", ",", ":", "\t", "\n", "\n\n", "   ", "\x00", "\u202e",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_random_unicode_text(text: str) -> None:
    assert_well_formed(text, parse_text(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SNIPPETS) | st.text(max_size=20), max_size=400).map(" ".join))
def test_resume_like_fragments(text: str) -> None:
    assert_well_formed(text, parse_text(text))


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Co"]), max_size=2000)
)
def test_control_and_format_characters(text: str) -> None:
    assert_well_formed(text, parse_text(text))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", max_size=5000))
def test_only_punctuation(text: str) -> None:
    result = parse_text(text)
    assert_well_formed(text, result)
    assert "skills" not in result.resume


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "-" * 200_000,
        "Aa-" * 70_000,
        "Jan 2019 - " * 20_000,
        "C, " * 70_000,
        "1 " * 100_000,
        "x@" * 100_000,
        "\n" * 200_000,
        "\\xe2\\x80\\xa2 " * 16_000,
        ("Priya Sharma\nSkills: Java, Python\nJan 2019 - Present\n" * 4_000),
        "\u00e9\u0301\U0001f600" * 60_000,
        "\ud800\udfff" * 1000,  # lone surrogates are still a str
    ],
    ids=lambda t: f"{t[:12]!r}x{len(t)}",
)
@pytest.mark.slow
def test_huge_and_hostile_documents(text: str) -> None:
    assert_well_formed(text, parse_text(text))
