"""Benchmark (issue 17): the speed work trades no quality. Every chunk of the seed script is
spoken three times: twice with Piper's own loading (``PiperVoice.load``: onnxruntime's default
session, as Piper's CLI and newsaudio before issue 17; the second time in reverse order, so
that every chunk gets other random draws) and once with newsaudio's worker
settings (``newsaudio.tts.piper.session_options``: one thread, no spinning, the optimized
graph kept per machine). Reports the per-chunk duration ratios (Piper's model is stochastic,
so the two baseline runs give the natural spread to compare with) and, when ``pocketsphinx``
is installed (``pip install pocketsphinx``: its English model ships in the wheel, nothing is
downloaded), the word error rate of each run against the spoken text.

Run: python benchmarks/bench_quality.py [--chunks N] [ARTICLE]   (last line: JSON)

Issue 26 adds an offline Whisper listener (benchmarks/listen_whisper.py, Whisper base from a
PyPI package, run with ``--listener PYTHON --whisper DIR``) and two measurements:

* ``--wer VOICE,VOICE ARTICLE...``: each article spoken by each voice (``voices preview``'s
  path: prepared, spoken chunk by chunk, joined), transcribed, WER against the text;
* ``--names [N]``: the names of benchmarks/names.txt (heads of state and government,
  capitals, companies) each in a carrier sentence, spoken by Piper ``joe`` with the
  pronunciation layer and without it (the raw engine), 8 sentences per file (Whisper
  listens in 30 s windows); a name is heard right when every word of it is in its file's
  transcript (case and accents folded).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_dd687a44eb0c24fa.txt"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def wer(reference: list[str], hypothesis: list[str]) -> float:
    """Word error rate: Levenshtein distance over words / reference length."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1] / max(1, len(reference))


