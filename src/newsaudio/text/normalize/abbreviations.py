"""Abbreviations and titles, dotted initialisms, acronyms read as words, initialisms spelled."""

from __future__ import annotations

import re

from newsaudio.text.normalize._common import (
    _at_end,
    _is_capitalized,
    _next_word,
    _prev_word,
    spell_letters,
)

#: Whole-token abbreviations and what to say. Keys are case-sensitive; a lowercase key
#: also matches with a capital first letter ("E.g." -> "For example"). Context rules:
#: "St." is "Saint" before a capitalized word and "Street" otherwise; "Dr." is "Drive"
#: after a capitalized name when no capitalized word follows; "No."/"Nos." only before
#: a number.
ABBREVIATIONS: dict[str, str] = {
    # titles and ranks
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Messrs.": "Messieurs",
    "Dr.": "Doctor",
    "Prof.": "Professor",
    "Sen.": "Senator",
    "Cllr.": "Councillor",
    "Rep.": "Representative",
    "Gov.": "Governor",
    "Pres.": "President",
    "Gen.": "General",
    "Lt.": "Lieutenant",
    "Col.": "Colonel",
    "Maj.": "Major",
    "Sgt.": "Sergeant",
    "Cpl.": "Corporal",
    "Pvt.": "Private",
    "Capt.": "Captain",
    "Cmdr.": "Commander",
    "Com.": "Commander",
    "Adm.": "Admiral",
    "Det.": "Detective",
    "Insp.": "Inspector",
    "Supt.": "Superintendent",
    "Rev.": "Reverend",
    "Fr.": "Father",
    "Hon.": "Honorable",
    "Atty.": "Attorney",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "Ph.D.": "P H D",
    # places
    "St.": "Saint",
    "Mt.": "Mount",
    "Ft.": "Fort",
    "Ave.": "Avenue",
    "Blvd.": "Boulevard",
    "Rd.": "Road",
    "Hwy.": "Highway",
    # organizations
    "Inc.": "Incorporated",
    "Corp.": "Corporation",
    "Co.": "Company",
    "Ltd.": "Limited",
    "Bros.": "Brothers",
    "Dept.": "Department",
    "Univ.": "University",
    "Assn.": "Association",
    "Govt.": "Government",
    # Latin and common
    "vs.": "versus",
    "vs": "versus",
    "v.": "versus",
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "et al.": "et al",
    "approx.": "approximately",
    "a.k.a.": "also known as",
    "ca.": "circa",
    "No.": "number",
    "Nos.": "numbers",
    # months (the date rule also reads them without the period before a day)
    "Jan.": "January",
    "Feb.": "February",
    "Mar.": "March",
    "Apr.": "April",
    "Jun.": "June",
    "Jul.": "July",
    "Aug.": "August",
    "Sep.": "September",
    "Sept.": "September",
    "Oct.": "October",
    "Nov.": "November",
    "Dec.": "December",
    # weekdays ("Sat." and "Sun." only in a date context: _WEEKEND_ABBREVIATIONS)
    "Mon.": "Monday",
    "Tue.": "Tuesday",
    "Tues.": "Tuesday",
    "Wed.": "Wednesday",
    "Thu.": "Thursday",
    "Thur.": "Thursday",
    "Thurs.": "Thursday",
    "Fri.": "Friday",
}

#: Weekday abbreviations that are also words ("The Sun."): expanded only in a date context,
#: after "on", "from", "next"... or before a date ("Sat. 4 May").
_WEEKEND_ABBREVIATIONS: dict[str, str] = {"Sat.": "Saturday", "Sun.": "Sunday"}

#: British-style titles without a period, expanded only before a capitalized word.
TITLES_WITHOUT_PERIOD: dict[str, str] = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "St": "Saint",
    "Prof": "Professor",
    "Cllr": "Councillor",
}

