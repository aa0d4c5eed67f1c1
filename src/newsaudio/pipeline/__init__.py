"""The pipeline: the only package that runs the stages, in this order::

    load      source (path | '-')            -> Article            loaders/
    clean     Article                        -> Article            text/clean.py
    prepare   Article                        -> Script             text/prepare.py
    speak     Script                         -> Segment stream     tts/speak.py (+ cache)
    assemble  Segment stream                 -> Programme          audio/assemble.py
    master    Programme                      -> EncodedAudio (MP3) audio/master.py
    tag       EncodedAudio                   -> tagged MP3         tags.py
    publish   tagged MP3 + Timeline          -> Episode            publish/ (catalog, feed)

Its rooms: :mod:`.context` (options, runtime, assets, checks, work folder), :mod:`.render`
(one article), :mod:`.compose` (several Articles into one Script) and :mod:`.digest` (a
digest's render), :mod:`.jobs` (many renders through an executor), :mod:`.update` (a show's
followed sources). The names most callers want are re-exported here for code outside
``src/newsaudio`` (tests, scripts); newsaudio's own modules import the room itself.
"""

from newsaudio.pipeline.context import (
    AddOptions,
    RenderJob,
    Rendition,
    Result,
    RunAssets,
    Runtime,
    check_run,
)
from newsaudio.pipeline.render import add, load_article, render

__all__ = [
    "AddOptions",
    "RenderJob",
    "Rendition",
    "Result",
    "RunAssets",
    "Runtime",
    "add",
    "check_run",
    "load_article",
    "render",
]
