"""The Dask executor: one Dask task per article, on a cluster; results published here.

``--cluster ADDRESS`` picks it: ``tcp://host:8786`` (or ``tls://``, ``ws://``...) connects to a
running ``dask scheduler``; ``local:N`` starts a ``distributed.LocalCluster`` of N worker
processes (one thread each) for the run and stops it afterwards.

Flow of one run::

    this process                               Dask worker (any machine)
    load source -> Article ──submit──▶ render_task: render() into a private temp folder
                                               -> RenderedEpisode (MP3 bytes, Timeline, draft)
    as_completed ◀──────────────────── result
    MP3 bytes -> work folder -> Rendition -> yielded to the single publisher

A digest (:meth:`DaskExecutor.render_digest`) is one task per story, then one more::

    this process                               Dask workers
    Articles ──submit──▶ story_task (one per story, in parallel): the story's attribution line
                           and sentences spoken -> SpokenStory (segments by cache key), kept
                           on its worker
    wait; a story that failed is left out
            ──submit──▶ digest_task (on the worker holding most of the stories' segments):
                           the local render_digest with those segments served first (compose,
                           fit, assemble, master, tag) -> RenderedDigest (MP3 bytes, Timeline)
    result ◀──────────────────────────────────
    MP3 bytes -> work folder -> DigestRendition -> published here

The assembly is the same code as without a cluster, fed the same segments, so the digest has
the same audio and chapters. It runs on a worker rather than here: assembling, mastering and
tagging cost 0.73 CPU-s per audio minute (measured from cached segments; a whole render
5.4-6.0, mostly Piper's synthesis), which would all land on this process, the show's single
publisher, whose own cost per episode is tens of CPU-ms; the stories' PCM (2.6 MB per audio
minute at 22.05 kHz) never travels here, only the MP3 (0.72 MB per minute at 96 kbps); and
this process needs no voice loaded for the opening line.

Sources are loaded here (files and URLs the workers may not see), so a bad source fails
before it reaches the cluster. Workers resolve the voice by name (``voices/`` in the worker's
current folder, or those shipped with newsaudio), keep one
:class:`~newsaudio.pipeline.context.Runtime` per process and cache folder (each voice
loaded once per worker process), and use their own segment cache, or the folder given by
``--cache-dir`` when it is shared. Piper runs in the worker's own process with one thread
(``NEWSAUDIO_PIPER_WORKERS=1``, ``..._THREADS=1`` unless set): a Dask worker thread is one
core's worth of work.

Faults: a worker that dies mid-task (SIGKILL, out of memory) loses its task to the scheduler,
which runs it again on another worker, up to ``distributed.scheduler.allowed-failures`` times
(3 by default; then the article fails alone with a ClusterError). A render that raises a
NewsaudioError on a worker comes back as a value and fails its article alone, with the same
one-line message and exit code as in process. A digest's story fails alone the same way
(left out of the digest, like a source that cannot be loaded; ``--strict``: nothing is
published); a story whose every worker died is left out with a ClusterError. A scheduler
that cannot be reached in :data:`CONNECT_TIMEOUT_S` raises ClusterError before anything is
rendered or published.

Only this package imports dask (:mod:`.tasks`: what runs on the workers; :mod:`.client`:
the executor in this process); it needs the ``cluster`` extra (``pip install
'newsaudio[cluster]'``).
"""

from newsaudio.executors.dask.client import DaskExecutor, create

__all__ = ["DaskExecutor", "create"]
