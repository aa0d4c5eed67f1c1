"""``parse_html``: the HTML loader's steps in order, and the loader registered as ``html``.

Metadata and the standfirst are read from the page as served; the tree is pruned and given
to trafilatura; its XML is walked into blocks, the plain walk takes over when that finds
too little, and the blocks are repaired on a fresh pruned tree; last, the wall check and
the headline.
"""

from __future__ import annotations

import logging
import re

from newsaudio.errors import InputError
from newsaudio.loaders._blocks import parse_datetime, protected, split_title
from newsaudio.loaders.html.fallback import fallback_blocks, has_words
from newsaudio.loaders.html.headline import choose_headline, site_name_keys
from newsaudio.loaders.html.meta import (
    absolute_http,
    canonical_url,
    lead_image,
    page_language,
    page_meta,
    page_site_name,
    published_time,
)
from newsaudio.loaders.html.prune import prune
from newsaudio.loaders.html.repair import (
    continuation,
    find_standfirst,
    join_split_body,
    with_standfirst,
)
from newsaudio.loaders.html.repeats import drop_numbered_gallery, drop_repeated_paragraphs
from newsaudio.loaders.html.tree import one_line, parse_tree
from newsaudio.loaders.html.walk import walk_xml
from newsaudio.loaders.html.walls import access_wall, marked_not_free
from newsaudio.models import Article, Block

_LOGGER = logging.getLogger(__name__)

_MARKUP_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|\?xml)", re.I | re.S)
_BLOCK_TAG = re.compile(
    r"<(p|div|article|body|head|h[1-6]|ul|ol|li|section|main|span|a|br|table|meta|title)[\s/>]",
    re.I,
)
_CLOSING_TAG = re.compile(r"</(p|div|article|body|h[1-6]|li|section|main|span|a|title)>", re.I)


def parse_html(text: str, *, source: str, source_key: str, url: str | None = None) -> Article:
    """Parse an HTML page into an :class:`Article` (not yet cleaned).

    ``url`` is where the page was fetched from (relative canonical links resolve against
    it; it is the source URL when the page names no canonical URL). Raises InputError if
    the page holds no article text.
    """
    import trafilatura
    from lxml import etree

    tree = parse_tree(text, source)
    meta = page_meta(tree)
    language = page_language(tree, meta)
    first_h1 = next((one_line(h.text_content()) for h in tree.iter("h1")), None)
    published_tree = published_time(tree, meta, None)
    canonical_tree = canonical_url(tree, meta, url, None)
    site_name = page_site_name(tree, meta)
    image_url = lead_image(meta, url or canonical_tree)
    not_free = marked_not_free(tree, meta)
    title_el = tree.find(".//title")
    tree_title = title_el.text_content() if title_el is not None else None
    site_names = site_name_keys(tree, meta, url or canonical_tree)
    standfirst = find_standfirst(tree)
    prune(tree)

    xml = trafilatura.extract(
        tree,
        url=url,
        output_format="xml",
        include_formatting=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=True,  # link density tells related stories from article text
        with_metadata=True,
    )
    title: str | None = None
    byline: str | None = None
    date_text: str | None = None
    blocks: list[Block] = []
    if xml:
        doc = etree.fromstring(xml.encode("utf-8"))
        title = doc.get("title")
        byline = doc.get("author")
        date_text = doc.get("date")
        main = doc.find("main")
        if main is not None:
            blocks = [b for b in walk_xml(main) if b.text]
    if len(blocks) <= 1:
        # nothing found, or a short page flattened into one paragraph by trafilatura's
        # baseline extractor: a plain walk keeps headings, paragraphs and list items apart
        fresh = parse_tree(text, source)  # trafilatura may have altered ``tree``
        prune(fresh)
        walked = fallback_blocks(fresh)
        if len(walked) > len(blocks) or not has_words(blocks):
            _LOGGER.debug("%s: using the plain walk (%d blocks)", source, len(walked))
            blocks = walked
    if not has_words(blocks):
        raise InputError(
            source, "no article text found (the page holds only navigation, scripts or markup)"
        )
    if len(blocks) > 1:
        fresh = parse_tree(text, source)
        prune(fresh)
        blocks = continuation(fresh, join_split_body(fresh, blocks))

    wall = access_wall(blocks, not_free)
    headline = choose_headline(
        title,
        first_h1,
        meta,
        doc_title=one_line(tree_title or ""),
        site_names=site_names,
    )
    head, body = split_title(headline, blocks, language)
    body = drop_repeated_paragraphs(drop_numbered_gallery(with_standfirst(standfirst, body)))
    if byline:
        parts = [re.sub(r"^\s*by\s+", "", p, flags=re.I).strip() for p in byline.split(";")]
        byline = ", ".join(p for p in parts if p) or None
    return protected(
        Article(
            title=head,
            blocks=tuple(body),
            source=source,
            source_key=source_key,
            byline=byline,
            published=published_tree or parse_datetime(date_text),
            source_url=canonical_tree or absolute_http(url, None),
            language=language,
            site_name=site_name,
            image_url=image_url,
            wall=wall,
        )
    )


class HtmlLoader:
    """Loader for ``.html``/``.htm``/``.xhtml`` files and HTML on stdin."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml", ".shtml")

    def sniff(self, text: str) -> bool:
        """True if ``text`` starts like an HTML document or is mostly tagged blocks."""
        head = text[:4096]
        if _MARKUP_START.match(head):
            return True
        return len(_BLOCK_TAG.findall(head)) >= 2 and bool(_CLOSING_TAG.search(head))

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """See :func:`parse_html`."""
        return parse_html(text, source=source, source_key=source_key)


LOADER = HtmlLoader()
