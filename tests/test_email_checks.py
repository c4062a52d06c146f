"""The exported email meets issue 16's targets, measured by ``tools/check_email.py``
as readers' tools meet it: html-validate, SpamAssassin, headless Chromium at phone
and desktop widths in light, dark and forced dark mode (and with pictures blocked),
and axe-core.  The sample edition (8 stories) is built with its pictures served from
127.0.0.1; screenshots go to ``tests/artifacts/check/``.

The measuring functions are checked first on pictures whose answer is known, so a
passing target means something.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tools.check_email import (
    MAX_HTML_BYTES,
    MIN_CONTRAST,
    WIDTHS,
    Report,
    carries_words,
    contrast,
    light_areas,
    sample_report,
    save_shot,
    text_contrast,
)

pytestmark = pytest.mark.slow  # spamassassin, html-validate, axe and chromium

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "check"


# -- the measures, on known pictures --------------------------------------------------


def test_contrast_is_wcags() -> None:
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0x59, 0x59, 0x59), (255, 255, 255)), 2) == 7.0


def test_text_contrast_reads_the_glyphs_not_their_edges() -> None:
    shot = Image.new("RGB", (200, 40), (28, 28, 28))
    draw = ImageDraw.Draw(shot)
    draw.rectangle([10, 10, 150, 14], fill=(179, 0, 27))  # "text" in the accent red
    draw.rectangle([10, 15, 150, 15], fill=(100, 20, 30))  # an anti-aliased edge
    draw.rectangle([160, 10, 170, 20], fill=(255, 255, 255))  # a broken-picture icon
    measured = text_contrast(shot.resize((400, 80)), {"x": 0, "y": 0, "w": 200, "h": 40})
    assert round(measured, 2) == round(contrast((179, 0, 27), (28, 28, 28)), 2) < MIN_CONTRAST


def test_a_screenshot_is_replaced_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under pytest-xdist both workers may build this module's report and write the
    same screenshots while the other's tests read them: a screenshot being written
    leaves the one there whole until the new one is complete (here, a writer that
    dies after a few bytes leaves the old one as it was, and no stray file)."""
    path = tmp_path / "email-375-light.png"
    Image.new("RGB", (40, 40), (1, 2, 3)).save(path)
    before = path.read_bytes()

    def dies_midway(self: Image.Image, fp: str | Path, *args: object, **kw: object) -> None:
        Path(fp).write_bytes(before[:8])
        raise OSError("the writer died")

    monkeypatch.setattr(Image.Image, "save", dies_midway)
    with pytest.raises(OSError):
        save_shot(Image.new("RGB", (40, 40)), path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_only_boxes_with_words_are_measured() -> None:
    assert (
        carries_words("View in browser")
        and carries_words("3 stories")
        and carries_words("alt: Ярмарка")
    )
    assert not carries_words("·") and not carries_words(" | ") and not carries_words("—")


def test_light_areas_finds_bands_but_not_text_or_pictures() -> None:
    shot = Image.new("RGB", (375, 600), (17, 17, 17))
    draw = ImageDraw.Draw(shot)
    for x in range(10, 300, 9):  # light text: thin strokes
        draw.rectangle([x, 20, x + 3, 48], fill=(237, 237, 237))
    draw.rectangle([0, 100, 374, 104], fill=(242, 239, 233))  # a 5 px light rule
    draw.rectangle([20, 200, 200, 300], fill=(250, 250, 250))  # a light picture
    assert light_areas(shot, [{"x": 20, "y": 200, "w": 181, "h": 101}]) == []
    draw.rectangle([0, 500, 374, 599], fill=(242, 239, 233))  # the band below a footer
    (band,) = light_areas(shot, [{"x": 20, "y": 200, "w": 181, "h": 101}])
    assert band[1] == 500 and band[3] >= 95 and band[2] >= 370


# -- the targets ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Report:
    """The sample edition exported and checked once for the module."""
    return sample_report(ARTIFACTS)


@pytest.mark.browser
def test_markup_is_valid_and_small(report: Report) -> None:
    assert report.htmlvalidate_errors == []
    assert report.stories == 8
    assert report.html_bytes < MAX_HTML_BYTES
    # One h1 (the digest), an h2 and a role="article" per story.
    assert report.headings == {"h1": 1, "h2": 8, "role=article": 8}


@pytest.mark.browser
def test_spamassassin_scores_zero(report: Report) -> None:
    assert report.spam_score == 0.0, report.spam_rules


@pytest.mark.browser
def test_every_width_and_colour_scheme_reads_well(report: Report) -> None:
    views = {(v.width, v.mode): v for v in report.views}
    assert {w for w, _ in views} == set(WIDTHS)
    assert {m for _, m in views} >= {"light", "dark", "forced-dark", "dark-no-images"}
    for (width, mode), view in views.items():
        assert view.overflow <= 0, f"{width}px {mode}: horizontal scrolling"
        assert view.min_contrast >= MIN_CONTRAST, (width, mode, view.low_contrast)
        assert view.light_areas == [], (width, mode, view.light_areas)
        assert view.broken_images == 0, (width, mode)
        assert Path(view.screenshot).stat().st_size > 10_000


@pytest.mark.browser
def test_axe_finds_nothing_serious(report: Report) -> None:
    audited = [v for v in report.views if v.mode in ("light", "dark", "forced-dark")]
    assert len(audited) == 3 * len(WIDTHS)
    for view in audited:
        serious = [a for a in view.axe if a["impact"] in ("serious", "critical")]
        assert serious == [], (view.width, view.mode, serious)


@pytest.mark.browser
def test_every_target_is_reported(report: Report) -> None:
    assert report.failures() == []
