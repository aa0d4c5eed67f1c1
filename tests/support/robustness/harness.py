"""Run ``newsaudio add`` as a real subprocess against a show that already has one episode,
and check what it left behind.

A :class:`Case` builds its inputs inside its own folder (a copy of the template show with
``voices/fake.toml``), says how ``newsaudio add`` is invoked, and what must happen:

* ``error``: the documented exit code; stderr is exactly one line, ``newsaudio: error: ``
  followed by the input's name and the problem; the published show (everything in ``out/``
  except ``.newsaudio/``) is byte-for-byte unchanged; no work files left behind;
* ``warning``: exit 0, a warning naming the problem on stderr, a valid feed with the new
  episode;
* ``fine``: exit 0, a valid feed with the new episode.

In every case: no ``Traceback`` on stderr, no partial file (``*.tmp``, an MP3 the catalog
does not list with its size) in ``out/``. :func:`run_cases` runs many cases in a small
thread pool (each case is its own process); :func:`render_table` turns the results into the
Markdown table of docs/robustness.md.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tests.support.voice import FAKE_VOICE

Outcome = Literal["error", "warning", "fine"]

GOOD_ARTICLE = (
    "Harbour library reopens\n\n"
    "The harbour library reopened on Monday after a two-year renovation.\n\n"
    "Visitors queued before the doors opened.\n"
)
CASE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Invocation:
    """How one case runs ``newsaudio add``: arguments after ``add`` (``--out out`` and the
    voice are added unless ``voice`` is None), extra environment, bytes on stdin."""

    args: Sequence[str]
    voice: str | None = "fake"
    env: dict[str, str] = field(default_factory=dict)
    unset_env: Sequence[str] = ()
    stdin: bytes | None = None
    out: str = "out"
    names: str | None = None  # what the error line must name; default: the first argument
    cleanup: Callable[[], None] | None = None
    # what the table shows for the input when the argument would be noisy (a port number...)
    shown_as: str | None = None


@dataclass(frozen=True)
class Case:
    """One corpus entry: an id, what it is, the decided outcome, exit code and a pattern
    (regular expression, case-insensitive) the stderr line must match."""

    id: str
    what: str
    outcome: Outcome
    exit_code: int
    problem: str
    build: Callable[[Path, Context], Invocation]
    skip_reason: Callable[[], str | None] = lambda: None


@dataclass
class Context:
    """What case builders share: the local HTTP server's base URL."""

    http: str = ""


@dataclass
class Result:
    """What one case did."""

    case: Case
    returncode: int
    stderr: str
    stdout: str
    seconds: float
    changed: list[str]  # published files added, removed or modified (errors only matter)
    partial: list[str]  # *.tmp files, uncatalogued or wrongly sized MP3s, leftover work
    feed_errors: list[str]
    episodes: int
    shown_input: str
    skipped: str | None = None
    names: str = ""

    @property
    def tracebacks(self) -> int:
        """Number of Python tracebacks printed on stderr."""
        return self.stderr.count("Traceback")

    @property
    def error_line(self) -> str:
        """The last non-empty stderr line."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""

    def problems(self) -> list[str]:
        """Every way this result differs from what its case promises ([] when it passes)."""
        if self.skipped:
            return []
        c = self.case
        out: list[str] = []
        if self.tracebacks:
            out.append(f"traceback on stderr:\n{self.stderr}")
        if "internal error" in self.stderr:
            out.append(f"internal error: {self.stderr!r}")
        if self.returncode != c.exit_code:
            out.append(f"exit code {self.returncode}, expected {c.exit_code}: {self.stderr!r}")
        if self.partial:
            out.append(f"partial files: {self.partial}")
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        if c.outcome == "error":
            if len(lines) != 1:
                out.append(f"stderr is {len(lines)} lines, expected 1: {self.stderr!r}")
            line = self.error_line
            if not line.startswith("newsaudio: error: "):
                out.append(f"stderr does not start with 'newsaudio: error: ': {line!r}")
            if not re.search(c.problem, line, re.I):
                out.append(f"stderr {line!r} does not match {c.problem!r}")
            if self.names and self.names not in line:
                out.append(f"stderr {line!r} does not name the input {self.names!r}")
            if self.changed:
                out.append(f"output changed: {self.changed}")
        else:
            if c.outcome == "warning" and not re.search(c.problem, self.stderr, re.I):
                out.append(f"no warning matching {c.problem!r} in {self.stderr!r}")
            if self.feed_errors:
                out.append(f"feed errors: {self.feed_errors}")
            if self.episodes != 2:
                out.append(f"{self.episodes} episodes in the feed, expected 2")
        return out


def make_template(root: Path, cache_dir: Path) -> Path:
    """A working folder with voices/fake.toml and a show in ``out/`` holding one episode."""
    wd = root / "template"
    (wd / "voices").mkdir(parents=True)
    (wd / "voices" / "fake.toml").write_text(FAKE_VOICE, encoding="utf-8")
    (wd / "first.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "add", "first.txt", "--voice", "fake", "--out", "out"],
        cwd=wd,
        env=child_env(cache_dir),
        capture_output=True,
        text=True,
        timeout=CASE_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"template show could not be made: {proc.stderr}")
    return wd


def child_env(cache_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a newsaudio child: no inherited NEWSAUDIO_* settings, our cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAUDIO_")}
    env.update(
        NEWSAUDIO_CACHE_DIR=str(cache_dir),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        COLUMNS="200",
    )
    env.update(extra or {})
    return env


def snapshot(out: Path) -> dict[str, str]:
    """{relative path: sha256} of every published file (``.newsaudio/`` excluded)."""
    files: dict[str, str] = {}
    if not out.is_dir():
        return files
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if rel.parts[0] == ".newsaudio" or not path.is_file():
            continue
        files[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Names of files added (+), removed (-) or changed (~) between two snapshots."""
    out = [f"+{k}" for k in after.keys() - before.keys()]
    out += [f"-{k}" for k in before.keys() - after.keys()]
    out += [f"~{k}" for k in before.keys() & after.keys() if before[k] != after[k]]
    return sorted(out)


