"""IMAP newsletters: unseen messages of one mailbox folder; marked ``\\Seen`` (or moved to
another folder) once the episode is published.

Address ``imaps://USER@HOST[:PORT]/FOLDER`` (port 993; folder percent-encoded, INBOX when
absent); plain ``imap://`` (port 143) only to a loopback address. Credential ``password``.

IMAP (RFC 9051 / RFC 3501, :mod:`imaplib`):

* ``LOGIN`` (refused: "authentication failed"); ``EXAMINE folder`` to list (``NO``: "mailbox
  folder 'X' does not exist"); ``UID SEARCH UNSEEN``; ``UID FETCH uid (BODY.PEEK[])`` so
  listing never sets ``\\Seen``.
* Write-back: ``SELECT``, ``UID STORE uid +FLAGS (\\Seen)``; with ``move_to``: ``UID MOVE``
  (RFC 6851) when the server has ``MOVE``, else ``UID COPY`` + ``\\Deleted`` + ``EXPUNGE``.
  The item id is ``UIDVALIDITY:UID``; if the folder's UIDVALIDITY changed, the message is
  found again by its ``Message-ID``.

A message becomes an item: the HTML part (else the text part as paragraphs) decoded from
quoted-printable/base64 and its charset; the subject as title; the sender's display name as
author (and source name); ``Date`` as published; a "view in browser" link as the URL.
"""

from __future__ import annotations

import contextlib
import email
import html
import imaplib
import re
import ssl
from collections.abc import Iterator, Mapping
from email.message import EmailMessage
from email.policy import default as default_policy
from html.parser import HTMLParser
from ipaddress import ip_address
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from newsaudio.sources.services.base import (
    KindError,
    ServiceItem,
    check_action,
    require,
    strip_secrets,
)

TIMEOUT_S = 30.0
MAX_MESSAGE_BYTES = 10 * 1024 * 1024

_VIEW_ONLINE = re.compile(
    r"view\b.{0,30}\b(in|on)\b.{0,12}\bbrowser|view\b.{0,12}\bonline|web\s*version|"
    r"read\b.{0,12}\bonline|open\b.{0,12}\bin\b.{0,12}\bbrowser|"
    r"im\s+browser\s+(ansehen|öffnen)|voir\b.{0,30}\bnavigateur|version\s+en\s+ligne",
    re.IGNORECASE,
)


class ImapKind:
    """A mailbox folder at ``imaps://USER@HOST[:PORT]/FOLDER``.

    Options: ``move_to`` (folder to move published messages to), ``ssl_context`` (an
    :class:`ssl.SSLContext`, e.g. trusting a test CA; default: the system's).
    """

    name: ClassVar[str] = "imap"
    credential_keys: ClassVar[tuple[str, ...]] = ("password",)
    write_backs: ClassVar[tuple[str, ...]] = ("read",)
    default_write_back: ClassVar[str] = "read"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = strip_secrets(address)
        parts = urlsplit(address)
        scheme = parts.scheme.lower()
        if scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
            raise KindError(self.address, "is not an imaps://USER@HOST[:PORT]/FOLDER address")
        if parts.password:
            raise KindError(self.address, "put the password in --credential, not in the URL")
        self.host = parts.hostname
        self.tls = scheme == "imaps"
        try:
            self.port = parts.port or (993 if self.tls else 143)
        except ValueError as exc:  # not a number, or out of range 0-65535
            raise KindError(self.address, f"has no valid port ({exc})") from None
        if not self.tls and not _loopback(self.host):
            raise KindError(self.address, "plain imap:// only to a loopback address; use imaps://")
        self.user = unquote(parts.username)
        self.folder = unquote(parts.path.strip("/")) or "INBOX"
        self._password = require(credentials, ("password",), self.address)["password"]
        self.move_to: str | None = options.get("move_to") or None
        self.ssl_context: ssl.SSLContext | None = options.get("ssl_context")

    # -- connection ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _session(self) -> Iterator[imaplib.IMAP4]:
        where = f"{self.host}:{self.port}"
        try:
            if self.tls:
                context = self.ssl_context or ssl.create_default_context()
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    self.host, self.port, ssl_context=context, timeout=TIMEOUT_S
                )
            else:
                conn = imaplib.IMAP4(self.host, self.port, timeout=TIMEOUT_S)
        except ssl.SSLError as exc:
            raise KindError(
                self.address, f"TLS with {where} failed ({exc.reason or exc})"
            ) from None
        except TimeoutError:
            raise KindError(self.address, f"{where} did not answer in time") from None
        except OSError as exc:
            raise KindError(self.address, f"cannot reach {where} ({exc.strerror or exc})") from None
        try:
            try:
                conn.login(self.user, self._password)
            except imaplib.IMAP4.error:
                raise KindError(self.address, "authentication failed", auth=True) from None
            yield conn
        except (imaplib.IMAP4.abort, OSError) as exc:
            raise KindError(self.address, f"connection to {where} lost ({exc})") from None
        finally:
            with contextlib.suppress(Exception):
                conn.logout()

    def _open_folder(self, conn: imaplib.IMAP4, folder: str, readonly: bool) -> str:
        """Select ``folder``; returns its UIDVALIDITY. Raises KindError if it is missing."""
        typ, _ = conn.select(_quote(folder), readonly=readonly)
        if typ != "OK":
            raise KindError(self.address, f"mailbox folder '{folder}' does not exist")
        validity = conn.untagged_responses.get("UIDVALIDITY", [b"0"])[-1]
        return validity.decode() if isinstance(validity, bytes) else str(validity)

    # -- Kind -----------------------------------------------------------------------------
    def list_new(self, limit: int) -> list[ServiceItem]:
        """Unseen messages of the folder, highest UID (newest) first, up to ``limit``;
        none is marked seen."""
        items: list[ServiceItem] = []
        with self._session() as conn:
            validity = self._open_folder(conn, self.folder, readonly=True)
            typ, data = conn.uid("SEARCH", "UNSEEN")
            if typ != "OK":
                raise KindError(self.address, f"search in '{self.folder}' failed")
            uids = sorted((int(u) for u in (data[0] or b"").split()), reverse=True)[: max(limit, 0)]
            for uid in uids:
                typ, fetched = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((p[1] for p in fetched if isinstance(p, tuple) and len(p) > 1), None)
                if typ != "OK" or not isinstance(raw, bytes) or len(raw) > MAX_MESSAGE_BYTES:
                    continue
                items.append(message_item(f"{validity}:{uid}", raw))
        return items

    def check(self) -> None:
        """At ``follow``: the ``move_to`` folder exists (else KindError naming it)."""
        if not self.move_to:
            return
        with self._session() as conn:
            self._open_folder(conn, self.move_to, readonly=True)

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Mark the message ``\\Seen``, then move it to ``move_to`` if set."""
        check_action(self, action, self.address)
        with self._session() as conn:
            validity = self._open_folder(conn, self.folder, readonly=False)
            uid = self._find(conn, item, validity)
            if uid is None:
                return  # gone already (moved or deleted by the user): nothing to do
            conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            if self.move_to:
                self._move(conn, uid, self.move_to)

    def _find(self, conn: imaplib.IMAP4, item: ServiceItem, validity: str) -> str | None:
        stored_validity, _, uid = item.id.partition(":")
        if stored_validity == validity and uid.isdigit():
            typ, data = conn.uid("SEARCH", "UID", uid)
            if typ == "OK" and data and data[0] and data[0].split():
                return uid
        if item.key and item.key.startswith("<"):
            typ, data = conn.uid("SEARCH", "HEADER", "Message-ID", _quote(item.key))
            if typ == "OK" and data and isinstance(data[0], bytes) and data[0].split():
                found: bytes = data[0].split()[-1]
                return found.decode()
        return None

    def _move(self, conn: imaplib.IMAP4, uid: str, folder: str) -> None:
        capabilities = {c.upper() for c in conn.capabilities}
        if "MOVE" in capabilities:
            typ, _ = conn.uid("MOVE", uid, _quote(folder))
        else:
            typ, _ = conn.uid("COPY", uid, _quote(folder))
            if typ == "OK":
                conn.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
                conn.expunge()
        if typ != "OK":
            raise KindError(self.address, f"mailbox folder '{folder}' does not exist")


def _loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- messages into items (pure) ---------------------------------------------------------
class _Scan(HTMLParser):
    """Links with their anchor text, visible words and images of an HTML body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.words = 0
        self.images = 0
        self._href: str | None = None
        self._anchor: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag == "a":
            self._href, self._anchor = a.get("href"), []
        elif tag == "img" and not _is_pixel(a):
            self.images += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title") and self._skip:
            self._skip -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._anchor).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._href is not None:
            self._anchor.append(data)
        self.words += len(data.split())


