"""``newsaudio feed check``: validate a podcast feed against the rules newsaudio publishes by.

Rules (errors unless marked *warning*), from RSS 2.0, Apple Podcasts' RSS requirements and
the Podcasting 2.0 namespace:

* the document is well-formed XML 1.0 (strict parser, no recovery), ``<rss version="2.0">``
  with one ``<channel>``;
* channel: ``title``; ``description`` (at most 4000 bytes); ``language`` (BCP 47);
  ``link`` (*warning*); ``itunes:image`` with an absolute http(s) ``href`` ending in .jpg,
  .jpeg or .png; ``itunes:category`` from Apple's list (subcategory included);
  ``itunes:explicit`` ``true``/``false`` (``yes``/``no``/``clean``: *warning*);
  ``itunes:author``, ``itunes:owner``/``itunes:email``, ``itunes:type``, ``atom:link
  rel="self"``, ``podcast:guid`` (UUID; *warning* if it is not the UUIDv5 of the feed URL),
  ``podcast:locked`` (each *warning* when missing, an error when malformed);
* item: ``title``; ``enclosure`` with an absolute, ASCII, space-free http(s) URL, a positive
  decimal ``length`` (bytes) and an ``audio/*`` type; a ``guid`` unique in the feed;
  ``pubDate`` in RFC 2822 with a zone; ``description`` at most 4000 bytes (*warning* if
  missing); ``itunes:duration`` as seconds or [HH:]MM:SS (*warning* if missing);
  ``podcast:transcript``/``podcast:chapters`` with absolute URLs and a type; ``link``
  (*warning*).

Hosts (*warnings*): enclosure, artwork and self links that point at localhost, 127.0.0.0/8 or
::1 (only this computer can reach them: one warning for them all, with their count), or at
another host than the feed's own (the URL checked, else the self link's host).

For a local feed file, enclosures and artwork under the feed's own base URL (its
``atom:link rel="self"`` without ``feed.xml``) are looked up beside the file: they must
exist and each enclosure's ``length`` must equal the file's size. For a feed URL, the host
is checked too: ``HEAD`` on every enclosure and the artwork answers 200 with the right
``Content-Length``, and ``Range: bytes=0-1`` answers 206 with ``Content-Range`` and two bytes.
"""

from __future__ import annotations

import email.utils
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from newsaudio.errors import InputError
from newsaudio.net import describe_request_error
from newsaudio.show import APPLE_CATEGORIES, Show

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
MAX_DESCRIPTION_BYTES = 4000
_PODCAST_NS_UUID = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DURATION = re.compile(r"^(\d+|(\d+:)?[0-5]?\d:[0-5]\d)$")


@dataclass(frozen=True)
class Problem:
    """One finding: ``level`` error or warning, ``where`` (``channel``, ``item 3``...) and
    a one-line ``message``."""

    level: Literal["error", "warning"]
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


@dataclass
class Report:
    """All problems found in one feed, and how many items it has."""

    problems: list[Problem] = field(default_factory=list)
    items: int = 0

    @property
    def errors(self) -> list[Problem]:
        """The problems of level ``error``."""
        return [p for p in self.problems if p.level == "error"]

    def error(self, where: str, message: str) -> None:
        """Record an error."""
        self.problems.append(Problem("error", where, message))

    def warn(self, where: str, message: str) -> None:
        """Record a warning."""
        self.problems.append(Problem("warning", where, message))


