"""newsaudio: turn news articles into a podcast.

The pipeline (see :mod:`newsaudio.pipeline`) loads an article, cleans it, prepares a
speech script, synthesizes each utterance, assembles and masters the programme, encodes an
MP3, tags it and publishes it in the show's catalog, feed and web page.
"""

__version__ = "0.1.0"
