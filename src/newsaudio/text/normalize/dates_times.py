"""Dates (month-day, day-month, ISO) and clock times."""

from __future__ import annotations

import re

from newsaudio.text.normalize._common import (
    _at_end,
    _cardinal,
    _ordinal,
    _word_tuple,
    spell_letters,
)

_MONTHS = _word_tuple(
    "January February March April May June July August September October November December"
)
_MONTH_BY_NAME: dict[str, str] = {name: name for name in _MONTHS}
_MONTH_BY_NAME.update(
    {
        "Jan": "January",
        "Feb": "February",
        "Mar": "March",
        "Apr": "April",
        "Jun": "June",
        "Jul": "July",
        "Aug": "August",
        "Sep": "September",
        "Sept": "September",
        "Oct": "October",
        "Nov": "November",
        "Dec": "December",
    }
)


_MONTH_ALT = "|".join(sorted(_MONTH_BY_NAME, key=len, reverse=True))
_SUFFIX = r"(?:st|nd|rd|th)?"
_MONTH_DAY_RE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.? (?P<day>[0-9]{{1,2}}){_SUFFIX}"
    rf"(?:\s?[–-]\s?(?P<day2>[0-9]{{1,2}}){_SUFFIX})?(?![\w:]|[.,][0-9])"
)
_DAY_MONTH_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<the>[Tt]he) )?(?P<day>[0-9]{{1,2}}){_SUFFIX}(?: of)? "
    rf"(?P<month>{_MONTH_ALT})\b"
)
_ISO_DATE_RE = re.compile(r"(?<![\w.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-]|\.[0-9])")


def _say_month_day(match: re.Match[str]) -> str:
    """Return 'Month ordinal' (or a day range) for a month followed by a day."""
    day, day2 = int(match.group("day")), match.group("day2")
    if not 1 <= day <= 31 or (day2 is not None and not 1 <= int(day2) <= 31):
        return match.group(0)
    month = _MONTH_BY_NAME[match.group("month")]
    spoken = f"{month} {_ordinal(day)}"
    if day2 is not None:
        spoken += f" to {_ordinal(int(day2))}"
    return spoken


def _say_day_month(match: re.Match[str]) -> str:
    """Return 'the ordinal of Month' for a day followed by a month."""
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return match.group(0)
    the = match.group("the") or "the"
    month = _MONTH_BY_NAME[match.group("month")]
    return f"{the} {_ordinal(day)} of {month}"


def _say_iso_date(match: re.Match[str]) -> str:
    """Return 'Month ordinal, year' for an ISO date."""
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    return f"{_MONTHS[month - 1]} {_ordinal(day)}, {year}"


def _expand_dates(text: str) -> str:
    """Read dates: 'Jan 20' -> 'January twentieth', '4 March' -> 'the fourth of March'."""
    text = _ISO_DATE_RE.sub(_say_iso_date, text)
    text = _MONTH_DAY_RE.sub(_say_month_day, text)
    return _DAY_MONTH_RE.sub(_say_day_month, text)


_AMPM = r"(?P<ampm>[aApP]\.?[mM]\.?)(?![\w])"
_CLOCK_RE = re.compile(
    r"(?<![\w:.,])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?"
    rf"(?![\w:]|[.,][0-9])(?:\s?{_AMPM})?"
)
_HOUR_RE = re.compile(rf"(?<![\w:.,])(?P<h>[0-9]{{1,2}})(?:\.(?P<m>[0-9]{{2}}))?\s?{_AMPM}")
_RATIO_RE = re.compile(r"(?<![\w:.,])([0-9]+):([0-9])(?![\w:]|[.,][0-9])")


def _say_time(hour: int, minute: int, ampm: str | None) -> str:
    """Return a time of day read aloud: (8, 30) -> 'eight thirty'."""
    spoken = _cardinal(hour)
    if minute == 0:
        if ampm is None:
            spoken += " o'clock" if 1 <= hour <= 12 else " hundred"
    elif minute < 10:
        spoken += f" oh {_cardinal(minute)}"
    else:
        spoken += f" {_cardinal(minute)}"
    if ampm is not None:
        spoken += " " + spell_letters("AM" if ampm[0] in "aA" else "PM")
    return spoken


def _keep_final_period(match: re.Match[str], spoken: str) -> str:
    """Append '.' when the match ended with a period that also ends the text."""
    if match.group(0).endswith(".") and _at_end(match.string, match.end()):
        return spoken + "."
    return spoken


def _say_clock(match: re.Match[str]) -> str:
    """Return an hh:mm[:ss] [am|pm] time read aloud."""
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 24 or minute > 59 or (match["ampm"] and not 1 <= hour <= 12):
        return match.group(0)
    spoken = _say_time(hour, minute, match["ampm"])
    if match["s"] is not None and int(match["s"]) <= 59:
        spoken += f" and {_cardinal(int(match['s']))} seconds"
    return _keep_final_period(match, spoken)


def _say_hour(match: re.Match[str]) -> str:
    """Return an 'h[.mm] am|pm' time read aloud."""
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return match.group(0)
    return _keep_final_period(match, _say_time(hour, minute, match["ampm"]))


def _expand_times(text: str) -> str:
    """Read clock times (08:30, 9 a.m., 9.30pm) and one-digit ratios (3:1 -> 3 to 1)."""
    text = _CLOCK_RE.sub(_say_clock, text)
    text = _HOUR_RE.sub(_say_hour, text)
    return _RATIO_RE.sub(r"\1 to \2", text)
