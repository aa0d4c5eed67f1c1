"""SFTP target: ``sftp://user@host[:port]/path`` on any SSH server, through paramiko.

Authentication uses only SSH keys: the agent (``SSH_AUTH_SOCK``), then the usual key files in
``~/.ssh`` (``id_ed25519``, ``id_ecdsa``, ``id_rsa``). A password in the URL is refused; keys
are never printed, logged or stored. The server's host key must be in ``~/.ssh/known_hosts``
(or the system's): an unknown host is an error that says how to trust it, a changed key an
error too (OpenSSH's ``StrictHostKeyChecking yes``).

``path`` is absolute (``sftp://me@host/srv/podcast``); ``/~/podcast`` is relative to the
login folder. Each file is uploaded under a temporary name beside its destination, then
renamed over it with OpenSSH's ``posix-rename@openssh.com`` (atomic), so a web server reading
the folder never serves half a file.
"""

from __future__ import annotations

import contextlib
import getpass
import posixpath
import stat
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from newsaudio.errors import ConfigError
from newsaudio.publish.targets import TEMP_PREFIX, RemoteObject, TargetError

SCHEMES = ("sftp",)
DEFAULT_PORT = 22
CONNECT_TIMEOUT_S = 15.0


def _split(url: str, where: str = "target") -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.password is not None:
        raise ConfigError(
            f"{where}: sftp URL with a password: use an SSH key (ssh-agent or ~/.ssh) instead"
        )
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise ConfigError(f"{where}: {url!r}: the port is not a number") from None
    if not parts.hostname:
        raise ConfigError(f"{where}: {url!r}: expected sftp://user@host[:port]/path")
    path = unquote(parts.path) or "/"
    if path.startswith("/~"):
        path = path[2:].lstrip("/") or "."
    user = unquote(parts.username) if parts.username else getpass.getuser()
    return user, parts.hostname, port, path if path == "/" else path.rstrip("/")


def describe(url: str, where: str = "target") -> str:
    """``sftp://user@host:port/path``. Raises ConfigError for a password or a bad port."""
    user, host, port, path = _split(url, where)
    shown_port = f":{port}" if port != DEFAULT_PORT else ""
    shown_path = path if path.startswith("/") else f"/~/{path}"
    return f"sftp://{user}@{host}{shown_port}{shown_path}"


def open_target(url: str) -> SftpTarget:
    """The SFTP target for ``url``: connects and checks the host key. Raises TargetError."""
    import logging

    logging.getLogger("paramiko").setLevel(logging.WARNING)  # no key details in -vv output
    user, host, port, path = _split(url)
    return SftpTarget(user, host, port, path, describe(url))


