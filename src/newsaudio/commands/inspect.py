"""``newsaudio inspect``: what an episode MP3 holds (stream, loudness, ID3 tag, chapters)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _clock(ms: int) -> str:
    minutes, rest = divmod(max(0, ms), 60_000)
    return f"{minutes}:{rest / 1000:06.3f}"


def _resolve(target: str, config_file: Path | None, out_dir: Path | None) -> Path:
    """``target`` as a path, else an episode guid or slug of the show (``--out``, else the
    settings' ``out_dir``, else ./output, as for every command)."""
    from newsaudio.commands._show import load_show_from
    from newsaudio.errors import InputError

    path = Path(target)
    if path.is_file():
        return path
    from newsaudio.publish.catalog import Catalog

    show = load_show_from(config_file, out_dir=out_dir)
    out_dir = show.out_dir
    if not show.catalog_path.is_file():
        raise InputError(
            target,
            f"no such file, and {out_dir} holds no show catalog (name an episode MP3, or "
            "give --out DIR)",
        )
    with Catalog(show.catalog_path, read_only=True) as catalog:
        episode = catalog.by_guid(target) or next(
            (e for e in catalog.episodes() if e.slug == target), None
        )
    if episode is None:
        raise InputError(target, f"no such file, nor an episode guid or slug in {out_dir}")
    return show.episodes_dir / episode.file_name


@click.command()
@click.argument("target", metavar="FILE")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Show settings file [default: ./newsaudio.toml if present]; its show is where a "
    "guid or slug is looked up.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The show folder where a guid or slug is looked up [default: out_dir in "
    "newsaudio.toml, else ./output].",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: duration_s, sample_rate_hz, channels, bitrate_kbps, "
    "bitrate_mode, loudness_lufs, true_peak_dbtp, lra_lu, id3_version, frames, chapters, "
    "ffmpeg_path, ffmpeg_version.",
)
def inspect(target: str, config_file: Path | None, out_dir: Path | None, as_json: bool) -> None:
    """Show what the episode MP3 FILE holds (FILE may also be an episode's guid or slug in
    the show).

    Duration, sample rate, channels, bitrate, the Xing/LAME header (encoder delay and
    padding), loudness measured now by ffmpeg (integrated LUFS, true peak dBTP, loudness
    range LU, per ITU-R BS.1770 / EBU R128), the ID3 version and frames, the chapters, and
    which ffmpeg measured it (path and version).

    \b
    Example:
      newsaudio inspect output/episodes/council-approves-new-cycle-lanes.mp3
      newsaudio inspect council-approves-new-cycle-lanes --json
    """
    from newsaudio.audio.ffmpeg import check_ffmpeg, ffmpeg_info
    from newsaudio.audio.probe import probe
    from newsaudio.tags import read_tags

    path = _resolve(target, config_file, out_dir)
    check_ffmpeg()
    used = ffmpeg_info()
    info = probe(path)
    tags = read_tags(path)
    loud = info.loudness
    record: dict[str, Any] = {
        "path": str(path),
        "bytes": path.stat().st_size,
        "duration_s": round(info.duration_ms / 1000, 3),
        "sample_rate_hz": info.sample_rate_hz,
        "channels": info.channels,
        "bitrate_kbps": info.bitrate_kbps,
        "bitrate_mode": info.bitrate_mode,
        "encoder": info.encoder,
        "xing_header": info.xing,
        "encoder_delay_samples": info.encoder_delay,
        "encoder_padding_samples": info.encoder_padding,
        "loudness_lufs": loud.integrated_lufs if loud else None,
        "true_peak_dbtp": loud.true_peak_dbtp if loud else None,
        "lra_lu": loud.lra_lu if loud else None,
        "id3_version": tags.version or None,
        "id3v1": tags.has_v1,
        "frames": tags.frames,
        "chapters": [
            {"start_s": c.start_ms / 1000, "end_s": c.end_ms / 1000, "title": c.title}
            for c in tags.chapters
        ],
        "ffmpeg_path": used.path,
        "ffmpeg_version": used.version,
    }
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
        return
    channels = {1: "mono", 2: "stereo"}.get(info.channels, f"{info.channels} channels")
    lines = [
        str(path),
        f"  duration   {_clock(info.duration_ms)} ({info.duration_ms / 1000:.3f} s)",
        f"  audio      MP3, {info.sample_rate_hz} Hz, {channels}, "
        f"{info.bitrate_kbps} kbps {info.bitrate_mode}"
        + (f", {info.encoder}" if info.encoder else ""),
        "  header     "
        + (
            f"Xing/LAME (encoder delay {info.encoder_delay}, padding "
            f"{info.encoder_padding} samples)"
            if info.xing and info.encoder_delay is not None
            else ("Xing, no LAME extension" if info.xing else "none (players guess the length)")
        ),
    ]
    if loud is not None:
        lines.append(
            f"  loudness   {loud.integrated_lufs:.1f} LUFS integrated, "
            f"{loud.true_peak_dbtp:.1f} dBTP true peak, {loud.lra_lu:.1f} LU range"
        )
    lines.append(f"  ffmpeg     {used.version or '(version unknown)'} at {used.path}")
    if tags.version:
        count = sum(len(v) for v in tags.frames.values())
        lines.append(
            f"  ID3        v{tags.version}, {count} frames"
            + (", plus ID3v1" if tags.has_v1 else "")
        )
        for frame_id, values in tags.frames.items():
            if frame_id in ("CHAP", "CTOC"):
                continue
            for value in values:
                lines.append(f"    {frame_id}  {value}")
    else:
        lines.append("  ID3        none" + (" (ID3v1 only)" if tags.has_v1 else ""))
    if tags.chapters:
        lines.append(f"  chapters   {len(tags.chapters)}")
        for chapter in tags.chapters:
            lines.append(f"    {_clock(chapter.start_ms)}  {chapter.title}")
    click.echo("\n".join(lines))
