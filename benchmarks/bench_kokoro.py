"""Benchmark (issue 26): what Kokoro costs through newsaudio, against kokoro-onnx and Piper.

Each path runs in a fresh process on the same text (the first ``--words`` words of the seed
article, paragraph by paragraph), with the model loaded and warmed up first; measured:
CPU-seconds of the process per second of speech produced (``time.process_time``), and the
process's peak resident memory (``ru_maxrss``, model and G2P included).

1. ``newsaudio-model``: newsaudio's Kokoro path as its worker runs it
   (:class:`newsaudio.tts.kokoro_worker.KokoroModel`), on misaki's phonemes of each paragraph.
2. ``kokoro-onnx``: the ``kokoro-onnx`` package's own ``Kokoro.create(phonemes,
   is_phonemes=True)`` on the same phonemes, model file, voice and session settings (its own
   G2P is plain espeak-ng, not what Kokoro was trained with, so phonemes are given). Target:
   ``newsaudio-model`` / ``kokoro-onnx`` <= 1.0.
3. ``newsaudio-engine``: the whole engine in one process (pronunciation layer, misaki and the
   model: ``KokoroEngine.synthesize`` per paragraph, ``NEWSAUDIO_KOKORO_WORKERS=1``).
4. ``piper``: newsaudio's Piper engine with the default voice ``joe``, one process.

Needs Kokoro installed (``newsaudio voices install kokoro``; ``NEWSAUDIO_DATA_DIR`` is
honoured), the ``kokoro`` extra and ``pip install kokoro-onnx==0.6.1`` (benchmark only).
Run: python benchmarks/bench_kokoro.py [--words N] [--voice af_heart] [ARTICLE]
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_dd687a44eb0c24fa.txt"

CHILD = r"""
import json, os, resource, sys, time
path, voice, words = sys.argv[1], sys.argv[2], int(sys.argv[3])
kind = sys.argv[4]
text = open(path, encoding="utf-8").read()
paragraphs, count = [], 0
for p in (" ".join(p.split()) for p in text.split("\n\n")):
    if p and count < words:
        paragraphs.append(p)
        count += len(p.split())
from newsaudio.tts.kokoro_files import installed
files = installed()
def phonemize():
    from newsaudio.tts.kokoro import g2p_for
    from newsaudio.tts.kokoro_files import voice_language
    g2p = g2p_for(voice_language(voice))
    return [g2p(p) for p in paragraphs]
if kind == "newsaudio-model":
    from newsaudio.tts.kokoro_worker import KokoroModel, SAMPLE_RATE
    phonemes = phonemize()
    model = KokoroModel(str(files.model), str(files.voices), 1)
    model.speak("hˈɛlO.", voice)
    start = time.process_time()
    frames = sum(len(model.speak(p, voice)) for p in phonemes)
    rate = SAMPLE_RATE
elif kind == "kokoro-onnx":
    import onnxruntime as ort
    from kokoro_onnx import Kokoro
    from newsaudio.tts.kokoro_worker import session_options
    phonemes = phonemize()
    session = ort.InferenceSession(str(files.model), sess_options=session_options(1),
                                   providers=["CPUExecutionProvider"])
    kokoro = Kokoro.from_session(session, str(files.voices))
    kokoro.create("hˈɛlO.", voice=voice, is_phonemes=True)
    start = time.process_time()
    frames, rate = 0, 24000
    for p in phonemes:
        audio, rate = kokoro.create(p, voice=voice, is_phonemes=True)
        frames += len(audio)
else:
    os.environ["NEWSAUDIO_KOKORO_WORKERS"] = "1"
    os.environ["NEWSAUDIO_PIPER_WORKERS"] = "1"
    from newsaudio.tts.base import create_engine, get_voice
    engine = create_engine(get_voice(voice))
    engine.synthesize("Hello.")
    start = time.process_time()
    segments = [engine.synthesize(p) for p in paragraphs]
    frames = sum(s.frames for s in segments)
    rate = segments[0].sample_rate_hz
cpu = time.process_time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"cpu_s": cpu, "speech_s": frames / rate, "peak_bytes": peak,
                  "words": count}))
"""

PATHS = ("newsaudio-model", "kokoro-onnx", "newsaudio-engine", "piper")


def measure(kind: str, article: Path, voice: str, words: int) -> dict[str, float]:
    """One path in a fresh process; its JSON figures plus CPU-s per speech-second."""
    name = "joe" if kind == "piper" else voice
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(article), name, str(words), kind],
        capture_output=True, text=True, check=False, cwd=REPO, env={**os.environ},
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed: {proc.stderr.strip().splitlines()[-1:]}")
    figures: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["cpu_per_speech_s"] = figures["cpu_s"] / figures["speech_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", nargs="?", type=Path, default=SEED)
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--voice", default="af_heart")
    parser.add_argument("--skip", default="", help="comma-separated paths to leave out")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    results = {k: measure(k, args.article, args.voice, args.words) for k in PATHS if k not in skip}
    print(f"{'path':<18} {'speech s':>9} {'CPU s':>8} {'CPU-s/speech-s':>15} {'peak MB':>8}")
    for kind, r in results.items():
        print(f"{kind:<18} {r['speech_s']:>9.1f} {r['cpu_s']:>8.1f} "
              f"{r['cpu_per_speech_s']:>15.3f} {r['peak_bytes'] / 1e6:>8.0f}")  # fmt: skip
    ratios = {}
    if "newsaudio-model" in results and "kokoro-onnx" in results:
        ratios["newsaudio_vs_kokoro_onnx"] = (
            results["newsaudio-model"]["cpu_per_speech_s"]
            / results["kokoro-onnx"]["cpu_per_speech_s"]
        )
    if "newsaudio-engine" in results and "piper" in results:
        ratios["kokoro_engine_vs_piper"] = (
            results["newsaudio-engine"]["cpu_per_speech_s"] / results["piper"]["cpu_per_speech_s"]
        )
    for name, value in ratios.items():
        print(f"{name}: {value:.2f}")
    print(json.dumps({"bench": "kokoro", "voice": args.voice, "paths": results, **ratios,
                      "load_avg": os.getloadavg()[0]}))  # fmt: skip


if __name__ == "__main__":
    main()
