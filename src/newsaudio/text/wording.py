"""Every phrase newsaudio chooses itself for a digest, in one place.

Spoken lines (the opening with the show, the date and the headlines; the attribution before
each story), the chapter title of the opening, the default digest title, the episode
description that lists the stories, and the notes a digest run prints. Each reads naturally
for one story and for twenty: counts are words at the start of a sentence ("Five stories"),
"One story" is singular, and a long list of headlines is cut to the first
:data:`HEADLINES_SPOKEN` with "and N more".

English wording by default; every function that speaks or titles takes ``language``
(BCP 47, default ``"en"``) and, for German, French, Spanish, Portuguese and Italian, uses
that language's :class:`~newsaudio.text.wording_languages.Wording` (English and every other
language: the English phrases, unchanged). Every function is pure (no clock, no I/O), so
golden tests pin it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from newsaudio.text.wording_languages import wording_for

HEADLINES_SPOKEN = 6
"""Headlines read in the opening; beyond this the opening names the first five and "N more"."""

HEADLINES_WHEN_CUT = 5

OPENING_CHAPTER = "Headlines"
"""Chapter title of the opening (intro sting and opening line)."""

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TRAILING = re.compile(r"[\s.;:,]+$")


def count_words(n: int) -> str:
    """``n`` in words, capitalized for the start of a sentence ("Five", "Twenty-one")."""
    from num2words import num2words

    words: str = num2words(n)
    return words[:1].upper() + words[1:]


def stories(n: int, capital: bool = True) -> str:
    """ "One story", "Five stories" (``capital=False``: "one story", "five stories")."""
    words = count_words(n)
    text = f"{words} {'story' if n == 1 else 'stories'}"
    return text if capital else text[:1].lower() + text[1:]


def spoken_date(day: date) -> str:
    """ "Wednesday the second of December"."""
    from num2words import num2words

    return (
        f"{_DAYS[day.weekday()]} the {num2words(day.day, to='ordinal')} of {_MONTHS[day.month - 1]}"
    )


def short_date(day: date) -> str:
    """ "Wednesday 2 December" (titles, notes)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def default_title(show_title: str, day: date, language: str = "en") -> str:
    """The digest title when none is given: "Harbour News, Wednesday 2 December"
    ("Harbour News, Mittwoch, 2. Dezember" in German)."""
    other = wording_for(language)
    if other is not None:
        return other.default_title(show_title, day)
    return f"{show_title}, {short_date(day)}"


def opening_chapter(language: str = "en") -> str:
    """Chapter title of the opening: :data:`OPENING_CHAPTER` ("Schlagzeilen", "Les titres"...)."""
    other = wording_for(language)
    return OPENING_CHAPTER if other is None else other.opening_chapter


def headline(text: str) -> str:
    """A headline without trailing sentence punctuation (question and exclamation marks stay)."""
    return _TRAILING.sub("", " ".join(text.split())) or text.strip()


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _listing(items: Sequence[str]) -> str:
    """ "A", "A and B", "A; B; and C" (semicolons: headlines often hold commas)."""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]}; and {items[1]}"
    return "; ".join(items[:-1]) + f"; and {items[-1]}"


def opening(show_title: str, day: date, headlines: Sequence[str], language: str = "en") -> str:
    """The opening line: show, date, how many stories and their headlines.

    1 story: "Harbour News for Wednesday the second of December. One story today: Library
    reopens after two-year refit." Up to :data:`HEADLINES_SPOKEN`: every headline. More: the
    first :data:`HEADLINES_WHEN_CUT`, then "and fifteen more". In German: "Harbour News für
    Mittwoch, den zweiten Dezember. Eine Meldung heute: ...".
    """
    other = wording_for(language)
    if other is not None:
        return other.opening(show_title, day, headlines)
    heads = [headline(h) for h in headlines]
    first = f"{headline(show_title)} for {spoken_date(day)}."
    n = len(heads)
    if n == 1:
        return f"{first} {stories(1)} today: {_sentence(heads[0])}"
    if n <= HEADLINES_SPOKEN:
        return f"{first} {stories(n)}: {_sentence(_listing(heads))}"
    shown = heads[:HEADLINES_WHEN_CUT]
    more = count_words(n - len(shown)).lower()
    return f"{first} {stories(n)}, starting with: {'; '.join(shown)}; and {more} more."


