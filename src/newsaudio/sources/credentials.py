"""Secrets of followed services and mailboxes, kept outside the show.

Two places, never the show folder, the sources state, a log line or an error line:

* ``credentials.toml`` in the user's config folder (platformdirs: ``$XDG_CONFIG_HOME/
  newsaudio/`` on Linux), mode 0600, one table per source address::

      ["wallabag+https://app.wallabag.it"]
      client_id = "..."
      password = "..."

  A file group- or world-readable (any of mode 0o077 set) is refused with one line, as ssh
  refuses a private key: a secret someone else could read is no longer one.
* ``--credential KEY=ENVVAR`` at ``follow``: the source remembers only the variable's name
  (in its options); the value is read from the environment at every update (systemd
  ``EnvironmentFile``, cron).

Errors: :class:`~newsaudio.errors.ConfigError` (exit 8) for an unreadable or too open
file; :class:`~newsaudio.errors.SourceError` for a variable that is not set.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path

from newsaudio.errors import ConfigError, SourceError

FILE_NAME = "credentials.toml"


def credentials_path() -> Path:
    """Where asked secrets are stored (``$NEWSAUDIO_CONFIG_DIR`` first, for tests and
    several accounts side by side)."""
    override = os.environ.get("NEWSAUDIO_CONFIG_DIR")
    if override:
        return Path(override) / FILE_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("newsaudio", appauthor=False)) / FILE_NAME


def _check_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path}: readable by others (mode {mode:04o}); run: chmod 600 {path}")


def read_all(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Every stored table: source address -> {key: secret}. {} when there is no file.
    Raises ConfigError for a too open or malformed file."""
    path = path or credentials_path()
    if not path.is_file():
        return {}
    _check_mode(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    return {
        str(k): {str(a): str(b) for a, b in v.items() if isinstance(b, str)}
        for k, v in data.items()
        if isinstance(v, dict)
    }


def _toml(tables: Mapping[str, Mapping[str, str]]) -> str:
    # JSON strings with ASCII escapes are valid TOML basic strings.
    lines = ["# newsaudio: secrets of followed services (keep this file mode 0600)"]
    for address in sorted(tables):
        lines.append("")
        lines.append(f"[{json.dumps(address)}]")
        for key in sorted(tables[address]):
            lines.append(f"{json.dumps(key)} = {json.dumps(tables[address][key])}")
    return "\n".join(lines) + "\n"


def store(address: str, secrets: Mapping[str, str], path: Path | None = None) -> Path:
    """Keep ``secrets`` for the source ``address`` (replacing its table), written to a 0600
    temporary file then renamed over the old one. Returns the file's path. Raises
    ConfigError (a too open existing file, or a folder that cannot be written)."""
    path = path or credentials_path()
    tables = read_all(path)
    tables[address] = dict(secrets)
    return _write(path, tables)


def forget(address: str, path: Path | None = None) -> None:
    """Drop the stored secrets of ``address`` (nothing if there are none)."""
    path = path or credentials_path()
    tables = read_all(path)
    if tables.pop(address, None) is not None:
        _write(path, tables)


def _write(path: Path, tables: Mapping[str, Mapping[str, str]]) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, _toml(tables).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return path


def resolve(address: str, credential_env: Mapping[str, str]) -> dict[str, str]:
    """The secrets of the source ``address``: the stored ones, overridden by the
    environment variables ``credential_env`` names (key -> variable). Raises SourceError
    for a variable that is not set (naming the variable, never a value), ConfigError for a
    bad file."""
    secrets = dict(read_all().get(address, {}))
    for key, variable in credential_env.items():
        value = os.environ.get(variable)
        if not value:
            raise SourceError(
                address, f"environment variable {variable} (credential {key}) is not set"
            )
        secrets[key] = value
    return secrets
