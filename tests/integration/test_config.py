"""Show settings: newsaudio.toml, NEWSAUDIO_* variables, flags, validation, `newsaudio init`."""

from __future__ import annotations

import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from newsaudio.cli import cli
from newsaudio.config import APPLE_CATEGORIES, Show, load_show, parse_explicit, to_toml
from newsaudio.errors import ConfigError
from tests.support import cli_runner


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence_defaults_file_env_flags(tmp_path: Path) -> None:
    write(
        tmp_path / "newsaudio.toml",
        'title = "From file"\nauthor = "File author"\nbitrate_kbps = 128\nout_dir = "site"\n'
        'explicit = "yes"\n',
    )
    show = load_show(cwd=tmp_path, env={})
    assert (show.title, show.author, show.bitrate_kbps, show.explicit) == (
        "From file",
        "File author",
        128,
        True,
    )
    assert show.out_dir == tmp_path / "site"  # relative to the file's folder
    assert show.language == "en"  # default
    env = {"NEWSAUDIO_TITLE": "From env", "NEWSAUDIO_BITRATE_KBPS": "64", "NEWSAUDIO_X": "1"}
    show = load_show(cwd=tmp_path, env=env)
    assert (show.title, show.author, show.bitrate_kbps) == ("From env", "File author", 64)
    show = load_show(cwd=tmp_path, env=env, overrides={"title": "From flag", "author": None})
    assert (show.title, show.author) == ("From flag", "File author")


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    show = load_show(cwd=tmp_path, env={})
    assert show == Show(out_dir=tmp_path / "output")


