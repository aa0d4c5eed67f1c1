"""Publish benchmark: an incremental ``newsaudio publish`` of a show that changed by one
episode, against a full copy of the show (what ``rsync`` without state, or a naive upload
script, sends), on moto's S3 server on 127.0.0.1 and on a folder.

The show is synthetic (feed.xml, index.html, cover.jpg and N episodes of 1 MiB MP3 plus four
sidecars each), so the figures measure publishing alone. Targets: the incremental publish
after adding one episode moves about 1/N of the bytes and takes a fraction of a full copy.

Run: python benchmarks/bench_publish.py [--episodes N]   (needs moto[server], the test extra)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_show(root: Path, n: int, first: int = 0) -> None:
    (root / "episodes").mkdir(parents=True, exist_ok=True)
    for k in range(first, n):
        (root / "episodes" / f"story-{k}.mp3").write_bytes(os.urandom(1 << 20))
        for suffix in (".vtt", ".srt", ".txt", ".chapters.json"):
            (root / "episodes" / f"story-{k}{suffix}").write_text(f"{k} {suffix}\n" * 200)
    (root / "cover.jpg").write_bytes(b"\xff\xd8" + os.urandom(200_000))
    (root / "index.html").write_text(f"<html>{n} episodes</html>")
    (root / "feed.xml").write_text(f"<rss>{n} episodes</rss>")


def full_copy(show: Path, target: object, keys: list[str]) -> None:
    """The baseline: every file put again, no state (what a stateless uploader does)."""
    from newsaudio.publish.remote import headers

    for key in keys:
        target.put(key, show / key, *headers(key))  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20)
    args = parser.parse_args()
    from tests.remote_servers import BUCKET, aws_env, moto_s3

    from newsaudio.config import Show
    from newsaudio.publish.remote import public_files, publish_show
    from newsaudio.publish.targets import open_target

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp, moto_s3() as endpoint:
        os.environ.update(aws_env(endpoint))
        n = args.episodes
        for kind in ("folder", "s3"):
            out = Path(tmp) / f"show-{kind}"
            make_show(out, n)
            show = Show(out_dir=out)
            url = f"s3://{BUCKET}/bench" if kind == "s3" else str(Path(tmp) / "www")
            publish_show(show, url)  # the show as published yesterday
            make_show(out, n + 1, first=n)  # one new episode (+ new feed, page)
            start = time.perf_counter()
            report = publish_show(show, url)
            incremental_s = time.perf_counter() - start
            start = time.perf_counter()
            noop = publish_show(show, url)
            noop_s = time.perf_counter() - start
            keys = [rel for rel, _ in public_files(show)]
            target = open_target(url)
            start = time.perf_counter()
            full_copy(out, target, keys)  # last: it rewrites the remote behind the state
            full_s = time.perf_counter() - start
            target.close()
            total = sum(p.stat().st_size for _, p in public_files(show))
            results[kind] = {
                "files": len(keys),
                "incremental_s": round(incremental_s, 3),
                "incremental_uploaded": len(report.uploaded),
                "incremental_bytes": report.bytes,
                "full_copy_s": round(full_s, 3),
                "full_bytes": total,
                "ratio_time": round(incremental_s / full_s, 3),
                "ratio_bytes": round(report.bytes / total, 3),
                "nothing_new_s": round(noop_s, 3),
                "nothing_new_uploaded": len(noop.uploaded),
            }
            print(
                f"{kind}: one new episode in {n + 1}: {len(report.uploaded)} files, "
                f"{report.bytes:,} bytes in {incremental_s:.2f} s; full copy of {len(keys)} "
                f"files ({total:,} bytes) {full_s:.2f} s; ratio {incremental_s / full_s:.3f}; "
                f"nothing new: {noop_s:.2f} s, {len(noop.uploaded)} uploaded"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
