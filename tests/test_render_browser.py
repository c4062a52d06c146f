"""The email in a real browser: Debian's headless Chromium at phone and desktop widths.

For each width the test loads the rendered email (images swapped for local
pictures, as no network exists here) into an emulated viewport of that width over
the DevTools protocol, measures the layout with a script, and saves a full-page
screenshot into ``tests/artifacts/`` for people to look at.  Chromium missing is
a failure, not a skip.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.render import personalise
from tools.chromium import Chromium

from .conftest import started_chromium
from .golden.edition import edition, renderer

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Runs after the email has laid out; writes its findings into a <pre> that
# --dump-dom prints.  Columns are MJML's inline-block column divs.
MEASURE = """
(function () {
  var doc = document.documentElement;
  var rows = [];
  document.querySelectorAll('.story').forEach(function (section) {
    var thumb = section.querySelector('.thumb'), text = section.querySelector('.story-text');
    if (!thumb || !text) return;
    var a = thumb.getBoundingClientRect(), b = text.getBoundingClientRect();
    rows.push({thumbTop: a.top, thumbBottom: a.bottom, thumbWidth: a.width,
               textTop: b.top, textWidth: b.width});
  });
  var small = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('.preheader')) continue;
    var style = getComputedStyle(el);
    if (el.getClientRects().length === 0) continue;
    if (parseFloat(style.fontSize) < 14) small.push(node.textContent.trim().slice(0, 40));
  }
  var card = document.querySelector('.card > div, .card').getBoundingClientRect();
  var headline = document.querySelector('.headline a');
  var behind = headline;  // the nearest ancestor that paints a background
  while (behind && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') {
    behind = behind.parentElement;
  }
  var broken = Array.prototype.filter.call(document.images, function (i) {
    return !i.complete || i.naturalWidth === 0; }).length;
  return JSON.stringify({
    innerWidth: window.innerWidth, scrollWidth: doc.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth, scrollHeight: doc.scrollHeight,
    cardWidth: card.width, rows: rows, small: small, brokenImages: broken,
    headlineColor: getComputedStyle(headline).color,
    cardBackground: getComputedStyle(behind).backgroundColor});
})()
"""


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG with a darker lower band (stands in for a news photo)."""
    dark = tuple(c // 2 for c in colour)
    rows = b"".join(
        b"\x00" + bytes(colour if y < height * 2 // 3 else dark) * width for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join((b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header),
                     chunk(b"IDAT", zlib.compress(rows)), chunk(b"IEND", b"")))  # fmt: skip


#: The email is checked as each CSS inliner makes it (``[render] inliner``).
INLINERS = ["premailer", "css-inline"]


def _suffix(inliner: str) -> str:
    """Screenshot name suffix: none for the default inliner."""
    return "" if inliner == "premailer" else f"-{inliner}"


def email_page(folder: Path, language: str = "en", inliner: str = "premailer") -> Path:
    """The fixture email, personalised, with local images."""
    rendition = renderer(language, inliner).render(edition()).email
    values = {"unsubscribe_url": "https://www.mid-day.com/u/abc", "name": "Asha"}
    html = personalise(rendition, values).html
    colours = [(38, 70, 110), (150, 60, 40), (60, 110, 80), (120, 100, 40), (90, 60, 120)]
    sources = sorted(set(re.findall(r'src="(https://images\.mid-day\.com/[^"]+)"', html)))
    for i, url in enumerate(sources):
        local = folder / f"image-{i}.png"
        local.write_bytes(png(600, 360, colours[i % len(colours)]))
        html = html.replace(url, local.as_uri())
    page = folder / f"email-{language}.html"
    page.write_text(html, "utf-8")
    return page


def measure(
    browser: Chromium, page: Path, width: int, screenshot: Path, scheme: str = "light"
) -> dict[str, Any]:
    """Load ``page`` in a ``width``-px viewport (a phone at 375) with the reader's
    colour ``scheme``, run the measuring script, and save a full-page screenshot."""
    browser.load(page.as_uri(), width, scheme=scheme)
    result = dict(json.loads(browser.evaluate(MEASURE)))
    screenshot.write_bytes(browser.screenshot(width, int(result["scrollHeight"])))
    return result


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """One headless Chromium for the module; a clear failure if it is not installed."""
    with started_chromium(tmp_path_factory.mktemp("chromium-profile")) as instance:
        yield instance


@pytest.mark.browser
@pytest.mark.parametrize("inliner", INLINERS)
@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("width", [375, 600])
def test_email_layout_in_chromium(
    browser: Chromium, tmp_path: Path, width: int, language: str, inliner: str
) -> None:
    page = email_page(tmp_path, language, inliner)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"email-{language}-{width}{_suffix(inliner)}.png"
    result = measure(browser, page, width, shot)
    assert result["innerWidth"] == width
    assert result["scrollWidth"] <= width, f"horizontal scrolling at {width}px: {result}"
    assert result["bodyScrollWidth"] <= width
    assert result["small"] == [], f"text under 14px: {result['small']}"
    assert result["brokenImages"] == 0
    rows = result["rows"]
    assert len(rows) >= 5, "stories with pictures should sit in two-column sections"
    if width == 375:
        # One column: the picture spans the card and the text starts below it.
        for row in rows:
            assert row["textTop"] >= row["thumbBottom"] - 1, row
            assert abs(row["thumbWidth"] - row["textWidth"]) < 2, row
        assert result["cardWidth"] <= width
    else:
        # Desktop: the 600px body, picture beside the text.
        assert result["cardWidth"] == 600
        for row in rows:
            assert abs(row["thumbTop"] - row["textTop"]) < 2, row
            assert row["thumbWidth"] < row["textWidth"], row
    assert shot.stat().st_size > 10_000


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.browser
@pytest.mark.parametrize("inliner", INLINERS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_email_colours_follow_the_reader_colour_scheme(
    browser: Chromium, tmp_path: Path, scheme: str, inliner: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"email-en-375-{scheme}{_suffix(inliner)}.png"
    result = measure(browser, email_page(tmp_path, "en", inliner), 375, shot, scheme)
    text, background = _luminance(result["headlineColor"]), _luminance(result["cardBackground"])
    if scheme == "dark":
        assert background < 0.2 and text > 0.8, result
    else:
        assert background > 0.9 and text < 0.2, result
