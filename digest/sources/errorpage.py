"""Error pages saved instead of a story: a server's "404 Not Found", "Access denied"
or "Seite nicht gefunden" page read by a page reader would be taken for an
article.  The phrases are data (``errorpage.toml``)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from ..errors import SourceError

# A site's name after the headline ("Page not found | Town News", "404 – Site").
_SITE_TAIL = re.compile(r"\s+(?P<mark>[|–—-])\s+(?P<name>[^|–—-]{1,60})$")
# After a dash, a site's name is a word or a few capitalised ones ("MySite", "Town
# News", "example.com"); a headline's second half reads on ("Access denied – court
# rules against …") and is kept, so a short brief so headed is read.
_SITE_NAME_WORDS = 4


@cache
def _rules() -> tuple[re.Pattern[str], int]:
    data = tomllib.loads(
        resources.files("digest.sources").joinpath("errorpage.toml").read_text("utf-8")
    )
    pattern = re.compile(r"^(?:" + "|".join(data["titles"]) + r")[.!]?$", re.I)
    return pattern, int(data["max_words"])


def error_title(title: str) -> bool:
    """Whether a headline is an error page's (``404 Not Found``, ``Page not found |
    Site``): the whole headline, a site's name after it aside, is such a phrase."""
    pattern, _ = _rules()
    title = " ".join(title.split())
    return bool(pattern.match(title) or pattern.match(_without_site_name(title)))


def _without_site_name(title: str) -> str:
    """The headline without a site's name after a bar, or after a dash when it
    reads as a name (one word, or a few capitalised ones), not as the headline's
    second half."""
    tail = _SITE_TAIL.search(title)
    if tail is None:
        return title
    words = tail["name"].split()
    named = tail["mark"] == "|" or len(words) == 1
    if not named and len(words) <= _SITE_NAME_WORDS:
        named = all(word[0].isupper() or word[0].isdigit() or "." in word for word in words)
    return title[: tail.start()] if named else title


def refuse_error_page(source: str, title: str, text: str) -> None:
    """Raise :class:`SourceError` naming ``source`` when the page is a server's
    error page: its headline reads as one (:func:`error_title`) and it holds no
    more than a few lines of text (``max_words`` in ``errorpage.toml``)."""
    _, max_words = _rules()
    if error_title(title) and len(text.split()) <= max_words:
        raise SourceError(source, f"an error page, not an article ({title!r})")
