"""Assembly benchmarks (AUDIO-02), all ratios measured in the same run.

1. Joining 1,000 one-second segments (with 300 ms pauses, 22,050 Hz mono): newsaudio's
   streaming :func:`~newsaudio.audio.assemble.assemble` against a naive pydub loop
   (``episode += chunk + pause``), which copies everything so far on every append.
   Target: >= 100x faster.
2. Peak memory (RSS, from ``resource.getrusage`` of a child process) of assembling a
   60-minute and a 10-minute programme from the fake engine at 44.1 kHz, streamed through
   the ebur128 meter as in ``newsaudio add``. Target: 60 min <= 300 MB, and within +-10 %
   of the 10-minute run (flat memory).

Run: ``python benchmarks/bench_assembly.py`` (about a minute on 2 cores). ``--json``
prints the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

RATE = 22050
SEGMENTS = 1000


def _chunks(n: int, rate: int) -> list[np.ndarray]:
    t = np.arange(rate) / rate
    return [
        (0.4 * 32767 * np.sin(2 * np.pi * (200 + i % 50 * 10) * t)).astype(np.int16)
        for i in range(n)
    ]


def bench_join(n: int) -> dict[str, float]:
    """Seconds for newsaudio's streaming join and for the naive pydub loop."""
    from newsaudio.audio.assemble import assemble
    from newsaudio.models import Segment, Utterance

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    chunks = _chunks(n, RATE)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        pieces = (
            (Utterance("sentence", str(i), str(i), 300, i), Segment(c.reshape(-1, 1), RATE))
            for i, c in enumerate(chunks)
        )
        programme = assemble(pieces, Path(tmp) / "p.pcm", rate_hz=RATE, channels=1)
        ours = time.perf_counter() - start
        ours_s = programme.timeline.duration_ms / 1000

    start = time.perf_counter()
    pause = AudioSegment.silent(duration=300, frame_rate=RATE)
    episode = AudioSegment.empty()
    for c in chunks:
        seg = AudioSegment(c.tobytes(), frame_rate=RATE, sample_width=2, channels=1)
        episode += seg + pause
    naive = time.perf_counter() - start
    return {
        "segments": n,
        "newsaudio_s": round(ours, 3),
        "pydub_naive_s": round(naive, 3),
        "speedup": round(naive / ours, 1),
        "newsaudio_audio_s": ours_s,
        "pydub_audio_s": len(episode) / 1000,
    }


def _child_rss(minutes: float) -> None:
    """In a child process: assemble ``minutes`` of fake-engine speech, print peak RSS."""
    from newsaudio.audio import jingle
    from newsaudio.audio.assemble import assemble
    from newsaudio.audio.loudness import LoudnessMeter
    from newsaudio.models import Utterance
    from newsaudio.tts.fake import FakeEngine
    from newsaudio.tts.voices import Voice

    engine = FakeEngine(Voice("fake", "fake", "en-US"))
    sentence = "This sentence stands in for one spoken by a real engine, about this long."
    per = (len(sentence) * 40 + 100 + 450) / 1000  # tone + pads + pause, seconds

    def pieces():  # type: ignore[no-untyped-def]
        for i in range(int(minutes * 60 / per)):
            text = f"{sentence} {i}"
            yield Utterance("sentence", text, text, 450, i // 5), engine.synthesize(text)

    with tempfile.TemporaryDirectory() as tmp:
        with LoudnessMeter(44100, 1) as meter:
            programme = assemble(
                pieces(),
                Path(tmp) / "p.pcm",
                rate_hz=44100,
                intro=jingle.intro(),
                outro=jingle.outro(),
                sinks=[meter.feed],
            )
            meter.result()
        seconds = programme.timeline.duration_ms / 1000
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"minutes": round(seconds / 60, 2), "peak_rss_mb": round(peak_kb / 1024, 1)}))


def bench_memory(minutes: float) -> dict[str, float]:
    """Peak RSS (MB) of a child process assembling a ``minutes``-long programme."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child-rss", str(minutes)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - start, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--segments", type=int, default=SEGMENTS)
    parser.add_argument("--child-rss", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss is not None:
        _child_rss(args.child_rss)
        return
    join = bench_join(args.segments)
    long, short = bench_memory(60), bench_memory(10)
    report = {
        "join": join,
        "memory_60min": long,
        "memory_10min": short,
        "rss_ratio_60_vs_10": round(long["peak_rss_mb"] / short["peak_rss_mb"], 3),
        "targets": {
            "speedup>=100": join["speedup"] >= 100,
            "rss_60min<=300MB": long["peak_rss_mb"] <= 300,
            "rss_60_vs_10_within_10%": abs(long["peak_rss_mb"] / short["peak_rss_mb"] - 1) <= 0.10,
        },
    }
    if args.json:
        print(json.dumps(report))
        return
    print(
        f"join {join['segments']} segments: newsaudio {join['newsaudio_s']:.2f} s, naive pydub "
        f"{join['pydub_naive_s']:.2f} s -> {join['speedup']:.0f}x faster"
    )
    print(
        f"peak RSS: {long['minutes']:.1f} min programme {long['peak_rss_mb']:.0f} MB, "
        f"{short['minutes']:.1f} min programme {short['peak_rss_mb']:.0f} MB "
        f"(ratio {report['rss_ratio_60_vs_10']:.2f})"
    )
    for name, ok in report["targets"].items():  # type: ignore[attr-defined]
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
