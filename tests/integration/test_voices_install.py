"""``voices install/remove/--available`` against a local piper-voices mirror on 127.0.0.1
(tests/support/catalogue_server.py), and the language picking the voice."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsaudio.tts.base import get_voice, voice_for_language
from newsaudio.tts.catalogue import install_hint
from tests.support import run_cli as _run
from tests.support.catalogue_server import BROKEN, NAME, Mirror


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workdir: Path) -> Iterator[Mirror]:
    """The mirror, with NEWSAUDIO_VOICES_URL pointing at it and a private data folder."""
    monkeypatch.setenv("NEWSAUDIO_DATA_DIR", str(tmp_path / "data"))
    with Mirror(tmp_path / "mirror") as server:
        monkeypatch.setenv("NEWSAUDIO_VOICES_URL", server.url)
        yield server


def _installed_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "data" / "voices"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_available_lists_catalogue_with_sizes(mirror: Mirror) -> None:
    code, out, err = _run("voices", "--available", "--language", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "LANGUAGE", "QUALITY", "SIZE", "INSTALLED"]
    assert any(line.split()[:4] == [NAME, "en-GB", "medium", "63"] for line in lines[1:])
    code, out, err = _run("voices", "--available", "--language", "de", "--json")
    assert code == 0 and json.loads(out) == []  # the de entry has no files: skipped
    code, out, err = _run("voices", "--available", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows[NAME]["installed"] is False and rows[NAME]["size_bytes"] > 60_000_000


def test_install_by_name_checks_md5_and_lists_the_voice(mirror: Mirror, tmp_path: Path) -> None:
    code, out, err = _run("voices", "install", NAME)
    assert code == 0, err
    assert "MD5 checked" in out and "en-GB" in out
    assert _installed_files(tmp_path) == [f"{NAME}.onnx", f"{NAME}.onnx.json", f"{NAME}.toml"]
    code, out, _ = _run("voices", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows[NAME] == {
        "name": NAME,
        "engine": "piper",
        "language": "en-GB",
        "quality": "medium",
        "offline": True,
        "installed": True,
    }
    code, out, _ = _run("voices")
    assert any(line.split()[:4] == [NAME, "piper", "en-GB", "medium"] for line in out.splitlines())
    _, out, _ = _run("voices", "--available", "--json")
    assert {r["name"]: r["installed"] for r in json.loads(out)}[NAME] is True
    # the language picks it: exact BCP 47 first, no note
    assert voice_for_language("en-GB").name == NAME
    assert voice_for_language("en").name == "joe"  # a bare language keeps the default voice
    assert install_hint("en-GB").startswith("newsaudio voices install en_GB-")  # kept copy
    # remove it again; built-in voices cannot be removed
    code, out, err = _run("voices", "remove", NAME)
    assert code == 0 and "3 files" in out
    assert _installed_files(tmp_path) == []
    code, _, err = _run("voices", "remove", "joe")
    assert code == 4 and "bundled" in err and "not removable" in err


def test_wrong_md5_is_refused_and_nothing_is_kept(mirror: Mirror, tmp_path: Path) -> None:
    code, _, err = _run("voices", "install", BROKEN)
    assert code == 4
    assert err.startswith("newsaudio: error: ") and "checksum mismatch" in err
    assert len(err.strip().splitlines()) == 1
    assert _installed_files(tmp_path) == []  # no model, no config, no profile, no temp file
    code, _, err = _run("voices", "install", "en_GB-tset-medium")
    assert code == 4 and "did you mean" in err and NAME in err


def test_install_from_url_and_from_path(mirror: Mirror, tmp_path: Path) -> None:
    url = mirror.url + f"en/en_GB/test/medium/{NAME}.onnx"
    code, out, err = _run("voices", "install", url)
    assert code == 0, err
    # no catalogue read yet in this data folder (offline): said so, not "not in it"
    assert "no catalogue read" in out and "not in the catalogue" not in out, out
    assert get_voice(NAME).language == "en-GB"
    _run("voices", "remove", NAME)
    _run("voices", "--available")  # keeps a copy of the catalogue
    code, out, err = _run("voices", "install", url)
    assert code == 0 and "MD5 checked" in out, err
    path = mirror.root / "en" / "en_GB" / "test" / "medium" / f"{NAME}.onnx"
    _run("voices", "remove", NAME)
    code, out, err = _run("voices", "install", str(path))
    assert code == 0 and "MD5 checked" in out, err
    code, _, err = _run("voices", "install", str(tmp_path / "missing.onnx"))
    assert code == 4 and "missing.onnx" in err


def test_catalogue_from_a_local_folder(
    mirror: Mirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_VOICES_URL", str(mirror.root))
    code, out, err = _run("voices", "install", NAME)
    assert code == 0 and "MD5 checked" in out, err
    assert not mirror.hits  # nothing went over HTTP


def test_en_gb_without_gb_voice_reads_with_en_us_and_a_note(
    mirror: Mirror, caplog: pytest.LogCaptureFixture
) -> None:
    from newsaudio.tts.base import new_run

    new_run()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):  # three sources or articles of one run: one note
            assert voice_for_language("en-GB").name == "joe"
    notes = [r.getMessage() for r in caplog.records if "note:" in r.getMessage()]
    assert len(notes) == 1 and "joe (en-US)" in notes[0] and "en-GB" in notes[0]


def test_no_voice_for_the_language_exits_4_with_the_install_command(workdir: Path) -> None:
    article = workdir / "artikel.md"
    article.write_text("---\nlang: de\n---\n# Nachrichten\n\nGuten Abend.\n", encoding="utf-8")
    code, _, err = _run("add", str(article))
    assert code == 4
    assert "newsaudio voices install" in err and "'de'" in err
    assert len(err.strip().splitlines()) == 1


def test_readme_voice_example_works_as_copied(workdir: Path) -> None:
    """Every TOML voice profile in README.md, saved as voices/NAME.toml, loads and finds its
    model (the README example must work as copied)."""
    from newsaudio.tts.base import create_engine
    from newsaudio.tts.voices import load_profile
    from tests.support import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```toml\n")[1:]]
    profiles = [b for b in blocks if "engine = " in b]
    assert len(profiles) >= 2
    for text in profiles:
        path = workdir / "voices" / "copied.toml"
        path.write_text(text, encoding="utf-8")
        voice = load_profile(path)  # raises ConfigError for an unknown key
        if voice.engine == "piper":
            create_engine(voice)  # resolves and checks the model; VoiceError if missing


@pytest.mark.slow
def test_en_gb_show_reads_with_the_installed_voice(
    mirror: Mirror, workdir: Path, article_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (workdir / "newsaudio.toml").write_text('language = "en-GB"\n', encoding="utf-8")
    code, out, err = _run("add", str(article_file), "--json", "--no-jingle")
    assert code == 0, err
    assert json.loads(out)["voice"] == "joe"
    assert "note: no installed voice speaks en-GB; reading with voice joe (en-US)" in caplog.text
    caplog.clear()
    assert _run("voices", "install", NAME)[0] == 0
    code, out, err = _run("add", str(article_file), "--json", "--no-jingle")
    assert code == 0, err
    assert json.loads(out)["voice"] == NAME and "note:" not in caplog.text


def test_names_that_are_not_file_names_are_refused(mirror: Mirror) -> None:
    code, _, err = _run("voices", "remove", "../../etc/passwd")
    assert code == 4 and "not an installed voice" in err
    code, _, err = _run("voices", "install", mirror.url + "x/..%2F..%2Fevil.onnx")
    assert code == 4 and len(err.strip().splitlines()) == 1
