"""Fetching a feed from a local file (a path or a ``file://`` URL the user named).

Only the user's own ``follow`` argument is read this way: links found inside feeds are never
fetched from files (see :mod:`newsaudio.pipeline.update`). The media type is guessed from
the suffix; the size cap is the one of article files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsaudio.errors import InputError, SourceError
from newsaudio.loaders import read_source
from newsaudio.sources.model import FeedResponse, Validators

_TYPES = {
    ".json": "application/feed+json",
    ".html": "text/html",
    ".htm": "text/html",
    ".opml": "text/x-opml",
}


def file_path(url: str) -> Path:
    """The path named by ``url`` (a plain path or a ``file://`` URL)."""
    if url.lower().startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    return Path(url)


def fetch_file(url: str, validators: Validators | None = None) -> FeedResponse:
    """Read the feed file ``url``. Raises SourceError (missing, a directory, too large...)."""
    path = file_path(url)
    try:
        body = read_source(str(path))
    except InputError as exc:
        raise SourceError(url, exc.problem) from None
    return FeedResponse(str(url), None, body, _TYPES.get(path.suffix.lower(), ""))
