"""Speech normalization: display text in, text an engine reads well out (English first).

Contract used by the pipeline::

    normalize(text: str, *, lexicon: Lexicon | None = None, language: str = "en") -> str

``text`` is ONE sentence or utterance of cleaned display text. The result is what the
text-to-speech engine should read. ``normalize`` is deterministic, never raises, is safe
to apply twice (its output is a fixed point for everything it produces) and cheap: all
regexes are compiled at import and number words are cached.

Layout: one module per family of rules, this ``__init__`` holds the ordered list.

- :mod:`.symbols_urls`: ``_prepare_symbols``, ``_expand_urls_and_emails``,
  ``_expand_symbols``, ``_tidy_punctuation``;
- :mod:`.abbreviations`: ``_expand_abbreviations``, ``_expand_dotted_initialisms``,
  ``_read_acronym_words``, ``_spell_initialisms`` and their tables;
- :mod:`.dates_times`: ``_expand_dates``, ``_expand_times``;
- :mod:`.money_units`: ``_expand_currency``, ``_expand_percentages``, ``_expand_units``,
  ``_expand_per_units``;
- :mod:`.numbers`: every other rule that reads digits or numerals;
- :mod:`._common`: number words (num2words, cached), :func:`spell_letters`, shared regexes.

Order of work
=============

1. The pronunciation lexicon (:class:`~newsaudio.text.lexicon.Lexicon`), for every
   language, so users can override anything below.
2. For English (``language`` is ``"en"`` or ``"en-*"``/``"en_*"``), the rules of
   :data:`ENGLISH_RULES`, in this order; each is a small ``str -> str`` function:

   ``_prepare_symbols``
       Unicode minus/hyphens to ``-``, fraction slash to ``/``, ``#5`` -> ``number 5``,
       ``~5`` -> ``about 5``; a character reference left in display text (``&amp;``, from
       ``&amp;amp;`` decoded once) is read as its character (``and``).
   ``_expand_urls_and_emails``
       ``jane.doe@example.com`` -> ``jane dot doe at example dot com``; a URL or bare
       domain is read as its host without scheme, ``www.``, port or path:
       ``https://www.example.com/path?x=1`` -> ``example dot com``.
   ``_expand_abbreviations``
       The whole-token abbreviations of :data:`ABBREVIATIONS` (``Dr.`` -> ``Doctor``,
       ``etc.`` -> ``et cetera`` ...) and the British period-less titles of
       :data:`TITLES_WITHOUT_PERIOD` before a capitalized name (``Mr Smith``). ``St.``
       is ``Saint`` before a capitalized word and ``Street`` otherwise; ``Dr.`` is
       ``Drive`` after a capitalized name unless a capitalized word follows; ``No.``
       and ``Nos.`` only expand before a number. An abbreviation's period that also ends
       the utterance is kept once (``etc.`` at the end -> ``et cetera.``). ``Cllr.``/
       ``Cllr`` -> ``Councillor``; weekdays ``Wed.`` -> ``Wednesday`` (``Sat.``/``Sun.``
       only in a date context: "The Sun." is a newspaper).
   ``_expand_dotted_initialisms``
       ``U.S.`` -> ``U S``, ``J.K.`` -> ``J K``; a middle initial loses its period
       (``John F. Kennedy`` -> ``John F Kennedy``) so the engine does not end a sentence.
   ``_read_acronym_words``
       Acronyms of :data:`ACRONYM_WORDS` are read as words (``NATO`` -> ``Nato``,
       ``COVID`` -> ``covid``, ``AEMET`` -> ``Aemet``): pronounceable acronyms are a list,
       never a guess (``NOAA`` is spelled).
   ``_expand_world_wars``
       ``WWII``/``WW2`` -> ``World War Two``.
   ``_expand_dates``
       ``Jan 20``/``January 20`` -> ``January twentieth``; ``4 March`` -> ``the fourth of
       March`` (no second "the" after "the"); ``2022-01-20`` -> ``January twentieth,
       2022``; day ranges ``March 4-6`` -> ``March fourth to sixth``; ``Oct 2022`` ->
       ``October 2022``; ``30/06/2026`` -> ``the thirtieth of June 2026`` (day first, as
       in Britain and most of the world; ``06/30/2026``, where the second number cannot
       be a month, is American: ``June thirtieth, 2026``). Years are read by the number
       rule.
   ``_expand_digit_groups``
       Telephone numbers and other dash-grouped codes read digit by digit, groups
       separated by commas: ``555-0123`` -> ``five five five, zero one two three``,
       ``+1 202 555 0147`` -> ``plus one, two zero two, five five five, zero one four
       seven``, ``0300 123 4567`` -> ``zero three zero zero, one two three, ...``.
   ``_expand_ranges``
       A dash between two numbers means "to": ``9-5``/``9–5`` -> ``9 to 5``,
       ``2019-2021`` -> ``2019 to 2021`` (the numbers are read later); two equal numbers
       are just repeated (``50-50`` -> ``50 50``). Scores read the same way: ``2-1`` ->
       ``two to one``, ``0-0`` -> ``zero zero`` (our one choice for a goalless score:
       "nil nil" is British only, "zero zero" is understood everywhere).
   ``_expand_times``
       ``08:30`` -> ``eight thirty``, ``10:05`` -> ``ten oh five``, ``12:00`` ->
       ``twelve o'clock``, ``18:00`` -> ``eighteen hundred``, ``9 a.m.``/``9am`` ->
       ``nine A-M``, ``9:30 p.m.`` -> ``nine thirty P-M``, ``9.30am`` -> ``nine thirty
       A-M``, ``7:30am`` -> ``seven thirty A-M`` (one spelling for both, whatever the
       written form: :data:`~.dates_times.MERIDIEM_WORDS`); one clock per utterance: with a 24-hour
       time every full hour is "hundred" (``12:00 and 17:00`` -> ``twelve hundred and
       seventeen hundred``); a one-digit ratio or score ``3:1`` -> ``3 to 1``.
   ``_expand_dimensions``
       ``4x4`` -> ``4 by 4``, ``1920×1080`` (glued; ``5 × 3`` is "times"); subsections
       ``3(a)`` -> ``3 A``.
   ``_split_letters_from_digits``
       ``COVID-19`` -> ``COVID 19``, ``F-35`` -> ``F 35``, ``G7`` -> ``G 7`` (a lone
       capital ``A`` keeps a hyphen, ``A380`` -> ``A-380``, see :func:`spell_letters`).
   ``_expand_currency``
       ``$10`` -> ``ten dollars``, ``$1`` -> ``one dollar``, ``$1.50`` -> ``one dollar
       and fifty cents``, ``$1.2bn``/``$1.2 billion`` -> ``one point two billion
       dollars``, ``£40m`` -> ``forty million pounds``, ``$5k``, ``€3``, ``¥``, ``₹``...;
       pence ``50p`` -> ``fifty pence``, ``412.5p``, ``1p`` -> ``one penny``.
   ``_expand_percentages``
       ``45%`` -> ``forty-five percent``, ``-3.5%`` -> ``minus three point five percent``.
   ``_expand_units``
       A unit of :data:`UNITS` right after a number (``5 km`` -> ``five kilometers``,
       ``1 km`` -> ``one kilometer``, ``-4°C`` -> ``minus four degrees Celsius``, ``30
       mph``, ``km/h``, ``kWh``...). ``m`` is meters, and only after a number, except
       an ``m`` glued to a number before a word that does not measure: ``1.5m people``
       -> ``1.5 million people`` (``2m tall``, ``100m sprint`` stay meters). A ``C``
       or ``F`` glued to a number is a temperature (``40C``); ``5 mg/day`` -> ``five
       milligrams per day`` (money too: ``$3.50/gallon``); a unit after the slash is
       named: ``$1,800/oz`` -> ``... dollars per ounce``. ``sq. ft.``/``cu m``, ``6 ft. 2
       in.`` -> ``six feet two inches``, ``a 5-lb bag`` -> ``a five-pound bag``.
   ``_expand_per_units``
       A unit symbol of two letters or more after "per" is named in the singular, with or
       without digits in the utterance: ``$4 per lb.`` -> ``four dollars per pound.``,
       ``per sq ft`` -> ``per square foot``, ``per kWh`` -> ``per kilowatt hour``.
   ``_expand_ordinals_and_plurals``
       ``48th`` -> ``forty-eighth``; ``1990s`` -> ``nineteen nineties``, ``'90s`` ->
       ``nineties``, ``747s`` -> ``seven hundred forty-sevens``.
   ``_expand_fractions``
       ``½`` -> ``one half``, ``2½`` -> ``two and a half``, every Unicode vulgar fraction
       (:data:`VULGAR_FRACTIONS`); ``3/4`` -> ``three quarters``, ``1 1/2`` -> ``one and
       a half`` for denominators 2 to 10 when the numerator is smaller; other ``a/b`` are
       read as two numbers (``24/7`` -> ``twenty-four seven``, ``9/11`` -> ``nine
       eleven``); ``20/01/2022`` -> ``20 slash 01 slash 2022``.
   ``_expand_scale_suffixes``
       ``5k`` -> ``five thousand``, ``1.2bn`` -> ``one point two billion``, ``mn``, ``tn``.
   ``_expand_signs``
       ``-4`` -> ``minus 4``, ``+5`` -> ``plus 5``, ``±2`` -> ``plus or minus 2``.
   ``_expand_numbers``
       Every remaining number. Grouped ``100,000`` -> ``one hundred thousand``;
       ``0.6`` -> ``zero point six``; four digits 1100-2099 are years (``2008`` -> ``two
       thousand eight``, ``2019`` -> ``twenty nineteen``, ``1905`` -> ``nineteen oh
       five``) unless a quantity word precedes or follows (``about 1500``, ``1500
       troops`` are cardinals); 5+ digits without grouping and numbers with a leading
       zero are read digit by digit (``02134`` -> ``zero two one three four``), and so is
       ``911`` (``nine one one``); dotted
       groups ``1.2.3`` -> ``one dot two dot three``; ``4.5b`` -> ``four point five b``.
   ``_expand_roman_numerals``
       ``World War II`` -> ``World War Two``, ``Super Bowl LVIII`` -> ``Super Bowl
       fifty-eight`` (after the words of :data:`ROMAN_CARDINAL_WORDS`), otherwise regnal
       ``Louis XIV`` -> ``Louis the Fourteenth`` after a capitalized name (up to XXX).
       Single letters (I, V, X, L, C) only count after a known monarch name or a title
       (``King``, ``Pope``...), so the pronoun "I" and "Malcolm X" stay as they are.
       Invalid numerals and words such as MIX, DIV, CIVIL, LIVID are never touched.
   ``_spell_initialisms``
       All-capital tokens of 2 to 5 letters are spelled with :func:`spell_letters`
       (``FBI`` -> ``F B I``, ``CEOs`` -> ``C E O's``) except :data:`KEEP_AS_WRITTEN`
       (``WHO``, ``OK``), words of Roman-numeral letters with an ``I`` (``MIX``, ``DIV``,
       ``CIVIL``, ``LIVID``, a stray ``II``: the engine reads those as written) and
       tokens next to another all-capital word (a shouted headline, ``POLICE SAY``).
   ``_expand_symbols``
       ``&`` -> ``and``, ``+`` -> ``plus``, ``@`` -> ``at``, ``#tag`` -> ``hashtag tag``,
       ``%`` -> ``percent``, ``=`` -> ``equals``, ``×`` -> ``times``, ``°`` -> ``degrees``,
       ``and/or`` -> ``and or``, ``km/h`` -> ``kilometers per hour`` and ``word/word`` ->
       ``word or word``.
   ``_tidy_punctuation``
       No space before ``, . ; : ? !``, no doubled period (an ellipsis stays).

3. For German, French, Spanish, Portuguese (pt-BR, pt-PT) and Italian, the rules of
   :func:`~.languages.rules_for`: one module per language (:mod:`.de`, :mod:`.fr`,
   :mod:`.es`, :mod:`.pt`, :mod:`.it`) on the shared builders of :mod:`._continental`
   (decimal comma, thousands dot or space, money with the currency before or after,
   ordinals ``1.``/``1er``/``1º``/``1ª``, dates and times in the language's orders and
   words, abbreviations and titles, letter names, number words from num2words with
   agreement: ``1 Uhr`` -> ``ein Uhr``, ``1 heure`` -> ``une heure``, ``21 horas`` ->
   ``veintiuna horas``); :mod:`._romance` holds what es, pt and it share. Same contract
   as English: deterministic, idempotent, never raises.

4. Whitespace collapsed to single spaces and stripped (every language).

Other languages get the lexicon and whitespace only: no English word is ever produced.

Letters are spelled with spaces (``U S``, ``F B I``) so the engine says each letter,
except around the letter ``A``: espeak-ng, which Piper uses, reads a lone "A" as the
article "uh" (checked with Piper's own phonemizer). A leading "A" is hyphenated to the
next letter (``AP`` -> ``A-P``, ``AM`` -> ``A-M``, ``ACLU`` -> ``A-C L U``, ``A380`` ->
``A-three hundred eighty``) and a group with an "A" elsewhere stays joined (``UAE``,
``USA``, ``NBA``), which espeak-ng reads letter by letter.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsaudio.text.lexicon import Lexicon
from newsaudio.text.normalize._common import (
    spell_letters,
)
from newsaudio.text.normalize._continental import run
from newsaudio.text.normalize.abbreviations import (
    ABBREVIATIONS,
    ACRONYM_WORDS,
    KEEP_AS_WRITTEN,
    TITLES_WITHOUT_PERIOD,
    _expand_abbreviations,
    _expand_dotted_initialisms,
    _read_acronym_words,
    _spell_initialisms,
)
from newsaudio.text.normalize.dates_times import (
    _expand_dates,
    _expand_times,
)
from newsaudio.text.normalize.languages import rules_for
from newsaudio.text.normalize.money_units import (
    UNITS,
    _expand_currency,
    _expand_per_units,
    _expand_percentages,
    _expand_units,
)
from newsaudio.text.normalize.numbers import (
    ROMAN_CARDINAL_WORDS,
    VULGAR_FRACTIONS,
    _expand_digit_groups,
    _expand_dimensions,
    _expand_fractions,
    _expand_numbers,
    _expand_ordinals_and_plurals,
    _expand_ranges,
    _expand_roman_numerals,
    _expand_scale_suffixes,
    _expand_signs,
    _expand_world_wars,
    _split_letters_from_digits,
)
from newsaudio.text.normalize.symbols_urls import (
    _expand_symbols,
    _expand_urls_and_emails,
    _prepare_symbols,
    _tidy_punctuation,
)

__all__ = [
    "ABBREVIATIONS",
    "ACRONYM_WORDS",
    "ENGLISH_RULES",
    "KEEP_AS_WRITTEN",
    "ROMAN_CARDINAL_WORDS",
    "TITLES_WITHOUT_PERIOD",
    "UNITS",
    "VULGAR_FRACTIONS",
    "normalize",
    "rules_for",
    "spell_letters",
]


#: The English rules, in the order they run (see the module docstring).
ENGLISH_RULES: tuple[Callable[[str], str], ...] = (
    _prepare_symbols,
    _expand_urls_and_emails,
    _expand_abbreviations,
    _expand_dotted_initialisms,
    _read_acronym_words,
    _expand_world_wars,
    _expand_dates,
    _expand_digit_groups,
    _expand_ranges,
    _expand_times,
    _expand_dimensions,
    _split_letters_from_digits,
    _expand_currency,
    _expand_percentages,
    _expand_units,
    _expand_per_units,
    _expand_ordinals_and_plurals,
    _expand_fractions,
    _expand_scale_suffixes,
    _expand_signs,
    _expand_numbers,
    _expand_roman_numerals,
    _spell_initialisms,
    _expand_symbols,
    _tidy_punctuation,
)


# Rules that only ever act on ASCII digits. No rule creates a digit, so an utterance
# without digits can skip them all.
_NUMBER_RULES = frozenset(
    {
        _expand_dates,
        _expand_digit_groups,
        _expand_ranges,
        _expand_times,
        _expand_dimensions,
        _split_letters_from_digits,
        _expand_currency,
        _expand_percentages,
        _expand_units,
        _expand_ordinals_and_plurals,
        _expand_scale_suffixes,
        _expand_signs,
        _expand_numbers,
    }
)
_ENGLISH_RULES_WITHOUT_DIGITS = tuple(rule for rule in ENGLISH_RULES if rule not in _NUMBER_RULES)
_HAS_DIGIT = re.compile(r"[0-9]")


def _is_english(language: str) -> bool:
    """Return True for 'en', 'en-US', 'en_GB' and the like."""
    code = language.strip().lower()
    return code == "en" or code.startswith(("en-", "en_"))


def normalize(text: str, *, lexicon: Lexicon | None = None, language: str = "en") -> str:
    """Return ``text`` (one utterance) rewritten for speech; see the module docstring."""
    if lexicon is not None:
        text = lexicon.apply(text)
    text = " ".join(text.split())
    if _is_english(language):
        rules = ENGLISH_RULES if _HAS_DIGIT.search(text) else _ENGLISH_RULES_WITHOUT_DIGITS
        for rule in rules:
            text = rule(text)
        text = " ".join(text.split())
        return text
    rules_other = rules_for(language)
    if rules_other is not None:
        text = run(rules_other, text)
    return text
