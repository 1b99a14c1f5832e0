"""Date shapes resumes use, normalised to YYYY-MM / YYYY; ranges; merged years."""

from __future__ import annotations

import datetime as dt

import pytest

from hotgigs.parsing import dates


@pytest.mark.parametrize(
    ("text", "start", "end", "present"),
    [
        ("Jan 2019 - Present", "2019-01", None, True),
        ("01/2019 \u2013 03/2021", "2019-01", "2021-03", False),
        ("01/2019 - 03/2021", "2019-01", "2021-03", False),
        ("2019 to 2021", "2019", "2021", False),
        ("since 2017", "2017", None, True),
        ("March, 2015 - till date", "2015-03", None, True),
        ("Sept 2017 onwards", "2017-09", None, True),
        ("01st Oct 2015 - till date", "2015-10", None, True),
        ("from 5th October, 2015 till date", "2015-10", None, True),
        ("June 2010  August 2013", "2010-06", "2013-08", False),
        ("Oct. 2009 - Jan. 2014", "2009-10", "2014-01", False),
        ("5/2005-9/2008", "2005-05", "2008-09", False),
        ("Jan'19 - Mar'21", "2019-01", "2021-03", False),
        ("2004-05", "2004", "2005", False),
        ("2007-Present", "2007", None, True),
        ("2003present", "2003", None, True),
        ("May 2013 to current", "2013-05", None, True),
        ("Oct 1, 2015 - Jan-2017", "2015-10", "2017-01", False),
    ],
)
def test_ranges(text: str, start: str, end: str | None, present: bool) -> None:
    (mention,) = dates.find_dates(text)
    assert mention.start_date == start
    assert mention.end_date == end
    assert mention.present is present
    assert not mention.single
    assert text[mention.start : mention.end].strip() == text.strip().rstrip(".")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("May 2013", "2013-05"),
        ("2017", "2017"),
        ("Fall 2000", "2000-09"),
        ("2019-01-15", "2019-01"),
    ],
)
def test_single_dates(text: str, value: str) -> None:
    (mention,) = dates.find_dates(text)
    assert mention.single and mention.start_date == value and mention.end_date is None


@pytest.mark.parametrize(
    "text",
    ["2123-456789", "Tel 9876520123", "20082012", "version 3.2019.1", "$2000 bonus", "98.2015"],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert dates.find_dates(text) == []


def test_backwards_range_is_not_a_range() -> None:
    mentions = dates.find_dates("2019 - 2015")
    assert all(m.single for m in mentions)


def test_durations_and_stated_experience() -> None:
    found = dates.find_durations("(3 years), 2.5+ yrs, 2 years 10 months, five years")
    assert [d.years for d in found] == [3.0, 2.5, 2.8, 5.0]
    assert found[1].plus
    stated = dates.stated_experience("Engineer with over 7 years of experience in Java")
    assert stated is not None and stated.years == 7.0


def test_intervals_and_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: dt.date(2024, 6, 30))
    (a,) = dates.find_dates("Jan 2015 - Dec 2018")
    (b,) = dates.find_dates("Jun 2017 - Jun 2020")
    (c,) = dates.find_dates("Jan 2023 - Present")
    (d,) = dates.find_dates("2004 - 2007")
    ia, ib, ic, i_d = (dates.interval(m) for m in (a, b, c, d))
    assert ia is not None and ia[1] - ia[0] == 48
    assert ic is not None and ic[1] - ic[0] == 18  # Jan 2023 .. Jun 2024 inclusive
    assert i_d is not None and i_d[1] - i_d[0] == 36  # year ranges count whole years
    assert dates.merged_years([ia, ib]) == 5.5
    assert dates.merged_years([ia, ib, ic]) == 7.0
    assert dates.merged_years([]) is None
    (single,) = dates.find_dates("May 2013")
    assert dates.interval(single) is None


def test_a_range_cut_at_the_end_of_its_cell_goes_on_at_the_next_line() -> None:
    wrapped = dates.find_dates("Mar 2021 \u2013 May\tSenior Engineer, RSI\n2022\tLed four teams")
    assert [(d.start_date, d.end_date, d.text) for d in wrapped] == [
        ("2021-03", "2022-05", "Mar 2021 \u2013 May")
    ]
    (alone,) = dates.find_dates("Oct 2022 \u2013\nPresent\nLed a team")
    assert (alone.start_date, alone.present, alone.text) == (
        "2022-10",
        True,
        "Oct 2022 \u2013\nPresent",
    )
    (month,) = dates.find_dates("Mar 2021 \u2013 May\n2022\nEngineer, RSI")
    assert (month.end_date, month.text) == ("2022-05", "Mar 2021 \u2013 May\n2022")
    # a sentence's dash is no cut range: both years stay single
    sentence = dates.find_dates("In 2019 - we built\n2020 things")
    assert [d.single for d in sentence] == [True, True]
