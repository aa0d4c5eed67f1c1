"""Assembly: one format, exact pauses, streaming joins, chapters, music bed (real ffmpeg)."""

from __future__ import annotations

import itertools
import subprocess
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from newsaudio.audio.assemble import assemble, convert, trim
from newsaudio.audio.ffmpeg import decode_file, find_ffmpeg
from newsaudio.audio.loudness import LoudnessMeter, measure_segment
from newsaudio.audio.master import MasterSettings, encode
from newsaudio.errors import AudioError
from newsaudio.models import Segment
from tests.support import case_json
from tests.support.audio import sine, utt


def write_audio(segment: Segment, path: Path, *codec: str) -> Path:
    """Write ``segment`` with ffmpeg (container from the suffix, optional codec args)."""
    subprocess.run(
        [
            find_ffmpeg(),
            "-v",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ar",
            str(segment.sample_rate_hz),
            "-ac",
            str(segment.channels),
            "-i",
            "-",
            *codec,
            str(path),
        ],
        input=segment.samples.tobytes(),
        check=True,
    )
    return path


def decode_mono(path: Path, rate: int = 44100) -> np.ndarray:
    """Decode ``path`` to mono float samples with newsaudio's own ffmpeg decoder."""
    return decode_file(path, rate, 1).samples[:, 0].astype(np.float64)


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    window = samples * np.hanning(len(samples))
    spectrum = np.abs(np.fft.rfft(window))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_audio_01_mixed_rates_and_channels_join_in_order(tmp_path: Path) -> None:
    """AUDIO-01: five pieces of different rates/channels/containers, one format, in order."""
    case = case_json("AUDIO-01")
    expected = case["expected"]
    specs = {s["role"]: s for s in case["input"]["segments"]}
    made: dict[str, Segment] = {}
    for role, hz in (("intro_jingle", 440), ("speech_piper", 330), ("outro_jingle", 550)):
        s = specs[role]
        wav = write_audio(
            sine(hz, s["duration_s"], s["sample_rate_hz"], s["channels"]), tmp_path / f"{role}.wav"
        )
        made[role] = decode_file(wav, s["sample_rate_hz"], s["channels"])
    g = specs["speech_gtts"]
    mp3 = write_audio(
        sine(220, g["duration_s"], g["sample_rate_hz"]),
        tmp_path / "gtts.mp3",
        "-c:a",
        "libmp3lame",
        "-b:a",
        "64k",
    )
    made["speech_gtts"] = decode_file(mp3, g["sample_rate_hz"], 1)
    pause_ms = round(specs["pause"]["duration_s"] * 1000)

    settings = MasterSettings()
    with LoudnessMeter(settings.sample_rate_hz, settings.channels) as meter:
        programme = assemble(
            [(utt("gtts", pause_ms), made["speech_gtts"]), (utt("piper", 0), made["speech_piper"])],
            tmp_path / "p.pcm",
            intro=made["intro_jingle"],
            outro=made["outro_jingle"],
            match_loudness=False,
            gap_after_intro_ms=0,
            gap_before_outro_ms=0,
            sinks=[meter.feed],
        )
        measured = meter.result()
    pcm = np.fromfile(programme.pcm_path, dtype="<i2")
    assert abs(len(pcm) / 44100 - programme.timeline.duration_ms / 1000) < 0.001
    assert abs(len(pcm) / 44100 - expected["output_duration_s"]) < 0.001  # exact before MP3
    encoded = encode(programme, measured, tmp_path / "out.mp3", settings)
    audio = decode_mono(encoded.path)
    rate = 44100
    assert abs(len(audio) / rate - expected["output_duration_s"]) <= expected["tolerance_s"]
    # order: dominant frequency in the middle of each piece, silence in the pause
    bounds = [
        ("intro", 0.0, 3.0, 440),
        ("gtts", 3.0, 5.345, 220),
        ("pause", 5.345, 5.845, 0),
        ("piper", 5.845, 7.622, 330),
        ("outro", 7.622, 9.622, 550),
    ]
    for name, start, end, hz in bounds:
        mid = audio[int((start + 0.1) * rate) : int((end - 0.1) * rate)]
        if hz == 0:
            assert np.sqrt(np.mean(mid**2)) < 30, name
        else:
            assert abs(dominant_hz(mid, rate) - hz) < 5, name
    tail = audio[-rate // 2 :]
    assert abs(dominant_hz(tail, rate) - 550) < 5
    assert np.sqrt(np.mean(tail**2)) > 1000  # the outro tone, not silence or truncation


def test_audio_02_1500_segment_join_is_exact_and_streams(tmp_path: Path) -> None:
    """AUDIO-02: 1,500 x (1.2 s + 0.3 s) at 22,050 Hz = 2,250 s, memory flat."""
    case = case_json("AUDIO-02")
    spec, expected = case["input"], case["expected"]
    rate = spec["sample_rate_hz"]
    chunk = sine(440, spec["chunk_duration_s"], rate)
    pause = round(spec["pause_between_chunks_s"] * 1000)
    pieces = ((utt(f"s{i}", pause, block=i), chunk) for i in range(spec["chunks"]))
    tracemalloc.start()
    try:
        programme = assemble(pieces, tmp_path / "p.pcm", rate_hz=rate, channels=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = programme.pcm_path.stat().st_size
    assert size == spec["final_raw_bytes"] or abs(size / 2 / rate - 2250.0) <= 0.05
    assert abs(size / 2 / rate - expected["output_duration_s"]) <= expected["tolerance_s"]
    assert abs(programme.timeline.duration_ms / 1000 - expected["output_duration_s"]) <= 0.05
    assert len(programme.timeline.cues) == spec["chunks"]
    assert peak < 20 * 1024 * 1024, f"assembly held {peak / 1e6:.0f} MB (should stream)"


def test_pauses_are_exactly_the_configured_ones(tmp_path: Path) -> None:
    rate = 44100
    pad = np.zeros((rate // 10, 1), dtype=np.int16)  # 100 ms of silence around each tone

    def padded(hz: float, seconds: float) -> Segment:
        return Segment(
            np.concatenate([pad, sine(hz, seconds, 22050).samples.repeat(2, 0), pad]), rate
        )

    pauses = [450, 900, 180]
    pieces = [(utt(f"u{i}", p, block=i), padded(300 + 100 * i, 0.5)) for i, p in enumerate(pauses)]
    programme = assemble(pieces, tmp_path / "p.pcm", rate_hz=rate)
    cues = programme.timeline.cues
    for a, b, pause in zip(cues, cues[1:], pauses, strict=False):
        assert abs((b.start_ms - a.end_ms) - pause) <= 1
    pcm = np.fromfile(programme.pcm_path, dtype="<i2")
    loud = np.flatnonzero(np.abs(pcm) > 0.003 * 32768)
    gaps = np.diff(loud)
    silences = sorted(gaps[gaps > rate // 20])
    assert [round(g / rate * 1000) for g in silences] == pytest.approx(sorted(pauses[:2]), abs=2)
    assert abs(programme.timeline.duration_ms - len(pcm) / rate * 1000) <= 1


def test_trim_keeps_margin_and_reports_onset() -> None:
    rate = 1000
    samples = np.zeros((1000, 1), dtype=np.int16)
    samples[400:600] = 10000
    t = trim(samples, rate)
    assert len(t.samples) == 200 + 2 * 30
    assert (t.onset, t.end) == (30, 230)
    assert len(trim(np.zeros((500, 1), dtype=np.int16), rate).samples) == 0


def test_convert_changes_rate_and_channels_once() -> None:
    stereo48 = sine(1000, 1.0, 48000, channels=2)
    out = convert(stereo48, 44100, 1)
    assert out.shape == (44100, 1) and out.dtype == np.int16
    assert abs(dominant_hz(out[:, 0].astype(float), 44100) - 1000) < 2
    mono = convert(sine(500, 0.5, 22050), 44100, 2)
    assert mono.shape == (22050, 2) and np.array_equal(mono[:, 0], mono[:, 1])


def _chapter_titles(programme_chapters: tuple) -> list[str]:  # type: ignore[type-arg]
    return [c.title for c in programme_chapters]


def test_chapters_without_headings_group_paragraphs(tmp_path: Path) -> None:
    tone = sine(440, 0.3, 22050)
    pieces = [(utt("Big news today", 1200, kind="title", block=-1), tone)]
    for block in range(7):
        for s in range(2):
            pieces.append(
                (
                    utt(
                        f"Paragraph {block} sentence {s} with some more words here",
                        450,
                        block=block,
                    ),
                    tone,
                )
            )
    programme = assemble(
        pieces, tmp_path / "p.pcm", intro=sine(600, 1.0, 44100), match_loudness=False
    )
    chapters = programme.timeline.chapters
    assert _chapter_titles(chapters) == [
        "Intro",
        "Big news today",
        "Paragraph 0 sentence 0 with some…",
        "Paragraph 3 sentence 0 with some…",
    ]  # 7 paragraphs: 3 + 4 (a lone last paragraph joins the section before)
    assert chapters[0].start_ms == 0 and chapters[-1].end_ms == programme.timeline.duration_ms
    for a, b in itertools.pairwise(chapters):
        assert a.end_ms == b.start_ms
    assert chapters[2].start_ms == programme.timeline.cues[1].start_ms


def test_chapters_one_per_heading(tmp_path: Path) -> None:
    tone = sine(440, 0.3, 22050)
    pieces = [
        (utt("Headline", 1200, kind="title", block=-1), tone),
        (utt("Lead paragraph.", 900, block=0), tone),
        (utt("Background", 800, kind="heading", block=1), tone),
        (utt("More.", 900, block=2), tone),
        (utt("What next", 800, kind="heading", block=3), tone),
        (utt("Even more.", 900, block=4), tone),
    ]
    programme = assemble(pieces, tmp_path / "p.pcm")
    assert _chapter_titles(programme.timeline.chapters) == ["Headline", "Background", "What next"]
    assert programme.timeline.chapters[0].start_ms == 0


def test_music_bed_ducks_under_the_headline(tmp_path: Path) -> None:
    rate = 44100
    bed_file = write_audio(sine(200, 2.0, 48000, channels=2, amp=0.3), tmp_path / "bed.wav")
    bed = decode_file(bed_file, rate, 1)
    title = sine(1000, 2.0, 22050)
    body = sine(700, 1.0, 22050)
    programme = assemble(
        [(utt("Headline", 1200, kind="title", block=-1), title), (utt("Body.", 450), body)],
        tmp_path / "p.pcm",
        intro=sine(600, 1.0, rate),
        bed=bed,
        gap_after_intro_ms=1000,
    )
    pcm = np.fromfile(programme.pcm_path, dtype="<i2").astype(float)
    cue = programme.timeline.cues[0]

    def bed_level(start_ms: int, end_ms: int) -> float:
        part = pcm[start_ms * rate // 1000 : end_ms * rate // 1000]
        spectrum = np.abs(np.fft.rfft(part * np.hanning(len(part))))
        freqs = np.fft.rfftfreq(len(part), 1 / rate)
        return float(spectrum[(freqs > 190) & (freqs < 210)].max() / len(part))

    before = bed_level(cue.start_ms - 700, cue.start_ms - 200)  # bed alone
    under = bed_level(cue.start_ms + 200, cue.end_ms - 200)  # under the headline
    assert 20 * np.log10(before / under) >= 12
    after_pause = programme.timeline.cues[1]
    tail = pcm[(after_pause.start_ms - 60) * rate // 1000 : after_pause.start_ms * rate // 1000]
    assert np.abs(tail).max() < 0.01 * 32768  # the bed has faded out before the body


def test_jingles_are_loudness_matched_to_speech(tmp_path: Path) -> None:
    rate = 44100
    loud_intro = sine(500, 3.0, rate, amp=0.9)
    quiet_outro = sine(800, 3.0, rate, amp=0.05)
    speech = [
        (utt(f"s{i}", 450, block=i), sine(300 + 40 * i, 1.5, 22050, amp=0.2)) for i in range(6)
    ]
    programme = assemble(speech, tmp_path / "p.pcm", intro=loud_intro, outro=quiet_outro)
    pcm = np.fromfile(programme.pcm_path, dtype="<i2").reshape(-1, 1)
    cues = programme.timeline.cues

    def lufs(start_ms: int, end_ms: int) -> float:
        part = pcm[start_ms * rate // 1000 : end_ms * rate // 1000]
        return measure_segment(Segment(np.ascontiguousarray(part), rate)).integrated_lufs

    speech_lufs = lufs(cues[0].start_ms, cues[-1].end_ms)
    assert abs(lufs(0, 3000) - speech_lufs) <= 1.0
    outro_start = programme.timeline.duration_ms - 3000
    # the quiet outro needs +25 dB: it is raised as far as its peak allows (<= -1 dBFS)
    assert np.abs(pcm[outro_start * rate // 1000 :]).max() <= 32768 * 10 ** (-1 / 20) + 1
    assert lufs(outro_start, programme.timeline.duration_ms) > -30


def test_decode_file_reads_any_format_without_ffprobe(tmp_path: Path) -> None:
    flac = write_audio(sine(440, 1.0, 48000, channels=2), tmp_path / "j.flac")
    seg = decode_file(flac, 44100, 1)
    assert seg.sample_rate_hz == 44100 and seg.channels == 1
    assert abs(seg.frames - 44100) <= 2


def test_decode_file_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not found"):
        decode_file(tmp_path / "missing.wav", 44100, 1)
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"not audio at all" * 100)
    with pytest.raises(AudioError, match=r"junk\.mp3") as info:
        decode_file(junk, 44100, 1)
    assert "\n" not in str(info.value)
