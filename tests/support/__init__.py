"""The test support layer: what tests share, imported from here (never from another test
module or a conftest.py).

- ``cases``: paths (repository, ../shared, seed, example, golden) and the shared cases;
- ``cli``: ``run_cli`` / ``invoke_cli``, the command line in process through click's CliRunner;
- ``voice``: the fake voice;
- ``episodes``: a small published show made quickly with the fake voice, a catalogued episode;
- ``audio``: tones and utterances for audio tests, the eyeD3 interpreter;
- local servers on 127.0.0.1: ``feed_server`` (feeds and pages), ``news_pages``,
  ``sources_fixtures`` (feed and page bodies), ``serving`` (``newsaudio serve``'s app),
  ``remote_servers`` (S3 through moto's server mode, SFTP through OpenSSH's sshd),
  ``openai_endpoint`` and ``gtts_endpoint`` (speech endpoints), ``catalogue_server`` (voices);
- ``chromium``, ``cluster`` (a Dask LocalCluster), ``robustness`` (the bad-input corpus),
  ``extraction_report``.

Heavy libraries (Dask, moto, boto3, paramiko, uvicorn, Piper) are imported inside the helpers
that need them, so that collecting the quick loop (``pytest -m unit``) stays cheap.
"""

from __future__ import annotations

from tests.support.cases import (
    EXAMPLE,
    GOLDEN,
    REPO,
    SEED,
    SHARED,
    case_input,
    case_json,
    shared_cases,
)
from tests.support.cli import cli_runner, invoke_cli, run_cli
from tests.support.voice import FAKE_VOICE, write_fake_voice

__all__ = [
    "EXAMPLE",
    "FAKE_VOICE",
    "GOLDEN",
    "REPO",
    "SEED",
    "SHARED",
    "case_input",
    "case_json",
    "cli_runner",
    "invoke_cli",
    "run_cli",
    "shared_cases",
    "write_fake_voice",
]
