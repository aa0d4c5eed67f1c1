"""The pipeline: the only module that runs the stages, in this order::

    load      source (path | '-')            -> Article            loaders/
    clean     Article                        -> Article            text/clean.py
    prepare   Article                        -> Script             text/prepare.py
    speak     Script                         -> Segment stream     tts/speak.py (+ cache)
    assemble  Segment stream                 -> Programme          audio/assemble.py
    master    Programme                      -> EncodedAudio (MP3) audio/master.py
    tag       EncodedAudio                   -> tagged MP3         tags.py
    publish   tagged MP3 + Timeline          -> Episode            publish.py (catalog, feed)

Checks that can fail fast run before any synthesis: ffmpeg present, voice known and its
model intact, the article readable and non-empty.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsaudio import captions
from newsaudio.audio import jingle
from newsaudio.audio.assemble import assemble
from newsaudio.audio.ffmpeg import check_ffmpeg
from newsaudio.audio.master import LoudnessMeter, MasterSettings, encode
from newsaudio.config import Show
from newsaudio.cover import thumbnail
from newsaudio.errors import InputError, PublishError
from newsaudio.loaders import load
from newsaudio.models import Article, Episode, Script, Segment
from newsaudio.publish import ensure_cover, guid_for, publish, slug_for
from newsaudio.tags import TagInfo, write_tags
from newsaudio.text.clean import clean_article
from newsaudio.text.lexicon import Lexicon
from newsaudio.text.prepare import prepare
from newsaudio.tts.base import DEFAULT_VOICE, Engine, create_engine, get_voice
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.speak import ProgressCallback, speak

SUMMARY_CHARS = 600


@dataclass(frozen=True)
class AddOptions:
    """Per-run settings of ``newsaudio add``."""

    voice: str = DEFAULT_VOICE
    cache_dir: Path | None = None
    jingles: bool = True
    master: MasterSettings = field(default_factory=MasterSettings)
    lexicon: Lexicon | None = None


@dataclass(frozen=True)
class Result:
    """What ``add`` produced for one source: the catalogued episode and where it lives."""

    episode: Episode
    path: Path
    url: str
    spoken_text: str
    script: Script


def summary(article: Article, limit: int = SUMMARY_CHARS) -> str:
    """The first paragraphs of ``article``, up to about ``limit`` characters."""
    out = ""
    for block in article.blocks:
        if block.kind != "paragraph":
            continue
        candidate = f"{out} {block.text}".strip()
        if out and len(candidate) > limit:
            break
        out = candidate
        if len(out) >= limit:
            break
    return out or article.title


class Runtime:
    """The run's environment: clock, engines (one per voice, loaded once) and cache."""

    def __init__(
        self, now: Callable[[], datetime] | None = None, cache_dir: Path | None = None
    ) -> None:
        self.now = now or (lambda: datetime.now(UTC))
        self.cache = SegmentCache(cache_dir)
        self._engines: dict[str, Engine] = {}
        self._jingles: dict[str, Segment] = {}

    def engine(self, voice_name: str) -> Engine:
        """The engine for ``voice_name`` (created once per run). Raises VoiceError."""
        if voice_name not in self._engines:
            self._engines[voice_name] = create_engine(get_voice(voice_name))
        return self._engines[voice_name]

    def jingle(self, which: str) -> Segment:
        """The default intro or outro (generated once, then served from the segment cache)."""
        if which not in self._jingles:
            key = self.cache.key("jingle/v1", which)
            segment = self.cache.get(key)
            if segment is None:
                segment = jingle.intro() if which == "intro" else jingle.outro()
                self.cache.put(key, segment)
            self._jingles[which] = segment
        return self._jingles[which]


def _clear_stale_work(work_root: Path) -> None:
    """Remove work folders of runs whose process is gone (killed runs leave them)."""
    if not work_root.is_dir():
        return
    for folder in work_root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass


def load_article(source: str) -> Article:
    """Load and clean ``source``. Raises InputError if nothing speakable is left."""
    article = clean_article(load(source))
    if not article.title and not article.blocks:
        raise InputError(article.source, "has no words to read after removing boilerplate")
    if not article.title:
        first = article.blocks[0]
        article = Article(
            **{**article.__dict__, "title": first.text[:120], "blocks": article.blocks[1:]}
        )
    return article


def add(
    source: str,
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    progress: ProgressCallback | None = None,
) -> Result:
    """Make and publish one episode from ``source``. Raises a NewsaudioError subclass."""
    check_ffmpeg()
    engine = runtime.engine(options.voice)
    article = load_article(source)
    script = prepare(article, max_chars=engine.max_chars, lexicon=options.lexicon)

    work_root = show.state_dir / "work"
    try:
        work_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            f"{show.out_dir}: cannot create the show folder ({exc.strerror or exc})"
        ) from exc
    _clear_stale_work(work_root)
    work = work_root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    work.mkdir()
    try:
        s = options.master
        intro = runtime.jingle("intro") if options.jingles else None
        outro = runtime.jingle("outro") if options.jingles else None
        with LoudnessMeter(s.sample_rate_hz, s.channels) as meter:
            programme = assemble(
                speak(script, engine, runtime.cache, progress),
                work / "programme.pcm",
                rate_hz=s.sample_rate_hz,
                channels=s.channels,
                intro=intro,
                outro=outro,
                sinks=[meter.feed],
            )
            measured = meter.result()
        encoded = encode(programme, measured, work / "episode.mp3", s)
        (work / "programme.pcm").unlink()

        guid = guid_for(article.source_key)
        now = runtime.now()
        description = summary(article)
        author = article.byline or show.author
        cover = ensure_cover(show)
        timeline = programme.timeline
        transcript = captions.to_text(timeline)
        write_tags(
            encoded.path,
            TagInfo(
                title=article.title,
                artist=author,
                album=show.title,
                date=article.published or now,
                comment=description,
                length_ms=encoded.duration_ms,
                guid=guid,
                url=article.source_url,
                feed_url=show.feed_url,
                transcript=transcript,
                cover_jpeg=thumbnail(cover.read_bytes()),
                chapters=timeline.chapters,
            ),
        )
        draft = Episode(
            guid=guid,
            source_key=article.source_key,
            slug=slug_for(article.title),
            title=article.title,
            description=description,
            published=article.published or now,
            updated=now,
            duration_ms=encoded.duration_ms,
            bytes=0,
            loudness=encoded.loudness,
            voice=options.voice,
            language=article.language,
            author=author,
            link=article.source_url,
            transcript=transcript,
            extra={"published_from": "article" if article.published else "added"},
        )
        sidecars = {
            ".vtt": captions.to_vtt(timeline),
            ".srt": captions.to_srt(timeline),
            ".chapters.json": captions.to_chapters_json(timeline, article.title),
            ".txt": transcript,
        }
        episode = publish(show, draft, encoded.path, sidecars, now)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            work_root.rmdir()
    path = show.episodes_dir / episode.file_name
    spoken = " ".join(u.spoken for u in script.utterances)
    return Result(episode, path, show.episode_url(episode.file_name), spoken, script)
