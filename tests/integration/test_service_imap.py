"""IMAP kind against a real Dovecot on a free 127.0.0.1 port (TLS with a generated CA):
real newsletter shapes put there with APPEND, listing never marks seen, write-back marks
``\\Seen`` or moves, and every failure is one line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsaudio.sources.services import kind_of, open_kind
from newsaudio.sources.services.base import KindError
from newsaudio.sources.services.imap import ImapKind, message_item, skip_reason, view_online_link
from tests.support import dovecot

pytestmark = pytest.mark.skipif(
    dovecot.dovecot_binary() is None, reason="dovecot-imapd not installed"
)


@pytest.fixture(scope="module")
def server() -> Iterator[dovecot.DovecotServer]:
    with dovecot.running_dovecot() as running:
        for build in (
            dovecot.multipart_alternative_newsletter,
            dovecot.base64_html_newsletter,
            dovecot.latin1_newsletter,
            dovecot.image_only_newsletter,
            dovecot.tracking_newsletter,
            dovecot.plain_text_newsletter,
        ):
            running.append("Newsletters", build())
        running.append("Newsletters", dovecot.plain_text_newsletter(), flags="(\\Seen)")
        yield running


def mailbox(
    server: dovecot.DovecotServer, folder: str = "Newsletters", **options: object
) -> ImapKind:
    address = f"imaps://{server.user}@{server.host}:{server.imaps_port}/{folder}"
    assert kind_of(address) == "imap"
    kind = open_kind(
        address, {"password": server.password}, ssl_context=server.ssl_context(), **options
    )
    assert isinstance(kind, ImapKind)
    return kind


def test_lists_unseen_newest_first_without_marking_seen(server: dovecot.DovecotServer) -> None:
    items = mailbox(server).list_new(10)
    assert [i.title for i in items] == [
        "Plain notes",
        "Issue 45: tracked",
        "Issue 44: photo special",
        "Numéro 7 : la fête du port",
        "Issue 43: lighthouse repairs",
        "Issue 42: the new ferry timetable",
    ]
    assert len(mailbox(server).list_new(10)) == 6  # still unseen
    assert all("\\Seen" not in flags for flags in server.flags("Newsletters")[:6])
    assert [i.title for i in mailbox(server).list_new(2)] == ["Plain notes", "Issue 45: tracked"]


def test_message_shapes(server: dovecot.DovecotServer) -> None:
    items = {i.title: i for i in mailbox(server).list_new(10)}
    qp = items["Issue 42: the new ferry timetable"]
    assert qp.author == "Harbour Weekly" and qp.html and "Café news — soon" in qp.html
    assert qp.url == "https://harbour.example/issues/42"
    assert qp.published is not None and qp.published.isoformat() == "2026-12-01T07:30:00+00:00"
    assert qp.key and qp.key.startswith("<") and qp.id.count(":") == 1
    b64 = items["Issue 43: lighthouse repairs"]
    assert b64.author == "Lamp Notes" and b64.html and "lighthouse lens" in b64.html
    latin = items["Numéro 7 : la fête du port"]
    assert (
        latin.author == "Le Café du Port"
        and latin.html
        and "La fête du port aura lieu" in latin.html
    )
    plain = items["Plain notes"]
    assert plain.html and plain.html.startswith("<p>The harbour board") and plain.url is None
    assert skip_reason(items["Issue 44: photo special"]) == "image-only issue: 2 images, no text"
    assert all(skip_reason(i) is None for t, i in items.items() if t != "Issue 44: photo special")


def test_tracking_pixels_and_links(server: dovecot.DovecotServer) -> None:
    tracked = next(i for i in mailbox(server).list_new(10) if i.title == "Issue 45: tracked")
    assert tracked.author == "Tracker Digest"
    assert (
        tracked.url == "https://tracker.example/web/45?utm_source=email"
    )  # canonical_link drops utm_*
    assert skip_reason(tracked) is None  # 5 one-pixel images are not "images"
    content = pytest.importorskip("newsaudio.sources.content")
    text = " ".join(b.text for b in content.html_blocks(tracked.html or ""))
    assert "harbour board met on Tuesday" in text and ".gif" not in text


def test_mark_seen_then_move(server: dovecot.DovecotServer) -> None:
    server.append("Scratch", dovecot.multipart_alternative_newsletter())
    server.append("Scratch", dovecot.base64_html_newsletter())
    kind = mailbox(server, "Scratch")
    newest, older = kind.list_new(5)
    kind.write_back(newest, "read")
    assert [i.title for i in kind.list_new(5)] == [older.title]
    assert "\\Seen" in server.flags("Scratch")[1]
    kind.write_back(newest, "read")  # twice is harmless
    mover = mailbox(server, "Scratch", move_to="Listened")
    server.append("Listened", dovecot.plain_text_newsletter(), flags="(\\Seen)")  # folder exists
    mover.write_back(older, "read")
    assert mover.list_new(5) == [] and len(server.flags("Scratch")) == 1
    assert any("\\Seen" in f for f in server.flags("Listened"))


def test_move_to_missing_folder_is_named(server: dovecot.DovecotServer) -> None:
    server.append("Scratch2", dovecot.plain_text_newsletter())
    kind = mailbox(server, "Scratch2", move_to="No Such Folder")
    item = kind.list_new(1)[0]
    with pytest.raises(KindError, match="mailbox folder 'No Such Folder' does not exist"):
        kind.write_back(item, "read")


def test_missing_folder(server: dovecot.DovecotServer) -> None:
    with pytest.raises(KindError, match=r": mailbox folder 'Nope' does not exist$"):
        mailbox(server, "Nope").list_new(3)


def test_untrusted_certificate_is_one_line(server: dovecot.DovecotServer) -> None:
    address = f"imaps://{server.user}@{server.host}:{server.imaps_port}/Newsletters"
    with pytest.raises(
        KindError,
        match=rf"TLS with 127\.0\.0\.1:{server.imaps_port} failed \(CERTIFICATE_VERIFY_FAILED\)",
    ):
        open_kind(address, {"password": server.password}).list_new(1)


def test_plain_imap_to_loopback(server: dovecot.DovecotServer) -> None:
    kind = open_kind(
        f"imap://{server.user}@127.0.0.1:{server.imap_port}/Newsletters",
        {"password": server.password},
    )
    assert len(kind.list_new(10)) == 6
    with pytest.raises(KindError, match="only to a loopback"):
        open_kind("imap://reader@mail.example/INBOX", {"password": "x"})


def test_unreachable_port() -> None:
    port = dovecot.free_port()
    kind = open_kind(f"imap://reader@127.0.0.1:{port}/INBOX", {"password": "x"})
    with pytest.raises(
        KindError, match=rf"cannot reach 127\.0\.0\.1:{port} \(Connection refused\)"
    ):
        kind.list_new(1)


def test_password_in_url_refused_and_hidden() -> None:
    with pytest.raises(KindError) as caught:
        open_kind("imaps://reader:s3cret@mail.example/INBOX", {"password": "x"})
    assert "s3cret" not in str(caught.value) and "--credential" in str(caught.value)


def test_view_online_link_variants() -> None:
    assert (
        view_online_link('<a href="https://x.example/w">View it in your browser</a>')
        == "https://x.example/w"
    )
    assert (
        view_online_link('<a href="https://x.example/w">Web version</a>') == "https://x.example/w"
    )
    assert view_online_link('<a href="mailto:a@b">View online</a>') is None
    assert view_online_link('<a href="https://x.example/u">Unsubscribe</a>') is None
    assert message_item("1:1", b"Subject: x\r\n\r\nbody\r\n").author is None


def test_wrong_password_is_one_line(server: dovecot.DovecotServer) -> None:
    # Last of the Dovecot tests: a failed login makes Dovecot delay the next logins from
    # 127.0.0.1 by a few seconds (its anvil auth penalty, not configurable in 2.3).
    address = f"imaps://{server.user}@{server.host}:{server.imaps_port}/Newsletters"
    kind = open_kind(address, {"password": "wrong-pass"}, ssl_context=server.ssl_context())
    with pytest.raises(KindError) as caught:
        kind.list_new(1)
    assert str(caught.value) == f"{address}: authentication failed" and caught.value.auth
