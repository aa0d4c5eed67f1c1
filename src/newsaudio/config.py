"""Show settings: what the feed and tags say about the show, and where it is published.

Defaults here; ``newsaudio.toml`` and environment variables override them (later issue).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URL = "http://localhost:8000/"


@dataclass(frozen=True)
class Show:
    """A podcast show: one output folder, its catalog and feed.

    ``base_url`` is the public URL where ``out_dir`` is served (always ends with ``/``);
    enclosure and image URLs are built from it. ``explicit`` follows Apple's current spec
    (``true``/``false``). ``category``/``subcategory`` are Apple Podcasts categories.
    ``timezone`` (IANA name) interprets naive publication dates.
    """

    out_dir: Path
    base_url: str = DEFAULT_BASE_URL
    title: str = "newsaudio"
    description: str = "News articles, read aloud. Made with newsaudio."
    author: str = "newsaudio"
    owner_name: str = "newsaudio"
    owner_email: str = "newsaudio@example.invalid"
    language: str = "en"
    category: str = "News"
    subcategory: str | None = "Daily News"
    explicit: bool = False
    copyright: str | None = None
    timezone: str = "UTC"
    show_type: str = "episodic"

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")

    @property
    def state_dir(self) -> Path:
        """The show's private state (catalog, lock, work files): never published."""
        return self.out_dir / ".newsaudio"

    @property
    def catalog_path(self) -> Path:
        """The SQLite catalog of episodes."""
        return self.state_dir / "catalog.sqlite"

    @property
    def episodes_dir(self) -> Path:
        """Where episode MP3s, transcripts and chapters are published."""
        return self.out_dir / "episodes"

    @property
    def feed_url(self) -> str:
        """Absolute URL of feed.xml."""
        return self.base_url + "feed.xml"

    @property
    def cover_url(self) -> str:
        """Absolute URL of the show's cover image."""
        return self.base_url + "cover.jpg"

    @property
    def podcast_guid(self) -> str:
        """Podcasting 2.0 ``podcast:guid``: UUIDv5 of the feed URL without scheme and trailing
        slashes, in the namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6 (per the namespace spec)."""
        url = self.feed_url.split("://", 1)[-1].rstrip("/")
        return str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), url))

    def episode_url(self, file_name: str) -> str:
        """Absolute URL of a file in ``episodes/`` (``file_name`` is already ASCII-safe)."""
        return f"{self.base_url}episodes/{file_name}"
