"""German, French, Spanish, Portuguese and Italian end to end, as real processes: voices
installed with ``voices install URL`` from 127.0.0.1 (tests/support/language_voices.py: Joe's
model phonemized by espeak-ng's rules of each language), then ``add`` of a short article in
each language picks that language's voice, and a digest of a German and a French story reads
each story with its own language's voice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import invoke_cli
from tests.support.language_voices import VoiceServer, voice_name

pytestmark = pytest.mark.slow

ARTICLES = {
    "de": ("de", "# Bahn bestellt Züge\n\nAm 3. März kostete z. B. ein Ticket 12,50 €.\n"),
    "fr": ("fr", "# La SNCF commande\n\nLe 1er janvier, M. Dupont a payé 12,50 €.\n"),
    "es": ("es", "# Renfe compra trenes\n\nEl Sr. García pagó 12,50 € a las 14:30.\n"),
    "pt-br": ("pt-BR", "# Governo anuncia\n\nO Sr. Silva pagou R$ 3,50 às 14h30.\n"),
    "it": ("it", "# Trenitalia compra\n\nIl Sig. Rossi ha pagato 12,50 € alle 14:30.\n"),
}


@pytest.fixture(scope="module")
def show(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A show folder with the five voices installed from the local server; its environment."""
    root = tmp_path_factory.mktemp("languages")
    wd = root / "show"
    wd.mkdir()
    env = {
        **os.environ,
        "NEWSAUDIO_DATA_DIR": str(root / "data"),
        "NEWSAUDIO_CACHE_DIR": str(root / "cache"),
        "NEWSAUDIO_VOICES_URL": str(root / "served"),  # the (empty) catalogue: offline
    }
    with VoiceServer(root / "served") as server:
        for espeak, file in server.files.items():
            proc = _run(["voices", "install", server.url + file], wd, env)
            assert proc.returncode == 0, proc.stderr
            assert voice_name(espeak) in proc.stdout
    yield wd, env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsaudio", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )


def test_voices_lists_the_languages(show: tuple[Path, dict[str, str]]) -> None:
    wd, env = show
    proc = _run(["voices", "--json"], wd, env)
    rows = {r["name"]: r["language"] for r in json.loads(proc.stdout)}
    assert rows["de_DE-test-medium"] == "de-DE" and rows["pt_BR-test-medium"] == "pt-BR"


@pytest.mark.parametrize("espeak", sorted(ARTICLES))
def test_article_read_by_its_languages_voice(
    show: tuple[Path, dict[str, str]], espeak: str
) -> None:
    wd, env = show
    tag, text = ARTICLES[espeak]
    article = wd / f"{espeak}.md"
    article.write_text(f"---\nlang: {tag}\n---\n{text}", encoding="utf-8")
    rows = json.loads(invoke_cli("normalize", str(article), "--json").stdout)  # in process
    assert {r["language"] for r in rows} == {tag}
    assert not any(ch.isdigit() or ch in "€$" for r in rows for ch in r["spoken"])
    proc = _run(["add", str(article), "--json"], wd, env)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    assert record["voice"] == voice_name(espeak)
    assert float(record["duration_s"]) > 1.0


def test_digest_reads_each_story_in_its_language(show: tuple[Path, dict[str, str]]) -> None:
    from newsaudio.pipeline.render import load_article
    from newsaudio.text.prepare import prepare
    from newsaudio.tts.base import create_engine, get_voice
    from newsaudio.tts.cache import SegmentCache

    wd, env = show
    paths = []
    for espeak in ("fr", "de"):
        tag, text = ARTICLES[espeak]
        path = wd / f"digest-{espeak}.md"
        path.write_text(f"---\nlang: {tag}\n---\n{text}", encoding="utf-8")
        paths.append(path)
    proc = _run(["digest", *map(str, paths), "--json"], wd, env)
    assert proc.returncode == 0, proc.stderr
    # every German sentence was spoken by the German voice, every French one by the French
    cache = SegmentCache(Path(env["NEWSAUDIO_CACHE_DIR"]))
    old = os.environ.get("NEWSAUDIO_DATA_DIR")
    os.environ["NEWSAUDIO_DATA_DIR"] = env["NEWSAUDIO_DATA_DIR"]
    try:
        for espeak, path in zip(("fr", "de"), paths, strict=True):
            identity = create_engine(get_voice(voice_name(espeak))).identity()
            script = prepare(load_article(str(path)))
            for u in script.utterances[1:]:
                assert cache.path(SegmentCache.key(identity, u.spoken)).is_file(), u.spoken
    finally:
        if old is None:
            os.environ.pop("NEWSAUDIO_DATA_DIR", None)
        else:
            os.environ["NEWSAUDIO_DATA_DIR"] = old
