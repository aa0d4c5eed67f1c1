"""A ``--cluster`` address, checked without Dask: ``local:N`` or a scheduler URL.

Kept apart from :mod:`newsaudio.executors.dask` so that settings (``[cluster] address``),
options and the executor registry check an address without importing Dask.
"""

from __future__ import annotations

import re

from newsaudio.errors import ClusterError

_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://[^\s/]+$")


def parse_address(address: str, where: str = "--cluster") -> tuple[str, int]:
    """``("local", N)`` for ``local:N`` (1 <= N <= 256), ``(address, 0)`` for a scheduler
    address (``tcp://host:port``...). Raises ClusterError for anything else, naming
    ``where`` the value came from (``--cluster``, ``NEWSAUDIO_CLUSTER``, the settings file)."""
    address = address.strip()
    local = _LOCAL.match(address)
    if local:
        workers = int(local.group(1))
        if not 1 <= workers <= 256:
            raise ClusterError(f"{where} {address}: local:N needs 1 to 256 workers")
        return "local", workers
    if _REMOTE.match(address):
        return address, 0
    raise ClusterError(
        f"{where} {address!r}: expected a scheduler address (tcp://HOST:8786) "
        "or local:N (N worker processes on this machine)"
    )
