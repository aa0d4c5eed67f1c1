"""Cleaning: display text that is safe to show and speak, with site boilerplate removed.

Two ordered rule lists, each a list of small functions:

* :data:`TEXT_RULES` (``str -> str``) run on every block of text, in order: decode HTML
  character references once, turn every Unicode space into a plain space, drop zero-width and
  control characters, collapse runs of spaces. Curly quotes and dashes are kept for display.
* :data:`BOILERPLATE` (compiled patterns) name whole blocks that are site chrome, never
  article text: comment prompts, "Read more", share/follow prompts, newsletter sign-ups,
  cookie notices, photo credits, "Related:" lists, advertisement labels.

:func:`clean_article` applies both to an :class:`~newsaudio.models.Article` and drops blocks
with nothing speakable in them (separators such as ``* * *``, lone dots, emoji-only lines).
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from newsaudio.errors import InputError
from newsaudio.models import Article, Block
from newsaudio.text.boilerplate_languages import patterns_for

_LOG = logging.getLogger(__name__)

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """Decode HTML character references (``&nbsp;``, ``&#8239;``, ``&amp;``) exactly once."""
    if "&" not in text or not _ENTITY.search(text):
        return text
    return html.unescape(text)


def plain_spaces(text: str) -> str:
    """Every Unicode space separator (Zs: U+00A0, U+202F, U+2009, ...) and tab becomes ' '."""
    return "".join(" " if (ch == "\t" or unicodedata.category(ch) == "Zs") else ch for ch in text)


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_KEEP_FORMAT = frozenset({"\u200d"})  # ZWJ joins emoji sequences; harmless to keep for display


def drop_invisible(text: str) -> str:
    """Remove control, format (zero-width, BOM, bidi marks), private-use and unassigned characters.

    Newlines are kept (they separate lines within a block until :func:`collapse_spaces`).
    """
    return "".join(
        ch
        for ch in text
        if ch == "\n" or ch in _KEEP_FORMAT or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


_SPACE_RUN = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Collapse every run of whitespace (including newlines) to one space and strip the ends."""
    return _SPACE_RUN.sub(" ", text).strip()


MAX_WORD_CHARS = 64
"""Longest run of letters and digits spoken as a word; Germany's longest dictionary word has
63 letters. Longer runs are base64, hashes, or keyboard mashing: no voice can read them."""

_LONG_RUN = re.compile(rf"\w{{{MAX_WORD_CHARS + 1},}}")
# Scripts written without spaces between words (Thai, Lao, Tibetan, Myanmar, Khmer, CJK):
# a long run of them is a sentence, not a word.
_UNSPACED = re.compile(
    "[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
)


def _overlong_runs(text: str) -> list[int]:
    """Lengths of the runs of more than :data:`MAX_WORD_CHARS` letters/digits in ``text``
    (outside unspaced scripts)."""
    if len(text) <= MAX_WORD_CHARS:
        return []
    return [len(m.group()) for m in _LONG_RUN.finditer(text) if not _UNSPACED.search(m.group())]


def drop_overlong_words(text: str) -> str:
    """Drop each space-separated token holding a run of more than :data:`MAX_WORD_CHARS`
    letters/digits (outside unspaced scripts): no voice can read it."""
    if not _overlong_runs(text):
        return text
    return " ".join(token for token in text.split(" ") if not _overlong_runs(token))


_SHORTCODE = re.compile(
    r"\[/?[a-z][a-z0-9_-]*(?:\s+[a-z_-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[“”″][^“”″]*[“”″]|[^\s\]]+))*\s*/?\]"
)


def drop_shortcodes(text: str) -> str:
    """Remove CMS shortcodes left raw in the text: ``[button link="..."]``, ``[/button]``,
    ``[caption id="..."]`` (WordPress and similar; lowercase names only, so a bracketed
    editorial insert such as "[the minister]" with a space-free word still needs ``=``
    or ``/`` to match)."""
    if "[" not in text:
        return text
    return _SHORTCODE.sub(
        lambda m: "" if ("=" in m.group(0) or "/" in m.group(0)) else m.group(0), text
    )


TEXT_RULES: list[Callable[[str], str]] = [
    decode_entities,
    plain_spaces,
    drop_invisible,
    drop_shortcodes,
    collapse_spaces,
    drop_overlong_words,
]
"""Rules applied, in order, to every block's text."""


def clean_text(text: str) -> str:
    """Apply :data:`TEXT_RULES` to ``text`` and return the result."""
    for rule in TEXT_RULES:
        text = rule(text)
    return text


_B = r"[\s\W_]*"  # punctuation, arrows or bullets around a prompt
_BOILERPLATE_SOURCES = [
    # comments
    r"leave a (reply|comment)",
    r"(post|add|write|submit) (a|your) comment",
    r"\d*\s*comments?",
    r"(show|view|read|load) (all )?(\d+ )?comments?",
    r"join the (conversation|discussion)",
    r"cancel reply",
    r"your email address will not be published\.?( required fields are marked \*?)?",
    r"required fields are marked \*?",
    r"(name|email|website|comment) ?\*",
    r"save my name, email, and website in this browser for the next time i comment\.?",
    r"you must be logged in to post a comment\.?",
    r"this site uses akismet to reduce spam\..*",
    # read more / navigation
    r"(read|continue reading|see|learn|click here for|find out) (more|the full story|the full article)?",
    r"read more( about this)?( here)?",
    r"continue reading( below)?",
    r"(story|article) continues below( advertisement)?",
    r"(skip|jump) to (main )?content",
    r"back to top",
    r"(previous|next) (article|post|story)",
    r"(previous|next)",
    r"(?!.*\b(the|was|were|is|are|said|says|has|had|will|would|found|after)\b)more (stories|news|from [^.!?]{1,40})",
    r"(related|recommended|most read|most popular|trending|also read|read also|see also)( (stories|articles|content|posts|coverage|news|reading|links|topics))?(:.*)?",
    r"you (may|might) also (like|be interested in):?",
    r"(top|latest) (stories|news|headlines)",
    # advertising
    r"(advertisement|advertising|sponsored( content)?|ad|promoted|paid content)",
    r"scroll to continue( with content)?",
    # sharing / following
    r"share( this)?( (article|story|post|page))?( on)?:?( (facebook|twitter|x|email|whatsapp|linkedin|reddit|print|copy link)[ ,|/]*)*",
    r"(share|tweet|pin|email|print|copy link)( (on|via) \w+)?",
    r"(facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|email|print|telegram)([ ,|/•]+(facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|email|print|telegram))*",
    r"(follow|like) us on .{1,60}",
    r"click (here )?to share on .{1,40}",
    r"(click|tap) to (share|print|email|copy)",
    # newsletters, subscriptions
    r"(sign up|subscribe|register)( now| today)? (for|to) (our|the|my) .{0,60}(newsletter|briefing|digest|updates|emails?)\.?.*",
    r"(subscribe|sign up)( now| today| here)?( to read more)?\.?",
    r"get (our|the) .{0,40}newsletter.*",
    r"already (a subscriber|have an account)\??.*",
    r"(?!.*\b(the|was|were|is|are|said|says|has|had|will|would|found|after)\b)(log ?in|sign ?in) (to|or) [^.!?]{0,40}",
    r"support (our|independent) journalism.*",
    # cookies, consent
    r"(we|this (web)?site) uses? cookies.*",
    r"(accept|reject|manage) (all )?(cookies|preferences|settings)",
    r"cookie (policy|settings|preferences)",
    r"by (using|continuing to use) this (web)?site.*cookies.*",
    # credits and captions
    r"(photo|image|picture|video|graphic|illustration)( credit)?s?:.{0,120}",
    r"\(?(photo|image) (by|courtesy of) .{1,80}\)?",
    r"(getty images|ap photo|reuters|afp via getty images|shutterstock)(/.{1,60})?",
    r"copyright ©?.{0,80}all rights reserved\.?",
    r"©.{0,80}",
    r"all rights reserved\.?",
    # misc page chrome
    r"(tags?|topics?|filed under|categories):.{0,200}",
    r"(listen to|hear) this (article|story)( \d+ min)?",
    r"\d+ min(ute)? read",
    r"(?!.*\b(the|was|were|is|are|said|says|has|had|will|would|found|after)\b)(updated|published|posted|last updated)( on)?:? .{0,60}\d.{0,40}",
    r"(report|reporting) (an )?(error|typo|correction)",
    r"(print|email) (this )?(article|story|page)",
    # WordPress themes and plugins (Jetpack sharing/likes, comment forms, post meta)
    r"share this:?",
    r"like this:?",
    r"like loading\.*",
    r"loading\.*",
    r"(be the first to like this|\d+ (bloggers|people) like this)\.?",
    r"(?!.*\b(the|was|were|is|are|said|says|has|had|will|would|found|after)\b)(posted|filed) (in|under) [^.!?]{1,80}",
    r"(?!.*\b(the|was|were|is|are|said|says|has|had|will|would|found|after)\b)(posted|written) by [^.!?]{1,60}( on [^!?]{1,40})?",
    r"(?!.*\b(the|was|were|is|are|said|says|has|had|will|would|found|after)\b)tagged:? [^.!?]{1,120}",
    r"this entry was posted in .{1,200}",
    r"bookmark the permalink\.?",
    r"comments are closed\.?",
    r"notify me of (follow-up comments|new posts) by email\.?",
    r"(proudly )?powered by wordpress\.?.*",
    r"search for:?",
    r"posts? navigation",
    r"(older|newer) (posts|entries)",
    r"continue reading .{1,120}(→|»|\.\.\.|…)",
    r"\(opens in new window\)",
    r"(reblog|subscribe|subscribed|customize|menu|search|close|home|sign in|log in|log out|register|listen|save|print|email|more|show (more|less)|watch now|play video|gallery|toggle navigation|open menu|close menu)",
    # AP
    r"copyright \d{4} the associated press\..*",
    r"associated press (writers?|reporters?) .{1,200} contributed( to this report)?\.?",
    r"follow ap's .{1,200}",
    r"the associated press receives (financial )?support from .{1,300}",
    r"find ap's standards for working with philanthropies.{0,200}",
    r"ap is solely responsible for all content\.?",
    # Reuters
    r"\((additional )?(reporting|writing|editing) by [^)]{1,200}\)",
    r"(additional )?(reporting|writing) by [^.!?;]{1,120}(; (additional )?(reporting|writing|editing) by [^.!?;]{1,160})+\.?",
    r"our standards: the thomson reuters trust principles\.?.*",
    r"sign up here\.?",
    # BBC
    r"related topics",
    r"more on this story",
    r"(image|media) (source|caption), .{1,200}",
    r"(image|media) (source|caption)",
    r"the bbc is not responsible for the content of external sites\.?.*",
    r"read about our approach to external linking\.?",
    r"published \d+ (seconds?|minutes?|hours?|days?) ago",
    # The Guardian
    r"explore more on these topics",
    r"reuse this content",
    r"most viewed",
    r"(skip past|after) newsletter promotion",
    r"privacy notice: newsletters may contain .{1,300}",
    r"(photograph|composite|illustration|photo illustration): .{1,120}",
    # CNN, NYT, general news chrome
    r"(video )?ad feedback",
    r"story highlights",
    r"skip advertisement",
    r"sign up to [^.!?]{1,60}newsletter[^.!?]{0,60}\.?",
    r"supported by",
    r"(send any friend a story|give this article)",
    r"a version of this article appears in print on .{1,200}",
    r"(order reprints|today's paper)( \| .{1,40})*",
    r"[\w .'-]{1,80} contributed (reporting )?to this (report|story|article)\.?",
    r"(editor's picks|don't miss|breaking news|up next|watch next|what to read next|trending now|must read)",
    r"(promoted|sponsored) (stories|links)",
    r"(recommended|ads) by (outbrain|taboola)",
    r"paid partner content",
    r"(download|get) (our|the) (free )?app\b[^.!?]{0,60}",
    r"open in app",
    r"(please )?enable javascript.{0,100}",
    r"your browser does not support (the )?(video|audio)( tag| element)?\.?",
    r"this (video|content) (can ?not|is not available|cannot) .{0,60}",
    r"(privacy policy|terms of (use|service)|contact us|about us)([ |•]+(privacy policy|terms of (use|service)|contact us|about us|cookie policy))*",
    r"(click|tap) here to (subscribe|sign up|read more|learn more).{0,60}",
    r"watch: .{1,120}",
    r"(we|this site) (may )?earns? (a )?commission.{0,200}",
    r"(if|when) you (buy|purchase) (something|anything|a product)\b.{0,120}\b(commission|share of (the )?(sale|revenue))\b.{0,80}",
    r"_{3,}",
    # newsletter sign-ups and their replies (issue 13)
    r"thanks? (you )?for signing up!?.{0,120}",
    r"(sorry!?|oops!?)",
    r"(sorry!? )?there was an error processing your (subscription|request)\.?.{0,80}",
    r"keep an eye on your inbox.{0,120}",
    r"[^.!?]{0,60}\bnewsletters?",
    r".{0,200}\b(sign up|subscribe|signing up|get|delivered)\b.{0,120}\b(newsletters?|inbox)\b.{0,120}",
    r"get the latest .{0,60} (in|to) your inbox\.?",
    r".{0,100}\d+ issues for [£$€]\s?\d.{0,100}",
    # press boilerplate, contacts, prompts
    r"(have a|got a) (news )?(tip|story)\??.{0,120}",
    r"[\w .'-]{1,60} (may|can) be reached at \S+@\S+.{0,40}",
    r"(email|e-mail|contact) (us|the author|the reporter)( at)?:? \S+@\S+\.?",
    r"follow (us|him|her|them|me|[\w .'-]{1,60}) on (facebook|twitter|x|instagram|linkedin|tiktok|youtube|threads|bluesky|mastodon)\b.{0,120}",
    r"like this (story|article)\?.{0,80}",
    r"(click|tap) here for more( information| info| details)?\.?",
    r"tell us what you think.{0,40}",
    r"(media|press) (contacts?|enquiries|inquiries):?.{0,200}",
    r"copyright\b.{0,120}",
    r"\(c\) \d{4}.{0,100}",
    # read more / related, in any form (Markdown: "Read more: <headline>")
    r"(read|see|watch|listen) (more|also|next|now):? .{1,200}",
    r"(more|related|recommended|read more) (on|about) (this|these) (story|stories|topics?)",
    r"related( \w+){0,2}: .{1,150}",
    r"buyer'?s guide: .{1,100}",
    r"[^.!?]{1,120}\[(?-i:[A-Z][A-Z ]{2,})\][^.!?]{0,300}",  # "Story [INSIGHT]|Story [VIDEO]"
    # video players, galleries, playlists
    r"chapters?",
    r"(subtitles|captions|descriptions?) (off|on)(, selected)?",
    r"(now|currently) (watching|playing)( .{0,80})?",
    r"(up next|autoplay|replay|pause|play|mute|unmute|fullscreen|full screen|exit full screen|settings|quality)",
    r"(this )?(video|content|media) (is )?not available in your (region|country|location).{0,80}",
    r"(this is a modal window|beginning of dialog window|end of dialog window).{0,120}",
    r"(video|audio) (player|unavailable|loading).{0,40}",
    r"\d+ (photos|images|videos|pictures)",
    r"(view|open|launch|see) (the )?(photo )?(gallery|slideshow)( \(\d+ (photos|images)\))?",
    r"(published|updated|posted)",
    r"(listen to|hear) (this|the) (article|story)[,:]? ?(\d+ (min(ute)?s?|mins?))?\.?",
    r"[^.!?]{5,100} via [A-Z][\w.]+",
    # the same prompts in the other languages of saved pages (German, Polish, French, Spanish)
    r"(lesen sie (auch|mehr|weiter)|weiterlesen|mehr (zum thema|dazu|lesen)|dowiedz się więcej"
    r"|czytaj (też|także|więcej|dalej)|zobacz (też|także)|(à )?lire aussi|lire la suite"
    r"|leer más|lea también|ver más)(:? .{0,200})?",
    r"(beiträge|kommentare|diskussion) (aus dem forum|zum (artikel|thema))|\d* ?kommentare?",
    r"(teilen|drucken|merken|versenden|udostępnij|partager|compartir)",
    r"(newsletter abonnieren|jetzt abonnieren|zum newsletter anmelden|zapisz się do newslettera).{0,80}",
]
BOILERPLATE: list[re.Pattern[str]] = [
    re.compile(rf"{_B}(?:{src}){_B}", re.IGNORECASE) for src in _BOILERPLATE_SOURCES
]
"""Whole-block patterns of site chrome; a block that fully matches one is never spoken."""

_MAX_BOILERPLATE_LEN = 300  # a long block is article text even if it starts like a prompt


def is_boilerplate(text: str, language: str = "en") -> bool:
    """True if the whole (cleaned) block is site chrome rather than article text: one of
    :data:`BOILERPLATE` or, for a German, French, Spanish, Portuguese or Italian article
    (``language``, BCP 47), one of that language's patterns
    (:mod:`newsaudio.text.boilerplate_languages`)."""
    if len(text) > _MAX_BOILERPLATE_LEN:
        return False
    return any(p.fullmatch(text) for p in BOILERPLATE) or any(
        p.fullmatch(text) for p in patterns_for(language)
    )


def has_words(text: str) -> bool:
    """True if ``text`` has at least one letter or digit (not only punctuation, symbols, emoji)."""
    return any(ch.isalnum() for ch in text)


_UPPER = "A-ZÀ-ÖØ-Þ"
_PLACE = rf"(?P<place>[{_UPPER}][{_UPPER}.'’ -]*?[{_UPPER}.])"
_REGION = rf"(?:,\s+(?P<region>[{_UPPER}][A-Za-zÀ-ÿ.]*(?:\s[{_UPPER}][A-Za-zÀ-ÿ.]*){{0,2}}))?"
_WIRE_DATE = r"(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
_AGENCIES = (
    r"AP|The Associated Press|Associated Press|Reuters|AFP|UPI|Bloomberg|dpa|DPA|CNN|PA|"
    r"ANSA|EFE|Xinhua|TASS|Kyodo|Yonhap|CP|The Canadian Press|AAP|PTI|IANS|ANI|"
    r"Anadolu|Interfax|KNA|APA|Belga|NTB|TT|RIA Novosti|WWD|CNS|RNS|BNO|Agencies|dpa-AFX"
)
_WIRE_DATELINE = re.compile(
    rf"^{_PLACE}{_REGION}{_WIRE_DATE}\s*\((?:{_AGENCIES})\)\s*[—–-]{{1,2}}\s*(?=\S)"
)
_AGENCY_ONLY = re.compile(rf"^\((?:{_AGENCIES})\)\s*[—–-]{{1,2}}\s*(?=\S)")
_PLAIN_DATELINE = re.compile(rf"^{_PLACE}{_REGION}{_WIRE_DATE}\s+[—–]\s+(?=\S)")
_KICKERS = frozenset(
    [
        "BREAKING",
        "UPDATE",
        "UPDATED",
        "EXCLUSIVE",
        "WATCH",
        "ANALYSIS",
        "OPINION",
        "COMMENT",
        "EDITORIAL",
        "REVIEW",
        "CORRECTION",
        "LIVE",
        "FACT",
        "CHECK",
        "NOTE",
    ]
)


_PLACE_PARTICLES = frozenset(
    [
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "les",
        "von",
        "van",
        "der",
        "den",
        "of",
        "the",
        "on",
        "upon",
    ]
)


def _place_name(place: str) -> str:
    """``NEW YORK`` -> ``New York``, ``ST. LOUIS`` -> ``St. Louis``; dotted initials kept."""
    words: list[str] = []
    for word in place.split(" "):
        if re.fullmatch(r"(?:[A-Z]\.)+", word):
            words.append(word)
        elif words and word.lower() in _PLACE_PARTICLES:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _dateline_lead(m: re.Match[str]) -> str:
    """``Place[, Region][, Date].`` for a matched dateline, with one final period."""
    lead = _place_name(m.group("place"))
    for extra in (m.group("region"), m.group("date")):
        if extra:
            lead += ", " + extra
    return lead if lead.endswith(".") else lead + "."


def wire_dateline(text: str) -> str:
    """``BEIJING (AP) — Text`` -> ``Beijing. Text``; also ``(Reuters) -`` and bare ``(AP) —``."""
    m = _WIRE_DATELINE.match(text)
    if m:
        return f"{_dateline_lead(m)} {text[m.end() :]}"
    return _AGENCY_ONLY.sub("", text, count=1)


def plain_dateline(text: str) -> str:
    """``LONDON — Text`` (no agency) -> ``London. Text``; only for a spelled-out place name.

    Applied to the first paragraph only; acronyms of four letters or fewer (``NATO —``)
    and kickers such as ``BREAKING —`` are left alone.
    """
    m = _PLAIN_DATELINE.match(text)
    if not m:
        return text
    place = m.group("place")
    letters = sum(ch.isalpha() for ch in place)
    if (
        text[m.end()].islower()
        or letters < 5
        or place.strip(" .") in _KICKERS
        or any(len(w.strip(".")) < 2 for w in place.split() if "." not in w)
    ):
        return text
    return f"{_dateline_lead(m)} {text[m.end() :]}"


PARAGRAPH_RULES: list[Callable[[str], str]] = [wire_dateline]
"""Rules applied, after :data:`TEXT_RULES`, to every paragraph block."""

FIRST_PARAGRAPH_RULES: list[Callable[[str], str]] = [plain_dateline]
"""Rules applied to the first paragraph of the body only (where datelines sit)."""


_ABOUT_SECTION = re.compile(
    r"(about|über|a propos de|à propos de) (the )?[A-Z][\w&.,'’ -]{1,50}:?|about the (author|company)"
    r"|(media|press) contacts?:?|for (more information|further information|media inquiries).{0,60}"
    r"|-?\s*ends\s*-?|#\s*#\s*#",
    re.IGNORECASE,
)
_ABOUT_MAX_WORDS = 7
_COMPANY_PROFILE = re.compile(
    r"^(about [^.]{1,50}[.:]?\s+)?[A-Z][\w&.'’ -]{1,50} (is|are) (a|an|the) .{0,120}?"
    r"\b(provider|company|group|firm|maker|manufacturer|organi[sz]ation|supplier|developer|leader"
    r"|publisher|agency|platform)\b"
)
_COMPANY_FACTS = re.compile(
    r"\b(headquartered|employs|listed on|founded in|subsidiaries|offices in|www\.|"
    r"for more information)",
    re.IGNORECASE,
)


def drop_press_boilerplate(blocks: list[Block]) -> list[Block]:
    """Cut the boilerplate that ends a press release: from an "About <Company>", "Media
    contact", "###" or "-ends-" block, or a company profile ("Ascom is a global solutions
    provider ... headquartered in ..."), in the second half of the article, to the end."""
    for index in range(max(1, len(blocks) // 2), len(blocks)):
        text = blocks[index].text.strip()
        heading = len(text.split()) <= _ABOUT_MAX_WORDS and _ABOUT_SECTION.fullmatch(
            text.rstrip(".")
        )
        profile = _COMPANY_PROFILE.match(text) and _COMPANY_FACTS.search(
            " ".join(b.text for b in blocks[index : index + 3])
        )
        if heading or profile:
            _LOG.debug("dropped %d blocks of press boilerplate from %r", len(blocks) - index, text)
            return blocks[:index]
    return blocks


_NAME_PARTICLES = "de|da|das|do|dos|del|della|di|du|la|le|van|von|der|den|ter|bin|al|el"
_NAME_WORD = rf"(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|(?:{_NAME_PARTICLES})(?=\s))"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
_BYLINE_PARAGRAPH = re.compile(
    r"^(?i:by|words by|written by|reported by|reporting by|story by|text by|von|par|por)\s+"
    rf"(?P<names>{_NAME}(?:\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*{_NAME})*)"
    r"(?P<tail>\s*(?:[,|·•/]|\s[—–-])\s*[^.!?]{0,80})?$"
)
_BYLINE_MAX_TAIL_WORDS = 8
_NOT_A_NAME = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december", "today", "tomorrow", "yesterday", "christmas", "easter", "noon",
     "midnight", "then", "now"]
)  # fmt: skip
"""Capitalized words after "By" that make a sentence, not a byline ("By Friday, ...")."""
_BYLINE_MAX_WORDS = 20
_BYLINE_SEARCH_BLOCKS = 2


def byline_paragraph(text: str) -> str | None:
    """The author's name(s) if ``text`` is a byline paragraph, else None.

    A byline is "By", "Words by", "Written by", "Reporting by", "Von", "Par" or "Por" and
    one or more capitalized names (joined by "," "&" "and"), optionally followed after a
    separator (``,`` ``|`` ``·`` ``—``) by a short role, outlet or date without a sentence's
    final period: "By Jane Smith", "By JANE SMITH and Bo Park, Staff Writers", "Von Anna
    Schmidt | 6. Dezember 2026" (-> "Anna Schmidt", "JANE SMITH and Bo Park"). A sentence
    that starts with "By" is not one: "By Friday, the council had voted." (a day is not a
    name, and the period ends a sentence), "By then it was over."
    """
    text = text.strip()
    if len(text.split()) > _BYLINE_MAX_WORDS:
        return None
    found = _BYLINE_PARAGRAPH.match(text)
    if found is None:
        return None
    if len((found.group("tail") or "").split()) > _BYLINE_MAX_TAIL_WORDS:
        return None
    names = found.group("names").strip().rstrip(",")
    if names.endswith(".") and not re.search(r"\b[A-Z]\.$", names):
        names = names[:-1]
    words = re.findall(r"[^\W\d_][\w'’-]*", names)
    if not words or any(w.casefold() in _NOT_A_NAME for w in words):
        return None
    return names


def clean_article(article: Article) -> Article:
    """Return ``article`` with every block cleaned and boilerplate or empty blocks removed.

    The title is cleaned with the same :data:`TEXT_RULES`; paragraphs also get
    :data:`PARAGRAPH_RULES` (and the first one :data:`FIRST_PARAGRAPH_RULES`). A byline
    paragraph among the first two blocks (:func:`byline_paragraph`) is metadata: never read
    nor described, its names the article's ``byline`` when the page gave none. Each word
    dropped by :func:`drop_overlong_words` is logged as a warning naming the source.

    Raises InputError if the article had words but all of them were such unreadable ones
    (an article left with no words is an error, not a silent episode).
    """
    dropped: list[int] = []
    blocks: list[Block] = []
    first_paragraph = True
    byline_names: str | None = None
    for block in article.blocks:
        dropped += _overlong_runs(block.text)
        text = clean_text(block.text)
        if not has_words(text):
            continue
        if (
            byline_names is None
            and len(blocks) < _BYLINE_SEARCH_BLOCKS
            and block.kind == "paragraph"
        ):
            byline_names = byline_paragraph(text)
            if byline_names is not None:
                _LOG.debug("byline paragraph %r taken as metadata", text)
                continue
        if is_boilerplate(text, article.language):
            continue
        if block.kind == "paragraph":
            rules = PARAGRAPH_RULES + (FIRST_PARAGRAPH_RULES if first_paragraph else [])
            for rule in rules:
                text = rule(text)
            first_paragraph = False
        blocks.append(replace(block, text=text))
    blocks = drop_press_boilerplate(blocks)
    # the page's own author metadata wins over a byline paragraph's names
    byline = clean_text(article.byline) if article.byline else byline_names
    dropped += _overlong_runs(article.title)
    title = clean_text(article.title)
    if dropped and not blocks and not has_words(title):
        raise InputError(
            article.source,
            f"has no words to read: its only text is a {max(dropped):,}-character word "
            f"(no voice reads words longer than {MAX_WORD_CHARS} characters)",
        )
    for length in dropped:
        _LOG.warning(
            "warning: %s: dropped a %d-character word that no voice can read "
            "(longer than %d characters)",
            article.source,
            length,
            MAX_WORD_CHARS,
        )
    return replace(article, title=title, blocks=tuple(blocks), byline=byline or None)