def test_paths_come_from_the_arguments_not_the_process_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A show in the process's working folder (a quick start run there with --base-url) is
    not the show of ``load_show(cwd=...)``: every path derives from ``cwd``."""
    elsewhere = tmp_path / "checkout"
    (elsewhere / "output" / ".newsaudio").mkdir(parents=True)
    (elsewhere / "output" / ".newsaudio" / "settings.json").write_text(
        '{"base_url": "https://pod.example.org/"}\n', encoding="utf-8"
    )
    monkeypatch.chdir(elsewhere)
    here = tmp_path / "here"
    here.mkdir()
    show = load_show(cwd=here, env={})
    assert (show.base_url, show.out_dir) == ("http://localhost:8000/", here / "output")
    show = load_show(cwd=here, env={"NEWSAUDIO_OUT_DIR": "site"})
    assert show.out_dir == here / "site"
    show = load_show(cwd=here, env={}, overrides={"out_dir": "site2"})
    assert show.out_dir == here / "site2"
    assert load_show(env={}).base_url == "https://pod.example.org/"  # no cwd: the process's


def test_unknown_keys_warn(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path / "s.toml", 'title = "T"\ncolour = "blue"\n')
    with caplog.at_level(logging.WARNING):
        show = load_show(path, env={})
    assert show.title == "T"
    assert "colour" in caplog.text and str(path) in caplog.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title = "unterminated\n', "malformed TOML"),
        ('bitrate_kbps = "fast"\n', "bitrate_kbps: expected an integer"),
        ('category = "Newz"\n', "not an Apple Podcasts category"),
        ('category = "Technology"\nsubcategory = "Daily News"\n', "not a subcategory"),
        ('owner_email = "nobody"\n', "not an e-mail address"),
        ('timezone = "Mars/Olympus"\n', "not an IANA time zone"),
        ('language = "english please"\n', "BCP 47"),
        ('base_url = "ftp://example.org/"\n', "not an absolute http"),
        ('explicit = "maybe"\n', "expected true or false"),
        ("title = 3\n", "expected a string"),
    ],
)
def test_malformed_settings_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "newsaudio.toml", text)
    with pytest.raises(ConfigError, match=message) as info:
        load_show(path, env={})
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_env_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="NEWSAUDIO_KEEP"):
        load_show(env={"NEWSAUDIO_KEEP": "many"}, use_file=False)


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_show(tmp_path / "nope.toml")


def test_explicit_values() -> None:
    assert [parse_explicit(v) for v in (False, "false", "no", None, "clean", True, "true")] == [
        False,
        False,
        False,
        False,
        False,
        True,
        True,
    ]


def test_apple_categories_embedded() -> None:
    assert len(APPLE_CATEGORIES) == 19
    assert "Daily News" in APPLE_CATEGORIES["News"]
    assert APPLE_CATEGORIES["True Crime"] == ()


def test_to_toml_round_trips(tmp_path: Path) -> None:
    show = Show(
        out_dir=tmp_path / "out", title='Quote " and \\ backslash ✓', subcategory=None, keep=3
    )
    path = write(tmp_path / "newsaudio.toml", to_toml(show, tmp_path))
    assert tomllib.loads(path.read_text(encoding="utf-8"))["out_dir"] == "out"
    assert load_show(path, env={}) == show


def test_init_with_flags_then_add_reads_it(workdir: Path) -> None:
    runner = cli_runner()
    result = runner.invoke(
        cli,
        [
            "init",
            "--title",
            "Morning Read",
            "--owner-email",
            "me@example.org",
            "--category",
            "Technology",
            "--subcategory",
            "",
            "--timezone",
            "Europe/Berlin",
            "--base-url",
            "https://pod.example.org/read",
            "--voice",
            "fake",
            "--no-jingles",
            "--yes",
        ],
    )
    assert result.exit_code == 0, result.stderr
    settings = tomllib.loads((workdir / "newsaudio.toml").read_text(encoding="utf-8"))
    assert settings["title"] == "Morning Read" and settings["subcategory"] == ""
    assert (workdir / "output" / "cover.jpg").is_file()
    again = runner.invoke(cli, ["init", "--yes"])
    assert again.exit_code == 2 and "already exists" in again.stderr
    article = write(workdir / "a.txt", "Hello\n\nA short story.\n")
    added = runner.invoke(cli, ["add", str(article), "--json"])
    assert added.exit_code == 0, added.stderr
    feed = (workdir / "output" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Morning Read</title>" in feed
    assert "https://pod.example.org/read/episodes/hello.mp3" in feed
    assert '<itunes:category text="Technology"/>' in feed


def test_init_asks_only_what_matters(workdir: Path) -> None:
    """Title, author, e-mail, language, category, base URL; the rest is defaulted, the
    owner name is the author typed, and a category without the default subcategory gets
    none (not an error)."""
    answers = "My Show\nJane Doe\nowner@example.org\nde\nTechnology\nhttps://pod.example.org/\n"
    result = cli_runner().invoke(cli, ["init"], input=answers)
    assert result.exit_code == 0, result.stderr
    prompts = [p for p in result.stdout.split("]: ") if p.strip()][:-1]
    assert len(prompts) == 6, result.stdout
    assert "Owner name" not in result.stdout and "Loudness" not in result.stdout
    show = load_show(env={})
    assert (show.title, show.author, show.owner_name, show.owner_email) == (
        "My Show",
        "Jane Doe",
        "Jane Doe",
        "owner@example.org",
    )
    assert (show.language, show.category, show.subcategory) == ("de", "Technology", None)
    assert show.base_url == "https://pod.example.org/"
    assert (show.show_type, show.bitrate_kbps, show.jingles) == ("episodic", 96, True)


def test_init_asks_faster_or_more_natural(workdir: Path) -> None:
    """For a language Kokoro speaks, a seventh question: Piper (Enter) or Kokoro."""
    answers = "My Show\nJane Doe\nowner@example.org\nen-GB\nNews\nhttps://pod.example.org/\n"
    result = cli_runner().invoke(cli, ["init"], input=answers + "natural\n")
    assert result.exit_code == 0, result.stderr
    assert "faster (Piper" in result.stdout and "natural (Kokoro" in result.stdout
    assert "newsaudio voices install kokoro" in result.stdout  # not installed here
    assert load_show(env={}).voice == "bf_emma"
    result = cli_runner().invoke(cli, ["init", "--force"], input=answers + "\n")
    assert result.exit_code == 0, result.stderr
    assert load_show(env={}).voice is None


def test_init_advanced_asks_everything(workdir: Path) -> None:
    answers = "My Show\n\nJane Doe\n\nowner@example.org\nde\nNews\nTech News\n" + "\n" * 6
    answers += "serial\n" + "\n" * 10
    result = cli_runner().invoke(cli, ["init", "--advanced"], input=answers)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # the owner name offers the author just typed; no empty choice at the end of a list
    assert "Owner name (itunes:owner) [Jane Doe]" in out
    assert ", )" not in out and "; or none)" in out
    assert "Loudness" in out and "Show type" in out
    show = load_show(env={})
    assert (show.title, show.owner_email, show.language, show.subcategory) == (
        "My Show",
        "owner@example.org",
        "de",
        "Tech News",
    )
    assert (show.author, show.owner_name, show.show_type) == ("Jane Doe", "Jane Doe", "serial")


def test_init_flags_show_type_and_owner_from_author(workdir: Path) -> None:
    result = cli_runner().invoke(
        cli, ["init", "--yes", "--author", "Jo Bloggs", "--show-type", "serial",
              "--category", "Arts"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    show = load_show(env={})
    assert (show.show_type, show.owner_name, show.subcategory) == ("serial", "Jo Bloggs", None)
    bad = cli_runner().invoke(cli, ["init", "--yes", "--force", "--show-type", "daily"])
    assert bad.exit_code == 2


def test_init_rejects_bad_category_and_cover(workdir: Path) -> None:
    result = cli_runner().invoke(cli, ["init", "--category", "Newz", "--yes"])
    assert result.exit_code == 2  # click's choice check
    write(workdir / "cover.png", "not a png")
    result = cli_runner().invoke(cli, ["init", "--cover", "cover.png", "--yes"])
    assert result.exit_code == 8 and "cover.png" in result.stderr
    assert not (workdir / "newsaudio.toml").exists()
    assert "Traceback" not in result.stderr


def test_malformed_file_as_subprocess(workdir: Path) -> None:
    write(workdir / "newsaudio.toml", "title = [\n")
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "list"], capture_output=True, text=True
    )
    assert proc.returncode == 8
    assert proc.stderr.startswith("newsaudio: error: ") and "newsaudio.toml" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