def catalog_sizes(out: Path) -> dict[str, int] | None:
    """{slug.mp3: bytes} from the catalog (read-only), or None if it cannot be read."""
    path = out / ".newsaudio" / "catalog.sqlite"
    if not path.is_file():
        return {}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute("SELECT slug, bytes FROM episodes").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return {f"{slug}.mp3": size for slug, size in rows}


def partial_files(out: Path, extra_allowed: Iterable[str] = ()) -> list[str]:
    """Partial or stray files in ``out``: temporary files anywhere in the published tree,
    MP3s in episodes/ the catalog does not list with exactly their size, and leftover work
    folders in ``.newsaudio/work``. ``extra_allowed`` names MP3s to accept (files from a
    known previous state)."""
    bad: list[str] = []
    if not out.is_dir():
        return bad
    for path in out.rglob("*"):
        rel = path.relative_to(out)
        if rel.parts[0] == ".newsaudio":
            continue
        if path.name.endswith((".tmp", ".part")) or path.name.startswith(".~"):
            bad.append(str(rel))
    work = out / ".newsaudio" / "work"
    if work.is_dir() and any(work.iterdir()):
        bad += [f".newsaudio/work/{p.name}" for p in work.iterdir()]
    sizes = catalog_sizes(out)
    episodes = out / "episodes"
    if sizes is not None and episodes.is_dir():
        allowed = set(extra_allowed)
        for mp3 in episodes.glob("*.mp3"):
            if mp3.name in allowed:
                continue
            if sizes.get(mp3.name) != mp3.stat().st_size:
                bad.append(
                    f"episodes/{mp3.name} (size {mp3.stat().st_size}, catalog "
                    f"{sizes.get(mp3.name)})"
                )
    return sorted(bad)


def feed_problems(out: Path) -> tuple[list[str], int]:
    """Errors of out/feed.xml (strict XML parse + newsaudio's feed rules + local files)
    and its number of items."""
    from lxml import etree

    from newsaudio.publish.check import check_target

    feed = out / "feed.xml"
    if not feed.is_file():
        return ["no feed.xml"], 0
    try:
        etree.fromstring(feed.read_bytes(), etree.XMLParser(recover=False))
    except etree.XMLSyntaxError as exc:
        return [f"feed.xml is not well-formed XML: {exc}"], 0
    report = check_target(str(feed))
    return [str(p) for p in report.errors], report.items


