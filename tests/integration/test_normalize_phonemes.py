"""The spoken golden text through Piper's own espeak-ng phonemizer (the bundled espeak-ng data,
the bridge Piper's voices use), in each language: no word makes espeak-ng switch to another
language (a sign that it would read the word with English rules), apart from the listed
loanwords and names, and spelled initialisms phonemize as letters, not as a word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("piper.phonemize_espeak")

from piper import espeakbridge
from piper.phonemize_espeak import EspeakPhonemizer

GOLDEN = Path(__file__).parents[1] / "golden"
VOICES = {
    f"normalize_{name}.tsv": voice
    for name, voice in (("de", "de"), ("fr", "fr"), ("es", "es"), ("pt_BR", "pt-br"),
                        ("pt_PT", "pt"), ("it", "it"))
}  # fmt: skip
LOANWORDS = {"boomte", "Jerry"}  # espeak-ng rightly reads these with English rules
SWITCH = re.compile(r"\(([a-z-]+)\)")


@pytest.fixture(scope="module", autouse=True)
def _espeak() -> None:
    EspeakPhonemizer()  # initializes the bridge with Piper's bundled espeak-ng data


def _phonemes(voice: str, text: str) -> str:
    espeakbridge.set_voice(voice)
    return "".join(phonemes for phonemes, _, _ in espeakbridge.get_phonemes(text))


CASES = [
    (voice, line.split("\t")[1])
    for name, voice in VOICES.items()
    for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("voice", "spoken"), CASES)
def test_no_language_switch(voice: str, spoken: str) -> None:
    if any(word in spoken for word in LOANWORDS):
        return
    assert not SWITCH.search(_phonemes(voice, spoken)), spoken


@pytest.mark.parametrize(
    ("voice", "written", "spelled"),
    [("de", "die EZB", "die E-Zett-Be"), ("fr", "la BCE", "la bé-cé-euh"),
     ("fr", "le PIB", "le pé-i-bé"), ("it", "la BCE", "la bi-ci-e")],
)  # fmt: skip
def test_spelled_initialisms_are_letters(voice: str, written: str, spelled: str) -> None:
    # espeak-ng reads these capitals as one word; the letter names give one syllable a letter
    as_word, as_letters = _phonemes(voice, written), _phonemes(voice, spelled)
    assert as_word != as_letters
    assert len(as_letters) > len(as_word)
