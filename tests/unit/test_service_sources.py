"""Service and mailbox sources, the pure parts: which kind an address is, names, stored
options, and the credentials file (0600, refused when others can read it)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudio.errors import ConfigError, SourceError
from newsaudio.sources import credentials
from newsaudio.sources.service import ServiceOptions, default_name, is_service
from newsaudio.sources.services import kind_class, kind_of
from newsaudio.sources.services.base import strip_secrets


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("wallabag+https://app.wallabag.it", "wallabag"),
        ("readwise:later", "readwise"),
        ("karakeep+https://keep.example", "karakeep"),
        ("readeck+https://read.example/", "readeck"),
        ("miniflux+https://flux.example", "miniflux"),
        ("greader+https://rss.example/api/greader.php", "greader"),
        ("imaps://me@imap.example/Newsletters", "imap"),
        ("imap://me@127.0.0.1:1143/INBOX", "imap"),
        ("https://example.org/rss.xml", None),
        ("feeds/local.xml", None),
        ("unknown+https://x.example", None),
    ],
)
def test_kind_of(address: str, kind: str | None) -> None:
    assert kind_of(address) == kind
    assert is_service(address) is (kind is not None)


def test_credential_keys_per_kind() -> None:
    assert kind_class("wallabag+https://w.example").credential_keys == (
        "client_id",
        "client_secret",
        "username",
        "password",
    )
    assert kind_class("greader+https://f.example/api/greader.php").credential_keys == (
        "username",
        "password",
    )
    assert kind_class("imaps://me@imap.example/X").credential_keys == ("password",)
    for address in ("readwise:later", "karakeep+https://k", "readeck+https://r"):
        assert kind_class(address).credential_keys == ("token",)


def test_default_names() -> None:
    assert default_name("wallabag+https://app.wallabag.it/") == "Wallabag (app.wallabag.it)"
    assert default_name("readwise:new") == "Readwise Reader (new)"
    assert (
        default_name("imaps://me%40example.org@imap.example.org/News%2FLetters")
        == "News/Letters (me@example.org@imap.example.org)"
    )


def test_strip_secrets() -> None:
    assert strip_secrets("imaps://me:hunter2@imap.example/INBOX") == "imaps://me@imap.example/INBOX"
    assert strip_secrets("imaps://me@imap.example:993/INBOX") == "imaps://me@imap.example:993/INBOX"


@given(
    st.sampled_from([None, "archive", "read", "none"]),
    st.dictionaries(st.sampled_from(["token", "password", "username"]), st.text(min_size=1)),
    st.one_of(st.none(), st.text(min_size=1)),
    st.booleans(),
)
def test_options_round_trip(
    when: str | None, env: dict[str, str], move_to: str | None, all_unread: bool
) -> None:
    options = ServiceOptions(when, env, move_to, all_unread)
    assert ServiceOptions.from_json(options.to_json()) == options


def test_options_from_bad_json() -> None:
    assert ServiceOptions.from_json("not json") == ServiceOptions()
    assert ServiceOptions.from_json('{"credential_env": [1]}') == ServiceOptions()


def test_credentials_file_is_0600_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "credentials.toml"
    odd = 'pa"ss\\word \u00e9\n'
    credentials.store("wallabag+https://w.example", {"password": odd, "username": "u"}, path)
    credentials.store("readwise:later", {"token": "t"}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credentials.read_all(path) == {
        "wallabag+https://w.example": {"password": odd, "username": "u"},
        "readwise:later": {"token": "t"},
    }
    credentials.forget("readwise:later", path)
    assert list(credentials.read_all(path)) == ["wallabag+https://w.example"]


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_credentials_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "credentials.toml"
    credentials.store("readwise:later", {"token": "secret-token"}, path)
    path.chmod(mode)
    with pytest.raises(ConfigError) as caught:
        credentials.read_all(path)
    message = str(caught.value)
    assert f"readable by others (mode {mode:04o}); run: chmod 600 {path}" in message
    assert "secret-token" not in message and "\n" not in message


def test_resolve_reads_the_environment_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("RW_TOKEN", "one")
    assert credentials.resolve("readwise:later", {"token": "RW_TOKEN"}) == {"token": "one"}
    monkeypatch.setenv("RW_TOKEN", "two")
    assert credentials.resolve("readwise:later", {"token": "RW_TOKEN"}) == {"token": "two"}
    monkeypatch.delenv("RW_TOKEN")
    with pytest.raises(
        SourceError, match=r"environment variable RW_TOKEN \(credential token\) is not set"
    ):
        credentials.resolve("readwise:later", {"token": "RW_TOKEN"})
    assert not os.listdir(tmp_path)  # nothing stored
