"""Same-story detection by word overlap, through an inverted index.

Each new text is compared only with the stories that share one of its words, not
with every story seen, so adding n texts costs about n × (stories per word).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

# Words that say nothing about which story a headline tells.
STOPWORDS = frozenset(
    "a an and are as at be been but by for from has have he her his in into is it its "
    "of on or over says said say she that the their they this to was were will with after "
    "not no new news us up out about amid more than who what when why how under against "
    "before during per via also just".split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> frozenset[str]:
    """The content words of a text: lower-cased, accents folded, stopwords and
    one-letter words removed, plural ``s`` trimmed."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    found = set()
    for word in _WORD.findall(folded.replace("'", "").replace("’", "")):
        if len(word) < 2 or word in STOPWORDS:
            continue
        found.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return frozenset(found)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the larger (0..1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class StoryIndex:
    """Assigns texts to stories.

    A text joins the first earlier story whose lead it matches: headline word
    overlap at least ``threshold``, or headline and full-text overlap both at least
    ``loose`` with ``min_shared`` content words in common.
    """

    def __init__(self, *, threshold: float = 0.5, loose: float = 0.28, min_shared: int = 5) -> None:
        self.threshold = threshold
        self.loose = loose
        self.min_shared = min_shared
        self._leads: list[tuple[frozenset[str], frozenset[str]]] = []
        self._by_word: dict[str, list[int]] = defaultdict(list)

    def add(self, title: str, text: str) -> int:
        """Place a story's headline and text in a story and return its number."""
        head, full = words(title), words(f"{title} {text}")
        candidates: set[int] = set()
        for word in head:
            candidates.update(self._by_word.get(word, ()))
        for story in sorted(candidates):
            lead_head, lead_full = self._leads[story]
            head_overlap = overlap(head, lead_head)
            if head_overlap >= self.threshold and len(head & lead_head) >= 2:
                return story
            if (
                head_overlap >= self.loose
                and overlap(full, lead_full) >= self.loose
                and len(full & lead_full) >= self.min_shared
            ):
                return story
        story = len(self._leads)
        self._leads.append((head, full))
        for word in head:
            self._by_word[word].append(story)
        return story
