"""Which rules read which language: the language table :func:`normalize` consults for
non-English text.

``language`` is a BCP 47 tag or a POSIX locale ("de", "de-AT", "pt_BR", "fr-CA"); a language
without rules here keeps the lexicon and whitespace only. Adding a language: one module
beside :mod:`.de` with its ``RULES`` (a :class:`~._continental.Language` table and the
language-only rules) and one line in :data:`RULES_BY_LANGUAGE`.
"""

from __future__ import annotations

from newsaudio.text.normalize import de, es, fr, it, pt
from newsaudio.text.normalize._continental import Rule, run

RULES_BY_LANGUAGE: dict[str, tuple[Rule, ...]] = {
    "de": de.RULES,
    "fr": fr.RULES,
    "es": es.RULES,
    "it": it.RULES,
    "pt": pt.RULES_BR,
    "pt-br": pt.RULES_BR,
    "pt-pt": pt.RULES_PT,
}
"""Rules by primary subtag, or primary-region for a language whose regions read apart."""

SUPPORTED: tuple[str, ...] = ("de", "fr", "es", "pt", "it")
"""Primary language subtags with speech rules besides English."""


def _parts(language: str) -> tuple[str, str]:
    code = language.strip().replace("_", "-").lower()
    primary, _, region = code.partition("-")
    return primary, region.partition("-")[0]


def rules_for(language: str) -> tuple[Rule, ...] | None:
    """Return the ordered rules for ``language``, or None when it has none.

    Portuguese: bare "pt" and "pt-BR" get Brazil's rules (most news in Portuguese, and what
    language detection returns for both); "pt-PT" (and "pt-AO", "pt-MZ"...) Portugal's.
    """
    primary, region = _parts(language)
    if primary == "pt" and region not in ("", "br"):
        return RULES_BY_LANGUAGE["pt-pt"]
    return RULES_BY_LANGUAGE.get(primary)


def normalize_language(text: str, language: str) -> str | None:
    """Return ``text`` read with ``language``'s rules, or None when it has none."""
    rules = rules_for(language)
    return None if rules is None else run(rules, text)