#: All-capital acronyms read as words, and how to write them so the engine does.
ACRONYM_WORDS: dict[str, str] = {
    "NATO": "Nato",
    "NASA": "Nasa",
    "COVID": "covid",
    "UNESCO": "Unesco",
    "UNICEF": "Unicef",
    "OPEC": "Opec",
    "FIFA": "Fifa",
    "UEFA": "Uefa",
    "NAFTA": "Nafta",
    "ASEAN": "Asean",
    "AIDS": "Aids",
    "SARS": "Sars",
    "MERS": "Mers",
    "FEMA": "Fema",
    "OSHA": "Osha",
    "NASDAQ": "Nasdaq",
    "ISIS": "Isis",
    "CERN": "Cern",
    "DARPA": "Darpa",
    "INTERPOL": "Interpol",
    "SWAT": "Swat",
    "SCOTUS": "Scotus",
    # pronounceable acronyms read as words (a list, not a guess: "AEMET" is a word, "NOAA" is not)
    "AEMET": "Aemet",
    "OFCOM": "Ofcom",
    "OFGEM": "Ofgem",
    "OFSTED": "Ofsted",
    "OFWAT": "Ofwat",
    "DEFRA": "Defra",
    "UCAS": "Ucas",
    "FRONTEX": "Frontex",
    "EUROPOL": "Europol",
    "ECOWAS": "Ecowas",
    "UNRWA": "Unrwa",
    "MERCOSUR": "Mercosur",
    "NIMBY": "nimby",
    "LIDAR": "lidar",
    "RADAR": "radar",
    "LASER": "laser",
    "SONAR": "sonar",
    "PIN": "pin",
    "ASBO": "Asbo",
    "BAFTA": "Bafta",
    "FTSE": "Footsie",
    "IKEA": "Ikea",
}

#: All-capital words left exactly as written (ambiguous or read well as they are).
KEEP_AS_WRITTEN: frozenset[str] = frozenset({"WHO", "OK"})


def _abbreviation_keys() -> dict[str, str]:
    """Return every spelling the abbreviation rule matches -> canonical key."""
    keys: dict[str, str] = {}
    for key in ABBREVIATIONS:
        keys[key] = key
        if key[:1].islower():
            keys.setdefault(key[:1].upper() + key[1:], key)
    return keys


_ABBREVIATION_KEYS = _abbreviation_keys()
_ABBREVIATION_RE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(k) for k in sorted(_ABBREVIATION_KEYS, key=lambda k: (-len(k), k)))
    + r")(?!\w)"
)
_TITLE_RE = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(TITLES_WITHOUT_PERIOD, key=len, reverse=True)) + r")"
    r"(?= [A-Z][a-z])"
)
_FOLLOWED_BY_NUMBER = re.compile(r"\s*[0-9]")
_DETERMINERS = frozenset(
    {"The", "A", "An", "This", "That", "Our", "Your", "My", "His", "Her", "Their", "Its"}
)


_DAY_BEFORE = frozenset(
    {"on", "from", "until", "till", "to", "by", "next", "last", "this", "every"}
)
_DATE_AFTER = re.compile(r",|\s+(?:[0-9]|the\b|[A-Z][a-z]{2,8}\.? [0-9])")


def _in_date_context(text: str, start: int, end: int) -> bool:
    """True when a weekday abbreviation reads as a day: after "on", "from", "next"... or
    before a date ("Sat. 4 May", "Sun., March 3")."""
    return _prev_word(text, start).lower() in _DAY_BEFORE or bool(_DATE_AFTER.match(text, end))


def _say_abbreviation(match: re.Match[str]) -> str:
    """Return the expansion of one abbreviation, with context rules for St./Dr./No."""
    found = match.group(0)
    key = _ABBREVIATION_KEYS[found]
    words = ABBREVIATIONS[key]
    text, start, end = match.string, match.start(), match.end()
    if key in ("No.", "Nos.") and not _FOLLOWED_BY_NUMBER.match(text, end):
        return found
    following = _next_word(text, end)
    if key == "St.":
        words = "Saint" if _is_capitalized(following) else "Street"
    elif key == "Dr.":
        previous = _prev_word(text, start)
        if (
            _is_capitalized(previous)
            and previous not in _DETERMINERS
            and not _is_capitalized(following)
        ):
            words = "Drive"
    if found != key:  # capitalized variant of a lowercase key ("E.g.")
        words = words[:1].upper() + words[1:]
    if found.endswith(".") and _at_end(text, end):
        return words + "."
    return words


_WEEKEND_RE = re.compile(r"(?<![\w.])(Sat\.|Sun\.)(?!\w)")


