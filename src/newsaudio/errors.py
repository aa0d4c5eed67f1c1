"""The one error hierarchy of newsaudio.

Every failure a user can cause or meet is a :class:`NewsaudioError` subclass carrying a
one-line message that names the input and the problem. Only :mod:`newsaudio.cli` maps these
to exit codes (:class:`ExitStatus`); library code never prints or exits.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Process exit codes, documented in README.md."""

    OK = 0
    ERROR = 1  #: unexpected internal error (a bug: please report it)
    USAGE = 2  #: bad command-line usage (click's own code)
    INPUT = 3  #: the article source is missing, unreadable, empty or not text
    VOICE = 4  #: unknown voice, corrupt or mismatching voice model, no voice for the language
    SYNTHESIS = 5  #: the text-to-speech engine failed (network, HTTP status, model)
    AUDIO = 6  #: ffmpeg missing or failing, audio decode/encode/master problems
    PUBLISH = 7  #: output folder, catalog, feed or tag could not be written
    CONFIG = 8  #: malformed show settings or voice profile
    CLUSTER = 9  #: cluster unusable: dask not installed, bad address, scheduler unreachable...
    PARTIAL = 10  #: update: some items or sources failed (the rest was published)
    INTERRUPTED = 130  #: interrupted by the user (Ctrl-C); the segment cache keeps finished work
    BROKEN_PIPE = 141  #: stdout was closed by its reader (``| head``), as for SIGPIPE


class NewsaudioError(Exception):
    """Base of every error newsaudio reports to a user.

    ``str(error)`` is a complete, single-line message. ``exit_status`` is the process exit
    code the CLI uses for it.
    """

    exit_status: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str) -> None:
        # One line, always: collapse any newline a wrapped library message carried.
        super().__init__(" ".join(message.split()))


class UsageError(NewsaudioError):
    """A command-line option has a value that cannot be used (exit code 2, like click's)."""

    exit_status = ExitStatus.USAGE


class InputError(NewsaudioError):
    """The article source cannot be used (missing, a directory, empty, binary, not UTF-8...)."""

    exit_status = ExitStatus.INPUT

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class SourceError(InputError):
    """A followed source (feed) cannot be fetched or parsed, or an item cannot be used.

    ``status`` is the HTTP status when there was one; ``retry_after_s`` the seconds a 429 or
    503 answer asked to wait; ``gone`` is True for ``410 Gone`` (stop following).
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
        gone: bool = False,
    ) -> None:
        self.status = status
        self.retry_after_s = retry_after_s
        self.gone = gone
        super().__init__(source, problem)


class VoiceError(NewsaudioError):
    """A voice cannot be used: unknown name, model missing or failing its checksum."""

    exit_status = ExitStatus.VOICE


class SynthesisError(NewsaudioError):
    """The engine failed to speak a chunk (after any retries)."""

    exit_status = ExitStatus.SYNTHESIS


class AudioError(NewsaudioError):
    """ffmpeg is missing or failed, or audio could not be decoded, mastered or encoded."""

    exit_status = ExitStatus.AUDIO


class PublishError(NewsaudioError):
    """The output folder, catalog, feed, page or tags could not be written."""

    exit_status = ExitStatus.PUBLISH


class ConfigError(NewsaudioError):
    """Show settings or a voice profile are malformed."""

    exit_status = ExitStatus.CONFIG


class ClusterError(NewsaudioError):
    """The cluster cannot be used: dask not installed, a malformed ``--cluster`` address, the
    scheduler unreachable, or a render lost with every worker that tried it."""

    exit_status = ExitStatus.CLUSTER


def plain_reason(exc: BaseException) -> str:
    """Why ``exc`` happened, in plain words for an error line: an OSError's ``strerror``
    ("Permission denied", also when a library such as mutagen wraps it), "not valid UTF-8
    (byte 0xff at offset 12)" for a decoding error, "timed out after N s" for a subprocess
    timeout, else the exception's own message on one line. Never an exception class name."""
    import subprocess

    seen: list[BaseException] = []
    item: BaseException | None = exc
    while item is not None and len(seen) < 8 and all(item is not s for s in seen):
        seen.append(item)
        if isinstance(item, OSError) and item.strerror:
            return str(item.strerror)
        nested = next((a for a in item.args if isinstance(a, BaseException)), None)
        item = item.__cause__ or item.__context__ or nested
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"timed out after {exc.timeout:g} s"
    return " ".join(str(exc).split()) or "no reason given"
