"""``digest --brief``: each story told in its lead sentences (audio from the segment cache when
the story was made before) or in an LLM summary from a local stand-in that answers as the
OpenAI chat-completions API does; a summary that invents a number or a name is not read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsaudio.config import read_digest_config, read_summarizer_config
from newsaudio.errors import ConfigError
from newsaudio.pipeline.digest import brief_budget
from newsaudio.summarize import create
from tests.support import invoke_cli, write_fake_voice
from tests.support import run_cli as run
from tests.support.chat_server import ChatServer
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import long_text, rss

STORIES = [
    (
        "Ferry fares rise in January",
        [
            "Ferry fares on the island routes will rise by 4 percent on January 5, the "
            "operator Harbour Lines said on Monday.",
            "The company blamed fuel costs. Commuters said the rise was unfair.",
            "A season ticket will cost 412 pounds. The last rise was in 2024.",
        ],
    ),
    (
        "Council approves cycle lanes",
        [
            "By Jane Doe",
            "The city council approved 12 km of new cycle lanes on Tuesday.",
            "Work starts in May and should end by October. Mayor Ann Lee called it overdue.",
        ],
    ),
    (
        "Library reopens after refit",
        [
            "The Harbour Library reopened on Saturday after a two-year refit costing "
            "3 million pounds.",
            "About 800 people came on the first morning. Librarian Tom Reed said he was moved.",
        ],
    ),
    (
        "Storm warning for the coast",
        [
            "Forecasters issued a storm warning for the whole coast on Wednesday night.",
            "Winds of up to 90 km per hour are expected. The fishing fleet returned early.",
        ],
    ),
]

REPLIES = [
    "Ferry fares on the island routes will rise by 4 percent on January 5, Harbour Lines "
    "said. A season ticket will cost 412 pounds.",  # faithful: read
    "The council approved 15 km of new cycle lanes on Tuesday.",  # invented number
    "The Harbour Library reopened after a refit, Governor Bob Jones said.",  # invented name
    "Here is a summary of the article:\n\n**Forecasters** issued a storm warning for the "
    "coast.\n\n- Winds of up to 90 km per hour are expected",  # cleaned, then read
]


def _write(folder: Path) -> list[Path]:
    paths = []
    for i, (title, paragraphs) in enumerate(STORIES):
        path = folder / f"story{i + 1}.md"
        url = f"https://news.example/{i + 1}"
        path.write_text(
            f"---\ntitle: {title}\nsite: Harbour Gazette\nurl: {url}\n---\n\n"
            + "\n\n".join(paragraphs)
            + "\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _enter(root: Path, mp: pytest.MonkeyPatch) -> None:
    """Work in ``root`` (its voices/fake.toml), with its cache and quick LLM retries."""
    mp.chdir(root)
    mp.setenv("NEWSAUDIO_CACHE_DIR", str(root / "cache"))
    mp.setenv("NEWSAUDIO_LLM_BACKOFF_BASE_S", "0.01")
    mp.setenv("NEWSAUDIO_LLM_TIMEOUT_S", "5")


@pytest.fixture(scope="module")
def made_show(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A show folder with the fake voice, the stories as files, the first three already made
    into episodes of their own (so their sentences are in the segment cache)."""
    root = tmp_path_factory.mktemp("brief")
    with pytest.MonkeyPatch.context() as mp:
        _enter(root, mp)
        write_fake_voice(root)
        paths = _write(root)
        common = ["--voice", "fake", "--out", "show", "--base-url", "https://pod.example/"]
        code, out, err = run("add", *map(str, paths[:3]), *common, "--json")
        assert code == 0, err
        singles = [json.loads(line) for line in out.splitlines()]
        yield {"root": root, "paths": [str(p) for p in paths], "common": common,
               "singles": singles}  # fmt: skip


