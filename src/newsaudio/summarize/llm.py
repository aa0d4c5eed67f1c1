"""LLM briefs: a spoken-style summary from an OpenAI-compatible chat-completions endpoint,
cleaned and checked against the article before it may be read.

Endpoint: ``POST {base_url}/chat/completions`` (``base_url`` as OpenAI clients take it:
``https://api.openai.com/v1``, Ollama ``http://127.0.0.1:11434/v1``, llama.cpp's server
``http://127.0.0.1:8080/v1``, vLLM ``http://127.0.0.1:8000/v1``) with ``{"model",
"messages", "stream": false, "temperature": 0, "max_tokens"}`` and, when an API key is set,
``Authorization: Bearer KEY``. The reply's ``choices[0].message.content`` is the summary;
``finish_reason`` ``"length"`` means it was cut (its unfinished last sentence is dropped).
Network rules are the TTS HTTP engines' (:class:`newsaudio.tts.http.HttpClient`): a timeout
per request, 429/5xx/timeouts retried with backoff honouring ``Retry-After``; settings from
``NEWSAUDIO_LLM_*`` (``NEWSAUDIO_LLM_TIMEOUT_S``, ``..._ATTEMPTS``...).

:func:`clean_summary` turns a reply into plain spoken text (no Markdown, no "Here is a
summary:" preamble, no list markers, no reasoning ``<think>`` block, no closing offer).
:func:`check_summary` returns the first number or proper name of the summary that the
article does not contain, or None (see its docstring for the canonical forms).

Errors: :class:`SummarizerError` (a NewsaudioError) for an endpoint that cannot be reached,
answers an error, or returns no usable text; :class:`LlmSummarizer` catches it and falls back
to the lead brief with one line, never failing the run (after a failure that is not about
one reply, the endpoint is not asked again in that run).

Cache: a summary and its check's verdict are kept as ``<cache dir>/summaries/ab/<sha256>.json``
(``{"summary": str, "refused": str | null}``), keyed by :func:`cache_key` (model, prompt
version, words, language, article text), so a digest made again sends no request.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import ClassVar

from newsaudio.errors import ConfigError, NewsaudioError, SynthesisError
from newsaudio.models import Article, Block
from newsaudio.summarize import Brief, SummarizerSettings
from newsaudio.summarize.lead import LeadSummarizer, estimate_seconds
from newsaudio.text.segment import split_sentences
from newsaudio.tts.http import HttpClient, HttpSettings, HttpStatusError

_LOG = logging.getLogger(__name__)

MAX_ARTICLE_CHARS = 16_000
"""Article text sent to the model at most (characters; a long story is cut at a paragraph)."""

PROMPT_VERSION = "brief-v1"
"""Part of the summary cache key: bump when the prompt's wording changes."""

LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "nb": "Norwegian", "no": "Norwegian", "fi": "Finnish", "cs": "Czech", "ru": "Russian",
    "uk": "Ukrainian", "tr": "Turkish", "ja": "Japanese", "zh": "Chinese", "ko": "Korean",
    "ar": "Arabic", "el": "Greek", "hu": "Hungarian", "ro": "Romanian", "ca": "Catalan",
}  # fmt: skip


class SummarizerError(NewsaudioError):
    """The LLM endpoint gave no usable summary (one clear line naming why)."""


@dataclass(frozen=True)
class LlmHttpSettings(HttpSettings):
    """HTTP rules for the summarizer (``NEWSAUDIO_LLM_*``): local models are slow, so a long
    timeout, fewer attempts, one request at a time, no pacing."""

    ENV_PREFIX: ClassVar[str] = "NEWSAUDIO_LLM_"
    timeout_s: float = 120.0
    attempts: int = 4
    rate_per_s: float = 0.0
    concurrency: int = 1


@dataclass(frozen=True)
class Reply:
    """A chat-completions answer: ``content`` (raw), ``finish_reason``, token ``usage``."""

    content: str
    finish_reason: str | None
    usage: dict[str, int]


def language_name(tag: str) -> str:
    """``de-AT`` -> ``German``; an unknown tag is returned as it is."""
    return LANGUAGES.get(tag.split("-")[0].lower(), tag)


