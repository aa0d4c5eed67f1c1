"""The pronunciation layer (newsaudio.text.pronounce), Kokoro's phoneme chunking and
'lexicon add' (newsaudio.text.lexicon.add_entry): pure, no engine loaded."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.errors import ConfigError
from newsaudio.text import pronounce as pr
from newsaudio.text.lexicon import add_entry, load_lexicon
from newsaudio.tts import kokoro_worker as kw
from newsaudio.tts.kokoro import espeak_to_misaki
from newsaudio.tts.kokoro_files import voice_language


def _rules(word: str) -> str:
    """A stand-in for the engine's own rules: the word, marked, so the test sees the layer."""
    return f"<{word.lower()}>"


@pytest.fixture(scope="module")
def layer() -> pr.Pronouncer:
    user = pr.CaseTable({"Scholz": "sholts", "gaol": "jail", "Kyiv": "[[kˈiːʊ]]"})
    return pr.Pronouncer(pr.ESPEAK, _rules, user)


def test_case_matters(layer: pr.Pronouncer) -> None:
    assert layer.lookup("Nice") == pr.Pronunciation("Nice", "nˈiːs", "newsaudio-names")
    assert layer.lookup("nice") == pr.Pronunciation("nice", "<nice>", "engine")


def test_layers_in_order(layer: pr.Pronouncer) -> None:
    assert layer.lookup("Kyiv").as_json() == {"word": "Kyiv", "phonemes": "kˈiːʊ", "source": "user"}
    assert layer.lookup("Scholz") == pr.Pronunciation("Scholz", "<sholts>", "user")
    assert layer.lookup("Gaol").source == "user"  # a lowercase key matches any case
    assert layer.lookup("Starmer") == pr.Pronunciation("Starmer", "stˈɑːɹmɚ", "cmudict")
    assert layer.lookup("starmer").source == "engine"  # CMUdict: capitalized words only


@pytest.mark.parametrize(
    ("word", "phonemes"),
    [
        ("Zelensky's", "zɛlˈɛnskiz"),
        ("Zelenskys'", "zɛlˈɛnskiz"),
        ("Houthis", "hˈuːθiz"),
        ("Starmer's", "stˈɑːɹmɚz"),
        ("Guterres'", "ɡuːtˈɛɹɛʃ"),
    ],
)
def test_possessives_and_plurals(layer: pr.Pronouncer, word: str, phonemes: str) -> None:
    assert layer.lookup(word).phonemes == phonemes


def test_suffix_after_sibilant_and_voiceless() -> None:
    assert pr.ESPEAK.plus_s("bˈʌs") == "bˈʌsɪz"
    assert pr.ESPEAK.plus_s("kˈæt") == "kˈæts"
    assert pr.MISAKI_US.plus_s("ʧˈɜɹʧ") == "ʧˈɜɹʧᵻz"


def test_annotate_leaves_sentence_starts_and_blocks_alone() -> None:
    piper = pr.Pronouncer(pr.ESPEAK)
    text = "Reading is fun. Zelensky's envoy met Starmer in Nice; it was nice. [[kˈiːv]] too."
    assert piper.annotate(text, pr.piper_inline) == (
        "Reading is fun. [[zɛlˈɛnskiz]] envoy met [[stˈɑːɹmɚ]] in [[nˈiːs]]; it was nice. "
        "[[kˈiːv]] too."
    )  # "Reading" opens the text: the town is not meant; CMUdict skips sentence starts


def test_kokoro_symbols() -> None:
    assert pr.MISAKI_US.from_arpabet(["S", "T", "AA1", "R", "M", "ER0"]) == "stˈɑɹməɹ"
    assert espeak_to_misaki("nˈiːs") == "nˈis"
    assert espeak_to_misaki("dʒˌɪnpˈɪŋ") == "ʤˌɪnpˈɪŋ"
    assert voice_language("bm_george") == "en-GB" and voice_language("joe") is None


PHONEME_TEXT = st.text(alphabet="abɪəˈ .,;!?—", min_size=0, max_size=400)


@given(PHONEME_TEXT, st.integers(min_value=5, max_value=60))
@settings(max_examples=150, deadline=None)
def test_chunks_fit_and_lose_nothing(phonemes: str, limit: int) -> None:
    chunks = kw.chunk_phonemes(phonemes, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(phonemes.split())
    if all(len(word) <= limit for word in phonemes.split()):
        assert " ".join(chunks) == " ".join(phonemes.split())


def test_chunks_cut_at_sentence_then_clause() -> None:
    one = "ðə kˈæt sˈæt, ɔn ðə mˈæt."
    two = "ɪt wʌz wˈɔɹm; ðə sˈʌn ʃˈOn."
    assert kw.chunk_phonemes(f"{one} {two}", limit=len(one) + 3)[0] == one
    assert kw.chunk_phonemes(one, limit=20) == ["ðə kˈæt sˈæt,", "ɔn ðə mˈæt."]
    assert kw.tokenize("hˈɛlO❓") == [kw.VOCAB[c] for c in "hˈɛlO"]


def test_lexicon_add_appends_keeps_comments_and_changes(tmp_path: Path) -> None:
    path = tmp_path / "voices" / "lexicon.toml"
    assert add_entry(path, "Kyiv", "[[kˈiːv]]") is False
    path.write_text(path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    assert add_entry(path, "gaol", "jail") is False
    assert "# mine" in path.read_text(encoding="utf-8")
    assert add_entry(path, "gaol", "jayl") is True
    assert load_lexicon(path).entries == {"Kyiv": "[[kˈiːv]]", "gaol": "jayl"}
    assert tomllib.loads(path.read_text(encoding="utf-8"))["words"]["Kyiv"] == "[[kˈiːv]]"


def test_lexicon_add_refuses_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text("[words\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="malformed TOML"):
        add_entry(path, "Kyiv", "keev")
    assert path.read_text(encoding="utf-8") == "[words\n"
    with pytest.raises(ConfigError, match="needs a word"):
        add_entry(tmp_path / "new.toml", " ", "keev")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lexicon.toml"]