@pytest.fixture
def show(made_show: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The module's show, each test working in its folder (every test starts in an empty
    folder with no NEWSAUDIO_* variables: tests/support/fixtures.py)."""
    _enter(made_show["root"], monkeypatch)
    return made_show


def test_lead_brief_reads_the_first_sentences_from_the_cache(show: dict[str, Any]) -> None:
    code, out, err = run(
        "digest", *show["paths"][:3], *show["common"], "--json", "--no-jingle", "--brief=8"
    )
    assert code == 0, err
    record = json.loads(out)
    stories = record["stories"]
    assert [s["title"] for s in stories] == [t for t, _ in STORIES[:3]]
    assert all(s["brief"] == "lead" and s["summarizer"] == "lead" for s in stories)
    assert all(s["sentences"] >= 1 and s["seconds"] > 0 for s in stories)
    assert set(stories[0]) == {"title", "brief", "seconds", "sentences", "summarizer"}
    # every brief sentence was in the cache: only the opening and the attributions are new
    assert record["synthesized"] == 1 + 3
    # the byline is never the lead; the transcript holds the brief, not the whole story
    transcript = Path(record["path"]).with_suffix(".txt").read_text(encoding="utf-8")
    assert "By Jane Doe" not in transcript
    assert "The city council approved 12 km of new cycle lanes on Tuesday." in transcript
    assert "A season ticket will cost 412 pounds." not in transcript  # past an 8 s budget
    # chapters link to the show's own episode of each story (page anchor)
    guids = [s["guid"] for s in show["singles"]]
    urls = [c["url"] for c in record["chapters"][1:]]
    assert urls == [f"https://pod.example/#{g}" for g in guids]
    feed = (Path("show") / "feed.xml").read_text(encoding="utf-8")
    assert "https://news.example/1" in feed  # the description still links the articles


def test_llm_briefs_checked_cleaned_and_cached(show: dict[str, Any]) -> None:
    with ChatServer() as server:
        server.script(*REPLIES)
        args = [
            "digest", *show["paths"], *show["common"], "--json", "--no-jingle",
            "--summarizer", "llm", "--llm-url", server.base_url, "--llm-model", "stand-in",
            "--brief=30",
        ]  # fmt: skip
        code, out, err = run(*args)
        assert code == 0, err
        stories = json.loads(out)["stories"]
        assert len(server.requests) == 4
        assert [s["brief"] for s in stories] == ["llm", "lead", "lead", "llm"]
        assert stories[1]["summarizer"] == "lead (llm summary refused: '15' not in the article)"
        assert stories[2]["summarizer"] == (
            "lead (llm summary refused: 'Governor' not in the article)"
        )
        assert stories[3]["sentences"] == 2  # preamble and Markdown gone, the item a sentence
        lines = [ln for ln in err.splitlines() if ln]
        assert lines == [
            f"newsaudio: note: {STORIES[1][0]}: llm summary refused: '15' not in the article; "
            "its lead is read",
            f"newsaudio: note: {STORIES[2][0]}: llm summary refused: 'Governor' not in the "
            "article; its lead is read",
        ]
        prompt = server.requests[0]["json"]["messages"][1]["content"]
        budget = brief_budget(30, f"From Harbour Gazette: {STORIES[0][0]}.")  # less the line
        assert 20 < budget < 30
        assert f"about {round(budget * 160 / 60)} words, in English" in prompt
        assert "412 pounds" in prompt
        transcript = Path(json.loads(out)["path"]).with_suffix(".txt").read_text("utf-8")
        assert "15 km" not in transcript and "Bob Jones" not in transcript
        assert "Here is a summary" not in transcript and "**" not in transcript

        code, out2, err2 = run(*args)  # the same digest again: every summary from the cache
        assert code == 0, err2
        assert len(server.requests) == 4
        assert [s["brief"] for s in json.loads(out2)["stories"]] == ["llm", "lead", "lead", "llm"]


def test_dead_endpoint_falls_back_to_leads_with_one_line(show: dict[str, Any]) -> None:
    with ChatServer() as server:
        url = server.base_url  # closed when the block ends: nothing listens there
    code, out, err = run(
        "digest", *show["paths"][:2], *show["common"], "--json", "--no-jingle",
        "--summarizer", "llm", "--llm-url", url, "--llm-model", "m", "--brief=20",
    )  # fmt: skip
    assert code == 0, err
    assert [s["brief"] for s in json.loads(out)["stories"]] == ["lead", "lead"]
    lines = [ln for ln in err.splitlines() if ln]
    assert len(lines) == 1 and lines[0].startswith("newsaudio: note: llm unavailable: ")
    assert "cannot reach" in lines[0] and lines[0].endswith("; leads are read instead")


def test_llm_without_endpoint_is_a_config_error(show: dict[str, Any]) -> None:
    code, out, err = run(
        "digest", show["paths"][0], *show["common"], "--summarizer", "llm", "--brief=20"
    )
    assert code == 8 and out == ""
    assert err.strip().count("\n") == 0 and "--llm-url" in err and "Traceback" not in err


def test_update_digest_brief_from_settings(workdir: Path, feeds: FeedServer) -> None:
    """``[digest] brief = true`` and ``story_seconds``: update's digest is a briefing; its
    ``--json`` stories are objects; a summary left out of settings means lead."""
    (workdir / "newsaudio.toml").write_text(
        'voice = "fake"\njingles = false\n[digest]\nenabled = true\nbrief = true\n'
        "story_seconds = 10\n",
        encoding="utf-8",
    )
    feeds.put("/rss.xml", rss([
        {"title": f"Story {i}", "guid": f"urn:s:{i}", "link": f"http://example.invalid/{i}",
         "date": f"Mon, 0{i + 1} Dec 2026 08:00:00 GMT", "body": long_text(160, f"Story {i}")}
        for i in range(2)
    ]))  # fmt: skip
    assert invoke_cli("follow", feeds.url("/rss.xml"), out="show").exit_code == 0
    result = invoke_cli("update", "--json", out="show", catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    (episode,) = json.loads(result.stdout)["episodes"]
    assert [s["title"] for s in episode["stories"]] == ["Story 1", "Story 0"]
    assert all(s["brief"] == "lead" and 1 <= s["sentences"] <= 3 for s in episode["stories"])
    full = len(long_text(160, "Story 1").split())
    assert len(episode["spoken_text"].split()) < full  # two briefs, not two whole stories


def test_brief_settings_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "newsaudio.toml"
    path.write_text(
        '[digest]\nbrief = true\nstory_seconds = 45\n[digest.sources]\n"A" = { summarizer = '
        '"llm" }\n[summarizer]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\n'
        'api_key_env = "NO_SUCH_KEY_VAR"\n'
    )
    config = read_digest_config(path)
    assert config.show.brief and config.show.story_seconds == 45.0
    assert config.for_source("A", "").summarizer == "llm"
    settings = read_summarizer_config(path)
    assert (settings.name, settings.base_url, settings.model) == (
        "lead",
        "http://127.0.0.1:9/v1",
        "m",
    )
    with pytest.raises(ConfigError, match="NO_SUCH_KEY_VAR, which is not set"):
        create(read_summarizer_config(path, name="llm"))
    for bad, message in (
        ("[digest]\nstory_seconds = 1\n", "story_seconds: expected a number from 5 to 600"),
        ('[digest]\nsummarizer = "gpt"\n', "summarizer: expected one of lead, llm"),
        ("[digest]\nbrief = 1\n", "brief: expected true or false"),
        ('[summarizer]\nurl = "x"\n', "unknown setting 'url'"),
        ('[summarizer]\nmodel = ""\n', "model: expected a non-empty string"),
    ):
        path.write_text(bad)
        with pytest.raises(ConfigError, match=message):
            read_digest_config(path)
            read_summarizer_config(path)
