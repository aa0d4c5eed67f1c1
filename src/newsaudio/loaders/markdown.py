"""Markdown articles (``.md``/``.markdown`` files and sniffed stdin), parsed with markdown-it-py.

* Headings become heading blocks (their level kept); the headline is the front matter
  ``title``, else a first heading, else the first paragraph (see
  :func:`~newsaudio.loaders._blocks.split_title`).
* Every list item is its own block (nested items too, in reading order).
* Links become their text; images, raw HTML tags and footnote markers are dropped;
  inline code keeps its text.
* **Code blocks (fenced or indented) and tables are dropped silently.** A listener gains
  nothing from hearing code read out, and a spoken "code omitted" note is noise in a news
  episode; the transcript is built from what is spoken, so both stay consistent.
* Block quotes are read as ordinary paragraphs.
* Front matter (``---`` YAML or ``+++`` TOML at the very top) is read for simple
  ``key: value`` / ``key = "value"`` scalars: ``title``, ``date``/``published``,
  ``author``/``byline``, ``lang``/``language``, ``canonical_url``/``url``/``link``,
  ``site``/``site_name``/``publisher`` (spoken in digests), ``image`` (an http(s) URL).
  Nested structures are ignored, never an error.
"""

from __future__ import annotations

import re
from typing import Any

from newsaudio.errors import InputError
from newsaudio.loaders._blocks import (
    detect_language,
    language_tag,
    parse_datetime,
    protected,
    split_title,
)
from newsaudio.models import Article, Block

_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(.*?)\n\1[ \t]*(\n|\Z)", re.S)
_SCALAR = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$")

_HEADING_LINE = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_SETEXT = re.compile(r"^\S.*\n(=+|-+)[ \t]*$", re.M)
_LIST_LINE = re.compile(r"^[ \t]{0,3}([-*+]|\d{1,3}[.)])[ \t]+\S", re.M)
_LINK = re.compile(r"!?\[[^\]\n]+\]\([^)\s]+(\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^(```|~~~)", re.M)


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split front matter from ``text``: (lower-case key -> scalar string, the rest)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    fields: dict[str, str] = {}
    for line in m.group(2).splitlines():
        sm = _SCALAR.match(line)
        if not sm or line[:1].isspace():
            continue
        value = sm.group(2)
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")  # YAML: '' is a quote inside '...'
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r'\\(["\\])', r"\1", value[1:-1])  # \" and \\ inside "..."
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if value and value not in ("|", ">", "[]", "{}"):
            fields.setdefault(sm.group(1).lower(), value)
    return fields, text[m.end() :]


def _inline_text(token: Any) -> str:
    """Speakable text of an ``inline`` token: link text kept, images and HTML dropped."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        # image, html_inline, link_open/close, em/strong/s markers: nothing to say
    return " ".join("".join(parts).split())


def _blocks(text: str) -> list[Block]:
    """Heading, paragraph and list-item blocks of Markdown ``text``, in reading order."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
    blocks: list[Block] = []
    skip_depth = 0  # inside a table
    list_item_depth = 0
    item_parts: list[list[str]] = []
    heading_level = 0
    for tok in tokens:
        if tok.type == "table_open":
            skip_depth += 1
        elif tok.type == "table_close":
            skip_depth -= 1
        elif skip_depth:
            continue
        elif tok.type == "heading_open":
            heading_level = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading_level = 0
        elif tok.type == "list_item_open":
            if item_parts and any(item_parts[-1]):
                # text before a nested list belongs to the outer item: emit it first
                blocks.append(Block("list_item", " ".join(item_parts[-1])))
                item_parts[-1] = []
            list_item_depth += 1
            item_parts.append([])
        elif tok.type == "list_item_close":
            list_item_depth -= 1
            parts = item_parts.pop()
            if any(parts):
                blocks.append(Block("list_item", " ".join(p for p in parts if p)))
        elif tok.type == "inline":
            content = _inline_text(tok)
            if not content:
                continue
            if heading_level:
                blocks.append(Block("heading", content, heading_level))
            elif list_item_depth:
                item_parts[-1].append(content)
            else:
                blocks.append(Block("paragraph", content))
        elif tok.type == "html_block":
            content = _html_text(tok.content)
            if content and list_item_depth:
                item_parts[-1].append(content)
            elif content:
                blocks.append(Block("paragraph", content))
        # fence, code_block, hr: dropped (see module docstring)
    return blocks


def _html_text(html: str) -> str:
    """Text of a raw HTML block (comments and scripts dropped), one line."""
    import lxml.html
    from lxml.etree import ParserError

    if not html.strip() or html.lstrip().startswith("<!--"):
        return ""
    try:
        fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for el in list(fragment.iter("script", "style", "template")):
        el.drop_tree()
    return " ".join(fragment.text_content().split())


class MarkdownLoader:
    """Loader for ``.md``/``.markdown`` files and Markdown on stdin."""

    name = "markdown"
    suffixes: tuple[str, ...] = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")

    def sniff(self, text: str) -> bool:
        """True if ``text`` has Markdown structure: ``#`` headings, front matter, a link,
        a code fence, or at least two list lines."""
        head = text[:20000]
        return bool(
            _HEADING_LINE.search(head)
            or _FRONT_MATTER.match(head)
            or _LINK.search(head)
            or _FENCE.search(head)
            or _SETEXT.search(head)
            or len(_LIST_LINE.findall(head)) >= 2
        )

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """Parse Markdown ``text`` into an Article. Raises InputError if it has no words."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        fields, body = parse_front_matter(text)
        blocks = _blocks(body)
        language = language_tag(fields.get("lang") or fields.get("language")) or (
            detect_language("\n".join(b.text for b in blocks)) or "en"
        )
        title, blocks = split_title(fields.get("title"), blocks, language)
        if not title and not blocks:
            raise InputError(source, "has no words to read")
        byline = fields.get("author") or fields.get("byline") or fields.get("authors")
        url = fields.get("canonical_url") or fields.get("canonical") or fields.get("url")
        url = url or fields.get("link")
        site = fields.get("site") or fields.get("site_name") or fields.get("publisher")
        image = fields.get("image") or fields.get("og_image")
        return protected(
            Article(
                title=title,
                blocks=tuple(blocks),
                source=source,
                source_key=source_key,
                byline=byline,
                published=parse_datetime(
                    fields.get("date") or fields.get("published") or fields.get("pubdate")
                ),
                source_url=url if url and re.match(r"https?://\S+$", url) else None,
                language=language,
                site_name=site,
                image_url=image if image and re.match(r"https?://\S+$", image) else None,
            )
        )


LOADER = MarkdownLoader()
