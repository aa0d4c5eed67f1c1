"""Shared pieces of the normalization rules: number words (num2words, cached), letter
spelling, regex fragments and context helpers."""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words


def _word_tuple(words: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of ``words``, in order."""
    return tuple(words.split())


def _word_set(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``words`` as a set."""
    return frozenset(words.split())


_SCALE_WORDS: dict[str, str] = {
    "k": "thousand",
    "K": "thousand",
    "thousand": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "million": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}


# ---------------------------------------------------------------------------------------
# Number words (num2words only; cached)
# ---------------------------------------------------------------------------------------

_MAX_CARDINAL_DIGITS = 15  # beyond quadrillions, digits are read one by one


def _tidy_words(words: str) -> str:
    """Return num2words output without commas, British "and" or "oh-" hyphen."""
    words = words.replace(",", " ").replace("oh-", "oh ")
    return " ".join(word for word in words.split() if word != "and")


@lru_cache(maxsize=4096)
def _cardinal(value: int) -> str:
    """Return ``value`` as cardinal words: 3500000 -> 'three million five hundred thousand'."""
    return _tidy_words(num2words(value))


@lru_cache(maxsize=1024)
def _ordinal(value: int) -> str:
    """Return ``value`` as ordinal words: 48 -> 'forty-eighth'."""
    return _tidy_words(num2words(value, to="ordinal"))


@lru_cache(maxsize=1024)
def _year(value: int) -> str:
    """Return ``value`` read as a year: 2019 -> 'twenty nineteen'."""
    return _tidy_words(num2words(value, to="year"))


_DIGIT_WORDS: tuple[str, ...] = tuple(_cardinal(d) for d in range(10))


def _digits(digits: str) -> str:
    """Return each ASCII digit of ``digits`` as a word: '0123' -> 'zero one two three'."""
    return " ".join(_DIGIT_WORDS[ord(c) - 48] for c in digits if "0" <= c <= "9")


def _integer(digits: str) -> str:
    """Return an integer string (commas allowed) as cardinal words, or digit by digit."""
    plain = digits.replace(",", "")
    if len(plain) > _MAX_CARDINAL_DIGITS:
        return _digits(plain)
    return _cardinal(int(plain))


def _quantity(number: str) -> str:
    """Return a number like '3,500,000', '12', '0.6' or '.5' as cardinal words."""
    whole, _, fraction = number.partition(".")
    words = _integer(whole) if whole else ""
    if fraction:
        words = f"{words} point {_digits(fraction)}".strip()
    return words


def _pluralize(words: str) -> str:
    """Return number words with the last word made plural: 'nineteen ninety' -> '...nineties'."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith(("x", "s")):
        return words + "es"
    return words + "s"


def spell_letters(letters: str) -> str:
    """Return capital letters spelled for the engine: 'FBI' -> 'F B I', 'AP' -> 'A-P'.

    espeak-ng reads a lone "A" as the article "uh", so a leading "A" is hyphenated to the
    next letter ('ACLU' -> 'A-C L U') and a group with any other "A" stays joined
    ('UAE', 'USA', 'NBA'), which espeak-ng reads letter by letter.
    """
    if "A" not in letters:
        return " ".join(letters)
    if letters[0] == "A" and len(letters) > 1 and "A" not in letters[1:]:
        return f"A-{' '.join(letters[1:])}"
    return letters


# ---------------------------------------------------------------------------------------
# Shared regex pieces and context helpers
# ---------------------------------------------------------------------------------------

_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_INT = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_AT_END = re.compile(r"""[\s"'’”)\]]*$""")
_NEXT_WORD = re.compile(r"\s+([^\W_][\w'’-]*)")
_PREV_WORD = re.compile(r"([^\W_][\w'’-]*)[\s,]*$")
_PREV_PLAIN_WORD = re.compile(r"([A-Za-z]+)\s+$")
_NEXT_PLAIN_WORD = re.compile(r"\s+([A-Za-z]+)")


def _at_end(text: str, position: int) -> bool:
    """Return True when only closing quotes/brackets and spaces follow ``position``."""
    return _AT_END.match(text, position) is not None


def _next_word(text: str, position: int) -> str:
    """Return the word right after ``position`` (after spaces), or ''."""
    match = _NEXT_WORD.match(text, position)
    return match.group(1) if match else ""


def _prev_word(text: str, position: int) -> str:
    """Return the word right before ``position`` (before spaces), or ''."""
    match = _PREV_WORD.search(text, max(0, position - 40), position)
    return match.group(1) if match else ""


def _is_capitalized(word: str) -> bool:
    """Return True for a word starting with an uppercase letter."""
    return word[:1].isupper()
