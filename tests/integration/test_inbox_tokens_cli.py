"""``newsaudio inbox token add/list/revoke`` in process: the token printed once (JSON shape),
only its hash stored, one clear line and exit 8 for a bad, taken or unknown name."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import run_cli


def test_add_list_revoke(workdir: Path) -> None:
    out = str(workdir / "out")
    code, stdout, _ = run_cli("inbox", "token", "add", "phone", "--json", out=out)
    assert code == 0
    made = json.loads(stdout)
    assert set(made) == {"name", "token", "pair_url"} and made["name"] == "phone"
    assert made["pair_url"].endswith(f"/inbox#token={made['token']}")
    stored = (workdir / "out" / ".newsaudio" / "inbox.sqlite").read_bytes()
    assert made["token"].encode() not in stored

    code, stdout, _ = run_cli("inbox", "token", "list", "--json", out=out)
    assert code == 0 and made["token"] not in stdout
    (row,) = json.loads(stdout)["tokens"]
    assert row["name"] == "phone" and row["last_used"] is None

    code, stdout, stderr = run_cli("inbox", "token", "add", "phone", out=out)
    assert code == 2 and stderr.count("\n") == 1 and "exists" in stderr
    code, _, stderr = run_cli("inbox", "token", "add", "no spaces", out=out)
    assert code == 2 and stderr.startswith("newsaudio: error: ")

    code, _, _ = run_cli("inbox", "token", "revoke", "phone", out=out)
    assert code == 0
    code, _, stderr = run_cli("inbox", "token", "revoke", "phone", out=out)
    assert code == 3 and "no such inbox token" in stderr
    code, stdout, _ = run_cli("inbox", "token", "list", "--json", out=out)
    assert json.loads(stdout)["tokens"] == []


def test_add_prints_the_pairing_url_and_a_qr_code(workdir: Path) -> None:
    code, stdout, _ = run_cli("inbox", "token", "add", "tablet", out=str(workdir / "out"))
    assert code == 0
    assert "/inbox#token=" in stdout and "█" in stdout
