"""Real servers for the publish tests, on 127.0.0.1 only: moto's S3 API in server mode, and
Debian's OpenSSH server (sshd) with generated host and user keys; plus a bandwidth-limiting
TCP proxy that makes uploads slow enough to kill a publish half-way at chosen points."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
SSH_KEYGEN = shutil.which("ssh-keygen")
BUCKET = "newsaudio-test"
FAKE_KEY_ID = "AKIDNEWSAUDIOTEST"
FAKE_SECRET = "newsaudio-test-secret-never-printed-8c1f"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def aws_env(endpoint: str) -> dict[str, str]:
    """Fake credentials and the moto endpoint, as the standard AWS variables."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": FAKE_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


@contextlib.contextmanager
def moto_s3() -> Iterator[str]:
    """moto's S3 server (ThreadedMotoServer) on a free 127.0.0.1 port with the bucket
    :data:`BUCKET`; yields its endpoint URL."""
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        env = aws_env(endpoint)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


@dataclass
class Sshd:
    """A running sshd: its port, and a HOME whose ~/.ssh has the user key and (optionally)
    the host key in known_hosts."""

    port: int
    home: Path
    host_key_line: str
    user: str


def _keygen(path: Path) -> None:
    assert SSH_KEYGEN is not None
    subprocess.run(
        [SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True, timeout=30
    )


@contextlib.contextmanager
def sshd(root: Path) -> Iterator[Sshd]:
    """Debian's sshd as a foreground process (``sshd -D -e -f <generated config>``) on a
    free 127.0.0.1 port, keys only, SFTP via internal-sftp; ``root`` holds its files and
    the HOME of the client (``home/.ssh/id_ed25519`` and ``known_hosts``)."""
    import getpass

    assert SSHD is not None
    root.mkdir(parents=True, exist_ok=True)
    _keygen(root / "host_key")
    home = root / "home"
    (home / ".ssh").mkdir(parents=True)
    os.chmod(home / ".ssh", 0o700)
    _keygen(home / ".ssh" / "id_ed25519")
    shutil.copy(home / ".ssh" / "id_ed25519.pub", root / "authorized_keys")
    if os.geteuid() == 0:  # sshd run by root needs its privilege-separation folder
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = free_port()
    config = root / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {root / 'host_key'}",
                f"AuthorizedKeysFile {root / 'authorized_keys'}",
                f"PidFile {root / 'sshd.pid'}",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "Subsystem sftp internal-sftp",
                "LogLevel ERROR",
                "",
            ]
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        break
            except OSError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"sshd did not start: {process.communicate()[1]!r}")
            assert time.monotonic() < deadline, "sshd did not start in 15 s"
            time.sleep(0.05)
        key = (root / "host_key.pub").read_text(encoding="utf-8").split()
        line = f"[127.0.0.1]:{port} {key[0]} {key[1]}\n"
        (home / ".ssh" / "known_hosts").write_text(line, encoding="utf-8")
        yield Sshd(port, home, line, getpass.getuser())
    finally:
        process.kill()
        process.wait(10)


class SlowProxy:
    """A TCP proxy on 127.0.0.1 that forwards client bytes to ``upstream`` at about
    ``rate`` bytes per second (replies unthrottled): uploads take measurable time, so a test
    can kill a publish between chosen objects. Each connection is served by two threads."""

    def __init__(self, upstream_port: int, rate: int, delay_s: float = 0.05) -> None:
        self.upstream_port = upstream_port
        self.delay_s = delay_s  # at least this long per request, and per chunk of a body
        self.chunk = max(int(rate * delay_s), 1024)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port: int = self.listener.getsockname()[1]
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, slow: bool) -> None:
        try:
            while True:
                data = src.recv(self.chunk if slow else 65536)
                if not data:
                    break
                dst.sendall(data)
                if slow:
                    time.sleep(self.delay_s)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.stopped = True
        self.listener.close()