def _it(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _pc(name: str) -> str:
    return f"{{{PODCAST}}}{name}"


def _text(parent: object, tag: str) -> str | None:
    el = parent.find(tag)  # type: ignore[attr-defined]
    if el is None:
        return None
    return "".join(el.itertext()).strip()


def _absolute_http(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _ascii_url(url: str) -> bool:
    return url.isascii() and not any(c.isspace() for c in url) and '"' not in url


@dataclass
class Feed:
    """What the checks need from a parsed feed: media to fetch and the feed's own URL."""

    self_url: str | None = None
    artwork: list[str] = field(default_factory=list)
    enclosures: list[tuple[str, str, int | None]] = field(default_factory=list)
    """(where, url, length in bytes or None)."""


def check_feed(data: bytes, report: Report | None = None) -> tuple[Report, Feed]:
    """Check the feed document ``data`` (bytes as served) against the module's rules."""
    from lxml import etree

    report = report or Report()
    feed = Feed()
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.error("document", f"not well-formed XML ({exc})")
        return report, feed
    if root.tag != "rss" or root.get("version") != "2.0":
        report.error("document", 'the root element is not <rss version="2.0">')
    ch = root.find("channel")
    if ch is None:
        report.error("document", "no <channel>")
        return report, feed
    _check_channel(ch, report, feed)
    guids: set[str] = set()
    for n, item in enumerate(ch.findall("item"), start=1):
        _check_item(item, f"item {n}", report, feed, guids)
        report.items += 1
    return report, feed


def _check_channel(ch: object, report: Report, feed: Feed) -> None:
    w = "channel"
    title = _text(ch, "title")
    if not title:
        report.error(w, "<title> is missing or empty")
    description = _text(ch, "description")
    if not description:
        report.error(w, "<description> is missing or empty")
    elif len(description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        report.error(w, f"<description> is longer than {MAX_DESCRIPTION_BYTES} bytes")
    language = _text(ch, "language")
    if not language or not _LANGUAGE.match(language):
        report.error(w, f"<language> is missing or not a BCP 47 tag ({language!r})")
    if not _absolute_http(_text(ch, "link")):
        report.warn(w, "<link> is missing or not an absolute http(s) URL")
    image = ch.find(_it("image"))  # type: ignore[attr-defined]
    href = image.get("href") if image is not None else None
    if not href:
        report.error(w, "<itunes:image href> is missing (Apple requires artwork)")
    elif not _absolute_http(href) or not _ascii_url(href):
        report.error(w, f"<itunes:image> href {href!r} is not an absolute ASCII http(s) URL")
    elif not urlsplit(href).path.lower().endswith((".jpg", ".jpeg", ".png")):
        report.error(w, f"<itunes:image> href {href!r} does not end in .jpg or .png")
    else:
        feed.artwork.append(href)
    categories = ch.findall(_it("category"))  # type: ignore[attr-defined]
    if not categories:
        report.error(w, "<itunes:category> is missing")
    for cat in categories:
        name = cat.get("text")
        if name not in APPLE_CATEGORIES:
            report.error(w, f"<itunes:category text={name!r}> is not an Apple category")
            continue
        for sub in cat.findall(_it("category")):
            if sub.get("text") not in APPLE_CATEGORIES[name]:
                report.error(
                    w, f"<itunes:category text={sub.get('text')!r}> is not a subcategory of {name}"
                )
    explicit = _text(ch, _it("explicit"))
    if explicit is None or explicit == "":
        report.error(w, "<itunes:explicit> is missing or empty (Apple requires true or false)")
    elif explicit in ("yes", "no", "clean"):
        report.warn(w, f"<itunes:explicit> is {explicit!r}; Apple's current spec: true/false")
    elif explicit not in ("true", "false"):
        report.error(w, f"<itunes:explicit> is {explicit!r}, not true or false")
    if not _text(ch, _it("author")):
        report.warn(w, "<itunes:author> is missing")
    owner = ch.find(_it("owner"))  # type: ignore[attr-defined]
    email_text = _text(owner, _it("email")) if owner is not None else None
    if not email_text:
        report.warn(w, "<itunes:owner><itunes:email> is missing (Apple verifies shows with it)")
    show_type = _text(ch, _it("type"))
    if show_type is None:
        report.warn(w, "<itunes:type> is missing")
    elif show_type not in ("episodic", "serial"):
        report.error(w, f"<itunes:type> is {show_type!r}, not episodic or serial")
    for link in ch.findall(f"{{{ATOM}}}link"):  # type: ignore[attr-defined]
        if link.get("rel") == "self":
            feed.self_url = link.get("href")
    if not feed.self_url:
        report.warn(w, '<atom:link rel="self"> is missing')
    guid = _text(ch, _pc("guid"))
    if guid is None:
        report.warn(w, "<podcast:guid> is missing")
    else:
        try:
            parsed = uuid.UUID(guid)
        except ValueError:
            report.error(w, f"<podcast:guid> {guid!r} is not a UUID")
        else:
            if feed.self_url:
                key = feed.self_url.split("://", 1)[-1].rstrip("/")
                if parsed != uuid.uuid5(_PODCAST_NS_UUID, key):
                    report.warn(w, "<podcast:guid> is not the UUIDv5 of the feed URL")
    locked = _text(ch, _pc("locked"))
    if locked is None:
        report.warn(w, "<podcast:locked> is missing")
    elif locked not in ("yes", "no"):
        report.error(w, f"<podcast:locked> is {locked!r}, not yes or no")


def _check_item(item: object, w: str, report: Report, feed: Feed, guids: set[str]) -> None:
    title = _text(item, "title")
    if not title:
        report.error(w, "<title> is missing or empty")
    else:
        w = f"{w} ({title[:40]})"
    enclosure = item.find("enclosure")  # type: ignore[attr-defined]
    if enclosure is None:
        report.error(w, "<enclosure> is missing")
    else:
        url = enclosure.get("url") or ""
        length_text = enclosure.get("length") or ""
        mime = enclosure.get("type") or ""
        length: int | None = None
        if not _absolute_http(url):
            report.error(w, f"enclosure url {url!r} is not an absolute http(s) URL")
        elif not _ascii_url(url):
            report.error(w, f"enclosure url {url!r} is not ASCII or has spaces")
        if not length_text.isdigit() or int(length_text) <= 0:
            report.error(w, f"enclosure length {length_text!r} is not a positive byte count")
        else:
            length = int(length_text)
        if not mime.startswith("audio/"):
            report.error(w, f"enclosure type {mime!r} is not audio/*")
        elif url.lower().endswith(".mp3") and mime != "audio/mpeg":
            report.warn(w, f"enclosure type {mime!r}: MP3 is audio/mpeg")
        if _absolute_http(url):
            feed.enclosures.append((w, url, length))
    guid = _text(item, "guid")
    if not guid:
        report.error(w, "<guid> is missing")
    elif guid in guids:
        report.error(w, f"<guid> {guid!r} is used by another item")
    else:
        guids.add(guid)
    pub = _text(item, "pubDate")
    parsed = email.utils.parsedate_tz(pub) if pub else None
    if not pub or parsed is None or parsed[9] is None or not re.search(r"([+-]\d{4}|GMT|UT)$", pub):
        report.error(w, f"<pubDate> {pub!r} is not an RFC 2822 date with a zone")
    description = _text(item, "description")
    if not description:
        report.warn(w, "<description> is missing or empty")
    elif len(description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        report.error(w, f"<description> is longer than {MAX_DESCRIPTION_BYTES} bytes")
    duration = _text(item, _it("duration"))
    if duration is None:
        report.warn(w, "<itunes:duration> is missing")
    elif not _DURATION.match(duration):
        report.error(w, f"<itunes:duration> {duration!r} is not seconds or [HH:]MM:SS")
    for tag in ("transcript", "chapters"):
        for el in item.findall(_pc(tag)):  # type: ignore[attr-defined]
            if not _absolute_http(el.get("url")) or not el.get("type"):
                report.error(w, f"<podcast:{tag}> needs an absolute url and a type")
    if not _text(item, "link"):
        report.warn(w, "<link> is missing")


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_hosts(report: Report, feed: Feed, own_url: str | None = None) -> None:
    """Warn for enclosure, artwork and self links on a loopback host, or on another host
    than the feed's own (``own_url``'s host, else the self link's)."""
    own = urlsplit(own_url or feed.self_url or "").hostname
    links = [("channel", "self link", feed.self_url)] if feed.self_url else []
    links += [("channel", "artwork", url) for url in feed.artwork]
    links += [(where, "enclosure", url) for where, url, _ in feed.enclosures]
    local: list[tuple[str, str, str]] = []  # (kind, url, host): one summary warning
    for where, kind, url in links:
        host = urlsplit(url or "").hostname or ""
        if _loopback(host):
            local.append((kind, url or "", host))
        elif own and host and host != own:
            report.warn(where, f"{kind} {url} is on {host}, not on the feed's own host {own}")
    if local:
        n = len(local)
        kinds = {k: sum(1 for kind, _, _ in local if kind == k) for k, _, _ in local}
        named = ", ".join(
            f"{c} {k}{'s' if c > 1 else ''}" if c > 1 else k for k, c in kinds.items()
        )
        hosts = " and ".join(dict.fromkeys(host for _, _, host in local))
        report.warn(
            "feed",
            f"{n} link{'s' if n > 1 else ''} ({named}) point{'' if n > 1 else 's'} at {hosts}, "
            f"first {local[0][1]}: only this computer can reach {'them' if n > 1 else 'it'} "
            "(set the show's public base URL: newsaudio feed --base-url URL)",
        )


def check_local(path: Path, report: Report, feed: Feed) -> None:
    """Compare enclosures and artwork under the feed's base URL with the files beside
    ``path``: each must exist, and each enclosure's length must equal its file's size."""
    if not feed.self_url:
        return
    base = feed.self_url.rsplit("/", 1)[0] + "/"
    root = path.parent.resolve()
    media = [(w, u, n) for w, u, n in feed.enclosures] + [
        ("channel", u, None) for u in feed.artwork
    ]
    for where, url, length in media:
        if not url.startswith(base):
            continue
        local = (root / unquote(url[len(base) :])).resolve()
        if not local.is_relative_to(root) or not local.is_file():
            report.error(where, f"{url} has no file at {local}")
        elif length is not None and local.stat().st_size != length:
            report.error(
                where, f"enclosure length {length} != size of {local.name} ({local.stat().st_size})"
            )


def check_host(report: Report, feed: Feed, session: object, timeout_s: float) -> None:
    """Ask the host of every enclosure and of the artwork for ``HEAD`` and a byte range."""
    import requests

    assert isinstance(session, requests.Session)
    media = [(w, u, n) for w, u, n in feed.enclosures] + [
        ("channel", u, None) for u in feed.artwork
    ]
    for where, url, length in media:
        try:
            head = session.head(url, timeout=timeout_s, allow_redirects=True)
            if head.status_code != 200:
                report.error(where, f"HEAD {url} answered {head.status_code}, not 200")
                continue
            size = head.headers.get("Content-Length")
            if length is not None and size != str(length):
                report.error(
                    where, f"HEAD {url}: Content-Length {size} != enclosure length {length}"
                )
            if head.headers.get("Accept-Ranges", "").lower() != "bytes":
                report.warn(where, f"HEAD {url}: no 'Accept-Ranges: bytes'")
            with session.get(
                url, headers={"Range": "bytes=0-1"}, timeout=timeout_s, stream=True
            ) as part:
                body = part.raw.read(3) if part.status_code == 206 else b""
                if part.status_code != 206:
                    report.error(
                        where,
                        f"GET {url} with Range: bytes=0-1 answered {part.status_code}, not 206",
                    )
                elif not part.headers.get("Content-Range", "").startswith("bytes 0-1/"):
                    report.error(
                        where, f"GET {url}: Content-Range is {part.headers.get('Content-Range')!r}"
                    )
                elif len(body) != 2:
                    report.error(
                        where, f"GET {url}: Range bytes=0-1 returned {len(body)} bytes, not 2"
                    )
        except requests.RequestException as exc:
            report.error(where, f"{url}: request failed: {describe_request_error(exc, url)}")


def unreadable(target: str, data: bytes) -> None:
    """Raise InputError (exit 3, "a feed it cannot read") when ``data`` is no feed document
    at all: empty (or only white space), or not XML (its first character, after a byte-order
    mark and white space, is not ``<``: binary, JSON, plain text). A document that is XML but
    breaks the rules is checked and reported instead."""
    text = data.lstrip(b"\xef\xbb\xbf").lstrip(b"\xff\xfe").lstrip(b"\xfe\xff").strip()
    if not text.replace(b"\x00", b""):
        raise InputError(target, "the feed is empty (0 bytes of XML): nothing to check")
    if not text.replace(b"\x00", b"").startswith(b"<"):
        raise InputError(target, "the feed is not an XML document (binary or text): not a feed")


def check_target(target: str, show: Show | None = None, timeout_s: float = 10.0) -> Report:
    """Check ``target``: an http(s) feed URL (with host checks) or a feed file (with local
    file checks). Raises InputError if the file cannot be read or the URL fetched."""
    if target.startswith(("http://", "https://")):
        import requests

        with requests.Session() as session:
            session.headers["User-Agent"] = "newsaudio-feed-check"
            try:
                response = session.get(target, timeout=timeout_s)
            except requests.RequestException as exc:
                reason = describe_request_error(exc, target, timeout_s=timeout_s)
                raise InputError(target, f"cannot fetch the feed: {reason}") from exc
            if response.status_code != 200:
                raise InputError(target, f"answered HTTP {response.status_code}")
            unreadable(target, response.content)
            report, feed = check_feed(response.content)
            check_hosts(report, feed, target)
            mime = response.headers.get("Content-Type", "")
            if "xml" not in mime:
                report.warn("document", f"served as {mime!r}, not application/rss+xml")
            check_host(report, feed, session, timeout_s)
            return report
    path = Path(target)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(target, f"cannot read the feed ({exc.strerror or exc})") from exc
    unreadable(target, data)
    report, feed = check_feed(data)
    check_hosts(report, feed)
    check_local(path, report, feed)
    return report
