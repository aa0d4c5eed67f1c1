"""Click commands, one module per command (or command group); registered in :mod:`newsaudio.cli`."""