def recognize(pcm: Any, rate: int) -> list[str] | None:
    """Words pocketsphinx hears in int16 mono ``pcm``; None without pocketsphinx."""
    try:
        from pocketsphinx import Decoder
    except ImportError:
        return None
    import numpy as np
    import soxr

    audio = soxr.resample(pcm.astype(np.float32) / 32768, rate, 16000)
    decoder = Decoder(samprate=16000)
    decoder.start_utt()
    decoder.process_raw((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return words(hyp.hypstr) if hyp is not None else []


CARRIER = "In the news today, {name} made the headlines again."
GROUP = 8


def _fold(text: str) -> list[str]:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", plain.lower())


def listen(files: list[Path], listener: str, whisper: str) -> dict[str, str]:
    """Transcripts of WAV ``files`` by the Whisper listener (a child process)."""
    import subprocess

    script = str(Path(__file__).with_name("listen_whisper.py"))
    proc = subprocess.run([listener, script, "--model", whisper, *map(str, files)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, str] = json.loads(proc.stdout.strip().splitlines()[-1])["transcripts"]
    return result


def _save(segment: Any, path: Path) -> Path:
    from newsaudio.tts.preview import save

    save(segment, path)
    return path


def names_test(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Names heard right by Whisper: Piper joe with the layer against the raw engine."""
    import numpy as np

    from newsaudio.models import Segment
    from newsaudio.tts import piper
    from newsaudio.tts.voices import get_voice

    lines = Path(__file__).with_name("names.txt").read_text(encoding="utf-8").splitlines()
    names = [n.strip() for n in lines if n.strip() and not n.startswith("#")]
    names = names[: args.names] if args.names else names
    engine = piper.PiperEngine(get_voice("joe"))
    # Whisper listens in 30 s windows: GROUP sentences per file (about 25 s), each name
    # looked for in its group's transcript
    groups = [names[i : i + GROUP] for i in range(0, len(names), GROUP)]
    files: dict[str, list[Path]] = {"layer": [], "raw": []}
    for g, group in enumerate(groups):
        for kind in ("layer", "raw"):
            parts = []
            for name in group:
                text = CARRIER.format(name=name)
                spoken = engine.marked(text) if kind == "layer" else text
                parts.append(engine._synthesize(spoken, engine.length_scale).samples)
                parts.append(np.zeros((engine.sample_rate_hz * 7 // 10, 1), dtype=np.int16))
            segment = Segment(np.concatenate(parts), engine.sample_rate_hz)
            files[kind].append(_save(segment, folder / f"{kind}-{g:03d}.wav"))
    heard = listen(files["layer"] + files["raw"], args.listener, args.whisper)
    result: dict[str, Any] = {"names": len(names), "per_file": GROUP}
    misses: dict[str, list[str]] = {}
    for kind in ("layer", "raw"):
        right = 0
        misses[kind] = []
        for group, path in zip(groups, files[kind], strict=True):
            transcript = set(_fold(heard[str(path)]))
            for name in group:
                if set(_fold(name)) <= transcript:
                    right += 1
                else:
                    misses[kind].append(name)
        result[f"heard_right_{kind}"] = round(right / len(names), 4)
    result["points_gained"] = round(
        100 * (result["heard_right_layer"] - result["heard_right_raw"]), 1
    )
    result["missed_with_layer"] = misses["layer"]
    result["missed_raw_only"] = sorted(set(misses["raw"]) - set(misses["layer"]))
    result["missed_layer_only"] = sorted(set(misses["layer"]) - set(misses["raw"]))
    return result


def wer_test(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """WER of each voice on each article (voices preview's path), by the Whisper listener."""
    from newsaudio.pipeline import load_article
    from newsaudio.text.prepare import prepare
    from newsaudio.tts.preview import preview

    results: dict[str, Any] = {}
    jobs: list[tuple[str, str, Path, list[str]]] = []
    for article in args.articles:
        script = prepare(load_article(str(article)), max_chars=400)
        text = "\n\n".join(u.spoken for u in script.utterances)
        for voice in args.wer.split(","):
            path = _save(preview(voice, text), folder / f"{voice}-{Path(article).stem}.wav")
            jobs.append((voice, str(article), path, words(text)))
    heard = listen([j[2] for j in jobs], args.listener, args.whisper)
    for voice, article, path, reference in jobs:
        results.setdefault(voice, {})[Path(article).name] = round(
            wer(reference, words(heard[str(path)])), 4
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=SEED)
    parser.add_argument("--chunks", type=int, default=0, help="first N chunks only (0: all)")
    parser.add_argument("--listener", default=sys.executable, help="python with faster-whisper")
    parser.add_argument("--whisper", default="", help="Whisper base folder (CTranslate2)")
    parser.add_argument("--names", type=int, default=-1, help="names test: first N (0: all)")
    parser.add_argument("--wer", default="", help="WER test: voices, comma-separated")
    parser.add_argument("--articles", nargs="*", type=Path, default=[SEED])
    args = parser.parse_args()
    if args.names >= 0 or args.wer:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            out: dict[str, Any] = {"listener": "faster-whisper, Whisper base (PyPI)"}
            if args.names >= 0:
                out["names"] = names_test(args, Path(tmp))
                print(f"  names heard right: layer {out['names']['heard_right_layer']}, raw "
                      f"{out['names']['heard_right_raw']}", flush=True)  # fmt: skip
            if args.wer:
                out["wer"] = wer_test(args, Path(tmp))
            print(json.dumps(out, ensure_ascii=False))
        return
    import numpy as np
    from piper import PiperVoice

    from newsaudio.pipeline import load_article
    from newsaudio.text.prepare import prepare
    from newsaudio.tts import piper
    from newsaudio.tts.piper_worker import load, speak
    from newsaudio.tts.voices import get_voice

    texts = [u.spoken for u in prepare(load_article(str(args.article)), max_chars=400).utterances]
    texts = texts[: args.chunks] if args.chunks else texts
    engine = piper.PiperEngine(get_voice("joe"))
    model, config = str(engine.model_path), str(engine.config_path)
    runs = {
        "baseline-1": PiperVoice.load(model, config_path=config),
        "baseline-2": PiperVoice.load(model, config_path=config),
        "newsaudio": load(model, config, 1, piper.session_options(model)),
    }
    frames: dict[str, list[int]] = {}
    heard: dict[str, float | None] = {}
    reference = words(" ".join(texts))
    for name, voice in runs.items():
        # baseline-2 speaks the chunks in reverse order: onnxruntime's random draws (Piper's
        # noise) follow the call order, so it shows the spread of the same settings
        order = range(len(texts) - 1, -1, -1) if name == "baseline-2" else range(len(texts))
        spoken = {i: np.frombuffer(speak(voice, texts[i], None, None), dtype="<i2") for i in order}
        pcm = [spoken[i] for i in range(len(texts))]
        frames[name] = [len(p) for p in pcm]
        hyp = recognize(np.concatenate(pcm), engine.sample_rate_hz)
        heard[name] = round(wer(reference, hyp), 4) if hyp is not None else None
        print(f"  {name:11s} {sum(frames[name]) / engine.sample_rate_hz:7.2f} s of speech, "
              f"WER {heard[name]}", flush=True)  # fmt: skip

    def spread(a: str, b: str) -> dict[str, float]:
        ratios = [x / y for x, y in zip(frames[a], frames[b], strict=True)]
        return {
            "total_ratio": round(sum(frames[a]) / sum(frames[b]), 4),
            "median_abs_dev": round(statistics.median(abs(r - 1) for r in ratios), 4),
            "max_abs_dev": round(max(abs(r - 1) for r in ratios), 4),
        }

    result = {
        "chunks": len(texts),
        "newsaudio_vs_baseline": spread("newsaudio", "baseline-1"),
        "baseline_vs_baseline": spread("baseline-2", "baseline-1"),
        "wer": heard,
        "recognizer": "pocketsphinx (bundled en-us model)" if heard["newsaudio"] is not None
        else None,
    }  # fmt: skip
    print(
        f"  durations newsaudio/baseline {result['newsaudio_vs_baseline']}; "
        f"baseline/baseline {result['baseline_vs_baseline']}"
    )
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
