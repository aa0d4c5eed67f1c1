"""Allow ``python -m newsaudio``."""

from newsaudio.cli import main

if __name__ == "__main__":
    main()
