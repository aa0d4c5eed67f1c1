"""The phrases newsaudio says around stories in German, French, Spanish, Portuguese and
Italian: one :class:`Wording` per language, the same phrases as :mod:`newsaudio.text.wording`
(English), which picks one of these with :func:`wording_for` for a digest in that language.

Every function is pure (no clock, no I/O). Counts agree with the noun ("Eine Meldung", "Una
noticia", "Duas notícias", "Un sujet"); numbers come from num2words through
:func:`newsaudio.text.normalize._continental.cardinal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from newsaudio.text.normalize import de, es, fr, it, pt
from newsaudio.text.normalize._continental import Gender, cardinal, ordinal

HEADLINES_SPOKEN = 6
HEADLINES_WHEN_CUT = 5


def headline(text: str) -> str:
    """A headline without trailing sentence punctuation (as in ``text/wording.py``)."""
    text = " ".join(text.split())
    stripped = text.rstrip(" .;:,")
    return stripped or text.strip()


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


@dataclass(frozen=True)
class Wording:
    """Every word of the digest wording for one language."""

    code: str
    n2w: str
    days: tuple[str, ...]
    months: tuple[str, ...]
    story: str
    stories_word: str
    story_gender: Gender
    and_word: str
    today: str  # "{count} heute" -> "Eine Meldung heute: ..."
    for_day: str  # "{show} für {date}."
    starting_with: str  # "{count}, darunter: ..."
    more: str  # "und {n} weitere"
    from_site: str  # "Laut {site}: {title}"
    first: str
    next: str
    in_episode: str  # "{count} in dieser Folge:"
    opening_chapter: str
    colon: str = ":"  # French puts a space before it

    def count(self, n: int) -> str:
        """ "Fünf", "Eine" (agreeing with the story noun), capitalized."""
        words = cardinal(n, self.n2w, self.story_gender)
        return words[:1].upper() + words[1:]

    def stories(self, n: int, capital: bool = True) -> str:
        """ "Eine Meldung", "Fünf Meldungen"."""
        text = f"{self.count(n)} {self.story if n == 1 else self.stories_word}"
        return text if capital else text[:1].lower() + text[1:]

    def spoken_date(self, day: date) -> str:
        """The date as said: "Mittwoch, den zweiten Dezember", "mercredi deux décembre"."""
        weekday, month = self.days[day.weekday()], self.months[day.month - 1]
        if self.code == "de":
            return f"{weekday}, den {ordinal(day.day, 'de')}n {month}"
        if self.code == "fr":
            number = "premier" if day.day == 1 else cardinal(day.day, "fr")
            return f"{weekday} {number} {month}"
        if self.code == "es":
            return f"{weekday} {cardinal(day.day, 'es')} de {month}"
        if self.code == "pt":
            number = "primeiro" if day.day == 1 else cardinal(day.day, self.n2w)
            return f"{weekday}, {number} de {month}"
        number = "primo" if day.day == 1 else cardinal(day.day, "it")
        return f"{weekday} {number} {month}"

    def short_date(self, day: date) -> str:
        """The date in titles: "Mittwoch, 2. Dezember", "mercredi 2 décembre"."""
        weekday, month = self.days[day.weekday()], self.months[day.month - 1]
        if self.code == "de":
            return f"{weekday}, {day.day}. {month}"
        if self.code in ("es",):
            return f"{weekday} {day.day} de {month}"
        if self.code == "pt":
            return f"{weekday}, {day.day} de {month}"
        if self.code == "fr" and day.day == 1:
            return f"{weekday} 1er {month}"
        return f"{weekday} {day.day} {month}"

    def default_title(self, show_title: str, day: date) -> str:
        """ "Harbour News, Mittwoch, 2. Dezember"."""
        return f"{show_title}, {self.short_date(day)}"

    def _listing(self, items: Sequence[str]) -> str:
        if len(items) == 1:
            return items[0]
        return "; ".join(items[:-1]) + f"; {self.and_word} {items[-1]}"

    def opening(self, show_title: str, day: date, headlines: Sequence[str]) -> str:
        """The opening line: show, date, how many stories and their headlines."""
        heads = [headline(h) for h in headlines]
        first = self.for_day.format(show=headline(show_title), date=self.spoken_date(day))
        n = len(heads)
        if n == 1:
            return f"{first} {self.today.format(count=self.stories(1))} {_sentence(heads[0])}"
        if n <= HEADLINES_SPOKEN:
            return f"{first} {self.stories(n)}{self.colon} {_sentence(self._listing(heads))}"
        shown = heads[:HEADLINES_WHEN_CUT]
        rest = cardinal(n - len(shown), self.n2w, self.story_gender)
        lead = self.starting_with.format(count=self.stories(n))
        return f"{first} {lead} {'; '.join(shown)}; {self.more.format(n=rest)}."

    def attribution(self, site_name: str | None, title: str, index: int) -> str:
        """The line before a story: "Laut Harbour Gazette: ..." / "Zuerst: ..." / "Weiter: ..."."""
        said = _sentence(headline(title))
        if site_name:
            return f"{self.from_site.format(site=headline(site_name))} {said}"
        return f"{self.first if index == 0 else self.next} {said}"

    def description_lead(self, n: int) -> str:
        """The first line of the episode description: "Fünf Meldungen in dieser Folge:"."""
        return self.in_episode.format(count=self.stories(n))


# fmt: off
GERMAN = Wording(
    code="de", n2w="de",
    days=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    months=de.MONTHS,
    story="Meldung", stories_word="Meldungen", story_gender="f", and_word="und",
    today="{count} heute:", for_day="{show} für {date}.", starting_with="{count}, darunter:",
    more="und {n} weitere", from_site="Laut {site}:", first="Zuerst:", next="Weiter:",
    in_episode="{count} in dieser Folge:", opening_chapter="Schlagzeilen",
)
# fmt: on
# fmt: off
FRENCH = Wording(
    code="fr", n2w="fr",
    days=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    months=fr.MONTHS,
    story="sujet", stories_word="sujets", story_gender="m", and_word="et",
    today="{count} aujourd'hui :", for_day="{show}, {date}.", starting_with="{count}, dont :",
    more="et {n} autres", from_site="Selon {site} :", first="D'abord :", next="Ensuite :",
    in_episode="{count} dans cet épisode :", opening_chapter="Les titres", colon=" :",
)  # fmt: skip
# fmt: off
SPANISH = Wording(
    code="es", n2w="es",
    days=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    months=es.MONTHS,
    story="noticia", stories_word="noticias", story_gender="f", and_word="y",
    today="{count} hoy:", for_day="{show} del {date}.", starting_with="{count}, entre ellas:",
    more="y {n} más", from_site="Según {site}:", first="Primero:", next="A continuación:",
    in_episode="{count} en este episodio:", opening_chapter="Titulares",
)
# fmt: on
# fmt: off
PORTUGUESE_BR = Wording(
    code="pt", n2w="pt_BR",
    days=("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
          "sábado", "domingo"),
    months=pt.MONTHS,
    story="notícia", stories_word="notícias", story_gender="f", and_word="e",
    today="{count} hoje:", for_day="{show} de {date}.", starting_with="{count}, entre elas:",
    more="e mais {n}", from_site="Segundo {site}:", first="Primeiro:", next="Em seguida:",
    in_episode="{count} neste episódio:", opening_chapter="Manchetes",
)  # fmt: skip
PORTUGUESE_PT = Wording(**{**PORTUGUESE_BR.__dict__, "n2w": "pt", "opening_chapter": "Títulos"})
# fmt: off
ITALIAN = Wording(
    code="it", n2w="it",
    days=("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    months=it.MONTHS,
    story="notizia", stories_word="notizie", story_gender="f", and_word="e",
    today="{count} oggi:", for_day="{show}, {date}.", starting_with="{count}, tra cui:",
    more="e altre {n}", from_site="Secondo {site}:", first="Per cominciare:", next="Poi:",
    in_episode="{count} in questo episodio:", opening_chapter="Titoli",
)
# fmt: on


def wording_for(language: str) -> Wording | None:
    """The wording of ``language`` ("de", "fr-CA", "pt_BR"...), or None (English and others)."""
    primary, _, region = language.strip().replace("_", "-").lower().partition("-")
    if primary == "pt":
        return PORTUGUESE_BR if region in ("", "br") else PORTUGUESE_PT
    return {"de": GERMAN, "fr": FRENCH, "es": SPANISH, "it": ITALIAN}.get(primary)