def _say_weekend_day(match: re.Match[str]) -> str:
    """Return 'Saturday'/'Sunday' for 'Sat.'/'Sun.' in a date context, else the text."""
    text, start, end = match.string, match.start(), match.end()
    if not _in_date_context(text, start, end):
        return match.group(0)
    words = _WEEKEND_ABBREVIATIONS[match.group(1)]
    return words + "." if _at_end(text, end) else words


def _expand_abbreviations(text: str) -> str:
    """Expand whole-token abbreviations (Dr. -> Doctor, etc. -> et cetera, Mr Smith)."""
    text = _ABBREVIATION_RE.sub(_say_abbreviation, text)
    if "Sat." in text or "Sun." in text:
        text = _WEEKEND_RE.sub(_say_weekend_day, text)
    return _TITLE_RE.sub(lambda m: TITLES_WITHOUT_PERIOD[m.group(1)], text)


_DOTTED_RE = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,}|(?:[A-Z]\.)+[A-Z](?![\w.]))")
_MIDDLE_INITIAL_RE = re.compile(r"\b([A-Z][a-z]+ [B-Z])\. (?=[A-Z][a-z])")


_AFTER_NUMBER = re.compile(r"[0-9]\s?$")


def _say_dotted(match: re.Match[str]) -> str:
    """Return a dotted initialism spelled, keeping a final period that ends the text;
    "A.M."/"P.M." after a number are left to the time rule ("9 P.M." -> "nine P-M")."""
    found = match.group(1)
    if found.rstrip(".") in ("A.M", "P.M") and _AFTER_NUMBER.search(
        match.string, max(0, match.start() - 2), match.start()
    ):
        return found
    spoken = spell_letters(found.replace(".", ""))
    if found.endswith(".") and _at_end(match.string, match.end()):
        return spoken + "."
    return spoken


def _expand_dotted_initialisms(text: str) -> str:
    """Spell dotted initialisms (U.S. -> U S) and drop a middle initial's period."""
    if "." not in text:
        return text
    text = _DOTTED_RE.sub(_say_dotted, text)
    return _MIDDLE_INITIAL_RE.sub(r"\1 ", text)


_ACRONYM_WORD_RE = re.compile(
    r"(?<![\w])(" + "|".join(sorted(ACRONYM_WORDS, key=len, reverse=True)) + r")(?![\w])"
)
_CAPS_RE = re.compile(r"(?<![\w'’])([A-Z]{2,5})(s|['’]s)?(?![\w])")
_CAPS_WORD_BEFORE = re.compile(r"(?<![\w'’])[A-Z]{2,}(?:\s+|\s*:\s*)$")
_CAPS_WORD_AFTER = re.compile(r"(?:\s+|\s*:\s*)[A-Z]{2,}(?![\w'’])")
_ROMAN_LETTER_WORD = re.compile(r"[VXLCDM]*I[IVXLCDM]*")  # MIX, DIV, CIVIL, LIVID, II


def _read_acronym_words(text: str) -> str:
    """Read known acronyms as words: NATO -> Nato, COVID -> covid."""
    return _ACRONYM_WORD_RE.sub(lambda m: ACRONYM_WORDS[m.group(1)], text)


def _next_to_capitals(text: str, start: int, end: int) -> bool:
    """Return True when another all-capital word sits right before or after the token."""
    if _CAPS_WORD_BEFORE.search(text, max(0, start - 60), start):
        return True
    return _CAPS_WORD_AFTER.match(text, end) is not None


def _say_caps(match: re.Match[str]) -> str:
    """Return an all-capital token spelled letter by letter (FBI -> F B I)."""
    letters, plural = match.group(1), match.group(2)
    if letters in KEEP_AS_WRITTEN or _ROMAN_LETTER_WORD.fullmatch(letters):
        return match.group(0)
    if _next_to_capitals(match.string, match.start(), match.end()):
        return match.group(0)  # a shouted headline ("POLICE SAY..."): leave it
    spoken = spell_letters(letters)
    return spoken + "'s" if plural else spoken


def _spell_initialisms(text: str) -> str:
    """Spell all-capital tokens of 2-5 letters: FBI -> F B I, CEOs -> C E O's."""
    return _CAPS_RE.sub(_say_caps, text)