def messages(title: str, text: str, words: int, language: str) -> list[dict[str, str]]:
    """The chat messages asking for a spoken-style summary of about ``words`` words in
    ``language`` (a BCP 47 tag), plain text."""
    lang = language_name(language)
    system = (
        "You write short news briefs for a radio bulletin. Write plain text to be read "
        "aloud: full sentences, no headings, no lists, no Markdown, no introduction such as "
        "'Here is a summary'. Use only facts stated in the article: copy every number, date "
        "and name exactly as the article gives it, and add none that it does not contain."
    )
    user = (
        f"Summarize this news article in about {words} words, in {lang}, as a spoken "
        f"brief that starts with the most important fact.\n\nHeadline: {title}\n\n{text}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class ChatClient:
    """An OpenAI-compatible chat-completions client (module docstring)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        settings: LlmHttpSettings | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self._api_key = api_key  # never logged nor put in an error message
        self.http = HttpClient(
            settings or LlmHttpSettings.from_env(),
            "llm",
            lambda reason: SynthesisError(f"llm: cannot reach {self.url} ({reason})"),
        )

    def complete(self, msgs: list[dict[str, str]], max_tokens: int = 400) -> Reply:
        """Send ``msgs``; the reply. Raises SummarizerError (HTTP error with the server's
        ``error.message``, bad JSON, no choices)."""
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        body = {
            "model": self.model, "messages": msgs, "stream": False,
            "temperature": 0, "max_tokens": max_tokens,
        }  # fmt: skip
        try:
            reply = self.http.post(self.url, json=body, headers=headers)
        except HttpStatusError as exc:
            raise SummarizerError(str(exc)) from None
        except NewsaudioError as exc:
            raise SummarizerError(str(exc)) from None
        try:
            data = reply.json()
            choice = data["choices"][0]
            content = choice["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise SummarizerError(
                f"llm: {self.url} answered no choices[0].message.content"
            ) from None
        if not isinstance(content, str):
            raise SummarizerError("llm: the reply's message content is not text")
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        return Reply(
            content,
            choice.get("finish_reason"),
            {k: int(v) for k, v in usage.items() if isinstance(v, int)},
        )


def summarize(client: ChatClient, title: str, text: str, words: int, language: str) -> str:
    """A cleaned summary of the article. Raises SummarizerError when the endpoint fails or
    the cleaned reply is empty."""
    reply = client.complete(messages(title, text, words, language), max_tokens=max(64, words * 3))
    summary = clean_summary(reply.content, truncated=reply.finish_reason == "length")
    if not summary:
        raise SummarizerError("llm: the reply is empty once cleaned")
    return summary


def cache_key(model: str, text: str, words: int, language: str) -> str:
    """Summary cache key: model, prompt version, budget, language and article text."""
    import hashlib

    blob = json.dumps([PROMPT_VERSION, model, words, language, text], ensure_ascii=False)
    return "llm/" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- cleaning ---------------------------------------------------------------------------

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>\s*", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^```[\w-]*\s*$", re.MULTILINE)
_PREAMBLE = re.compile(
    r"^\s*(?:(?:sure|certainly|of course|okay|ok)[,!.]?\s*)?"
    r"(?:here(?:'s| is| are)\b[^:\n]{0,80}:|"
    r"(?:a |the )?(?:spoken[- ]style |short |brief |news |radio )*(?:summary|brief|recap)"
    r"(?: of [^:\n]{0,60})?\s*:|"
    r"(?:summary|brief|tl;?dr)\s*[:\-–—])\s*",
    re.IGNORECASE,
)
_OUTRO = re.compile(
    r"\s*(?:let me know\b|i hope (?:this|that) helps\b|feel free to\b|would you like\b|"
    r"if you(?:'d| would) like\b|note:|\(note:)[^\n]*$",
    re.IGNORECASE,
)
_LIST_MARK = re.compile(r"^\s*(?:[-*+•·–—]|\d{1,2}[.)]|[a-z][.)])\s+", re.MULTILINE)
_HEADING = re.compile(
    r"^\s*#{1,6}\s.*$|^\s*(?:summary|brief|tl;?dr)\s*:?\s*$", re.MULTILINE | re.IGNORECASE
)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`([^`]*)`")
_TERMINAL = re.compile(r"[.!?…][\"'”’)]*$")


def clean_summary(text: str, truncated: bool = False) -> str:
    """Plain spoken text from an LLM reply: reasoning blocks, code fences, heading lines, links
    (their text kept), emphasis, inline code marks, list markers (items become sentences),
    a leading preamble ("Here is a summary:", "Summary:") and a closing offer ("Let me know
    if...") removed; whitespace collapsed; quotes wrapping the whole reply removed. With
    ``truncated`` (finish_reason "length") an unfinished last sentence is dropped.
    Returns "" when nothing readable is left."""
    t = unicodedata.normalize("NFC", text)
    t = _THINK.sub("", t)
    t = re.sub(r"<(think|thinking)>.*$", "", t, flags=re.DOTALL | re.IGNORECASE)  # unclosed
    t = _FENCE.sub("", t)
    t = _HEADING.sub("", t)
    t = _LINK.sub(r"\1", t)
    t = _CODE.sub(r"\1", t)
    for _ in range(2):
        t = _EMPHASIS.sub(r"\2", t)
    lines: list[str] = []
    for line in t.splitlines():
        item = _LIST_MARK.match(line)
        line = line[item.end() :] if item else line
        line = line.strip()
        if not line:
            continue
        if (item or lines) and not _TERMINAL.search(line) and not line.endswith(":"):
            line += "."  # a list item or a heading-like line becomes a sentence
        lines.append(line)
    t = " ".join(lines)
    for _ in range(2):
        t = _PREAMBLE.sub("", t, count=1)
    t = _OUTRO.sub("", t)
    t = re.sub(r"\s+", " ", t).strip()
    if len(t) >= 2 and t[0] in "\"“'‘" and t[-1] in "\"”'’" and t.count(t[0]) <= 2:
        t = t[1:-1].strip()
    if truncated and not _TERMINAL.search(t):
        cut = max(t.rfind(". "), t.rfind("! "), t.rfind("? "))
        t = t[: cut + 1] if cut > 0 else ""
    return t if any(ch.isalnum() for ch in t) else ""


# --- checking ---------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_ORDINALS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000,
    "mn": 1_000_000, "mln": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "trillion": 1_000_000_000_000, "tn": 1_000_000_000_000,
    "lakh": 100_000, "crore": 10_000_000,
}  # fmt: skip
_WORD_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}
_AMBIGUOUS = {"one", "first", "second", "a", "an", "half"}

# a digit number: 3,400,000 | 3 400 000 | 3.4 | 3,4 (decimal comma) | .5 ; then an optional
# scale word or suffix (3.4m, 1.5bn, 20k, 3.4 million) ; %, ordinals (21st) folded in
_DIGITS = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:(?:,\d{3})+|(?:[  ]\d{3})+)(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|mln|mn|bn|tn|lakh|crore|[kmb])\b)?",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_MONTH_NUMBERS = {
    m: i for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")], start=1) for m in names
}  # fmt: skip
_MONTH_RE = (
    r"(?P<month{n}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTH_RE.format(n=1)}\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]\d)"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE.format(n=2)}\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = re.compile(
    r"\b(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|dozen|hundred|thousand|million|billion|trillion|a|an|and|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    r"fortieth|fiftieth|hundredth)"
    r"(?:(?:(?<=thousand)|(?<=million)|(?<=billion)|(?<=trillion)),\s+|[\s-]+|\b))+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """A number found in text: ``span`` as written, ``value`` canonical (a Decimal in
    normalized form, or ``"t10:30"`` for a clock time)."""

    span: str
    value: str


def _canon(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _digit_value(num: str, scale: str | None) -> Decimal | None:
    raw = num.replace(" ", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", raw):
        raw = raw.replace(",", ".")  # decimal comma (3,4 millones)
    elif "," in raw:
        raw = raw.replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if scale:
        factor = _SCALES.get(scale.lower())
        if factor is None:
            return None
        value *= factor
    return value


def _words_value(words: list[str]) -> int | None:
    """``["three", "hundred", "and", "five"]`` -> 305; None when not a number."""
    total = current = 0
    seen = False
    for w in words:
        if w in ("and",):
            continue
        if w in ("a", "an"):
            current = max(current, 1)
            continue
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in ("first", "second") and current >= 20 and current % 10 == 0:
            current += 1 if w == "first" else 2  # twenty-first
            seen = True
        elif w in _ORDINALS:
            current += _ORDINALS[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif w in _SCALES and w in _WORD_SCALES:
            total += max(current, 1) * _SCALES[w]
            current = 0
            seen = True
    return total + current if seen else None


def numbers(text: str) -> Iterator[Mention]:
    """Every number mentioned in ``text`` (dates, clock times, digits, then words), with
    its canonical value: digits (thousands separators, decimal points or commas, scale words
    and suffixes: ``3.4 million`` = ``3,400,000`` = ``3.4m``), percentages (the value:
    ``40%`` = ``40 per cent`` = ``forty percent``), ordinals (``21st`` = ``twenty-first``;
    word ordinals from ``third`` on), English number words (``twenty-five``, ``three
    hundred and five``, ``a dozen``), clock times (``10:30``), years (as numbers), days of
    months (as dates: ``December 7`` = ``7 Dec.`` = ``7th of December``). Left out as too
    ambiguous in prose: a lone ``one``/``a``/``an``, ``first``, ``second``, ``half``."""
    taken: list[tuple[int, int]] = []
    for m in _DATE.finditer(text):
        month = _MONTH_NUMBERS[(m.group("month1") or m.group("month2")).lower()]
        day = int(m.group("day1") or m.group("day2"))
        if 1 <= day <= 31:
            taken.append(m.span())
            yield Mention(m.group(0), f"d{month}-{day}")
    for m in _TIME.finditer(text):
        taken.append(m.span())
        yield Mention(m.group(0), f"t{int(m.group(1))}:{m.group(2)}")
    for m in _DIGITS.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value = _digit_value(m.group("num"), m.group("scale"))
        taken.append(m.span())
        if value is not None:
            yield Mention(m.group(0).strip(), _canon(value))
    for m in _NUMBER_WORDS.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        span = m.group(0).strip(" -")
        parts = [p for p in re.split(r"[\s,-]+", span.lower()) if p]
        while parts and parts[-1] in ("and", "a", "an"):
            parts.pop()
        while parts and parts[0] == "and":
            parts.pop(0)
        if not parts or all(p in _AMBIGUOUS or p == "and" for p in parts):
            continue
        if parts[0] in ("a", "an") and len(parts) == 1:
            continue
        spelled = _words_value(parts)
        if spelled is not None:
            yield Mention(span, str(spelled))
        # "3.4 million" is caught by _DIGITS; "a million" here


_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…:]['\"”’)\]]*\s+|\n+|^\s*['\"“‘(]*")
_PARTICLES = {
    "of",
    "de",
    "da",
    "del",
    "der",
    "van",
    "von",
    "la",
    "le",
    "du",
    "bin",
    "al",
    "the",
    "and",
    "&",
}
_TITLES = {
    "mayor", "president", "minister", "prime", "governor", "senator", "judge", "chief",
    "general", "prince", "king", "queen", "pope", "professor", "doctor", "dr", "secretary",
    "chancellor", "premier", "sheriff", "councillor", "councilman", "councilwoman", "director",
    "chairman", "chairwoman", "ceo", "state", "city", "council", "court", "government",
}  # fmt: skip
_MONTHS_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}  # fmt: skip


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word).strip(".-'’")


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in _SENTENCE_END.finditer(text):
        starts.add(m.end())
    return starts


def _tokens(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _TOKEN.finditer(text)]


def _article_index(article: str) -> tuple[set[str], set[str], list[list[str]]]:
    """(words in any case, name words, runs of capitalised words) of the article, all
    lower-cased. A name word is written capitalised inside a sentence, or only ever
    capitalised (a name that opens every sentence it is in)."""
    any_case: set[str] = set()
    lower: set[str] = set()
    mid: set[str] = set()
    start_only: set[str] = set()
    runs: list[list[str]] = []
    run: list[str] = []
    starts = _sentence_starts(article)
    last_end = 0
    for m in _TOKEN.finditer(article):
        word = _strip_possessive(m.group(0))
        if not word:
            continue
        low = word.lower()
        parts = [p for p in re.split(r"[-]", word) if p]
        for w in [word, *parts] if len(parts) > 1 else [word]:
            any_case.add(w.lower())
            if not _capitalised(w):
                lower.add(w.lower())
            elif m.start() in starts and w is word:
                start_only.add(w.lower())
            else:
                mid.add(w.lower())
        joined = article[last_end : m.start()].strip() == ""
        if _capitalised(word):
            if run and joined:
                run.append(low)
            else:
                if run:
                    runs.append(run)
                run = [low]
        elif run and low in _PARTICLES and joined:
            run.append(low)
        else:
            if run:
                runs.append(run)
            run = []
        last_end = m.end()
    if run:
        runs.append(run)
    return any_case, mid | (start_only - lower), runs


def _in_one_run(a: str, b: str, runs: Iterable[list[str]]) -> bool:
    return any(a in run and b in run[run.index(a) + 1 :] for run in runs)


def check_summary(summary: str, article: str) -> str | None:
    """The first number or proper name of ``summary`` not found in ``article``, as written
    in the summary (``"3.4 million"``, ``"Ann Smith"``), or None when every one is found.

    Numbers: compared by canonical value (:func:`numbers`), so ``3.4 million`` is found as
    ``3,400,000`` or ``3.4m``, ``40 per cent`` as ``40%``, ``twenty-five`` as ``25``.

    Names: a capitalised word inside a sentence must be a name word of the article (written
    capitalised inside a sentence there, or only ever capitalised); a possessive ``'s`` is
    ignored, a hyphenated word passes when each part is in the article. A word opening a
    sentence passes when the article has it in any case (``The``, ``Prices``); so does a title,
    month or weekday (``Mayor``, ``Tuesday``) the article writes in lower case or at a
    sentence start. Two name words side by side (``Ann Smith``) must sit in one run of
    capitalised words in the article, in that order (``Ann Lee`` and ``John Smith`` do not
    make ``Ann Smith``); titles are exempt (``President Biden`` from ``President Joe
    Biden``). ``I`` is never a name.
    """
    article_numbers = {m.value for m in numbers(article)}
    for mention in numbers(summary):
        if mention.value not in article_numbers:
            return mention.span
    any_case, names, runs = _article_index(article)
    starts = _sentence_starts(summary)
    previous: tuple[str, int, int] | None = None  # (word lower, start, end) of a name word
    for m in _TOKEN.finditer(summary):
        raw = m.group(0)
        word = _strip_possessive(raw)
        if not word or not _capitalised(word) or word == "I":
            previous = None
            continue
        low = word.lower()
        at_start = m.start() in starts
        parts = [p.lower() for p in word.split("-") if p]
        is_name = low in names or (len(parts) > 1 and all(p in any_case for p in parts))
        excused = low in any_case and (at_start or low in _TITLES or low in _MONTHS_DAYS)
        if not is_name and not excused:
            return word
        if not is_name or low in _TITLES:
            previous = None
            continue
        if previous is not None:
            prev_low, prev_start, prev_end = previous
            if summary[prev_end : m.start()].strip() == "" and not _in_one_run(prev_low, low, runs):
                return f"{summary[prev_start:prev_end]} {word}"
        previous = (low, m.start(), m.start() + len(word))
    return None


# --- the summarizer ----------------------------------------------------------------------


def article_text(article: Article) -> str:
    """The article as sent and checked: its blocks' text, a blank line between blocks."""
    return "\n\n".join(block.text.strip() for block in article.blocks if block.text.strip())


def _sent_text(text: str) -> str:
    if len(text) <= MAX_ARTICLE_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_ARTICLE_CHARS)
    return text[: cut if cut > 0 else MAX_ARTICLE_CHARS]


@dataclass
class LlmSummarizer:
    """The ``llm`` summarizer (:class:`newsaudio.summarize.Summarizer`): :func:`summarize`
    through ``client``, cleaned, checked with :func:`check_summary` against the article
    (title and text), cached in ``cache_root`` (None: no cache). A refused summary, an empty
    reply or an endpoint error gives the lead brief (``fallback``) with a ``note``; after an
    error that is not about one article (connection, HTTP status), the endpoint is not asked
    again (``unavailable`` holds the one-line reason)."""

    client: ChatClient
    cache_root: Path | None
    fallback: LeadSummarizer = field(default_factory=LeadSummarizer)
    name: str = "llm"
    unavailable: str | None = None
    requests: int = 0

    def _cache_path(self, key: str) -> Path | None:
        if self.cache_root is None:
            return None
        digest = key.split("/", 1)[-1]
        return self.cache_root / digest[:2] / f"{digest}.json"

    def _cached(self, key: str) -> tuple[str, str | None] | None:
        path = self._cache_path(key)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            summary, refused = data["summary"], data["refused"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable entry: asked again, then overwritten
        if not isinstance(summary, str) or not (refused is None or isinstance(refused, str)):
            return None
        return summary, refused

    def _store(self, key: str, summary: str, refused: str | None) -> None:
        path = self._cache_path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"summary": summary, "refused": refused}, out, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:  # a cache that cannot be written costs a request next time
            _LOG.warning("summary cache: %s", exc)

    def brief(
        self,
        article: Article,
        budget_s: float,
        seconds_for: Callable[[str], float | None] | None = None,
    ) -> Brief:
        """The checked LLM brief of ``article`` for ``budget_s`` seconds, or its lead brief
        with a note (class docstring)."""
        wpm = self.fallback.words_per_minute
        words = max(15, round(budget_s * wpm / 60.0))
        text = article_text(article)
        key = cache_key(self.client.model, f"{article.title}\n\n{text}", words, article.language)
        cached = self._cached(key)
        if cached is not None:
            summary, refused = cached
        elif self.unavailable is not None:
            return self._lead(article, budget_s, seconds_for, self.unavailable)
        else:
            try:
                self.requests += 1
                summary = summarize(
                    self.client, article.title, _sent_text(text), words, article.language
                )
            except SummarizerError as exc:
                reason = " ".join(str(exc).split())
                if "empty" in reason or "choices" in reason or "not text" in reason:
                    return self._lead(
                        article, budget_s, seconds_for, f"llm summary refused: {reason}"
                    )
                self.unavailable = f"llm unavailable: {reason}"
                return self._lead(article, budget_s, seconds_for, self.unavailable)
            wrong = check_summary(summary, f"{article.title}\n\n{text}")
            refused = (
                None if wrong is None else f"llm summary refused: {wrong!r} not in the article"
            )
            self._store(key, summary, refused)
        if refused is not None:
            return self._lead(article, budget_s, seconds_for, refused)
        sentences = tuple(
            s.strip() for s in split_sentences(summary, article.language) if s.strip()
        )
        brief = replace(article, blocks=(Block("paragraph", summary),))
        return Brief(brief, "llm", sentences, estimate_seconds(summary, wpm))

    def _lead(
        self,
        article: Article,
        budget_s: float,
        seconds_for: Callable[[str], float | None] | None,
        note: str,
    ) -> Brief:
        return replace(self.fallback.brief(article, budget_s, seconds_for), note=note)


def create(settings: SummarizerSettings) -> LlmSummarizer:
    """The llm summarizer (registry factory). Raises ConfigError without ``base_url`` or
    ``model``, or when ``api_key_env`` names an unset variable."""
    if not settings.base_url:
        raise ConfigError(
            "summarizer llm: no endpoint (--llm-url or [summarizer] base_url, "
            "e.g. http://127.0.0.1:11434/v1)"
        )
    if not re.match(r"^https?://[^/\s]+", settings.base_url):
        raise ConfigError(f"summarizer llm: base_url {settings.base_url!r} is not an http(s) URL")
    if not settings.model:
        raise ConfigError("summarizer llm: no model (--llm-model or [summarizer] model)")
    api_key: str | None = None
    if settings.api_key_env:
        api_key = os.environ.get(settings.api_key_env)
        if not api_key:
            raise ConfigError(
                f"summarizer llm: api_key_env names {settings.api_key_env}, which is not set"
            )
    from newsaudio.tts.cache import default_cache_dir

    root = (settings.cache_dir or default_cache_dir()) / "summaries"
    return LlmSummarizer(
        ChatClient(settings.base_url, settings.model, api_key),
        root,
        LeadSummarizer(settings.words_per_minute),
    )
