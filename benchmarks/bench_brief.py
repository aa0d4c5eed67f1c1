"""Benchmark (issue 23): a 10-story morning briefing (`newsaudio digest --brief`, lead briefs
of 60 s a story) from warm single episodes, against `newsaudio digest` of the same stories
read in full: wall time (ratio ``vs_full_digest``) and each episode's length in minutes.

The ten stories (about 530 words each, written as news is: the lead first, a byline and an
"Advertisement" line in the body) are first made into single episodes with `newsaudio add`
(untimed: this warms the segment cache, as a night of `update` would); then the full digest
and the briefing are each timed. Both read their sentences from the cache, so the figure
compares what a briefing costs once the stories exist. The default voice (Piper) speaks.

Run: python benchmarks/bench_brief.py [--repeat N] [--stories N] [--seconds S]
Last line: {"brief_minutes", "full_minutes", "vs_full_digest", ...}
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = [
    ("Harbour ferry adds winter crossings", "the island ferry company", "commuters"),
    ("Library to open on Sundays", "the central library", "students"),
    ("Council approves new cycle lanes", "the city council", "cyclists"),
    ("School roof repaired ahead of term", "the school board", "parents"),
    ("Market hall reopens after fire", "the market traders' association", "shoppers"),
    ("River path resurfaced in spring", "the parks department", "walkers"),
    ("Night buses extended to the suburbs", "the transport authority", "shift workers"),
    ("County museum wins national funding", "the county museum", "visitors"),
    ("Clinic hires two new doctors", "the health board", "patients"),
    ("Bridge works finish a month early", "the highways team", "drivers"),
    ("Theatre announces its winter season", "the civic theatre", "audiences"),
    ("Allotments get a water supply", "the allotment society", "gardeners"),
]


def story(i: int) -> tuple[str, str]:
    """Title and Markdown body (about 530 words) of story ``i``."""
    title, who, whom = PLACES[i % len(PLACES)]
    cost = 120 + 15 * i
    paragraphs = [
        "By Morgan Hale",
        f"{who[0].upper() + who[1:]} confirmed on Tuesday that the plan will go ahead next "
        f"month, after a consultation that drew more than {300 + 20 * i} responses. "
        f"The work will cost {cost} thousand pounds and should take about {6 + i} weeks.",
        f"Officials said the decision followed two years of requests from local {whom}, who "
        "had complained about delays, poor information and a lack of choice. A spokesperson "
        "said the project was the largest of its kind in the district for a decade.",
        "Advertisement",
        f"Not everyone is convinced. Some {whom} said the timetable was too short and asked "
        "for a second public meeting before the work begins. Others worried that the cost "
        "would rise, as it had on earlier schemes in the area, and that the money would be "
        "better spent elsewhere.",
        "The money comes from the regional development fund, which has paid for similar "
        "schemes in neighbouring towns. Its director said the fund looked for projects that "
        "helped many people at once and could be finished within a year.",
        "A public meeting is planned for the end of the month in the town hall. Updates will "
        "be posted every Friday on the council's website, and a telephone line will answer "
        "questions during office hours. The first results are expected in the spring.",
        f"Local businesses said they hoped the work would bring more {whom} into the centre. "
        "One shop owner said the last year had been hard, and that any sign of investment "
        "was welcome. Others asked that the work be done outside the busiest weeks of the "
        "year, when trade matters most.",
        "The plan has a long history. A first version was drawn up six years ago but was "
        "set aside when the money ran out, and a second was rejected after residents said "
        "they had not been asked. This time, officials said, every stage had been discussed "
        "in public, and the final design changed in several places as a result.",
        "Engineers who worked on the design said the hardest part had been keeping the "
        "service running while the work goes on. Temporary arrangements will be in place "
        "for most of the period, and signs will explain what is open and what is closed. "
        "Staff will be on hand at the busiest times to help people find their way.",
        "The opposition on the council supported the plan but asked for regular reports on "
        "the budget. Its leader said the town could not afford another scheme that finished "
        "late and cost more than promised, and that the public deserved to know how the "
        "money was spent. The council agreed to publish a report every quarter.",
        "Residents who live nearest to the site will receive a letter next week with the "
        "dates of the noisiest work. Those with questions can also visit an information "
        "point in the library, which will be open on weekday afternoons until the work is "
        "done. Officials said they would try to answer every question within a week.",
    ]
    return title, "\n\n".join(paragraphs)


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Run ``cmd``; wall seconds and stdout."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])}...: exit {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return time.perf_counter() - start, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stories", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    n = args.stories
    env = dict(os.environ)
    env.pop("NEWSAUDIO_CACHE_DIR", None)
    py = [sys.executable, "-m", "newsaudio"]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        paths = []
        for i in range(n):
            title, body = story(i)
            path = t / f"story-{i}.md"
            path.write_text(
                f"---\ntitle: {title}\nsite: Bench Gazette\nurl: https://news.example/{i}\n"
                f"---\n\n{body}\n",
                encoding="utf-8",
            )
            paths.append(str(path))
        common = ["--out", str(t / "show"), "--cache-dir", str(t / "cache")]
        warm_s, _ = run([*py, "add", *paths, *common], t, env)
        print(f"warming: {n} single episodes made in {warm_s:.1f} s", flush=True)
        full_walls, brief_walls = [], []
        full: dict[str, object] = {}
        brief: dict[str, object] = {}
        for _ in range(args.repeat):
            wall, out = run([*py, "digest", *paths, *common, "--json", "--title", "Full"], t, env)
            full_walls.append(wall)
            full = json.loads(out)
            wall, out = run(
                [*py, "digest", *paths, *common, "--json", "--title", "Briefing",
                 f"--brief={args.seconds:g}"],
                t, env,
            )  # fmt: skip
            brief_walls.append(wall)
            brief = json.loads(out)
    full_min = float(str(full["duration_s"])) / 60
    brief_min = float(str(brief["duration_s"])) / 60
    stories = brief["stories"]
    assert isinstance(stories, list)
    per_story = [s["seconds"] for s in stories]
    result = {
        "stories": n,
        "story_seconds": args.seconds,
        "brief_s": round(min(brief_walls), 2),
        "full_s": round(min(full_walls), 2),
        "brief_synthesized": brief["synthesized"],
        "story_seconds_max": max(per_story),
        "runs": args.repeat,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "brief_minutes": round(brief_min, 2),
        "full_minutes": round(full_min, 2),
        "vs_full_digest": round(min(brief_walls) / min(full_walls), 3),
    }
    print(f"full digest, {n} stories  {min(full_walls):7.2f} s  {full_min:6.2f} min of audio")
    print(f"briefing ({args.seconds:g} s a story) {min(brief_walls):7.2f} s  {brief_min:6.2f} min")
    print(f"per story (chapter, s): {per_story}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