def run_case(case: Case, root: Path, template: Path, cache_dir: Path, ctx: Context) -> Result:
    """Copy the template show into ``root/<case.id>``, build the inputs, run the CLI once,
    and collect what it did."""
    skip = case.skip_reason()
    wd = root / case.id
    if skip:
        return Result(case, case.exit_code, "", "", 0.0, [], [], [], 0, case.id, skipped=skip)
    shutil.copytree(template, wd, symlinks=True)
    inv = case.build(wd, ctx)
    out = wd / inv.out
    before = snapshot(out)
    cmd = [sys.executable, "-m", "newsaudio", "add", *inv.args]
    if inv.voice is not None:
        cmd += ["--voice", inv.voice]
    cmd += ["--out", inv.out]
    env = child_env(cache_dir, inv.env)
    for name in inv.unset_env:
        env.pop(name, None)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            cwd=wd,
            env=env,
            input=inv.stdin if inv.stdin is not None else b"",
            capture_output=True,
            timeout=CASE_TIMEOUT_S,
            check=False,
        )
        rc, stdout, stderr = (
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )
    except subprocess.TimeoutExpired as exc:
        rc, stdout, stderr = -9, "", f"timed out after {exc.timeout} s (hang)"
    seconds = time.monotonic() - started
    try:
        after = snapshot(out)
        partial = partial_files(out)
        feed_errors: list[str] = []
        items = 0
        if case.outcome != "error":
            feed_errors, items = feed_problems(out)
    finally:
        if inv.cleanup is not None:
            inv.cleanup()
    shown = inv.shown_as or (inv.args[0] if inv.args else "")
    result = Result(
        case,
        rc,
        stderr,
        stdout,
        seconds,
        diff(before, after),
        partial,
        feed_errors,
        items,
        shown,
    )
    result.names = inv.names if inv.names is not None else (inv.args[0] if inv.args else "")
    return result


def run_cases(
    cases: Sequence[Case], root: Path, cache_dir: Path, ctx: Context, workers: int = 3
) -> dict[str, Result]:
    """Run ``cases`` (a template show is made first) in a pool of ``workers`` threads."""
    template = make_template(root, cache_dir)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {c.id: pool.submit(run_case, c, root, template, cache_dir, ctx) for c in cases}
        return {cid: f.result() for cid, f in futures.items()}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _message(result: Result) -> str:
    """The stderr line shown in the table, with the case folder and port made neutral."""
    if result.skipped:
        return f"skipped: {result.skipped}"
    if result.case.outcome == "error":
        line = result.error_line.removeprefix("newsaudio: error: ")
    elif result.case.outcome == "warning":
        line = next(
            (
                ln.strip()
                for ln in result.stderr.splitlines()
                if re.search(result.case.problem, ln, re.I)
            ),
            "",
        )
    else:
        line = "episode published, feed valid"
    line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", line)
    line = re.sub(r"/\S*?/cases/" + re.escape(result.case.id) + "/", "", line)
    return line if len(line) <= 160 else line[:157] + "..."


