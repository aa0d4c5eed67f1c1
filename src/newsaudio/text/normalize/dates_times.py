"""Dates (month-day, day-month, ISO) and clock times."""

from __future__ import annotations

import re

from newsaudio.text.normalize._common import (
    _at_end,
    _cardinal,
    _ordinal,
    _word_tuple,
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


_SLASH_DATE_RE = re.compile(
    r"(?<![\w/.,-])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<year>[0-9]{4})(?![\w/]|[.,][0-9])"
)
_MONTH_YEAR_RE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.? (?P<year>[0-9]{{4}})(?![\w:]|[.,][0-9])"
)


def _say_slash_date(match: re.Match[str]) -> str:
    """Return a numeric date read aloud: '30/06/2026' -> 'the thirtieth of June 2026'
    (day first, British and international), '06/30/2026' -> 'June thirtieth, 2026' (month
    first, American: the second number cannot be a month). Both numbers 12 or less: day
    first. The year is read by the number rule."""
    a, b, year = int(match["a"]), int(match["b"]), match["year"]
    if 1 <= b <= 12 and 1 <= a <= 31:
        return f"the {_ordinal(a)} of {_MONTHS[b - 1]} {year}"
    if 1 <= a <= 12 and 13 <= b <= 31:
        return f"{_MONTHS[a - 1]} {_ordinal(b)}, {year}"
    return match.group(0)


def _expand_dates(text: str) -> str:
    """Read dates: 'Jan 20', '4 March', '2022-01-20', '30/06/2026', 'Oct 2022'."""
    text = _ISO_DATE_RE.sub(_say_iso_date, text)
    if "/" in text:
        text = _SLASH_DATE_RE.sub(_say_slash_date, text)
    text = _MONTH_DAY_RE.sub(_say_month_day, text)
    text = _DAY_MONTH_RE.sub(_say_day_month, text)
    return _MONTH_YEAR_RE.sub(lambda m: f"{_MONTH_BY_NAME[m['month']]} {m['year']}", text)


_AMPM = r"(?P<ampm>[aApP]\.?[mM]\.?)(?![\w])"
_CLOCK_RE = re.compile(
    r"(?<![\w:.,])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?"
    rf"(?!(?![aApP]\.?[mM](?![\w]))[\w:]|[.,][0-9])(?:\s?{_AMPM})?"
)
_HOUR_RE = re.compile(rf"(?<![\w:.,])(?P<h>[0-9]{{1,2}})(?:\.(?P<m>[0-9]{{2}}))?\s?{_AMPM}")
_RATIO_RE = re.compile(r"(?<![\w:.,])([0-9]+):([0-9])(?![\w:]|[.,][0-9])")


#: How "a.m." and "p.m." are read, whatever their written form ("a.m.", "am", "AM", "A.M.",
#: glued or spaced): the two letters joined by a hyphen, one spelling for both. Checked with
#: espeak-ng, which Piper uses: "A-M" is /eI'Em/ and "P-M" /pi:'Em/, where "A M" reads "uh
#: M" and "ay em" reads "eye M".
MERIDIEM_WORDS: dict[str, str] = {"a": "A-M", "p": "P-M"}


def _say_time(hour: int, minute: int, ampm: str | None, *, clock24: bool = False) -> str:
    """Return a time of day read aloud: (8, 30) -> 'eight thirty'; a full hour is "o'clock"
    on a 12-hour clock and "hundred" on a 24-hour one (``clock24``, or an hour past 12)."""
    spoken = _cardinal(hour)
    if minute == 0:
        if ampm is None:
            spoken += " o'clock" if 1 <= hour <= 12 and not clock24 else " hundred"
    elif minute < 10:
        spoken += f" oh {_cardinal(minute)}"
    else:
        spoken += f" {_cardinal(minute)}"
    if ampm is not None:
        spoken += " " + MERIDIEM_WORDS[ampm[0].lower()]
    return spoken


def _keep_final_period(match: re.Match[str], spoken: str) -> str:
    """Append '.' when the match ended with a period that also ends the text."""
    if match.group(0).endswith(".") and _at_end(match.string, match.end()):
        return spoken + "."
    return spoken


def _say_clock(match: re.Match[str], *, clock24: bool = False) -> str:
    """Return an hh:mm[:ss] [am|pm] time read aloud."""
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 24 or minute > 59 or (match["ampm"] and not 1 <= hour <= 12):
        return match.group(0)
    spoken = _say_time(hour, minute, match["ampm"], clock24=clock24)
    if match["s"] is not None and int(match["s"]) <= 59:
        spoken += f" and {_cardinal(int(match['s']))} seconds"
    return _keep_final_period(match, spoken)


def _say_hour(match: re.Match[str]) -> str:
    """Return an 'h[.mm] am|pm' time read aloud."""
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return match.group(0)
    return _keep_final_period(match, _say_time(hour, minute, match["ampm"]))


def _is_clock24(match: re.Match[str]) -> bool:
    """True for a time only a 24-hour clock shows: hour 0 or past 12, no am/pm."""
    hour = int(match["h"])
    return match["ampm"] is None and (hour == 0 or 12 < hour <= 24) and int(match["m"]) <= 59


def _expand_times(text: str) -> str:
    """Read clock times (08:30, 7:30am, 9.30pm, 12:00 and 17:00) and ratios (3:1 -> 3 to 1)."""
    # Times in one utterance are read on one clock: with any 24-hour time ("17:00") every
    # full hour is "hundred" ("12:00 and 17:00" -> "twelve hundred and seventeen hundred").
    if ":" in text:
        clock24 = any(_is_clock24(m) for m in _CLOCK_RE.finditer(text))
        text = _CLOCK_RE.sub(lambda m: _say_clock(m, clock24=clock24), text)
    text = _HOUR_RE.sub(_say_hour, text)
    return _RATIO_RE.sub(r"\1 to \2", text)
