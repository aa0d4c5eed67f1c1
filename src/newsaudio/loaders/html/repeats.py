"""Text a page shows that is not the article, or not for the second time: a numbered gallery
of other stories after the article, and a paragraph the page repeats.

Both work on the blocks extracted from the page (``list[Block] -> list[Block]``):

* :func:`drop_numbered_gallery`: a run of at least :data:`GALLERY_MIN_ITEMS` items numbered
  ``1/50``, ``2/50``, ``3/50``... (or ``1 of 50``), each a headline and a blurb of another
  story, is a slideshow the page puts after or inside the article: it is cut, from its first
  number to the blurb of its last item. It must follow the article (at least
  :data:`GALLERY_MIN_LEAD_WORDS` words before it) and its items must be short (at most
  :data:`GALLERY_MAX_ITEM_WORDS` words each on average): numbered items that open the page or
  run long are the article itself. The numbers must count up by one against the same
  total: a fraction or a date in the article's own text ("1/2 of voters", "24/7") never
  makes such a run.
* :func:`drop_repeated_paragraphs`: a paragraph whose words (case-folded, punctuation
  aside) equal those of one already read is read once: a summary box or a standfirst that
  repeats a body paragraph. Short lines (under :data:`REPEAT_MIN_WORDS` words) may repeat on
  purpose ("Yes.", a refrain, a tweet's "— Name (@handle) date" under two tweets) and are
  kept, and so is a page that repeats by design (a meal plan, a timetable).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise

from newsaudio.loaders.html.tree import title_key
from newsaudio.models import Block

GALLERY_MIN_ITEMS = 3
GALLERY_MIN_LEAD_WORDS = 80
GALLERY_MAX_ITEM_WORDS = 60
REPEAT_MIN_WORDS = 10
REPEAT_MAX_DISTINCT = 2

_MARKER = re.compile(r"(?<![\w/.,:-])(\d{1,3})\s?(?:/|of)\s?(\d{1,3})(?![\w/.,:%-])")


def _markers(blocks: list[Block]) -> list[tuple[int, int, int, int]]:
    """Every item number in ``blocks``: (block index, offset, number, total)."""
    found = []
    for index, block in enumerate(blocks):
        for m in _MARKER.finditer(block.text):
            number, total = int(m.group(1)), int(m.group(2))
            if total >= GALLERY_MIN_ITEMS and 1 <= number <= total:
                found.append((index, m.start(), number, total))
    return found


def _runs(markers: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """Runs of markers that count up by one against the same total, at least
    :data:`GALLERY_MIN_ITEMS` long."""
    runs: list[list[tuple[int, int, int, int]]] = []
    current: list[tuple[int, int, int, int]] = []
    for marker in markers:
        if current and marker[3] == current[-1][3] and marker[2] == current[-1][2] + 1:
            current.append(marker)
            continue
        if len(current) >= GALLERY_MIN_ITEMS:
            runs.append(current)
        current = [marker]
    if len(current) >= GALLERY_MIN_ITEMS:
        runs.append(current)
    return runs


def drop_numbered_gallery(blocks: list[Block]) -> list[Block]:
    """``blocks`` without any numbered gallery of other stories (see the module docstring).

    An item's blurb may sit in the blocks after its number: the cut ends after as many
    blocks past the last number as most items have between their numbers."""
    runs = _runs(_markers(blocks))
    if not runs:
        return blocks
    out = list(blocks)
    for run in reversed(runs):  # from the end, so earlier indexes stay valid
        first_block, first_offset = run[0][0], run[0][1]
        gaps = Counter(b[0] - a[0] for a, b in pairwise(run))
        blurb_blocks = max(gaps.most_common(1)[0][0] - 1, 0)
        last_block = min(run[-1][0] + blurb_blocks, len(out) - 1)
        lead = " ".join(b.text for b in out[:first_block]) + out[first_block].text[:first_offset]
        cut = " ".join(b.text for b in out[first_block : last_block + 1])[first_offset:]
        if len(lead.split()) < GALLERY_MIN_LEAD_WORDS or len(
            cut.split()
        ) > GALLERY_MAX_ITEM_WORDS * len(run):
            continue  # the numbered items are the article (a slideshow), not after it
        kept_before = out[first_block].text[:first_offset].rstrip()
        head = out[:first_block]
        if any(ch.isalnum() for ch in kept_before):
            head.append(replace(out[first_block], text=kept_before))
        out = head + out[last_block + 1 :]
    return out


def _repeat_key(block: Block) -> str | None:
    if block.kind != "paragraph" or len(block.text.split()) < REPEAT_MIN_WORDS:
        return None
    return title_key(block.text)


def drop_repeated_paragraphs(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each paragraph of :data:`REPEAT_MIN_WORDS` words or more read once: a
    later paragraph with the same words as an earlier one is left out.

    A page that repeats by design is left whole: one where a paragraph comes three times or
    more, or more than :data:`REPEAT_MAX_DISTINCT` paragraphs come twice (a meal plan or a
    timetable repeats its entries; a summary box repeats one or two)."""
    counts = Counter(key for key in map(_repeat_key, blocks) if key is not None)
    repeated = [n for n in counts.values() if n > 1]
    if not repeated or max(repeated) > 2 or len(repeated) > REPEAT_MAX_DISTINCT:
        return blocks
    seen: set[str] = set()
    out: list[Block] = []
    for block in blocks:
        key = _repeat_key(block)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(block)
    return out
