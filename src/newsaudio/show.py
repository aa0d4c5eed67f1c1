"""The show: one output folder, its catalog and feed, and the URLs it is published under.

The ground floor beside :mod:`newsaudio.models` and :mod:`newsaudio.errors`: :class:`Show`
(a frozen dataclass of the show's settings and the paths and URLs derived from them),
:func:`parse_explicit` (a true/false setting) and :func:`normalize_base_url` (RFC 3986).
Reading the settings file and validating a show are :mod:`newsaudio.config`'s work, above.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from newsaudio.errors import ConfigError

DEFAULT_BASE_URL = "http://localhost:8000/"

APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}
"""Apple Podcasts categories and their subcategories (Apple's list, as of 2024)."""

_TRUE = {"true", "yes", "explicit", "1", "on"}
_FALSE = {"false", "no", "clean", "0", "off", "", "none"}


@dataclass(frozen=True)
class Show:
    """A podcast show: one output folder, its catalog and feed, and how episodes are made.

    ``base_url`` is the public URL where ``out_dir`` is served (always ends with ``/``, ASCII);
    enclosure and image URLs are built from it. ``explicit`` is written as ``true``/``false``
    (Apple's current spec). ``category``/``subcategory`` are Apple Podcasts categories
    (:data:`APPLE_CATEGORIES`). ``timezone`` (IANA name) interprets naive publication dates.
    ``cover_image`` is the user's artwork (JPEG/PNG, square, 1400-3000 px) or None to draw
    one. ``voice``, ``jingles``, ``loudness_lufs`` (integrated, LUFS) and ``bitrate_kbps``
    are the defaults of ``newsaudio add``. ``keep`` (> 0) keeps only the newest ``keep``
    episodes and ``keep_days`` (> 0) only those first published in the last ``keep_days``
    days; older ones are removed when the feed is rebuilt (None or 0 keeps all).
    ``publish_to`` is the publish target URL (``s3://``, ``sftp://``, ``file://`` or a folder).
    A ``private`` show is published under ``<base_url><token>/`` (``token``: 128-bit, hex),
    with feed and page asking directories and search engines not to list it.
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
    cover_image: Path | None = None
    voice: str | None = None
    jingles: bool = True
    loudness_lufs: float = -16.0
    bitrate_kbps: int = 96
    keep: int | None = None
    speed: float = 1.0
    voices_url: str | None = None
    keep_days: int | None = None
    private: bool = False
    publish_to: str | None = None
    token: str | None = None  # a private show's path token (state, not a setting)

    def __post_init__(self) -> None:
        try:
            url = normalize_base_url(self.base_url)
        except ConfigError:  # reported by validate(), naming where the value came from
            url = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        object.__setattr__(self, "base_url", url)

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
    def public_url(self) -> str:
        """The URL of the published show folder: ``base_url``, plus ``<token>/`` if private."""
        return self.base_url + (f"{self.token}/" if self.token else "")

    @property
    def feed_url(self) -> str:
        """Absolute URL of feed.xml."""
        return self.public_url + "feed.xml"

    @property
    def cover_url(self) -> str:
        """Absolute URL of the show's cover image."""
        return self.public_url + "cover.jpg"

    @property
    def podcast_guid(self) -> str:
        """Podcasting 2.0 ``podcast:guid``: UUIDv5 of the feed URL without scheme and trailing
        slashes, in the namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6 (per the namespace spec)."""
        url = self.feed_url.split("://", 1)[-1].rstrip("/")
        return str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), url))

    def episode_url(self, file_name: str) -> str:
        """Absolute URL of a file in ``episodes/``, percent-encoded per RFC 3986 (ASCII)."""
        return f"{self.public_url}episodes/{quote(file_name, safe='-._~')}"


def parse_explicit(value: object, where: str = "explicit") -> bool:
    """``itunes:explicit`` from a setting: False/'false'/'no'/'clean'/None/'' -> False,
    True/'true'/'yes'/'explicit' -> True. Raises ConfigError for anything else."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ConfigError(f"{where}: expected true or false, got {value!r}")


def normalize_base_url(url: str, where: str = "base_url") -> str:
    """``url`` as an absolute, ASCII http(s) URL ending in ``/`` (IDN host to punycode, path
    percent-encoded per RFC 3986). Raises ConfigError if it is not an http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {url!r} is not an absolute http:// or https:// URL")
    host = parts.hostname
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        host = host.encode("idna").decode("ascii")
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = quote(parts.path or "/", safe="/-._~%!$&'()*+,;=:@")
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, netloc, path, "", ""))
