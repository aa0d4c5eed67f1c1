"""OPML 2.0 (http://opml.org/spec2.opml): the subscription list every feed reader exports
and imports.

Export writes one ``<outline type="rss" text= title= xmlUrl= htmlUrl=>`` per followed
source, with newsaudio's own settings (voice, limit, include, exclude, full text) as
attributes in the ``urn:newsaudio:opml:1`` namespace (OPML 2.0 allows namespaced
attributes; other readers ignore them). Import reads every outline with an ``xmlUrl`` at
any depth (categories are folders of outlines).

Parsing is safe against hostile files: lxml with no DTD loading, no entity resolution and
no network (an entity bomb or an external entity stays an unexpanded reference), and the
file size capped like any article source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from newsaudio.errors import InputError

NS = "urn:newsaudio:opml:1"


@dataclass(frozen=True)
class Outline:
    """One subscription: feed URL, name and newsaudio's settings (defaults when absent)."""

    url: str
    name: str
    html_url: str | None = None
    voice: str | None = None
    limit: int = 3
    include: str = ""
    exclude: str = ""
    full_text: str = "auto"


def export_opml(outlines: list[Outline], title: str, now: datetime) -> bytes:
    """An OPML 2.0 document (UTF-8 bytes) listing ``outlines``."""
    from lxml import etree

    root = etree.Element("opml", version="2.0", nsmap={"newsaudio": NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now)
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for o in outlines:
        el = etree.SubElement(body, "outline", type="rss", text=o.name, title=o.name)
        el.set("xmlUrl", o.url)
        if o.html_url:
            el.set("htmlUrl", o.html_url)
        if o.voice:
            el.set(f"{{{NS}}}voice", o.voice)
        if o.limit != 3:
            el.set(f"{{{NS}}}limit", str(o.limit))
        for key in ("include", "exclude"):
            if getattr(o, key):
                el.set(f"{{{NS}}}{key}", getattr(o, key))
        if o.full_text != "auto":
            el.set(f"{{{NS}}}fullText", o.full_text)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def import_opml(data: bytes, source: str) -> list[Outline]:
    """The subscriptions in an OPML document. Raises InputError naming ``source`` if it is
    not OPML (not XML, another root element, no ``<body>``)."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        detail = " ".join(str(exc.msg or exc).split())  # lxml's own words, without "(<string>...)"
        raise InputError(source, f"is not OPML (not well-formed XML: {detail})") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "opml":
        raise InputError(source, "is not OPML (the root element is not <opml>)")
    body = next((c for c in root if isinstance(c.tag, str) and c.tag == "body"), None)
    if body is None:
        raise InputError(source, "is not OPML (no <body>)")
    out: list[Outline] = []
    for el in body.iter("outline"):
        url = (el.get("xmlUrl") or el.get("xmlurl") or "").strip()
        if not url:
            continue
        name = (el.get("title") or el.get("text") or url).strip()
        try:
            limit = int(el.get(f"{{{NS}}}limit") or 3)
        except ValueError:
            limit = 3
        out.append(
            Outline(
                url=url,
                name=" ".join(name.split()),
                html_url=el.get("htmlUrl"),
                voice=el.get(f"{{{NS}}}voice"),
                limit=max(1, limit),
                include=el.get(f"{{{NS}}}include") or "",
                exclude=el.get(f"{{{NS}}}exclude") or "",
                full_text=el.get(f"{{{NS}}}fullText") or "auto",
            )
        )
    return out