class SftpTarget:
    """A folder on an SSH server as a publish target (see the module docstring)."""

    def __init__(self, user: str, host: str, port: int, root: str, url: str) -> None:
        self.user, self.host, self.port, self.root, self.url = user, host, port, root, url
        self._ssh: Any = None
        self._sftp: Any = None
        self._made: set[str] = set()
        self._connect()

    def _known_host(self) -> str:
        return self.host if self.port == DEFAULT_PORT else f"[{self.host}]:{self.port}"

    def _connect(self) -> None:
        import paramiko

        self.close()
        ssh = paramiko.SSHClient()
        with contextlib.suppress(OSError):
            ssh.load_system_host_keys()  # ~/.ssh/known_hosts
        with contextlib.suppress(OSError):
            ssh.load_host_keys("/etc/ssh/ssh_known_hosts")
        ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
        keyscan = f"ssh-keyscan -p {self.port} {self.host} >> ~/.ssh/known_hosts"
        try:
            ssh.connect(
                self.host,
                port=self.port,
                username=self.user,
                allow_agent=True,
                look_for_keys=True,
                timeout=CONNECT_TIMEOUT_S,
                banner_timeout=CONNECT_TIMEOUT_S,
                auth_timeout=CONNECT_TIMEOUT_S,
            )
            self._sftp = ssh.open_sftp()
        except paramiko.BadHostKeyException as exc:
            ssh.close()
            raise TargetError(
                f"{self.url}: the host key of {self._known_host()} does not match "
                "~/.ssh/known_hosts (it changed, or someone is in between); if the change is "
                f"expected, remove the old key with: ssh-keygen -R '{self._known_host()}'"
            ) from exc
        except paramiko.AuthenticationException as exc:
            ssh.close()
            raise TargetError(
                f"{self.url}: the server accepted no SSH key of {self.user} (keys come from "
                "ssh-agent or ~/.ssh/id_ed25519, id_ecdsa, id_rsa)"
            ) from exc
        except paramiko.SSHException as exc:
            ssh.close()
            if "known_hosts" in str(exc):
                raise TargetError(
                    f"{self.url}: the host key of {self._known_host()} is unknown; check its "
                    f"fingerprint, then trust it with: {keyscan} (or connect once with: ssh -p "
                    f"{self.port} {self.user}@{self.host})"
                ) from exc
            reason = " ".join(str(exc).split()) or "the SSH session could not be set up"
            raise TargetError(
                f"{self.url}: SSH with {self._where()} failed ({reason})", transient=True
            ) from exc
        except (OSError, EOFError) as exc:
            ssh.close()
            raise TargetError(
                f"{self.url}: cannot connect: {self._describe(exc)}", transient=True
            ) from exc
        self._ssh = ssh

    def _where(self) -> str:
        """``HOST:PORT`` of the SSH server (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def _describe(self, exc: BaseException) -> str:
        """Why the connection to the server failed, in plain words naming ``HOST:PORT``."""
        from newsaudio.net import describe_request_error

        errors = getattr(exc, "errors", None)  # paramiko's NoValidConnectionsError: per address
        if isinstance(errors, dict) and errors:
            exc = next(iter(errors.values()))
        if isinstance(exc, EOFError):
            return f"{self._where()} closed the connection"
        url = f"sftp://{self._where()}/"
        return describe_request_error(exc, url, timeout_s=CONNECT_TIMEOUT_S)

    def _client(self) -> Any:
        transport = self._ssh.get_transport() if self._ssh is not None else None
        if transport is None or not transport.is_active():
            self._connect()  # after a dropped connection (retries come here)
        return self._sftp

    def _path(self, key: str) -> str:
        return posixpath.join(self.root, key)

    def _failed(self, action: str, exc: Exception) -> TargetError:
        import paramiko

        if isinstance(exc, FileNotFoundError | PermissionError):
            return TargetError(f"{self.url}: cannot {action} ({exc.strerror or exc})")
        transient = isinstance(exc, paramiko.SSHException | OSError | EOFError)
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        if isinstance(exc, EOFError) or not reason:
            reason = f"the connection to {self._where()} was lost"
        return TargetError(f"{self.url}: cannot {action} ({reason})", transient)

    def list(self) -> dict[str, RemoteObject]:
        """Every file under the root by key (recursive); stale temporary files are deleted."""
        sftp = self._client()
        found: dict[str, RemoteObject] = {}
        pending = [""]
        while pending:
            rel = pending.pop()
            try:
                entries = sftp.listdir_attr(self._path(rel) if rel else self.root)
            except FileNotFoundError:
                continue
            except Exception as exc:
                raise self._failed("list the folder", exc) from exc
            for entry in entries:
                key = posixpath.join(rel, entry.filename) if rel else entry.filename
                mode = entry.st_mode or 0
                if stat.S_ISDIR(mode):
                    pending.append(key)
                elif entry.filename.startswith(TEMP_PREFIX):
                    with contextlib.suppress(OSError):
                        sftp.remove(self._path(key))
                elif stat.S_ISREG(mode):
                    mtime = entry.st_mtime or 0
                    found[key] = RemoteObject(int(entry.st_size or 0), str(mtime))
        return found

    def _makedirs(self, folder: str) -> None:
        sftp = self._sftp
        missing: list[str] = []
        while folder not in ("", "/", ".") and folder not in self._made:
            try:
                sftp.stat(folder)
                break
            except FileNotFoundError:
                missing.append(folder)
                folder = posixpath.dirname(folder)
        for path in reversed(missing):
            with contextlib.suppress(OSError):  # made meanwhile by another run
                sftp.mkdir(path)
        self._made.update(missing)

    def put(self, key: str, local: Path, content_type: str, cache_control: str) -> RemoteObject:
        """Upload ``local`` under a temporary name, then rename it to ``key``."""
        dest = self._path(key)
        name = f"{TEMP_PREFIX}{uuid.uuid4().hex[:8]}-{posixpath.basename(dest)}"
        tmp = posixpath.join(posixpath.dirname(dest), name)
        try:
            sftp = self._client()
            self._makedirs(posixpath.dirname(dest))
            sftp.put(str(local), tmp, confirm=True)
            sftp.chmod(tmp, 0o644)
            sftp.posix_rename(tmp, dest)
            attrs = sftp.stat(dest)
        except TargetError:
            raise
        except Exception as exc:
            with contextlib.suppress(Exception):
                self._sftp.remove(tmp)
            raise self._failed(f"upload {key}", exc) from exc
        return RemoteObject(int(attrs.st_size or 0), str(attrs.st_mtime or 0))

    def delete(self, key: str) -> None:
        """Delete ``key`` and the folders it leaves empty (never the root)."""
        try:
            sftp = self._client()
            with contextlib.suppress(FileNotFoundError):
                sftp.remove(self._path(key))
        except TargetError:
            raise
        except Exception as exc:
            raise self._failed(f"delete {key}", exc) from exc
        folder = posixpath.dirname(key)
        while folder:
            try:
                sftp.rmdir(self._path(folder))
            except OSError:
                break
            self._made.discard(self._path(folder))
            folder = posixpath.dirname(folder)

    def close(self) -> None:
        """Close the SFTP session and the SSH connection."""
        for handle in (self._sftp, self._ssh):
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()
        self._sftp = self._ssh = None
