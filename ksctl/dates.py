"""Dates known to the year, month or day, and the days they stand for.

Standard library only, so that the models, the queries (which work on plain data
and must not import pydantic) and diffing read `from: 2018` and `to: 2020-02` alike: a
period starts on the first day of what is written and ends on the last.
"""

from __future__ import annotations

import datetime
import re

PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def bounds(written: str, *, end: bool) -> datetime.date | None:
    """The first (or with `end`, the last) day of `written`; None when it names no day."""
    found = PARTIAL.fullmatch(written)
    if found is None:
        return None
    year = int(found[1])
    month = int(found[2]) if found[2] else 12 if end else 1
    try:
        day = int(found[3]) if found[3] else month_days(year, month) if end else 1
        return datetime.date(year, month, day)
    except ValueError:
        return None


def latest_day(at: datetime.date) -> datetime.date:
    """The latest day a record of something that has happened may carry in a check as of
    `at`: that day, or tomorrow when the check looks back (nobody retrieves a page next
    week, whatever day a check is run as of; a day's grace for the hours between Sweden
    and a machine on UTC)."""
    return max(at, datetime.date.today() + datetime.timedelta(days=1))


def check_key(at: datetime.date, latest: datetime.date | None = None) -> str:
    """What a validation as of `at` depends on of the calendar: `at`, and the latest day a
    record may carry when that is later (`latest_day`), so that a snapshot is not reused on
    another day."""
    latest = latest or latest_day(at)
    return at.isoformat() if latest == at else f"{at.isoformat()} (latest {latest.isoformat()})"


def month_days(year: int, month: int) -> int:
    """How many days the month has (calendar's import costs a query's start-up more)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month}")
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)).day


def first_day(written: str) -> str:
    """'2018' -> '2018-01-01', '2020-02' -> '2020-02-01'; a full date (or what is no date)
    is itself."""
    day = bounds(written, end=False)
    return day.isoformat() if day is not None else written


def end_day(written: str) -> str:
    """'2020' -> '2020-12-31', '2020-02' -> '2020-02-29'; a full date (or what is no date)
    is itself."""
    day = bounds(written, end=True)
    return day.isoformat() if day is not None else written


def last_day(written: str) -> str | None:
    """The day a date known to the year or month falls due ('2027-02' -> '2027-02-28');
    None for what is not a date."""
    day = bounds(written, end=True)
    return day.isoformat() if day is not None else None


def parse_day(text: str | None, *, today: datetime.date | None = None) -> str:
    """A date given on the command line, as an ISO date: YYYY-MM-DD, or the first day of
    YYYY-MM or YYYY (the registry writes dates to the year or month too); None is today.
    Raises ValueError with a message a person can act on."""
    if text is None:
        return (today or datetime.date.today()).isoformat()
    found = PARTIAL.fullmatch(text.strip())
    if found is None:
        raise ValueError("write a date as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(found[1]), int(found[2] or 1), int(found[3] or 1)
    problem = no_such_day(year, month, day)
    if problem:
        raise ValueError(problem)
    return datetime.date(year, month, day).isoformat()


def no_such_day(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is no day of the calendar, in words a person can act on ("there
    is no month 13", "2024-02 has no day 30 (the day does not exist)"); None for a day."""
    if year < 1:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if not 1 <= day <= month_days(year, month):
        return f"{year}-{month:02d} has no day {day:02d} (the day does not exist)"
    return None
