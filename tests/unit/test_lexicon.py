"""Tests for newsaudio.text.lexicon: matching rules, file loading and errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.errors import ConfigError, ExitStatus
from newsaudio.text.lexicon import Lexicon, load_lexicon

SHIPPED = Path(__file__).resolve().parents[2] / "voices" / "lexicon.toml"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- matching -------------------------------------------------------------------------------


def test_whole_words_only() -> None:
    lexicon = Lexicon({"Kyiv": "keev", "cat": "kat"})
    assert lexicon.apply("Kyiv, Kyivan, preKyiv and Kyiv.") == "keev, Kyivan, preKyiv and keev."
    assert lexicon.apply("cat concatenate cats scat cat") == "kat concatenate cats scat kat"


def test_words_next_to_punctuation_and_digits() -> None:
    lexicon = Lexicon({"Xi": "shee"})
    assert lexicon.apply('"Xi" (Xi) Xi\'s Xi-led Xi2 X_i Xi') == (
        '"shee" (shee) shee\'s shee-led Xi2 X_i shee'
    )


def test_phrase_entries() -> None:
    lexicon = Lexicon({"Sinn Fein": "shin fayn", "Fein": "FINE"})
    assert lexicon.apply("Sinn Fein won; Fein alone.") == "shin fayn won; FINE alone."
    assert lexicon.apply("Sinn   Fein and Sinn\tFein") == "shin fayn and shin fayn"
    assert lexicon.apply("Sinn Feiner") == "Sinn Feiner"


def test_longest_entry_wins() -> None:
    lexicon = Lexicon({"New": "noo", "New York": "noo york", "New York City": "the city"})
    assert lexicon.apply("New York City and New York and New") == "the city and noo york and noo"


def test_lowercase_key_matches_any_case() -> None:
    lexicon = Lexicon({"gaol": "jail"})
    assert lexicon.apply("gaol Gaol GAOL gAoL") == "jail Jail Jail jail"


def test_key_with_capitals_matches_exact_case_only() -> None:
    lexicon = Lexicon({"US": "you ess", "Nice": "neess"})
    assert lexicon.apply("US us Us Nice nice NICE") == "you ess us Us neess nice NICE"


def test_exact_key_beats_lowercase_key() -> None:
    lexicon = Lexicon({"nice": "nighs", "Nice": "neess"})
    assert lexicon.apply("Nice is nice, NICE.") == "neess is nighs, Nighs."


def test_keys_with_regex_characters_are_literal() -> None:
    lexicon = Lexicon({"C++": "see plus plus", "a.b": "ay bee"})
    assert lexicon.apply("C++ and axb and a.b") == "see plus plus and axb and ay bee"


def test_empty_lexicon_and_blank_keys() -> None:
    assert Lexicon().apply("Any text.") == "Any text."
    assert Lexicon({"": "x", "   ": "y"}).apply("Any text.") == "Any text."


def test_lexicon_is_frozen_and_comparable() -> None:
    lexicon = Lexicon({"a": "b"})
    with pytest.raises(AttributeError):
        lexicon.entries = {}  # type: ignore[misc]
    assert lexicon == Lexicon({"a": "b"})
    assert "a" in repr(lexicon)


def test_replacement_text_is_not_a_regex_template() -> None:
    assert Lexicon({"x": r"\1 \g<0>"}).apply("x") == r"\1 \g<0>"


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=6),
    st.text(),
)
def test_apply_never_raises(entries: dict[str, str], text: str) -> None:
    assert isinstance(Lexicon(entries).apply(text), str)


# --- loading --------------------------------------------------------------------------------


def test_load_single_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.toml", '[words]\n"Kyiv" = "keev"\n"Sinn  Fein" = "shin fayn"\n')
    lexicon = load_lexicon(path)
    assert lexicon.entries == {"Kyiv": "keev", "Sinn Fein": "shin fayn"}
    assert lexicon.apply("Sinn Fein in Kyiv") == "shin fayn in keev"


def test_later_file_overrides_earlier(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.toml", '[words]\nKyiv = "kee-iv"\nXi = "shee"\n')
    second = _write(tmp_path / "b.toml", '[words]\nKyiv = "keev"\n')
    assert load_lexicon(first, second).entries == {"Kyiv": "keev", "Xi": "shee"}
    assert load_lexicon(second, first).entries == {"Kyiv": "kee-iv", "Xi": "shee"}


def test_missing_files_are_skipped(tmp_path: Path) -> None:
    present = _write(tmp_path / "a.toml", '[words]\nKyiv = "keev"\n')
    lexicon = load_lexicon(tmp_path / "nope.toml", present, tmp_path / "no" / "such.toml")
    assert lexicon.entries == {"Kyiv": "keev"}
    assert load_lexicon().entries == {}
    assert load_lexicon(tmp_path / "nope.toml").entries == {}


def test_empty_file_and_empty_table(tmp_path: Path) -> None:
    assert load_lexicon(_write(tmp_path / "a.toml", "")).entries == {}
    assert load_lexicon(_write(tmp_path / "b.toml", "[words]\n")).entries == {}


def test_malformed_toml_raises_config_error_naming_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.toml", '[words]\nKyiv = "keev\n')
    with pytest.raises(ConfigError) as info:
        load_lexicon(path)
    message = str(info.value)
    assert str(path) in message
    assert "malformed TOML" in message
    assert "\n" not in message
    assert info.value.exit_status is ExitStatus.CONFIG
    assert isinstance(info.value.__cause__, tomllib.TOMLDecodeError)


def test_malformed_later_file_raises_even_after_good_one(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.toml", '[words]\nKyiv = "keev"\n')
    bad = _write(tmp_path / "bad.toml", "[words\n")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_lexicon(good, bad)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[words]\nKyiv = 3\n", "must be a string"),
        ('[words]\nKyiv = ["keev"]\n', "must be a string"),
        ('[words]\n"  " = "x"\n', "empty key"),
        ('words = "keev"\n', "must be a table"),
        ('[word]\nKyiv = "keev"\n', "unknown key or table 'word'"),
        ('title = "x"\n[words]\n', "unknown key or table 'title'"),
    ],
)
def test_invalid_structure_raises_config_error(tmp_path: Path, content: str, problem: str) -> None:
    path = _write(tmp_path / "lex.toml", content)
    with pytest.raises(ConfigError) as info:
        load_lexicon(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_not_utf8_raises_config_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[words]\n"Köln" = "koeln"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_lexicon(path)


def test_directory_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="directory"):
        load_lexicon(tmp_path)


def test_accepts_string_paths(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.toml", '[words]\nKyiv = "keev"\n')
    assert load_lexicon(str(path)).entries == {"Kyiv": "keev"}  # type: ignore[arg-type]


# --- the shipped default lexicon --------------------------------------------------------------


def test_shipped_lexicon_loads_and_has_entries() -> None:
    lexicon = load_lexicon(SHIPPED)
    assert len(lexicon.entries) >= 8
    for key, value in lexicon.entries.items():
        assert key.strip() == key and value.strip() == value
        # Respellings are lowercase: the engine spells all-capital words letter by letter.
        assert value == value.lower(), key
    assert lexicon.apply("President Xi met Antonio Guterres in Kyiv.") == (
        "President shee met Antonio goo terresh in keev."
    )


def test_shipped_lexicon_works_through_normalize() -> None:
    from newsaudio.text.normalize import normalize

    lexicon = load_lexicon(SHIPPED)
    assert normalize("Zelenskyy spoke in Kyiv at 9 a.m.", lexicon=lexicon) == (
        "zelensky spoke in keev at nine A-M."
    )