def attribution(site_name: str | None, title: str, index: int, language: str = "en") -> str:
    """The line before a story: "From Harbour Gazette: Library reopens after two-year refit."
    Without a site name: "First: ..." for the first story (``index`` 0), "Next: ..." after.
    In French: "Selon Le Monde : ...", "D'abord : ...", "Ensuite : ..."."""
    other = wording_for(language)
    if other is not None:
        return other.attribution(site_name, title, index)
    said = _sentence(headline(title))
    if site_name:
        return f"From {headline(site_name)}: {said}"
    return f"{'First' if index == 0 else 'Next'}: {said}"


@dataclass(frozen=True)
class Listed:
    """A story as the description lists it."""

    title: str
    url: str | None
    site_name: str | None


def description(
    listed: Sequence[Listed], limit_bytes: int = 4000, language: str = "en"
) -> tuple[str, str]:
    """The episode description listing the stories: ``(plain text, HTML)``.

    The HTML (for the feed) is an ordered list of links; both stay under ``limit_bytes`` of
    UTF-8 (Apple's limit for item descriptions) by listing fewer stories and ending with
    "and N more" (in ``language``: "Fünf Meldungen in dieser Folge:" ... "und 3 weitere").
    """
    other = wording_for(language)

    def lead_line(n: int) -> str:
        return f"{stories(n)} in this episode:" if other is None else other.description_lead(n)

    def more_line(rest: int) -> str:
        return f"and {rest} more" if other is None else other.more.format(n=rest)

    def build(k: int) -> tuple[str, str]:
        shown = listed[:k]
        rest = len(listed) - k
        lead = lead_line(len(listed))
        text_lines = [lead]
        items = []
        for i, s in enumerate(shown, 1):
            site = f" ({s.site_name})" if s.site_name else ""
            text_lines.append(f"{i}. {s.title}{site}" + (f" {s.url}" if s.url else ""))
            title = html.escape(s.title, quote=True)
            link = f'<a href="{html.escape(s.url, quote=True)}">{title}</a>' if s.url else title
            items.append(f"<li>{link}{html.escape(site)}</li>")
        if rest:
            text_lines.append(more_line(rest))
            items.append(f"<li>{html.escape(more_line(rest))}</li>")
        return "\n".join(text_lines), f"<p>{html.escape(lead)}</p><ol>{''.join(items)}</ol>"

    for k in range(len(listed), -1, -1):
        text, markup = build(k)
        if max(len(text.encode("utf-8")), len(markup.encode("utf-8"))) <= limit_bytes:
            return text, markup
    return build(0)


def left_out_note(titles: Sequence[str], max_minutes: float) -> str:
    """What ``--max-minutes`` dropped: "left out to stay within 3 minutes: A; B"."""
    minutes = f"{max_minutes:g} minute{'' if max_minutes == 1 else 's'}"
    return f"left out to stay within {minutes}: {'; '.join(headline(t) for t in titles)}"


def over_budget_note(max_minutes: float) -> str:
    """When even the first story is longer than ``--max-minutes``: it is kept whole."""
    minutes = f"{max_minutes:g} minute{'' if max_minutes == 1 else 's'}"
    return f"the first story alone is longer than {minutes}; it is kept whole"


def duplicate_note(source: str, first: str) -> str:
    """A source that is the same article as an earlier one: read once."""
    if source == first:
        return f"{source}: given more than once; read once"
    return f"{source}: same article as {first}; read once"
