"""Audio: locating ffmpeg, jingles, streaming assembly, mastering and encoding."""
