"""The text front-end: cleaning, speech normalization and sentence chunking."""
