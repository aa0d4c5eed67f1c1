"""Pronunciation lexicon: whole words or phrases mapped to respellings.

A lexicon file is TOML with a single ``[words]`` table::

    [words]
    "Kyiv" = "keev"              # has capitals: matches exactly "Kyiv" only
    "gaol" = "jail"              # all lowercase: matches gaol, Gaol, GAOL...
    "Sinn Fein" = "shin fayn"    # phrases are fine; any run of spaces matches the space

Matching rules (see :meth:`Lexicon.apply`):

* whole words/phrases only: an entry never matches inside a longer word;
* a key written all in lowercase matches the word in any case; a key with at least one
  capital letter matches that exact spelling only (so ``"US"`` does not touch "us");
* when several keys could match at one place, the longest wins;
* when a lowercase key matches a capitalized word, the first letter of the respelling is
  capitalized too (``"gaol"`` -> ``"jail"``, ``"Gaol"`` -> ``"Jail"``).

Respellings should be lowercase: the speech engine spells out all-capital words letter
by letter, and the normalizer reads digits in them as numbers.

:func:`load_lexicon` merges several files; later files override earlier ones, missing
files are skipped and malformed ones raise :class:`~newsaudio.errors.ConfigError`.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from newsaudio.errors import ConfigError

__all__ = ["Lexicon", "add_entry", "load_lexicon"]

_SPACES = re.compile(r"\s+")


def _canonical_key(key: str) -> str:
    """Return ``key`` stripped with inner whitespace runs collapsed to one space."""
    return " ".join(key.split())


def _key_pattern(key: str) -> str:
    """Return the regex source for one entry: escaped words joined by ``\\s+``."""
    source = r"\s+".join(re.escape(word) for word in key.split(" "))
    # A key without any uppercase letter is case-insensitive; otherwise exact.
    return f"(?i:{source})" if key == key.lower() else source


@dataclass(frozen=True)
class Lexicon:
    """Whole-word/phrase respellings, applied case-aware.

    ``entries`` maps a word or phrase to the text the engine should read instead. Treat
    it as read-only after construction: the matcher is compiled once, in ``__post_init__``.
    """

    entries: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)
    _folded: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for raw_key, value in self.entries.items():
            key = _canonical_key(raw_key)
            if not key:
                continue
            if key == key.lower():
                folded[key] = value
            else:
                exact[key] = value
        keys = sorted({*exact, *folded}, key=lambda k: (-len(k), k))
        pattern = None
        if keys:
            alternation = "|".join(_key_pattern(key) for key in keys)
            pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        object.__setattr__(self, "_pattern", pattern)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)

    def _replace(self, match: re.Match[str]) -> str:
        """Return the respelling for one matched word or phrase."""
        found = _SPACES.sub(" ", match.group(0))
        value = self._exact.get(found)
        if value is not None:
            return value
        value = self._folded.get(found.lower())
        if value is None:  # case folding disagreed with the regex engine: leave it
            return match.group(0)
        if found[:1].isupper() and value[:1].islower():
            return value[:1].upper() + value[1:]
        return value

    def apply(self, text: str) -> str:
        """Return ``text`` with every whole-word/phrase entry replaced by its respelling."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._replace, text)


def _read_words(path: Path) -> dict[str, str] | None:
    """Return the ``[words]`` table of one lexicon file, or None when the file is missing."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a lexicon file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read lexicon: {exc.strerror or exc}") from exc
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: lexicon is not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from exc
    unknown = sorted(set(document) - {"words"})
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ConfigError(f"{path}: unknown key or table {names} (a lexicon has only [words])")
    table = document.get("words", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'words' must be a table ([words]), not a single value")
    words: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            kind = type(value).__name__
            raise ConfigError(f"{path}: [words] entry {key!r} must be a string, got {kind}")
        canonical = _canonical_key(key)
        if not canonical:
            raise ConfigError(f"{path}: [words] has an empty key")
        words[canonical] = value
    return words


def load_lexicon(*paths: Path) -> Lexicon:
    """Merge the ``[words]`` tables of ``paths``: later files override earlier ones.

    Missing files are skipped. An unreadable or malformed file raises
    :class:`~newsaudio.errors.ConfigError` naming the file and the problem.
    """
    entries: dict[str, str] = {}
    for path in paths:
        words = _read_words(Path(path))
        if words is not None:
            entries.update(words)
    return Lexicon(entries)


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string."""
    import json

    return json.dumps(value, ensure_ascii=False)


def add_entry(path: Path, word: str, pronunciation: str) -> bool:
    """Set ``word = pronunciation`` in the lexicon file ``path`` (created with its folder
    when missing). A new word is appended (comments kept); a changed one rewrites the
    ``[words]`` table. Written atomically and read back. Returns True if ``word`` was there.
    Raises ConfigError for an empty word or pronunciation, or a malformed existing file."""
    import os
    import tempfile

    key = _canonical_key(word)
    if not key or not pronunciation.strip():
        raise ConfigError(f"{path}: a lexicon entry needs a word and a pronunciation")
    words = _read_words(path)
    existed = words is not None and key in words
    line = f"{_toml_string(key)} = {_toml_string(pronunciation.strip())}\n"
    if words is None:
        text = "# Pronunciations: newsaudio lexicon add WORD PRONUNCIATION\n[words]\n" + line
    elif not existed:
        text = path.read_text(encoding="utf-8")
        if "[words]" not in text:
            text = text.rstrip("\n") + ("\n" if text.strip() else "") + "[words]\n"
        text = text.rstrip("\n") + "\n" + line if text.strip() else line
    else:
        words[key] = pronunciation.strip()
        text = "[words]\n" + "".join(
            f"{_toml_string(k)} = {_toml_string(v)}\n" for k, v in words.items()
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        _read_words(Path(tmp))  # never replace a good file with one that does not parse
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return existed
