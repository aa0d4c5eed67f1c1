"""The inbox: links shared from a device become episodes (``serve --inbox``).

At the capture floor, beside ``sources/``: :mod:`.tokens` (per-device tokens, hashed),
:mod:`.guard` (what is refused before anything is queued), :mod:`.queue` (the durable queue
in the show's state) and :mod:`.api` (the HTTP routes and the pairing page, ``page/``).
What renders the queue lives in :mod:`newsaudio.pipeline.home`.
"""