def _is_pixel(attrs: Mapping[str, str | None]) -> bool:
    def small(v: str | None) -> bool:
        return (
            v is not None and v.strip().rstrip("px").isdigit() and int(v.strip().rstrip("px")) <= 2
        )

    style = (attrs.get("style") or "").replace(" ", "").lower()
    return small(attrs.get("width")) or small(attrs.get("height")) or "display:none" in style


def view_online_link(body_html: str) -> str | None:
    """The "view in browser" / "web version" link of a newsletter (http(s)), or None."""
    scan = _Scan()
    with contextlib.suppress(Exception):
        scan.feed(body_html)
    for href, text in scan.links:
        if href and href.lower().startswith(("http://", "https://")) and _VIEW_ONLINE.search(text):
            return href.strip()
    return None


def skip_reason(item: ServiceItem) -> str | None:
    """Why a newsletter should not become an episode ("image-only issue: N images, no
    text"), or None. Words of links such as "view in browser" do not count as text."""
    if not item.html:
        return "no HTML or text part"
    scan = _Scan()
    with contextlib.suppress(Exception):
        scan.feed(item.html)
    link_words = sum(len(text.split()) for _, text in scan.links)
    if scan.words - link_words < 20 and scan.images:
        return f"image-only issue: {scan.images} images, no text"
    return None


def _decoded(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):  # unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("latin-1") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _text_as_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)


def message_item(item_id: str, raw: bytes) -> ServiceItem:
    """The item of one RFC 5322 message (see the module docstring). ``key`` is its
    Message-ID (identity across folders), ``id`` the given ``UIDVALIDITY:UID``."""
    msg = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    body_html: str | None = None
    part = msg.get_body(preferencelist=("html", "plain"))
    if isinstance(part, EmailMessage):
        content = _decoded(part)
        body_html = content if part.get_content_subtype() == "html" else _text_as_html(content)
    sender = None
    with contextlib.suppress(Exception):
        addresses = msg["From"].addresses
        if addresses:
            sender = addresses[0].display_name or addresses[0].addr_spec
    published = None
    with contextlib.suppress(Exception):
        published = msg["Date"].datetime
        if published is not None and published.tzinfo is None:
            published = None
    message_id = str(msg.get("Message-ID") or "").strip() or None
    return ServiceItem(
        id=item_id,
        title=" ".join(str(msg.get("Subject") or "").split()) or "(no subject)",
        url=view_online_link(body_html) if body_html else None,
        author=sender,
        published=published,
        html=body_html or None,
        key=message_id,
    )
