"""Show settings: what the feed and tags say about the show, and where it is published.

Precedence, lowest first: the defaults of :class:`Show`, the settings file ``newsaudio.toml``
(found in the current folder, or named with ``--config FILE``), environment variables
``NEWSAUDIO_<KEY>`` (``NEWSAUDIO_TITLE``, ``NEWSAUDIO_BASE_URL``...), then command-line flags.
:func:`load_show` applies them and validates the result; malformed values raise
:class:`~newsaudio.errors.ConfigError` naming the file (or variable) and the key. Unknown keys
in the file are logged as warnings and otherwise ignored.

The file's top-level keys are the field names of :class:`Show` (see :data:`SETTINGS`); two
tables group the rest: ``[publish]`` (``to``: the publish target URL, ``base_url``: its public
URL, which then is the show's base URL) and ``[retention]`` (``keep_last``, ``keep_days``).
Relative paths in the file (``out_dir``, ``cover_image``, a folder ``to``) are relative to the
file's folder; relative paths from flags and variables are relative to the current folder.

The base URL, once given with ``--base-url`` to a command that writes the feed, is remembered
(:func:`remember_base_url`: written into the settings file in use, else into the show's state
``.newsaudio/settings.json``, read below the file), so a later command never reverts it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudio.errors import ConfigError, PublishError, UsageError, plain_reason
from newsaudio.executors.address import parse_address
from newsaudio.fsutil import atomic_write_text
from newsaudio.show import APPLE_CATEGORIES as APPLE_CATEGORIES
from newsaudio.show import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from newsaudio.show import Show as Show
from newsaudio.show import normalize_base_url as normalize_base_url
from newsaudio.show import parse_explicit as parse_explicit

if TYPE_CHECKING:
    from newsaudio.pipeline.compose import DigestConfig, DigestSettings
    from newsaudio.summarize import SummarizerSettings

_LOG = logging.getLogger(__name__)

CONFIG_FILE = "newsaudio.toml"
MIN_SPEED, MAX_SPEED = 0.5, 2.0
"""The range of the speaking speed (``speed`` setting, ``--speed``)."""
ENV_PREFIX = "NEWSAUDIO_"


_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


# -- settings ------------------------------------------------------------------------------

SETTINGS: dict[str, str] = {
    "title": "Show title",
    "description": "Show description (at most 4000 bytes in the feed)",
    "author": "Author (itunes:author)",
    "owner_name": "Owner name (itunes:owner)",
    "owner_email": "Owner e-mail (itunes:owner; Apple uses it to verify the show)",
    "language": "Language (BCP 47, e.g. en, de-DE)",
    "category": "Apple Podcasts category",
    "subcategory": "Apple Podcasts subcategory (empty for none)",
    "explicit": "Explicit content (true/false)",
    "base_url": "Public URL where the output folder is served",
    "out_dir": "Output folder (feed.xml, index.html, episodes/)",
    "cover_image": "Cover image (JPEG/PNG, square, 1400-3000 px; empty to draw one)",
    "copyright": "Copyright line (empty for none)",
    "timezone": "Time zone for dates without one (IANA name, e.g. Europe/Berlin)",
    "show_type": "Show type (episodic or serial)",
    "voice": "Default voice profile (empty for the built-in default)",
    "jingles": "Intro and outro jingles (true/false)",
    "loudness_lufs": "Loudness target in LUFS (integrated)",
    "bitrate_kbps": "MP3 bitrate in kbps",
    "keep": "Keep only the newest N episodes (0 keeps all)",
    "speed": "Speaking speed, 0.5-2.0 (1.25 = 25 % faster; pauses too, jingles not)",
    "voices_url": "Piper voice catalogue: base URL or folder of voices.json (empty: official)",
    "keep_days": "Keep only episodes of the last D days (0 keeps all)",
    "private": "Private feed under an unguessable path (true/false)",
    "publish_to": "Publish target (s3://bucket/prefix, sftp://user@host/path, a folder; "
    "empty for none)",
}
"""Every key of ``newsaudio.toml``, with its help text (the order ``init`` asks in)."""

TABLES: dict[tuple[str, str], str] = {
    ("publish", "to"): "publish_to",
    ("publish", "base_url"): "base_url",
    ("retention", "keep_last"): "keep",
    ("retention", "keep_days"): "keep_days",
}
"""``[table] key`` of ``newsaudio.toml`` -> the setting it holds."""

_OPTIONAL_STR = {"subcategory", "copyright", "voice", "voices_url", "publish_to"}
_PATHS = {"out_dir", "cover_image"}


def _coerce(key: str, value: Any, where: str, base: Path) -> Any:
    """``value`` (from TOML or an environment string) as the type of field ``key``."""
    from_env = isinstance(value, str) and where.startswith(ENV_PREFIX)
    try:
        if key in ("explicit", "jingles", "private"):
            return parse_explicit(value, where)
        if key in ("bitrate_kbps", "keep", "keep_days"):
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError
            number = int(value)
            return number if key == "bitrate_kbps" else (number or None)
        if key in ("loudness_lufs", "speed"):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError
            return float(value)
        if not isinstance(value, str):
            raise ValueError
        if key in _PATHS:
            if not value.strip():
                return None if key == "cover_image" else Path("output")
            path = Path(value).expanduser()
            return path if path.is_absolute() or from_env else base / path
        if key in _OPTIONAL_STR and not value.strip():
            return None
        if key == "publish_to" and "://" not in value and not from_env:
            path = Path(value).expanduser()
            return str(path if path.is_absolute() else base / path)
        return value
    except ValueError:
        kind = {
            "bitrate_kbps": "an integer",
            "keep": "an integer",
            "keep_days": "an integer",
            "loudness_lufs": "a number",
            "speed": "a number",
        }.get(key, "a string")
        raise ConfigError(f"{where}: expected {kind}, got {value!r}") from None


def find_config(config: Path | None = None, cwd: Path | None = None) -> Path | None:
    """The settings file to read: ``config`` (must exist; ConfigError otherwise), else
    ``newsaudio.toml`` in ``cwd`` (default: the current folder) if present, else None."""
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: settings file not found")
        return config
    candidate = (cwd or Path.cwd()) / CONFIG_FILE
    return candidate if candidate.is_file() else None


@dataclass(frozen=True)
class SettingsFile:
    """``newsaudio.toml`` parsed: ``path`` and its TOML ``document``, every table of it. Each
    reader of a table (:meth:`show_values`, :meth:`cluster`, :meth:`digests`) works on this
    one parse."""

    path: Path
    document: Mapping[str, Any]

    def show_values(self) -> dict[str, Any]:
        """The show's settings (top-level keys, ``[publish]``, ``[retention]``), coerced to
        field types, paths made absolute relative to the file. Unknown keys are logged as
        warnings. Raises ConfigError naming the file for values of the wrong type."""
        path, data = self.path, self.document
        out: dict[str, Any] = {}
        tables = {table for table, _ in TABLES}
        # TOML puts top-level keys before tables, so a [table] value wins over a flat key
        for key, value in data.items():
            if key == "cluster" and isinstance(value, dict):
                continue  # [cluster] address: read by SettingsFile.cluster()
            if key == "digest" and isinstance(value, dict):
                continue  # [digest]: read by SettingsFile.digests()
            if key == "summarizer" and isinstance(value, dict):
                continue  # [summarizer]: read by SettingsFile.summarizer()
            if key == "serve" and isinstance(value, dict):
                continue  # [serve]: read by SettingsFile.serve()
            if key in tables and isinstance(value, dict):
                for sub, sub_value in value.items():
                    setting = TABLES.get((key, sub))
                    if setting is None:
                        _LOG.warning("%s: unknown setting [%s] %r ignored", path, key, sub)
                        continue
                    where = f"{path}: [{key}] {sub}"
                    out[setting] = _coerce(setting, sub_value, where, path.parent)
                continue
            if key not in SETTINGS:
                _LOG.warning(
                    "%s: unknown setting %r ignored (known: %s)", path, key, ", ".join(SETTINGS)
                )
                continue
            out[key] = _coerce(key, value, f"{path}: {key}", path.parent)
        return out

    def cluster(self) -> str | None:
        """``address`` of the ``[cluster]`` table (``tcp://host:8786`` or ``local:N``), or
        None. Raises ConfigError for an address that is not a string, ClusterError (naming
        the file) for a malformed address."""
        path = self.path
        table = self.document.get("cluster")
        if table is None:
            return None
        address = table.get("address") if isinstance(table, dict) else table
        if not isinstance(address, str):
            raise ConfigError(f"{path}: [cluster] address: expected a string, got {address!r}")
        if address.strip():
            parse_address(address, f"{path}: [cluster] address")  # ClusterError naming the file
        return address.strip() or None

    def serve(self) -> ServeSettings:
        """The ``[serve]`` table (see :class:`ServeSettings`). Raises ConfigError naming the
        file and key."""
        table = self.document.get("serve")
        if table is None:
            return ServeSettings()
        if not isinstance(table, dict):
            raise ConfigError(f"{self.path}: serve: expected a [serve] table")
        return serve_settings(table, f"{self.path}: [serve]")

    def digests(self) -> DigestConfig:
        """The ``[digest]`` table (see :func:`read_digest_config`). Raises ConfigError naming
        the file and key."""
        from newsaudio.pipeline.compose import DigestConfig, DigestSettings  # numpy: on use

        path = self.path
        table = self.document.get("digest")
        if table is None:
            return DigestConfig()
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: digest: expected a [digest] table")
        show = _digest_settings(table, DigestSettings(), f"{path}: [digest]")
        sources: dict[str, DigestSettings] = {}
        per_source = table.get("sources", {})
        if not isinstance(per_source, dict):
            raise ConfigError(f"{path}: [digest] sources: expected a table")
        for name, value in per_source.items():
            where = f"{path}: [digest.sources] {name!r}"
            if isinstance(value, bool):
                sources[name] = dataclasses.replace(show, enabled=value)
            elif isinstance(value, dict):
                sources[name] = _digest_settings({"enabled": True, **value}, show, where)
            else:
                raise ConfigError(f"{where}: expected true, false or a table")
        return DigestConfig(show, sources)

    def summarizer(self) -> dict[str, str]:
        """The ``[summarizer]`` table (see :func:`read_summarizer_config`) as its string
        values (``name``, ``base_url``, ``model``, ``api_key_env``). Raises ConfigError naming
        the file and key for an unknown key or a value that is not a non-empty string."""
        path = self.path
        table = self.document.get("summarizer")
        if table is None:
            return {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: summarizer: expected a [summarizer] table")
        out: dict[str, str] = {}
        for key, value in table.items():
            if key not in _SUMMARIZER_KEYS:
                raise ConfigError(
                    f"{path}: [summarizer] unknown setting {key!r} "
                    f"(known: {', '.join(sorted(_SUMMARIZER_KEYS))})"
                )
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: [summarizer] {key}: expected a non-empty string")
            out[key] = value.strip()
        if "api_key" in table:
            raise ConfigError(f"{path}: [summarizer] api_key: name a variable in api_key_env")
        return out


_SUMMARIZER_KEYS = {"name", "base_url", "model", "api_key_env"}

@dataclass(frozen=True)
class ServeSettings:
    """The ``[serve]`` table of ``newsaudio.toml`` (what ``serve`` does besides serving)::

        [serve]
        inbox = true                      # the inbox API and page (serve --inbox)
        inbox_allow_private = false       # links into private networks (--inbox-allow-private)
        update_every = "30m"              # run update every 30 minutes (--update-every)
        update_at = ["06:00", "18:00"]    # or at these times of the show's time zone

    ``update_every_s`` is in seconds (None: not periodic); ``update_at`` holds ``(hour,
    minute)`` pairs."""

    inbox: bool = False
    inbox_allow_private: bool = False
    update_every_s: float | None = None
    update_at: tuple[tuple[int, int], ...] = ()


_SERVE_KEYS = ("inbox", "inbox_allow_private", "update_every", "update_at")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_duration(text: str, where: str) -> float:
    """Seconds in ``text``: ``30m``, ``2h``, ``1h30m``, ``90s`` or a plain number of
    minutes; at least one minute. Raises ConfigError naming ``where``."""
    value = text.strip().lower()
    seconds: float
    if value.isdigit():
        seconds = int(value) * 60.0
    else:
        m = _DURATION.match(value)
        if not value or m is None or not any(m.groups()):
            raise ConfigError(f"{where}: expected a duration like 30m, 2h or 1h30m, got {text!r}")
        h, mi, se = (int(g or 0) for g in m.groups())
        seconds = h * 3600.0 + mi * 60.0 + se
    if seconds < 60:
        raise ConfigError(f"{where}: {text!r} is shorter than one minute")
    return seconds


def parse_clock_times(values: Any, where: str) -> tuple[tuple[int, int], ...]:
    """``["06:00", "18:30"]`` as sorted unique ``(hour, minute)`` pairs. Raises ConfigError
    naming ``where``."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not values:
        raise ConfigError(f'{where}: expected a list of times like ["06:00", "18:00"]')
    out: set[tuple[int, int]] = set()
    for value in values:
        m = _CLOCK.match(value.strip()) if isinstance(value, str) else None
        if m is None:
            raise ConfigError(f"{where}: expected a time HH:MM (24 h), got {value!r}")
        out.add((int(m.group(1)), int(m.group(2))))
    return tuple(sorted(out))


def serve_settings(table: Mapping[str, Any], where: str) -> ServeSettings:
    """A ``[serve]`` table as :class:`ServeSettings`. Raises ConfigError naming ``where`` and
    the key."""
    unknown = sorted(set(table) - set(_SERVE_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(_SERVE_KEYS)})"
        )
    values: dict[str, Any] = {}
    for key in ("inbox", "inbox_allow_private"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{where}: {key}: expected true or false")
            values[key] = table[key]
    if "update_every" in table:
        every = table["update_every"]
        if not isinstance(every, str | int) or isinstance(every, bool):
            raise ConfigError(f'{where}: update_every: expected a duration like "30m"')
        values["update_every_s"] = parse_duration(str(every), f"{where}: update_every")
    if "update_at" in table:
        values["update_at"] = parse_clock_times(table["update_at"], f"{where}: update_at")
    return ServeSettings(**values)


def read_serve_config(path: Path | None) -> ServeSettings:
    """The ``[serve]`` table of the settings file ``path`` (None: defaults)."""
    return ServeSettings() if path is None else read_settings(path).serve()


_PARSED: dict[Path, tuple[tuple[int, int, int], SettingsFile]] = {}


def read_settings(path: Path) -> SettingsFile:
    """``path`` (TOML) parsed, once: a file unchanged since its last parse (same inode, size
    and modification time) is not read again, so a command that asks for its show, its
    cluster and its digests reads ``newsaudio.toml`` once. Raises ConfigError naming the file
    for unreadable or malformed TOML."""
    try:
        st = path.stat()
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        known = _PARSED.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML ({exc})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings ({plain_reason(exc)})") from exc
    parsed = SettingsFile(path, document)
    _PARSED[path] = (stamp, parsed)
    return parsed


def read_config(path: Path) -> dict[str, Any]:
    """The known show settings in ``path`` (:meth:`SettingsFile.show_values`). Raises
    ConfigError naming the file for unreadable or malformed TOML and for values of the
    wrong type."""
    return read_settings(path).show_values()


def cluster_setting(config: Path | None = None, cwd: Path | None = None) -> str | None:
    """``address`` of the ``[cluster]`` table of the settings file (``--cluster``'s default:
    ``tcp://host:8786`` or ``local:N``), or None when there is none. Raises ConfigError for
    malformed TOML or an address that is not a string, ClusterError (naming the file) for a
    malformed address."""
    path = find_config(config, cwd)
    return None if path is None else read_settings(path).cluster()


_KEYS = {"enabled", "title", "max_articles", "max_minutes", "brief", "story_seconds", "summarizer"}


def _digest_settings(table: Mapping[str, Any], base: DigestSettings, where: str) -> DigestSettings:
    """``base`` with the values of one ``[digest]`` table (or a source's) applied. Raises
    ConfigError naming ``where`` and the key."""
    from newsaudio.pipeline.compose import fill_title

    unknown = set(table) - _KEYS - {"sources"}
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {sorted(unknown)[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    values: dict[str, Any] = {}
    if "enabled" in table:
        if not isinstance(table["enabled"], bool):
            raise ConfigError(f"{where}: enabled: expected true or false")
        values["enabled"] = table["enabled"]
    if "title" in table:
        title = table["title"]
        if not isinstance(title, str) or not title.strip():
            raise ConfigError(f"{where}: title: expected a non-empty string")
        fill_title(title, "Show", datetime(2026, 12, 2, 7, 0), f"{where}: title")
        values["title"] = title
    if "max_articles" in table:
        n = table["max_articles"]
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ConfigError(f"{where}: max_articles: expected a whole number of at least 1")
        values["max_articles"] = n
    if "max_minutes" in table:
        m = table["max_minutes"]
        if isinstance(m, bool) or not isinstance(m, int | float) or m < 0.5:
            raise ConfigError(f"{where}: max_minutes: expected a number of at least 0.5")
        values["max_minutes"] = float(m)
    if "brief" in table:
        if not isinstance(table["brief"], bool):
            raise ConfigError(f"{where}: brief: expected true or false")
        values["brief"] = table["brief"]
    if "story_seconds" in table:
        sec = table["story_seconds"]
        if isinstance(sec, bool) or not isinstance(sec, int | float) or not 5 <= sec <= 600:
            raise ConfigError(f"{where}: story_seconds: expected a number from 5 to 600")
        values["story_seconds"] = float(sec)
    if "summarizer" in table:
        from newsaudio.summarize import SUMMARIZERS

        name = table["summarizer"]
        if name not in SUMMARIZERS:
            raise ConfigError(
                f"{where}: summarizer: expected one of {', '.join(SUMMARIZERS)}, got {name!r}"
            )
        values["summarizer"] = name
    return dataclasses.replace(base, **values)


def read_summarizer_config(
    path: Path | None,
    *,
    name: str | None = None,
    base_url: str | None = None,
    model: str | None = None,
    cache_dir: Path | None = None,
) -> SummarizerSettings:
    """The :class:`~newsaudio.summarize.SummarizerSettings` of a run: the flags (``name``,
    ``base_url``, ``model``; None: not given) over the ``[summarizer]`` table of ``path``::

        [summarizer]
        name = "llm"                          # lead (default) or llm
        base_url = "http://127.0.0.1:11434/v1"
        model = "qwen2.5:3b"
        api_key_env = "OPENAI_API_KEY"        # the variable's name; the key is never stored

    Raises ConfigError naming the file and key."""
    from newsaudio.summarize import SUMMARIZERS, SummarizerSettings

    table = read_settings(path).summarizer() if path is not None else {}
    chosen = name or table.get("name") or "lead"
    if chosen not in SUMMARIZERS:
        raise ConfigError(
            f"{path}: [summarizer] name: expected one of {', '.join(SUMMARIZERS)}, got {chosen!r}"
        )
    return SummarizerSettings(
        name=chosen,
        base_url=base_url or table.get("base_url"),
        model=model or table.get("model"),
        api_key_env=table.get("api_key_env"),
        cache_dir=cache_dir,
    )


def read_digest_config(path: Path | None) -> DigestConfig:
    """The ``[digest]`` table of the settings file ``path`` (None: no file, defaults)::

        [digest]
        enabled = true
        title = "Morning news, {date:%A %-d %B}"
        max_articles = 10
        max_minutes = 20

        [digest.sources]
        "Harbour Daily" = false                      # its items get episodes of their own
        "Island Notes" = { title = "Island digest, {date:%-d %B}" }

    A source's table overrides the show's settings (and is enabled unless it says
    otherwise). Raises ConfigError naming the file and key.
    """
    if path is None:
        from newsaudio.pipeline.compose import DigestConfig

        return DigestConfig()
    return read_settings(path).digests()


def env_settings(env: Mapping[str, str], cwd: Path | None = None) -> dict[str, Any]:
    """Settings from ``NEWSAUDIO_<KEY>`` variables in ``env`` (other variables are ignored);
    a relative path is taken from ``cwd`` when given (else it stays relative to the process's
    working folder)."""
    out: dict[str, Any] = {}
    for key in SETTINGS:
        name = ENV_PREFIX + key.upper()
        if name in env:
            out[key] = _coerce(key, env[name], name, Path.cwd())
            if key in _PATHS and isinstance(out[key], Path):
                out[key] = _under(cwd, out[key])
    return out


def _under(cwd: Path | None, path: Path | str) -> Path:
    """``path`` taken from ``cwd`` when it is relative and ``cwd`` is given: every path
    :func:`load_show` derives comes from its arguments, never from the process's folder."""
    path = Path(path)
    return cwd / path if cwd is not None and not path.is_absolute() else path


def load_show(
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    use_file: bool = True,
) -> Show:
    """The show settings: defaults < settings file < ``NEWSAUDIO_*`` variables < ``overrides``.

    ``overrides`` holds flag values (None means "not given" and is skipped); ``env`` defaults
    to ``os.environ``; ``use_file=False`` ignores any settings file (``newsaudio init``).
    Raises ConfigError for a missing ``config``, malformed TOML, a wrong type or an invalid
    value (Apple category, e-mail, language, time zone, base URL...).
    """
    path = find_config(config, cwd) if use_file else None
    base = cwd if cwd is not None else Path.cwd()
    values: dict[str, Any] = {"out_dir": Path("output") if cwd is None else cwd / "output"}
    origin = {key: "default" for key in SETTINGS}
    file_values = read_config(path) if path is not None else {}
    env_values = env_settings(os.environ if env is None else env, cwd)
    out_dir = (overrides or {}).get("out_dir") or env_values.get("out_dir")
    out_dir = _under(cwd, out_dir or file_values.get("out_dir") or values["out_dir"])
    remembered = _state_settings(out_dir / STATE_DIR) if use_file else {}
    values.update(remembered)
    origin.update({key: f"{Path(out_dir) / STATE_DIR / STATE_SETTINGS}" for key in remembered})
    if path is not None:
        values.update(file_values)
        origin.update({key: str(path) for key in file_values})
    values.update(env_values)
    origin.update({key: ENV_PREFIX + key.upper() for key in env_values})
    for key, value in (overrides or {}).items():
        if key not in SETTINGS:
            raise ValueError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = _coerce(key, value, f"--{key}", base) if isinstance(value, str) else value
            if key in _PATHS and isinstance(values[key], Path):
                values[key] = _under(cwd, values[key])
            origin[key] = "command line"
    show = Show(**values)
    try:
        validate(show, origin)
    except ConfigError as exc:
        flag = re.match(r"command line: (\w+): ", str(exc))
        if flag is None:
            raise
        option = "--" + flag.group(1).replace("_", "-")
        raise UsageError(f"{option}: {str(exc)[flag.end() :]}") from exc
    if show.private:
        show = replace(show, token=show_token(show.state_dir))
    return show


STATE_DIR = ".newsaudio"
STATE_SETTINGS = "settings.json"
TOKEN_FILE = "token"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _state_settings(state_dir: Path) -> dict[str, Any]:
    """Settings remembered in the show's state (only ``base_url`` so far); {} if none."""
    try:
        data = json.loads((state_dir / STATE_SETTINGS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    url = data.get("base_url") if isinstance(data, dict) else None
    return {"base_url": url} if isinstance(url, str) else {}


def show_token(state_dir: Path, rotate: bool = False) -> str:
    """A private show's path token (32 hex digits, 128 bits from :mod:`secrets`), kept in
    ``<state_dir>/token``; made on first use, or anew with ``rotate``. Raises PublishError if
    the state cannot be written."""
    import secrets

    path = state_dir / TOKEN_FILE
    if not rotate:
        try:
            token = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            token = ""
        if _TOKEN.match(token):
            return token
    token = secrets.token_hex(16)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"{state_dir}: cannot keep the token ({exc.strerror or exc})") from exc
    atomic_write_text(path, token + "\n")
    return token


def remember_base_url(show: Show, config: Path | None = None, cwd: Path | None = None) -> Path:
    """Keep ``show.base_url`` as the show's setting, so that no later command reverts it:
    in the settings file in use (``[publish] base_url`` if the file has it there, else the
    top-level ``base_url``, rewritten in place, comments kept), else in the show's state
    (``.newsaudio/settings.json``). Returns the file written. Raises ConfigError or
    PublishError if it cannot be written."""

    path = find_config(config, cwd)
    if path is None:
        state = show.state_dir / STATE_SETTINGS
        if _state_settings(show.state_dir).get("base_url") != show.base_url:
            show.state_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_text(state, json.dumps({"base_url": show.base_url}) + "\n")
        return state
    text = path.read_text(encoding="utf-8")
    if read_config(path).get("base_url") == show.base_url:
        return path
    atomic_write_text(path, _set_toml_base_url(text, show.base_url))
    return path


def _set_toml_base_url(text: str, url: str) -> str:
    """``text`` (TOML) with its base URL set to ``url`` (see :func:`remember_base_url`)."""
    lines = text.splitlines(keepends=True)
    table = ""
    found: dict[str, int] = {}
    first_table = len(lines)
    for n, line in enumerate(lines):
        header = re.match(r"^\s*\[\s*([A-Za-z_]+)\s*\]", line)
        if header:
            table = header.group(1)
            first_table = min(first_table, n)
        elif re.match(r"^\s*base_url\s*=", line) and table in ("", "publish"):
            found[table] = n
    new = f"base_url = {json.dumps(url)}\n"
    where = found.get("publish", found.get(""))
    if where is not None:
        lines[where] = new
    else:
        lines.insert(first_table, new)
    return "".join(lines)


def validate(show: Show, origin: Mapping[str, str] | None = None) -> None:
    """Check ``show`` against Apple's and the feed's rules. Raises ConfigError whose message
    names where the bad value came from (``origin``: key -> file, variable or flag)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    def where(key: str) -> str:
        return f"{(origin or {}).get(key, 'settings')}: {key}"

    if show.category not in APPLE_CATEGORIES:
        raise ConfigError(
            f"{where('category')}: {show.category!r} is not an Apple Podcasts category "
            f"(one of: {', '.join(APPLE_CATEGORIES)})"
        )
    subs = APPLE_CATEGORIES[show.category]
    if show.subcategory is not None and show.subcategory not in subs:
        valid = ", ".join(subs) if subs else "none: leave it empty"
        raise ConfigError(
            f"{where('subcategory')}: {show.subcategory!r} is not a subcategory of "
            f"{show.category!r} ({valid})"
        )
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", show.owner_email):
        raise ConfigError(f"{where('owner_email')}: {show.owner_email!r} is not an e-mail address")
    if not _LANGUAGE.fullmatch(show.language):
        raise ConfigError(f"{where('language')}: {show.language!r} is not a BCP 47 language tag")
    try:
        ZoneInfo(show.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{where('timezone')}: {show.timezone!r} is not an IANA time zone (e.g. Europe/Berlin)"
        ) from None
    if show.show_type not in ("episodic", "serial"):
        raise ConfigError(
            f"{where('show_type')}: must be episodic or serial, not {show.show_type!r}"
        )
    if not show.title.strip():
        raise ConfigError(f"{where('title')}: must not be empty")
    if not 32 <= show.bitrate_kbps <= 320:
        raise ConfigError(f"{where('bitrate_kbps')}: must be 32-320, not {show.bitrate_kbps}")
    if not -40.0 <= show.loudness_lufs <= -5.0:
        raise ConfigError(f"{where('loudness_lufs')}: must be -40 to -5 LUFS")
    if not MIN_SPEED <= show.speed <= MAX_SPEED:
        raise ConfigError(f"{where('speed')}: must be {MIN_SPEED}-{MAX_SPEED}, not {show.speed:g}")
    if show.keep is not None and show.keep < 0:
        raise ConfigError(f"{where('keep')}: must be 0 or more, not {show.keep}")
    if show.keep_days is not None and show.keep_days < 0:
        raise ConfigError(f"{where('keep_days')}: must be 0 or more, not {show.keep_days}")
    if show.publish_to is not None:
        from newsaudio.publish.targets import check_url  # the targets load on use

        check_url(show.publish_to, where("publish_to"))
    normalize_base_url(show.base_url, where("base_url"))


def to_toml(show: Show, base: Path | None = None) -> str:
    """``show`` as the text of a ``newsaudio.toml`` (every key, with its help as a comment).

    Paths are written relative to ``base`` (the file's folder) when they lie inside it.
    """
    lines = [
        "# newsaudio show settings (newsaudio init). Flags and NEWSAUDIO_* variables",
        "# override these values.",
        "",
    ]
    in_tables = {"publish_to": ("publish", "to"), "keep": ("retention", "keep_last")}
    in_tables["keep_days"] = ("retention", "keep_days")
    tables: dict[str, list[str]] = {"publish": [], "retention": []}
    for key, help_text in SETTINGS.items():
        value = getattr(show, key)
        if value is None:
            value = 0 if key in ("keep", "keep_days") else ""
        if isinstance(value, Path):
            if base is not None and value.is_relative_to(base):
                value = value.relative_to(base)
            value = value.as_posix()
        if isinstance(value, bool):
            literal = "true" if value else "false"
        elif isinstance(value, int | float):
            literal = repr(value)
        else:
            literal = json.dumps(str(value), ensure_ascii=False)
        if key in in_tables:
            table, name = in_tables[key]
            tables[table] += [f"# {help_text}", f"{name} = {literal}"]
            continue
        lines += [f"# {help_text}", f"{key} = {literal}"]
    for table, entries in tables.items():
        lines += ["", f"[{table}]", *entries]
    return "\n".join(lines) + "\n"
