"""Front-end speed: prepare a 100,000-word news-like text vs the time Piper needs to speak it.

Run: ``python benchmarks/bench_frontend.py [--words 100000] [--sample-words 300]``

1. Generates a deterministic news-like article (headings, list items, numbers, dates, times,
   currency, abbreviations, initialisms, quotations, boilerplate lines) of ``--words`` words.
2. Times the whole front-end on it: load (text loader) + clean + prepare (sentence split,
   speech normalization with the bundled lexicon, chunking to Piper's limit).
3. Times Piper (bundled voice ``joe``, model loaded and warmed up first) speaking the first
   ``--sample-words`` words of the prepared utterances and extrapolates per word to the
   whole text.
4. Prints both times and their ratio; the target is a ratio under 5 %.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

PLACES = ["Beijing", "Washington", "Kyiv", "Brussels", "Nairobi", "Lima", "Oslo", "Manila"]
PEOPLE = [
    "Dr. Okafor",
    "Sen. Whitlock",
    "Gov. Ann Lee",
    "Gen. Bo Park",
    "Mr. Tanaka",
    "Prof. Ruiz",
    "U.N. Secretary-General Antonio Guterres",
    "President Mara Lind",
]
TOPICS = [
    "the harbour",
    "the budget",
    "the bridge",
    "COVID-19 precautions",
    "the election",
    "the U.S.-led talks",
    "the new cycle lanes",
    "the ferry timetable",
]
TEMPLATES = [
    "{person} said on {day} that {topic} would cost ${money},000 by {year}.",
    "More than {big:,} people attended, up {pct}% from {year2}, according to the U.S. agency.",
    "The first train leaves at {hh:02d}:{mm:02d} and the last at {h12} p.m., officials said.",
    "“We are ready,” {person} told reporters in {place} on Jan. {dd}, adding {topic} mattered.",
    "Temperatures fell to {dec} °C overnight, and winds reached {kmh} km/h near {place}.",
    "The {ordinal} meeting since {year} ended without a deal; talks resume in {place} next week.",
    "Prices rose {dec}% in the year to March, the fastest pace since {year2}, e.g. for bread.",
    "The company, valued at $1.{dd}bn, cut {pct} jobs in {place} — about one in {small} staff.",
]  # fmt: skip
BOILERPLATE = ["Read More", "Advertisement", "Share this article", "Leave a Reply"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def news_text(words: int, seed: int = 0) -> str:
    """A deterministic news-like plain-text article of about ``words`` words."""
    rng = random.Random(seed)
    out = ["Leaders meet as talks on the harbour budget resume", ""]
    count = 0
    paragraph = 0
    while count < words:
        paragraph += 1
        if paragraph % 12 == 0:
            out += [rng.choice(BOILERPLATE), ""]
        sentences = []
        for _ in range(rng.randint(2, 5)):
            ordinal = rng.randint(2, 99)
            suffix = (
                "th"
                if 10 <= ordinal % 100 <= 20
                else {1: "st", 2: "nd", 3: "rd"}.get(ordinal % 10, "th")
            )
            s = rng.choice(TEMPLATES).format(
                person=rng.choice(PEOPLE), day=rng.choice(DAYS), topic=rng.choice(TOPICS),
                money=rng.randint(1, 999), year=rng.randint(1990, 2030),
                year2=rng.randint(1950, 2020), big=rng.randint(1000, 900000),
                pct=rng.randint(1, 99), hh=rng.randint(0, 23), mm=rng.randint(0, 59),
                h12=rng.randint(1, 11), place=rng.choice(PLACES), dd=rng.randint(1, 28),
                dec=f"{rng.randint(0, 40)}.{rng.randint(1, 9)}", kmh=rng.randint(10, 150),
                ordinal=f"{ordinal}{suffix}", small=rng.randint(3, 12),
            )  # fmt: skip
            sentences.append(s)
            count += len(s.split())
        out += [" ".join(sentences), ""]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--sample-words", type=int, default=300)
    args = parser.parse_args()

    from newsaudio.pipeline import load_article
    from newsaudio.text.lexicon import load_lexicon
    from newsaudio.text.prepare import prepare
    from newsaudio.tts.base import create_engine
    from newsaudio.tts.voices import builtin_voices_dir, get_voice

    engine = create_engine(get_voice("joe"))
    lexicon = load_lexicon(builtin_voices_dir() / "lexicon.toml")
    text = news_text(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.txt"
        path.write_text(text, encoding="utf-8")
        prepare(load_article(str(path)), max_chars=engine.max_chars, lexicon=lexicon)  # warm-up
        started = time.perf_counter()
        article = load_article(str(path))
        script = prepare(article, max_chars=engine.max_chars, lexicon=lexicon)
        frontend_s = time.perf_counter() - started
    total_words = article.word_count

    engine.synthesize("Warm up the voice model.")
    sample: list[str] = []
    sample_words = 0
    for u in script.utterances[1:]:
        if sample_words >= args.sample_words:
            break
        sample.append(u.spoken)
        sample_words += len(u.display.split())
    started = time.perf_counter()
    audio_ms = 0.0
    for spoken in sample:
        audio_ms += engine.synthesize(spoken).duration_ms
    piper_sample_s = time.perf_counter() - started
    piper_total_s = piper_sample_s / sample_words * total_words
    ratio = frontend_s / piper_total_s

    print(f"text: {total_words:,} words, {len(script.utterances):,} utterances")
    print(f"front-end (load + clean + prepare): {frontend_s:.2f} s "
          f"({frontend_s / total_words * 1e6:.1f} µs/word)")  # fmt: skip
    print(f"piper ({engine.identity().split('/')[0]}): {sample_words} words in "
          f"{piper_sample_s:.2f} s ({audio_ms / 1000:.1f} s of audio); "
          f"extrapolated to {total_words:,} words: {piper_total_s:.0f} s")  # fmt: skip
    print(f"ratio front-end / piper: {ratio:.2%} (target < 5 %)")
    print(json.dumps({"words": total_words, "frontend_s": round(frontend_s, 2),
                      "piper_extrapolated_s": round(piper_total_s, 1),
                      "ratio": round(ratio, 5), "target": 0.05}))  # fmt: skip
    return 0 if ratio < 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
