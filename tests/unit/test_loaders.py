"""Loading: plain text and stdin, and every kind of unusable input as a clear InputError."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from newsaudio.errors import ExitStatus, InputError
from newsaudio.loaders import decode_text, load


def test_text_headline_and_paragraphs(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("\n\n  Headline here  \n\nFirst line\nwrapped line.\n\nSecond.\n", "utf-8")
    article = load(str(p))
    assert article.title == "Headline here"
    assert [b.text for b in article.blocks] == ["First line wrapped line.", "Second."]
    assert article.source_key == "file:" + str(p.resolve())


def test_headline_followed_directly_by_text(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Headline\nBody starts on the next line.\n", "utf-8")
    article = load(str(p))
    assert article.title == "Headline"
    assert article.blocks[0].text == "Body starts on the next line."


def test_stdin_and_bom() -> None:
    article = load("-", stdin=io.BytesIO("\ufeffTitle\n\nBody text.".encode()))
    assert article.title == "Title"
    assert article.source == "<stdin>"
    assert article.source_key.startswith("stdin:")


def test_utf16_with_bom_is_decoded() -> None:
    assert decode_text("Title\n\nBody".encode("utf-16"), "x.txt") == "Title\n\nBody"


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_bytes(b"  \n\t\n "), "is empty"),
        (lambda p: p.write_text("... !!! ---\n\n***", "utf-8"), "has no words"),
        (lambda p: p.write_bytes(b"\x00\x01\x02binary\x00data" * 10), "binary data"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)), "PNG image"),
        (lambda p: p.write_bytes("Caf\xe9 au lait\n".encode("latin-1")), "not valid UTF-8"),
    ],
    ids=["missing", "directory", "empty", "whitespace", "no-words", "binary", "png", "latin1"],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, make: object, problem: str) -> None:
    p = tmp_path / "article.txt"
    make(p)  # type: ignore[operator]
    with pytest.raises(InputError) as info:
        load(str(p))
    message = str(info.value)
    assert problem in message
    assert str(p) in message
    assert "\n" not in message
    assert info.value.exit_status == ExitStatus.INPUT
