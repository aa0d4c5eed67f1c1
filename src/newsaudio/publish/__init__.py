"""Publishing: the show's single writer.

``show`` puts finished episodes into the show folder (catalog first, then feed.xml and
index.html regenerated from it); ``catalog`` is the SQLite source of truth; ``feed`` writes
RSS 2.0 + Apple Podcasts + Podcasting 2.0; ``site`` the HTML page; ``check`` validates a
feed; ``serve`` serves the folder over HTTP.
"""

from newsaudio.publish.show import (
    MAX_SLUG_CHARS,
    SIDECAR_SUFFIXES,
    ensure_cover,
    guid_for,
    list_episodes,
    publish,
    publish_lock,
    rebuild,
    rebuild_show,
    remove_episode,
    slug_for,
)

__all__ = [
    "MAX_SLUG_CHARS",
    "SIDECAR_SUFFIXES",
    "ensure_cover",
    "guid_for",
    "list_episodes",
    "publish",
    "publish_lock",
    "rebuild",
    "rebuild_show",
    "remove_episode",
    "slug_for",
]