def render_table(results: dict[str, Result], command: str) -> str:
    """docs/robustness.md: the corpus table and its totals."""
    rows = list(results.values())
    ran = [r for r in rows if not r.skipped]
    tracebacks = sum(r.tracebacks for r in ran)
    partial = sum(len(r.partial) for r in ran)
    failing = [r.case.id for r in ran if r.problems()]
    by_outcome = {
        o: sum(1 for r in ran if r.case.outcome == o) for o in ("error", "warning", "fine")
    }
    lines = [
        "# Robustness corpus",
        "",
        "Every bad or odd input below is fed to the real command line "
        "(`python -m newsaudio add INPUT --voice fake --out out`, one subprocess each) against a "
        "show that already holds one good episode. For an **error** the test asserts the "
        "documented exit code, exactly one line on stderr naming the input and the problem, no "
        "traceback, and a published show that is byte-for-byte unchanged (file names and "
        "SHA-256 of everything in `out/` except the internal `.newsaudio/`) with no work files "
        "left. For **warning** and **fine** it asserts exit 0 and a feed that parses strictly "
        "and passes `newsaudio feed check` with both episodes. In every case: no traceback and "
        "no partial file (`*.tmp`, an MP3 the catalog does not list with its exact size, a "
        "leftover work folder).",
        "",
        f"Generated by `{command}` (tests: `python -m pytest tests/e2e/robustness`); do not edit "
        "by hand. Exit codes, limits, fault tests and the backup recipe follow the table.",
        "",
        f"- inputs: **{len(rows)}** ({len(ran)} run, {len(rows) - len(ran)} skipped here); "
        f"errors {by_outcome['error']}, warnings {by_outcome['warning']}, "
        f"fine {by_outcome['fine']}",
        f"- tracebacks: **{tracebacks}**",
        f"- partial files: **{partial}**",
        f"- cases not behaving as documented: **{len(failing)}**"
        + (f" ({', '.join(failing)})" if failing else ""),
        "",
        "| # | case | input | outcome | exit | what newsaudio says |",
        "|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(rows, 1):
        shown = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", r.shown_input)
        lines.append(
            f"| {n} | `{r.case.id}` | {_cell(r.case.what)} (`{_cell(shown)}`) | "
            f"{r.case.outcome} | {r.case.exit_code} | {_cell(_message(r))} |"
        )
    return "\n".join(lines) + "\n" + APPENDIX


APPENDIX = """
## Exit codes

| code | meaning |
|---|---|
| 0 | done (warnings, if any, went to stderr) |
| 1 | internal error: a bug, reported in one line (rerun with `--traceback` and report it) |
| 2 | bad command-line usage |
| 3 | the article: missing, not a file, empty, binary, not UTF-8, too big, no words; URL failures |
| 4 | voice: unknown, corrupt model, none for the article's language |
| 5 | the speech engine failed (network, HTTP status) |
| 6 | audio: ffmpeg missing or failing, a jingle it cannot decode |
| 7 | publishing: output unwritable or full; catalog corrupt, locked or from a newer newsaudio |
| 8 | settings: malformed newsaudio.toml or voice profile, bad environment value |
| 130 | interrupted (Ctrl-C); finished segments stay in the cache |

## Limits

- Article files: regular files only (a pipe, device or socket is refused: use `-` for
  standard input), at most 16 MiB read (the read stops at 16 MiB + 1 byte whatever the
  source claims); at most 1,000,000 characters of text after extraction.
- Words longer than 64 letters (base64, hashes, keyboard mashing) are dropped with a
  warning; an article left with no words is an error.
- URLs: http and https only, also on every redirect (at most 5, loops detected); 10 s to
  connect, 20 s between bytes, 60 s for the whole body (`NEWSAUDIO_FETCH_TIMEOUT=SECONDS`
  lowers all three); 10 MiB after decompression; HTML, Markdown or plain text only.
- Catalog: a run waits at most 60 s for another process's write lock
  (`NEWSAUDIO_CATALOG_TIMEOUT=SECONDS`), then fails with exit 7, leaving the show unchanged.

## Faults (tests/e2e/robustness/test_faults.py)

- **kill -9** at every stage of `newsaudio add` (when `-v` logs load, synthesis, encode,
  tag, publish; 300 ms into synthesis and assembly, which stream together; and 5, 15, 30,
  60, 120 ms into publishing, where the episode files are renamed in, the catalog row is
  committed and feed.xml and index.html are rewritten): afterwards the feed parses strictly
  and passes `newsaudio feed check`, the catalog opens, and `out/` holds no partial file.
  Temporary files are made in `.newsaudio/work/`, never beside published files, and
  renamed into place; the killed run's leftovers there are swept by the next run. A kill
  between the MP3's rename and the catalog commit can leave that complete MP3 unlisted;
  the next run replaces it. The next run completes the episode and, when the kill came
  after synthesis, synthesizes nothing again (every chunk comes from the cache).
- **20 concurrent** `newsaudio add` runs on one show: 20 new episodes, one valid feed,
  every MP3 in the catalog with its exact size.
- **Backup while a run is going**, restore, `newsaudio feed`: the same feed.

## Back up and restore a show

The catalog (`out/.newsaudio/catalog.sqlite`) is the show's source of truth; everything
else in `out/` can be regenerated from it or is a published file. Back up the catalog with
SQLite's online backup (safe while newsaudio runs), then the published files:

```sh
sqlite3 out/.newsaudio/catalog.sqlite ".backup backup/catalog.sqlite"
#   or: python -c "import sqlite3; s=sqlite3.connect('out/.newsaudio/catalog.sqlite'); \\
#        d=sqlite3.connect('backup/catalog.sqlite'); s.backup(d); d.close()"
rsync -a --exclude .newsaudio out/ backup/show/
```

Restore, then rebuild feed and page from the catalog:

```sh
rsync -a backup/show/ out/
mkdir -p out/.newsaudio && cp backup/catalog.sqlite out/.newsaudio/catalog.sqlite
newsaudio feed --out out
```

Copy the catalog first and the files second: every episode the catalog lists is then in
the copy (an episode published in between is only an unlisted file, harmless).

## Security and fuzzing

- tests/e2e/robustness/test_security.py: a Markdown article whose title, byline and body carry
  `<script>`, `]]>`, `../../`, bidi overrides, escape sequences and a fake `</item>` ends up
  as text in the feed (strict XML), in index.html (no element made from it), in the ID3
  title, and as an ASCII slug of at most 80 characters; slugs of hostile titles; no shell
  anywhere in `src/` (no `shell=True`, `os.system`, `os.popen`, string commands); only
  http(s) fetched; `serve` answers 404 to traversal (plain and percent-encoded), dot-folders,
  symlinks leading out of the show or into `.newsaudio/`, directories without an index,
  backslashes and NUL.
- tests/unit/test_fuzz.py (hypothesis, 120 examples per property, derandomized):
  any bytes as .txt/.md/.html/no suffix/stdin through load -> clean -> prepare give an
  InputError or a script of non-empty, speakable utterances within the engine limit; any
  Unicode in titles, descriptions, bylines, links and show fields gives a strictly
  well-formed feed whose text is the input minus XML-forbidden characters, and an
  index.html with only the template's elements.
"""
