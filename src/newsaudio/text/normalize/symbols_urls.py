"""Symbols, URLs and e-mail addresses, and the final punctuation tidy-up."""

from __future__ import annotations

import html
import re

from newsaudio.text.normalize._common import (
    _word_tuple,
)

_TLDS = _word_tuple(
    "com org net edu gov mil int info biz news io ai app dev tv me ly co uk us ca au "
    "nz ie de fr eu in"
)


# ---------------------------------------------------------------------------------------

_PREPARE_RE = re.compile(r"[\u2212\u2010\u2011\u2012\ufe63\uff0d]|\u2044|#(?=[0-9])|~(?=[0-9])")
_PREPARE_MAP = {"\u2044": "/", "#": "number ", "~": "about "}


_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _prepare_symbols(text: str) -> str:
    """Map Unicode minus/hyphens to '-', fraction slash to '/', '#5'/'~5', '&amp;' to words."""
    # a character reference left in the display text ('&amp;' from '&amp;amp;', decoded once
    # for display) is read as its character
    if "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return _PREPARE_RE.sub(lambda m: _PREPARE_MAP.get(m.group(0), "-"), text)


_TLD = "|".join(_TLDS)
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._+-]*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w@])"
)
_URL_RE = re.compile(
    r"(?<![\w@./-])"
    r"(?:(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
    rf"|(?P<bare>(?:[A-Za-z0-9-]+\.)+(?:{_TLD}))(?![\w-]))"
    r"(?::[0-9]+)?"
    r"(?:[/?#][^\s]*?)?"
    r"""(?=[.,;:!?)\]"'’”]*(?:\s|$))"""
)


def _say_host(host: str) -> str:
    """Return a host name read aloud: 'www.example.com' -> 'example dot com'."""
    if host.lower().startswith("www."):
        host = host[4:]
    return " dot ".join(label for label in host.split(".") if label)


def _say_email(match: re.Match[str]) -> str:
    """Return an e-mail address read aloud."""
    local = match.group(1).replace(".", " dot ").replace("_", " underscore ")
    return f"{local} at {_say_host(match.group(2))}"


def _say_url(match: re.Match[str]) -> str:
    """Return a URL or bare domain read as its host."""
    return _say_host(match.group("host") or match.group("bare"))


def _expand_urls_and_emails(text: str) -> str:
    """Read e-mail addresses in full and URLs/domains as their host ('example dot com')."""
    if "@" in text:
        text = _EMAIL_RE.sub(_say_email, text)
    if "." in text:
        text = _URL_RE.sub(_say_url, text)
    return text


_SYMBOL_RE = re.compile(r"\b(?:and/or|km/h|m/s)\b|(?<=[A-Za-z])/(?=[A-Za-z])|#(?=\w)|[&+@%=×°§]")
_SYMBOL_WORDS = {
    "and/or": "and or",
    "km/h": "kilometers per hour",
    "m/s": "meters per second",
    "/": " or ",
    "#": "hashtag ",
    "&": " and ",
    "+": " plus ",
    "@": " at ",
    "%": " percent ",
    "=": " equals ",
    "×": " times ",
    "°": " degrees ",
    "§": " section ",
}


def _expand_symbols(text: str) -> str:
    """Read symbols: & -> and, + -> plus, @ -> at, and/or -> and or, word/word -> or."""
    if not any(char in text for char in "/#&+@%=×°§"):
        return text
    return _SYMBOL_RE.sub(lambda m: _SYMBOL_WORDS[m.group(0)], text)


_SPACE_BEFORE_PUNCT = re.compile(r" (?=[,.;:?!])")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")


def _tidy_punctuation(text: str) -> str:
    """Collapse spaces, drop spaces before punctuation and doubled periods (not '...')."""
    text = _SPACE_BEFORE_PUNCT.sub("", " ".join(text.split()))
    return _DOUBLE_PERIOD.sub(".", text) if ".." in text else text
