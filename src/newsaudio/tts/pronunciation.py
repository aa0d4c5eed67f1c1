"""The pronunciation layer bound to one voice's engine: what ``newsaudio pronounce`` shows.

:func:`pronouncer_for` gives a :class:`~newsaudio.text.pronounce.Pronouncer` whose phoneme set
and engine layer are those of the voice: Kokoro (misaki symbols, misaki's own rules), Piper
and every other engine (espeak-ng IPA, Piper's espeak-ng: for gTTS and OpenAI-style servers
the engine layer shown is espeak-ng's reading, a stand-in for their own rules).
"""

from __future__ import annotations

from pathlib import Path

from newsaudio.text.pronounce import ESPEAK, MISAKI_US, Pronouncer, Pronunciation, user_table
from newsaudio.tts.voices import Voice, builtin_voices_dir

USER_LEXICON = Path("voices/lexicon.toml")
"""The user layer: ``voices/lexicon.toml`` of the current folder (the show's)."""


def builtin_lexicon() -> Path:
    """newsaudio's own respelling lexicon, part of the packaged ``newsaudio-names`` layer."""
    return builtin_voices_dir() / "lexicon.toml"


def pronouncer_for(voice: Voice, user: bool = True) -> Pronouncer:
    """The layered lookup for ``voice``'s engine (``user``: with the user's lexicon).
    Raises ConfigError for a malformed lexicon, VoiceError when the engine cannot phonemize."""
    table = user_table(USER_LEXICON) if user else None
    respellings = user_table(builtin_lexicon())
    if voice.engine == "kokoro":
        from newsaudio.tts.kokoro import EnglishG2P, espeak_to_misaki, g2p_for
        from newsaudio.tts.kokoro_files import voice_language

        language = voice_language(voice.api_voice or voice.name) or voice.language
        g2p = g2p_for(language)
        british = language == "en-GB"
        engine = g2p.engine_word if isinstance(g2p, EnglishG2P) else g2p
        return Pronouncer(
            MISAKI_US, engine, table, convert=lambda ipa: espeak_to_misaki(ipa, british),
            respellings=respellings,
        )  # fmt: skip
    from newsaudio.tts.piper import espeak_ipa

    return Pronouncer(
        ESPEAK, lambda text: espeak_ipa(text, voice.language), table, respellings=respellings
    )


def spoken_text(found: list[Pronunciation], pronouncer: Pronouncer) -> str:
    """The words as the engine should hear them for audition: a user entry as written (a
    respelling, or ``[[phonemes]]``), every other word as it is (the engine marks packaged
    names itself)."""
    parts = []
    for item in found:
        value = pronouncer.user.get(item.word) if item.source == "user" else None
        parts.append(value if value is not None else item.word)
    return ", ".join(parts) + "."
