"""The generic page reader: pages of any publisher, scored on the real dev set
(tests/data/page_devset, built by tools/build_page_devset.py), and its edge cases."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType

import pytest

from digest.errors import SourceError
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

ROOT = Path(__file__).resolve().parents[1]
SAVED = datetime(2019, 11, 21, 12, 0, tzinfo=UTC)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_pages", ROOT / "tools" / "score_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_pages"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored() -> object:
    scorer = _scorer()
    records = scorer.load_devset()
    return records, scorer.score_dumps(records)


def test_dev_set_is_real_and_broad(scored: tuple[list[dict[str, object]], object]) -> None:
    records, _ = scored
    assert len(records) >= 150
    assert len({r["site"] for r in records}) >= 100
    assert sum(1 for r in records if r["title"]) >= 150


def test_dev_set_meets_the_issues_targets(scored: tuple[list[dict[str, object]], object]) -> None:
    """The issue's targets on the whole dev set: no page refused, body F1 0.90
    (measured 0.913), title exact 0.90 (0.950), date right 0.95 (0.958)."""
    _, report = scored
    assert report.refused == []  # type: ignore[attr-defined]
    assert report.body_f1 >= 0.90  # type: ignore[attr-defined]
    assert report.title_exact >= 0.90  # type: ignore[attr-defined]
    assert report.date_accuracy >= 0.95  # type: ignore[attr-defined]


def test_held_out_split_figures_do_not_regress(
    scored: tuple[list[dict[str, object]], object],
) -> None:
    """Every third page was held out while the rules were tuned on the others: its
    figures (title 0.900, body 0.906, date 0.969) are floors, the tuning pages'
    (title 0.975, body 0.916, date 0.953) too.  The gap in titles is what pages
    the rules have not seen do; see the README."""
    records, _ = scored
    scorer = sys.modules["score_pages"]
    held = scorer.split(records, "held-out")
    tuned = scorer.split(records, "dev")
    assert len(held) + len(tuned) == len(records) and len(held) == len(records) // 3
    held_report, tuned_report = scorer.score_dumps(held), scorer.score_dumps(tuned)
    assert held_report.title_exact >= 0.89 and tuned_report.title_exact >= 0.97
    # Stop 27 (chrome under the story): body 0.911 → 0.919 held out, 0.919 → 0.920 tuned.
    assert held_report.body_f1 >= 0.915 and tuned_report.body_f1 >= 0.915
    assert held_report.date_accuracy >= 0.96 and tuned_report.date_accuracy >= 0.95
    assert held_report.refused == [] and tuned_report.refused == []


def test_dev_set_with_document_titles_first(scored: tuple[list[dict[str, object]], object]) -> None:
    """Dumps opening with the document's title, as crawlers saving the <title> do
    (none of the dev set's does): each page's gold title prepended as '<title> |
    <site>' lifts title exact to 0.961 and date right stays 0.958 (floors just
    under); a first line naming only the site changes nothing."""
    records, report = scored
    scorer = sys.modules["score_pages"]
    titled = [{**r, "dump": f"{r['title']} | {r['site']}\n{r['dump']}"} for r in records]
    named = scorer.score_dumps(titled)
    assert named.title_exact >= 0.95 and named.date_accuracy >= 0.95
    assert named.body_f1 >= report.body_f1 - 0.005  # type: ignore[attr-defined]
    sited = [{**r, "dump": f"{r['site']} | Home\n{r['dump']}"} for r in records]
    assert scorer.score_dumps(sited).title_exact == report.title_exact  # type: ignore[attr-defined]


def test_unseen_set_is_real_and_from_other_sites() -> None:
    """The second set (readability's and Mercury's test pages, none from a dev-set
    site; tools/build_page_unseen.py) was made to measure pages of publishers the
    rules had not seen; it has since been tuned on in two rounds, so only the blind
    set (fundus) still measures that.  Measured before the first
    round's rules: title 0.703, body 0.913, date 0.878; after it: title 0.772, body
    0.913, date 0.918; after the second round (tuned on it too): title 0.841, body
    0.916, date 0.939; after the third: title 0.848, body 0.916, date 0.939; after the
    sixth: title 0.855; after the seventh: 0.862; after the tenth's headline rules:
    0.883, its held-out sites 0.846 → 0.865; the ninth (dates away from the
    headline, date shapes): date 0.980 (floors just under; the issue's 0.90 title is
    not reached)."""
    scorer = _scorer()
    records = scorer.load_devset(scorer.UNSEEN)
    dev_sites = {r["site"] for r in scorer.load_devset()}
    assert len(records) >= 60 and len({r["site"] for r in records}) >= 60
    assert all(r["title"] for r in records)
    assert not {r["site"] for r in records} & dev_sites
    report = scorer.score_dumps(records, scorer.CRAWLED_UNSEEN)
    assert report.refused == []
    assert report.title_exact >= 0.88
    assert report.body_f1 >= 0.915  # stop 27: 0.916 → 0.920 (unseen), 0.917 → 0.918 (blind)
    assert report.date_accuracy >= 0.975


def test_blind_set_is_real_and_shares_no_site_with_the_others() -> None:
    """The third set (fundus's parser tests, tools/build_page_blind.py): 203 pages
    from 151 sites in neither other set, measured before the second round's rules
    (title 0.660, body 0.878, date 0.918) and after (title 0.660, body 0.875, date
    0.925): the round's rules did not carry over to it.  The third round read the
    misses of two thirds of its sites (``dev-sites``) and left the others' unread
    (``held-out-sites``, 69 pages of 49 sites): all pages title 0.793, body 0.899,
    date 0.955; the held-out sites 0.623 → 0.725, 0.861 → 0.889, 0.907 → 0.953.
    The sixth round (rules from misses on dev, unseen, blind dev-sites and the fresh
    set's dev-sites): all pages 0.803 / 0.899 / 0.963, held-out sites 0.725 / 0.889 /
    0.953.  The seventh round (dates, refusals, chrome; misses of the dev-sites
    read): all pages 0.803 / 0.905 / 0.970, held-out sites 0.725 / 0.890 / 0.953.
    The eighth (numeric date order, boxes inside the story): all pages body 0.907,
    held-out sites unchanged.  The ninth (dates away from the headline, date
    shapes): all pages date 0.978, held-out sites unchanged.  The eleventh (what
    follows the story: teaser lists, a box about the writer, the next story's
    header; misses of the dev-sites read), on its own: all pages 0.808 / 0.916 /
    0.978, held-out sites 0.739 / 0.908 / 0.977.  Stop 27's title pass (misses of
    the dev-sites read): all pages title 0.818, held-out sites 0.739 unchanged.
    Floors just under; the issue's title target is not reached here (see the
    README)."""
    scorer = _scorer()
    records = scorer.load_devset(scorer.BLIND)
    others = {r["site"] for r in scorer.load_devset()} | {
        r["site"] for r in scorer.load_devset(scorer.UNSEEN)
    }
    assert len(records) >= 150 and len({r["site"] for r in records}) >= 100
    assert all(r["title"] and r["title"] + "\n" in r["dump"] for r in records)
    assert not {r["site"] for r in records} & others
    report = scorer.score_dumps(records)
    assert report.refused == []
    assert report.title_exact >= 0.82  # stop 29: 0.818 → 0.823
    assert report.body_f1 >= 0.915  # stop 27: 0.916 → 0.920 (unseen), 0.917 → 0.918 (blind)
    assert report.date_accuracy >= 0.99  # stop 30: 0.985 → 0.993
    held = scorer.score_dumps(scorer.split(records, "held-out-sites"))
    assert held.title_exact >= 0.72 and held.body_f1 >= 0.90 and held.date_accuracy >= 0.95
    held_sites = {r["site"] for r in scorer.split(records, "held-out-sites")}
    assert not held_sites & {r["site"] for r in scorer.split(records, "dev-sites")}


def test_fresh_set_is_real_and_shares_no_site_with_the_others() -> None:
    """The fourth set (trafilatura's evaluation pages, tools/build_page_fresh.py):
    638 dated pages of 638 sites in no other set, measured before any rule of the
    sixth round (title 0.639, refused 5, date 0.818; snippets of the text found
    0.881, of boilerplate left out 0.822) and after it (title 0.671, refused 3, date
    0.827; 0.885 / 0.823).  Its rules were written from the misses of two thirds of
    its sites; the third whose misses were never read (held-out-sites, 229 pages)
    went from title 0.611 to 0.633, date 0.833 to 0.833.  The seventh round, two
    passes from the dev-sites' misses: dates, refusals and chrome (refused 3 → 0,
    date 0.827 → 0.875; held-out sites refused 2 → 0, date 0.833 → 0.850) and
    headline rules (title 0.671 → 0.712 with both; held-out sites 0.633 → 0.664).
    The eighth (numeric date order, boxes inside the story) and the tenth (headline
    choice: title 0.713 → 0.723, held-out sites 0.668 unchanged): see the README.
    The ninth (dates away from the headline, date shapes): date 0.878 → 0.903,
    held-out sites 0.858 → 0.867.  The eleventh (what follows the story): snippets
    0.889 / 0.823 → 0.894 / 0.833, held-out sites 0.886 / 0.819 → 0.896 / 0.836.
    Stop 27's title pass: title 0.730 → 0.735 (held-out sites 0.686 unchanged).
    Stop 28's dates (misses of every split read): date 0.903 → 0.930, held-out
    sites 0.867 → 0.908.  Stop 28's headline pass: title 0.735 → 0.738 (held-out
    sites 0.686 → 0.690).  Floors just under; no whole gold text, so no body F1."""
    scorer = _scorer()
    records = scorer.load_devset(scorer.FRESH)
    others: set[str] = set()
    for folder in (scorer.DEVSET, scorer.UNSEEN, scorer.BLIND):
        others |= {r["site"] for r in scorer.load_devset(folder)}
    assert len(records) >= 600 and len({r["site"] for r in records}) >= 600
    assert all(r["title"] and r["title"] + "\n" in r["dump"] for r in records)
    assert all(r["date"] and r["crawled"] for r in records)
    assert not {r["site"] for r in records} & others
    report = scorer.score_dumps(records)
    assert report.refused == []
    # stop 28: 0.735 → 0.738; stop 29: 0.740 → 0.745; stop 30: 0.745 → 0.748;
    # stop 32: 0.751 → 0.754
    assert report.title_exact >= 0.752
    assert report.date_accuracy >= 0.935  # stop 28: 0.903 → 0.930; stop 30: 0.933 → 0.939
    found, left_out = report.snippets
    assert found >= 0.89 and left_out >= 0.855  # stop 27: left out 0.834 → 0.859
    held = scorer.score_dumps(scorer.split(records, "held-out-sites"))
    # stop 28: 0.690, 0.908; stop 30: title 0.694 → 0.703, date 0.908 → 0.925
    assert held.title_exact >= 0.70 and held.date_accuracy >= 0.92
    held_found, held_left_out = held.snippets
    assert held_found >= 0.89 and held_left_out >= 0.85  # stop 27: 0.838 → 0.852


def test_modern_set_is_real_and_shares_no_site_with_the_others() -> None:
    """The fifth set (WCXB's held-out test split, tools/build_page_modern.py): 185
    dated article pages of 177 sites in no other set, saved in 2025-2026, English,
    with the whole gold text; measured on main before any rule was changed for it:
    title 0.719, body 0.902, refused 3, date 0.904 (115 pages printing it),
    snippets found 0.858 / left out 0.874; held-out sites (66 pages) title 0.712,
    body 0.893, date 0.860.  Its three refusals were then read and mended (a
    headline over the crumb trail repeating it, a footer menu read as a trail:
    test_sources_page_trails.py): refused 0, title 0.741, body 0.913.  The round
    tuned on WCXB's dev split (test_sources_page_titles_wcxb.py), judged here by
    scores only: title 0.757 (held-out sites 0.727 unchanged).  Stop 28's dates
    (misses read): date 0.913 → 0.957, held-out sites 0.884 → 0.930.  Stop 28's
    headline pass (a writer's box over the time line, a byline's label, an aside in
    brackets, a site's own links): title 0.789, held-out sites 0.742.  Floors just
    under; the targets met are body F1, date and no refusal (see the README)."""
    scorer = _scorer()
    records = scorer.load_devset(scorer.MODERN)
    others: set[str] = set()
    for folder in (scorer.DEVSET, scorer.UNSEEN, scorer.BLIND, scorer.FRESH):
        others |= {r["site"] for r in scorer.load_devset(folder)}
    assert len(records) >= 150 and len({r["site"] for r in records}) >= 100
    assert all(r["title"] and r["title"] + "\n" in r["dump"] for r in records)
    assert all(r["body"] and r["date"] and r["crawled"] for r in records)
    assert not {r["site"] for r in records} & others
    report = scorer.score_dumps(records)
    assert not report.refused
    assert report.title_exact >= 0.795  # stop 28: 0.757 → 0.789; stop 30: 0.795 → 0.800
    assert report.body_f1 >= 0.91  # stop 27: 0.914 → 0.915
    assert report.date_accuracy >= 0.95  # stop 28: 0.913 → 0.957
    found, left_out = report.snippets
    assert found >= 0.85 and left_out >= 0.87
    held = scorer.score_dumps(scorer.split(records, "held-out-sites"))
    assert held.title_exact >= 0.74 and held.body_f1 >= 0.89 and held.date_accuracy >= 0.925
    # Its 3 pages stating no language are too few to be shown apart.
    assert set(scorer.by_language(records, report)) == {"en"}


def test_wcxb_tuning_set_is_real_and_shares_no_site_with_the_others() -> None:
    """The sixth set (WCXB's dev split, tools/build_page_modern.py --split dev): 426
    dated article pages of 419 sites in no other set (the modern set included),
    the tuning set the modern set checks.  Measured on main when it was made:
    title 0.770, body 0.916, refused 3, date 0.953 (322 pages printing it);
    held-out sites (124 pages) title 0.806, body 0.934, date 0.957.  After the
    round tuned on its misses (a table of contents between headline and story, a
    sentence deck under the headline, a crumb trail right over the story): title
    0.784, body 0.920, refused 1, date 0.960; held-out sites 0.831, 0.942, 0.968.
    Its last refusal (a story far below charts, nothing over it reading as a
    headline) is read by the page's header: refused 0, title 0.786, body 0.922.
    Stop 27's title pass: title 0.791 (held-out sites 0.839 unchanged).  Stop 28's
    dates: 0.966 → 0.978, held-out sites 0.968 → 0.979; its headline pass: title
    0.803, held-out sites 0.863.  Floors just under (see the
    README)."""
    scorer = _scorer()
    records = scorer.load_devset(scorer.WCXBDEV)
    others: set[str] = set()
    for folder in (scorer.DEVSET, scorer.UNSEEN, scorer.BLIND, scorer.FRESH, scorer.MODERN):
        others |= {r["site"] for r in scorer.load_devset(folder)}
    assert len(records) >= 400 and len({r["site"] for r in records}) >= 400
    assert all(r["title"] and r["title"] + "\n" in r["dump"] for r in records)
    assert all(r["body"] and r["date"] and r["crawled"] for r in records)
    sites = {r["site"] for r in records}
    assert not {
        a for a in sites for b in others if a == b or a.endswith("." + b) or b.endswith("." + a)
    }
    report = scorer.score_dumps(records)
    assert not report.refused
    # stop 28: 0.791 → 0.803; stop 30: 0.803 → 0.810; stop 32: 0.819 → 0.822
    assert report.title_exact >= 0.82
    assert report.body_f1 >= 0.92
    assert report.date_accuracy >= 0.975  # stop 27: 0.960 → 0.966, stop 28: → 0.978
    held = scorer.score_dumps(scorer.split(records, "held-out-sites"))
    # stop 30: title 0.863 → 0.871
    assert held.title_exact >= 0.865 and held.body_f1 >= 0.94 and held.date_accuracy >= 0.975


def test_libtests_set_is_real_and_shares_no_site_with_the_others() -> None:
    """The seventh set (the test pages of newspaper, newspaper4k, goose3 and
    htmldate, tools/build_page_libtests.py): 368 pages of 326 sites in no other set,
    dated 2011-2023, 30 languages; a whole gold body (the text the newspaper libraries
    accept) on 61 pages, a gold day on 314 (htmldate's hand-annotated days on 267).
    Measured on the reader of main c636c3e, before any rule was written for it: title
    0.747, body 0.926, refused 1, date 0.903 (196 pages printing it), goose3 openings
    found 0.571; held-out sites (136 pages) title 0.757, body 0.904, date 0.903.
    After stop 28's headline pass (its misses not read): title 0.750, held-out
    sites 0.765, the rest unchanged.  Floors just under those figures (see the
    README)."""
    scorer = _scorer()
    records = scorer.load_devset(scorer.LIBTESTS)
    others: set[str] = set()
    for name in ("dev", "unseen", "blind", "fresh", "modern", "wcxbdev"):
        others |= {r["site"] for r in scorer.load_devset(scorer.SETS[name])}
    assert len(records) >= 350 and len({r["site"] for r in records}) >= 300
    assert all(r["title"] and r["title"] + "\n" in r["dump"] for r in records)
    assert all(r["crawled"] for r in records)
    assert sum(bool(r["body"]) for r in records) >= 60
    assert sum(bool(r["date_shown"]) for r in records) >= 190
    sites = {r["site"] for r in records}
    assert not {
        a for a in sites for b in others if a == b or a.endswith("." + b) or b.endswith("." + a)
    }
    report = scorer.score_dumps(records)
    assert len(report.refused) <= 1
    assert report.title_exact >= 0.748  # stop 28: 0.747 → 0.750
    assert report.body_f1 >= 0.925
    assert report.date_accuracy >= 0.90
    assert report.snippets[0] >= 0.57
    held = scorer.score_dumps(scorer.split(records, "held-out-sites"))
    assert held.title_exact >= 0.76 and held.body_f1 >= 0.90 and held.date_accuracy >= 0.90


@pytest.mark.slow  # trafilatura over the libtests set's pages with a gold body
def test_html_reader_does_at_least_as_well_as_trafilatura_on_the_libtests_html() -> None:
    """On the libtests set's HTML (the 61 pages with a gold body): measured 0.952
    against 0.936, none refused."""
    scorer = _scorer()
    scored = scorer.score_html(scorer.load_devset(scorer.LIBTESTS), scorer.LIBTESTS)
    assert scored is not None
    ours, theirs, refused = scored
    assert ours >= theirs
    assert refused == 0


@pytest.mark.slow  # trafilatura over every page of the modern set
def test_html_reader_does_at_least_as_well_as_trafilatura_on_the_modern_html() -> None:
    """On the modern set's real 2025-2026 HTML too (measured 0.959 against 0.942,
    one page refused)."""
    scorer = _scorer()
    scored = scorer.score_html(scorer.load_devset(scorer.MODERN), scorer.MODERN)
    assert scored is not None
    ours, theirs, refused = scored
    assert ours >= theirs
    assert refused <= 1


@pytest.mark.slow  # trafilatura over every page of the dev set
def test_html_reader_does_at_least_as_well_as_trafilatura_on_the_real_html(
    scored: tuple[list[dict[str, object]], object],
) -> None:
    """The issue's HTML target: body F1 at least that of trafilatura.extract with its
    own settings, on the dev set's real HTML; no page refused."""
    records, _ = scored
    html = _scorer().score_html(records)
    assert html is not None
    ours, theirs, refused = html
    assert ours >= theirs
    assert refused == 0


def test_html_scores_are_none_for_a_set_that_keeps_no_html() -> None:
    """`--html` on a text-dump-only set says n/a instead of failing on a missing file
    (unseen) or dividing by no pages (fresh, which has no whole gold body)."""
    scorer = _scorer()
    for folder in (scorer.UNSEEN, scorer.FRESH):
        assert scorer.score_html(scorer.load_devset(folder), folder) is None
    assert scorer.main(["--set", "unseen", "--html", "--split", "held-out"]) == 0


def test_token_f1_and_title_match() -> None:
    scorer = _scorer()
    assert scorer.token_f1("a b c", "a b c") == 1.0
    assert scorer.token_f1("a b", "") == 0.0
    assert scorer.token_f1("", "") == 1.0
    assert round(scorer.token_f1("a b c d", "a b"), 3) == 0.667
    assert scorer.same_title("It’s  here", "It's here")
    # Chinese and Japanese have no spaces: scored by character, not one token a sentence.
    assert round(scorer.token_f1("東京で雨が降った。", "東京で雨"), 3) == 0.667
    assert scorer.tokens("서울 날씨 café") == {"서울": 1, "날씨": 1, "café": 1}


PROSE = (
    "The council voted on Tuesday to close the old bridge to cars after engineers found "
    "cracks in two of its supports, officials said."
)
NO_DATE_PAGE = "\n".join(
    [
        "Home",
        "News",
        "Sport",
        "Share",
        "Council closes old bridge to cars after cracks found",
        "By Jane Smith",
        PROSE,
        "Drivers will have to use the ring road, which adds about ten minutes to the trip "
        "into town, until repairs are finished next spring.",
        "Related articles",
        "Another story about roads entirely",
        "© 2019 Example Media",
    ]
)


def test_page_without_a_date_is_accepted_and_dated_by_its_crawl() -> None:
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(NO_DATE_PAGE.encode(), options).articles
    assert article.title == "Council closes old bridge to cars after cracks found"
    assert article.byline == "Jane Smith"
    assert article.published_at == SAVED and article.time_from_crawl
    assert "ring road" in article.body
    assert "Another story" not in article.body and "Related" not in article.body


def test_fetched_at_line_gives_the_crawl_time_and_leaves_the_text() -> None:
    page = "fetched_at: 2019-11-20T08:30:00Z\n" + NO_DATE_PAGE
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(page.encode(), options).articles
    assert article.published_at == datetime(2019, 11, 20, 8, 30, tzinfo=UTC)
    assert article.time_from_crawl
    assert "fetched_at" not in article.body + article.title


@pytest.mark.parametrize("label", ["fetched_at", "Crawled on", "saved", "retrieved at"])
def test_text_and_html_readers_take_the_same_crawl_notes(label: str) -> None:
    """Both readers share one list of the crawler's note labels (``base.py``):
    a label one learns, the other reads too."""
    from digest.sources.htmlpage import read_html

    note = f"{label}: 2019-11-20T08:30:00Z\n"
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (text,) = read_page((note + NO_DATE_PAGE).encode(), options).articles
    (html,) = read_html(note.encode() + _undated_html(), options).articles
    when = datetime(2019, 11, 20, 8, 30, tzinfo=UTC)
    assert text.published_at == html.published_at == when
    assert text.time_from_crawl and html.time_from_crawl


def test_unreadable_fetched_at_line_leaves_the_file_time() -> None:
    """Stop 29: a page with a title and a body is not refused for its crawler's
    header line (this was a named error); the line is dropped, the file time
    stands."""
    page = "fetched_at: not a time\n" + NO_DATE_PAGE
    (article,) = read_page(page.encode(), ReadOptions("odd.txt", reference_time=SAVED)).articles
    assert article.time_from_crawl
    assert article.published_at == SAVED
    assert "fetched_at" not in article.title + article.body


def test_printed_date_is_read_not_the_crawl_time() -> None:
    page = NO_DATE_PAGE.replace("By Jane Smith", "By Jane Smith | November 19, 2019")
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(page.encode(), options).articles
    assert article.published_at.date() == datetime(2019, 11, 19).date()
    assert not article.time_from_crawl


def test_headline_is_the_line_agreeing_with_the_lead_not_a_menu_entry() -> None:
    page = "\n".join(
        [
            "World",
            "Business",
            "Markets stay calm as rates hold",
            "Opinion",
            PROSE,
            PROSE + " Again.",
        ]
    ).replace("Markets stay calm as rates hold", "Old bridge closed to cars after council vote")
    (article,) = read_page(page.encode(), ReadOptions("p.txt", reference_time=SAVED)).articles
    assert article.title == "Old bridge closed to cars after council vote"


def test_page_with_no_crawl_time_and_no_date_is_dated_when_read() -> None:
    """Stop 29: no date printed, no crawl time given: the page is dated when it is
    read and flagged (it was refused, "no crawl time")."""
    (article,) = read_page(
        NO_DATE_PAGE.encode(), ReadOptions("p.txt", clock=lambda: SAVED)
    ).articles
    assert article.time_from_crawl
    assert article.published_at == SAVED


LEBANON_HTML = ROOT / "tests" / "fixtures" / "html" / "lebanon-article.html"


def _undated_html() -> bytes:
    data = LEBANON_HTML.read_bytes()
    for cut in (
        b'<link rel="canonical" href="https://levanttimes.example/world/middle-east/2020/11/22/'
        b'lebanon-muted-independence-day">',
        b'<meta property="article:published_time" content="2020-11-22T11:20:00+02:00">',
    ):
        assert cut in data
        data = data.replace(cut, b"")
    return data


def test_html_page_without_date_or_url_is_dated_by_its_crawl_not_refused() -> None:
    from digest.sources.htmlpage import read_html

    (article,) = read_html(_undated_html(), ReadOptions("x.html", reference_time=SAVED)).articles
    assert article.title == "Lebanon marks a muted independence day amid economic collapse"
    assert article.published_at == SAVED and article.time_from_crawl
    assert article.url == "" and article.id
    assert article.body.startswith("Lebanon marked the 77th anniversary")
    (dated,) = read_html(LEBANON_HTML.read_bytes(), ReadOptions("x.html")).articles
    assert not dated.time_from_crawl


def test_html_page_without_date_and_without_crawl_time_is_dated_when_read() -> None:
    """Issue 12: no date in the markup and no crawl time given (read from bytes,
    not a saved file) was refused ("no crawl time"); like a text dump, the page
    is dated when it is read (the injected clock, in UTC) and flagged."""
    from digest.sources.htmlpage import read_html

    now = datetime(2020, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    (article,) = read_html(_undated_html(), ReadOptions("x.html", clock=lambda: now)).articles
    assert article.title == "Lebanon marks a muted independence day amid economic collapse"
    assert article.time_from_crawl
    assert article.published_at == datetime(2020, 11, 23, 7, 30, tzinfo=UTC)
    assert article.published_at.tzinfo is UTC


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_html_page_with_a_control_character_in_its_text_is_read(encoding: str) -> None:
    """A stray backspace in the story's text (a modern page of a review site):
    libxml2 stopped reading there and the page was refused ("no article text")."""
    from digest.sources.htmlpage import read_html

    data = LEBANON_HTML.read_bytes().replace(b"Lebanon marked", b"Lebanon\x08 marked", 1)
    markup = data.decode("utf-8").encode(encoding, "replace")
    (article,) = read_html(markup, ReadOptions("x.html")).articles
    assert article.body.startswith("Lebanon marked the 77th anniversary")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_html_page_in_cyrillic_keeps_its_letters(encoding: str) -> None:
    """Dropping control bytes from a page of unknown encoding cut UTF-16 apart:
    Cyrillic letters hold 0x04 ("М" is 1c 04) and the page came out as CJK noise."""
    from digest.sources.htmlpage import read_html

    story = "Москва открыла новый парк на берегу реки. " * 12
    page = (
        f'<html><head><meta charset="{encoding}"><title>Новый парк в Москве</title>'
        '<meta property="article:published_time" content="2020-11-23T06:00:00Z">'
        f"</head><body><article><h1>Новый парк в Москве</h1><p>{story}</p><p>{story}</p>"
        "</article></body></html>"
    )
    data = ("\ufeff" + page).encode(encoding)
    (article,) = read_html(data, ReadOptions("x.html")).articles
    assert article.title == "Новый парк в Москве"
    assert article.body.startswith("Москва открыла новый парк")


@pytest.mark.parametrize(
    "note",
    [
        b"fetched_at: 2020-11-23T06:00:00Z\n",
        b"<!-- crawled_at: 2020-11-23T06:00:00Z -->\n",
        # After a UTF-8 byte order mark the line was missed, and the page was
        # dated, unflagged, by the crawl date the line printed.
        b"\xef\xbb\xbffetched_at: 2020-11-23T06:00:00Z\n",
    ],
)
def test_html_page_without_date_takes_the_crawlers_fetched_at_note(note: bytes) -> None:
    """A crawler's ``fetched_at:`` line before the markup (or in a comment atop
    it) dates an undated page, as in text dumps, over the file's time; the line
    is not read as the story's text."""
    from digest.sources.htmlpage import read_html

    options = ReadOptions("x.html", reference_time=SAVED)
    (article,) = read_html(note + _undated_html(), options).articles
    assert article.time_from_crawl
    assert article.published_at == datetime(2020, 11, 23, 6, 0, tzinfo=UTC)
    assert "fetched" not in article.body and "crawled" not in article.body
    (unreadable,) = read_html(b"fetched_at: soon\n" + _undated_html(), options).articles
    assert unreadable.published_at == SAVED


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("By Tess Bonn - 11/19/19 06:56 AM EST", "2019-11-19"),
        ("Posted on Maret 30, 2015 by Admin", "2015-03-30"),
        ("Carlos Nadalim 27/09/2018 Comente!", "2018-09-27"),
        ("Monday November 18, 2019 7:45 am PST by Joe Rossignol", "2019-11-18"),
        ("Nov 15, 20195:45 AM", "2019-11-15"),
        ("19 November 2019 • 1:16pm", "2019-11-19"),
        ("27 de setembro de 2018", "2018-09-27"),
        ("2018년 10월 12일", "2018-10-12"),
        ("No date here, 12 readers", None),
        ("November 19, 2025", None),  # after the crawl: another page's, or misread
    ],
)
def test_full_date_inside_a_credit_line(line: str, day: str | None) -> None:
    from digest.sources.pagemeta import time_in_line

    found = time_in_line(line, ReadOptions("p.txt", reference_time=SAVED), month_first=None)
    assert (found.date().isoformat() if found else None) == day


def test_numeric_date_reading_both_ways_follows_the_pages_habit() -> None:
    from digest.sources.pagemeta import numeric_order, time_in_line

    options = ReadOptions("p.txt", reference_time=SAVED)
    assert numeric_order(["11/19/2019 by A. Writer", "Comments"]) is True
    assert numeric_order(["19/11/2019"]) is False
    assert numeric_order(["no dates"]) is None
    assert time_in_line("06/07/2019", options, month_first=True).month == 6  # type: ignore[union-attr]
    assert time_in_line("06/07/2019", options, month_first=False).month == 7  # type: ignore[union-attr]


def test_date_without_a_year_is_in_the_crawls_year_never_after_the_crawl() -> None:
    from digest.sources.pagemeta import read_time

    options = ReadOptions("p.txt", reference_time=SAVED)
    assert read_time("Nov 18", options) == datetime(2019, 11, 18, tzinfo=UTC)
    # Crawled 21 November: "Sun Dec 8" is a coming date (a schedule), not last
    # December's; crawled in January, "Dec 30" is last December's.
    assert read_time("Sun Dec 8", options) is None
    january = ReadOptions("p.txt", reference_time=datetime(2020, 1, 5, tzinfo=UTC))
    assert read_time("Dec 30", january) == datetime(2019, 12, 30, tzinfo=UTC)


def test_generic_page_dates_itself_by_a_credit_line_with_a_date() -> None:
    page = NO_DATE_PAGE.replace("By Jane Smith", "By Jane Smith - 11/19/19 06:56 AM EST")
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(page.encode(), options).articles
    assert article.published_at == datetime(2019, 11, 19, 11, 56, tzinfo=UTC)
    assert not article.time_from_crawl


def _generic_title(lines: list[str]) -> str:
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page("\n".join(lines).encode(), options).articles
    return article.title


def test_headline_over_its_standfirst_not_the_standfirst() -> None:
    standfirst = (
        "The council said cracks in two of the old bridge's supports left it no choice but "
        "to close it to cars until spring."
    )
    title = _generic_title(["Home", "Local", "Old bridge closed to cars", standfirst, PROSE, PROSE])
    assert title == "Old bridge closed to cars"


@pytest.mark.parametrize(
    "standfirst",
    [
        # No full stop at its end: two sentences on one line, or a quote with its speaker.
        "The council voted to close the old bridge. Engineers found cracks in two supports",
        "“We had to close the old bridge to cars,” officials said after engineers found cracks",
    ],
)
def test_headline_over_a_standfirst_without_a_full_stop(standfirst: str) -> None:
    """Headline then standfirst is the universal layout: the upper, shorter line is
    the headline even when the standfirst shares more words with the lead."""
    lines = ["Home", "Old bridge closed to cars", "Local news", standfirst, PROSE, PROSE]
    assert _generic_title(lines) == "Old bridge closed to cars"


def test_headline_under_a_shorter_title_case_headline_stays_the_headline() -> None:
    """A longer line in Title Case is a headline (of its own), no standfirst; a
    capitals kicker or a two-word label over it is no headline."""
    headline = "Old Bridge Closed To Cars After Engineers Find Cracks In Its Supports"
    assert _generic_title(["Home", "Council Votes On Road Tax", headline, PROSE]) == headline
    headline = "Council closes the old bridge to cars after engineers find cracks in it"
    assert _generic_title(["Home", "LOCAL BRIDGES NEWS", headline, PROSE, PROSE]) == headline
    assert _generic_title(["Home", "U.S. news", headline, PROSE, PROSE]) == headline


def test_credit_line_with_an_outlet_is_not_the_headline() -> None:
    title = _generic_title(
        ["News", "‘It had to close’: council shuts old bridge", "Jane Smith, Example Times",
         PROSE, PROSE]
    )  # fmt: skip
    assert title == "‘It had to close’: council shuts old bridge"


def test_headline_long_enough_to_read_as_prose_opens_the_story() -> None:
    headline = "Council closes the old bridge to cars after engineers find cracks in its supports"
    title = _generic_title(["Menu", headline, "By Jane Smith", PROSE, PROSE])
    assert title == headline


RELATED = [
    "Council voted on a new road tax for cars",
    "Engineers found cracks in the town hall roof",
    "Officials said the ring road will close in May",
    "Council officials voted to close two old schools",
]


def test_headline_in_a_list_of_related_stories_is_not_the_headline() -> None:
    """Headline-shaped lines of one size, one after another, are other stories."""
    title = _generic_title(
        ["News", "Cracks close the old bridge to cars", "Share", "More on this",
         *RELATED, PROSE, PROSE]
    )  # fmt: skip
    assert title == "Cracks close the old bridge to cars"


def test_document_title_first_line_names_the_headline() -> None:
    """A dump opening with the document's title ("Headline | Site") points at the
    line that repeats it, and is not the page's text."""
    lines = ["Old bridge closed to cars after cracks found | Example Times", "News",
             "Old bridge closed to cars after cracks found", "Listen to this story",
             "Bridge cracks: what the council said", PROSE, PROSE]  # fmt: skip
    assert _generic_title(lines) == "Old bridge closed to cars after cracks found"
    # A first line naming only the site or a section neither helps nor hurts.
    assert _generic_title(["Example Times | Home", *lines[1:]]) == _generic_title(lines[1:])


def test_short_last_paragraph_stays_in_the_body() -> None:
    from digest.sources.pagegeneric import main_run

    lines = ["Menu", "Old bridge closed", PROSE, PROSE, "Officials gave no more details.", "Tags"]
    run = main_run(lines, [False] * len(lines))
    assert run is not None and (run.start, run.end) == (2, 5)


def test_long_menu_line_without_punctuation_is_not_prose() -> None:
    from digest.sources.pagegeneric import is_prose

    menu = " ".join(["Latest News Applications OS Channel Programs Cloud Data Center"] * 4)
    assert not is_prose(menu)
    assert is_prose(PROSE + " " + PROSE)


def test_dry_run_says_when_a_time_comes_from_the_crawl(tmp_path: Path) -> None:
    import json
    import os

    from click.testing import CliRunner

    from digest.cli import main

    page = tmp_path / "undated.txt"
    page.write_text(NO_DATE_PAGE, "utf-8")
    os.utime(page, (SAVED.timestamp(), SAVED.timestamp()))
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "d.sqlite3"}"\n', "utf-8")
    base = ["--config", str(config), "ingest", "--dry-run"]
    shown = CliRunner().invoke(main, [*base, str(page)])
    assert shown.exit_code == 0, shown.output
    assert "time from the crawl" in shown.output
    as_json = CliRunner().invoke(main, [*base, "--json", str(page)])
    (source,) = json.loads(as_json.output)
    (article,) = source["articles"]
    assert article["time_from_crawl"] is True
    assert article["published_at"] == "2019-11-21T12:00:00+00:00"


def test_readers_comments_are_not_the_story() -> None:
    """A post followed by a longer comment thread: the post is the story."""
    from digest.sources.pagegeneric import main_run

    rules = Boilerplate.builtin()
    comment = PROSE.replace("officials said", "which I think was the right call")
    headers = ("12 responses to “Old bridge closed”", "Ann Lee on May 2, 2019 at 4:47 pm said:",
               "[ 167 comments ]", "Top Rated Comments")  # fmt: skip
    for header in headers:
        lines = ["Menu", "Old bridge closed", PROSE, PROSE, "Share", header,
                 *(["Bob says:", "May 2, 2019 at 6:34 am", comment, comment] * 3)]  # fmt: skip
        run = main_run(lines, [rules.stops(line) for line in lines])
        assert run is not None and (run.start, run.end) == (2, 4), header


def test_story_comes_before_a_later_run_of_about_its_size() -> None:
    """Past a stop marker under a run of prose, a later run must be much larger."""
    from digest.sources.pagegeneric import main_run

    lines = ["Menu", "Old bridge closed", PROSE, PROSE, "Related stories", PROSE, PROSE, PROSE]
    stops = [line == "Related stories" for line in lines]
    run = main_run(lines, stops)
    assert run is not None and (run.start, run.end) == (2, 4)
    run = main_run(lines + [PROSE] * 3, stops + [False] * 3)
    assert run is not None and run.start == 5


def test_teasers_with_dates_under_the_story_are_not_the_story() -> None:
    """A story prints its time once, over it: under some paragraphs, a date line
    heads another story (a list of teasers: headline, author, date, first lines)."""
    from digest.sources.pagegeneric import main_run

    teaser = ["Council names a new head of roads", "Ann Lee", "Tuesday November 19, 2019",
              PROSE.replace("officials said", "the new head of roads said")]  # fmt: skip
    lines = ["Menu", "Old bridge closed", "Nov. 19, 2019", PROSE, PROSE, PROSE, "Tags",
             "More from Example Times", *teaser * 6]  # fmt: skip
    run = main_run(lines, [False] * len(lines))
    assert run is not None and (run.start, run.end) == (3, 6)


def test_breadcrumb_trail_and_labelled_facts_are_no_headline() -> None:
    headline = "Cracks found"
    for line in ("Blog > Council votes > Old bridge closed to cars",
                 "Tested by: the council Closed: old bridge to cars"):  # fmt: skip
        assert _generic_title(["Menu", headline, line, PROSE, PROSE]) == headline


def test_publisher_notices_are_not_the_story() -> None:
    rules = Boilerplate.builtin()
    assert rules.drops("We've detected you are on Internet Explorer. For the best experience")
    assert rules.drops("This copy is for your personal, non-commercial use only.")
    assert rules.drops("Something went wrong with the connection!")
    assert rules.stops(
        "This material may not be published, broadcast, rewritten, or redistributed."
    )


# Shapes publishers print around a headline, met on the dev set's tuning pages.


def test_deck_under_the_headline_over_the_byline_is_not_the_headline() -> None:
    """Headline, deck, byline, time: the deck reads like a headline and stands
    right over the byline, but the headline is the line over it."""
    lines = ["Menu", "Sports", "Old bridge closed to cars after cracks found in supports",
             "Drivers face a longer trip into town until spring",
             "By Jane Smith", "Published 9:40 am EST, Tuesday, November 19, 2019",
             PROSE, PROSE]  # fmt: skip
    assert _generic_title(lines) == "Old bridge closed to cars after cracks found in supports"


def test_caption_and_its_bracketed_credit_are_not_the_headline() -> None:
    lines = ["Menu", "Column: The old bridge closes, and the town's trips get longer",
             "The old bridge over the river in town.", "(Jane Doe / Example Photo Agency)",
             "By Jane Smith", "Nov. 19, 2019", PROSE, PROSE]  # fmt: skip
    assert _generic_title(lines) == "Column: The old bridge closes, and the town's trips get longer"


def test_line_under_another_headlines_byline_is_not_the_headline() -> None:
    """A video's or a related story's title under the byline is no headline."""
    lines = ["Menu", "Published 1 day ago", "Council closes old bridge to cars after cracks",
             "By Jane Smith | Example News", "Video",
             "Council bridge vote: what it means for drivers and cars", PROSE, PROSE]  # fmt: skip
    assert _generic_title(lines) == "Council closes old bridge to cars after cracks"


@pytest.mark.parametrize(
    ("line", "moment", "byline"),
    [
        ("October 15, 2018/0 Comments/in Council News /by admin", datetime(2018, 10, 15), "admin"),
        ("Updated 0339 GMT (1139 HKT) November 19, 2019", datetime(2019, 11, 19, 3, 39), ""),
        ("By Jane Smith@JaneSmith Nov 18, 2019, 11:47am EST", datetime(2019, 11, 18, 16, 47),
         "Jane Smith"),
        ("Updated Nov 19, 9:41 AM;Posted Nov 18, 8:19 PM", datetime(2019, 11, 18, 20, 19), ""),
        ("Updated Nov. 19, 2019 8:21 am ET / Original Nov. 19, 2019 8:02 am ET",
         datetime(2019, 11, 19, 13, 2), ""),
    ],
)  # fmt: skip
def test_time_lines_in_more_shapes(line: str, moment: datetime, byline: str) -> None:
    from digest.sources.pagemeta import meta_line

    found = meta_line(line, ReadOptions("p.txt", reference_time=SAVED))
    assert found is not None
    assert (found.published or found.updated) == moment.replace(tzinfo=UTC)
    assert found.byline == byline


def test_a_bare_number_is_no_time() -> None:
    """A view count under the byline ("4553") is not the year 4553."""
    from digest.sources.pagemeta import meta_line

    options = ReadOptions("p.txt", reference_time=SAVED)
    assert meta_line("4553", options) is None
    assert meta_line("2019 GMT", options) is None


def test_picture_credit_with_its_caption_does_not_end_the_story() -> None:
    """ "© Jane Doe Drivers queue at …" is a picture's credit and caption; a
    copyright footer ("© 2019 Example Media") still ends the story."""
    caption = (
        "© Jane Doe Drivers queue at the closed bridge on the edge of town on Tuesday morning."
    )
    more = "Repairs are expected to take until spring, the council said in its statement."
    lines = ["Menu", "Council closes old bridge to cars", "By Jane Smith", PROSE, caption,
             more * 2, "© 2019 Example Media", "Footer text that is not the story."]  # fmt: skip
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page("\n".join(lines).encode(), options).articles
    assert more in article.body and "Footer text" not in article.body
    assert caption not in article.body


def test_scorer_takes_the_day_the_page_shows_for_a_utc_date() -> None:
    """Markup in UTC (01:19Z) hides the page's zone: the page printed 8:19 PM the day
    before (UTC-5), which is right; two days off is not."""
    scorer = _scorer()
    from digest.model import Article

    def article(day: int) -> Article:
        when = datetime(2019, 11, day, 20, 19, tzinfo=UTC)
        return Article(id="a", url="", title="t", summary="", body="b", published_at=when)

    assert scorer.date_right("2019-11-19T01:19:34Z", article(18))
    assert scorer.date_right("2019-11-19T01:19:34Z", article(19))
    assert not scorer.date_right("2019-11-19T01:19:34Z", article(17))
    assert not scorer.date_right("2019-11-19T13:19:34-05:00", article(18))


def test_a_us_time_zone_reads_an_ambiguous_numeric_date_month_first() -> None:
    """'10/04/2016 05:07 AM EDT' is 4 October (a US zone, US order), whatever the
    crawl time suggests; without a zone the nearest reading before the crawl stands."""
    from digest.sources.normalise import parse_time
    from digest.sources.pagemeta import time_in_line

    options = ReadOptions("p.txt", reference_time=datetime(2016, 12, 1, tzinfo=UTC))
    found = time_in_line("10/04/2016 05:07 AM EDT", options, month_first=None)
    assert found is not None and (found.month, found.day) == (10, 4)
    assert parse_time("10/04/2016 05:07 AM EDT").month == 10
    assert parse_time("10/04/2016 05:07 AM IST").month == 4  # day first, as printed
    bare = time_in_line("10/04/2016", options, month_first=None)
    assert bare is not None and (bare.month, bare.day) == (10, 4)  # nearest before the crawl


def test_a_label_with_a_short_figure_is_no_headline() -> None:
    """'Reading time: 2 minutes' is a fact line; headlines with a colon are not."""
    from digest.sources.pagegeneric import _label_with_figure

    assert _label_with_figure("Tempo de leitura: 2 minutos")
    assert _label_with_figure("Reading time: 4 min")
    assert not _label_with_figure("LA 2016: Turbocharged Nissan Sentra Nismo unleashed")
    assert not _label_with_figure("COVID-19: Trump Talks Retaliation If India Rejects Export")
    assert not _label_with_figure("Breaking: Houston hires Major Applewhite as head coach")
    assert not _label_with_figure("Screenshot : «Vape Wave», «6 Days», «Alphonse Président»…")


def test_a_headline_read_as_prose_over_the_headers_deck_is_the_title() -> None:
    """A headline long enough to read as prose opens the main run; the line the time
    line's header took for the headline is its deck (people.com's shape)."""
    dump = "\n".join(
        [
            "People.com",
            "Lifestyle",
            "Jennifer Aniston on Leaving the Tags on Her Coat: 'I Wore It Four Times "
            "and Didn't Notice!'",
            "The actress explained the story behind her minor wardrobe malfunction",
            "By Emily Kirkpatrick",
            "Updated on December 12, 2016 09:22 AM",
            "Jennifer Aniston has a confession to make about the coat she wore four "
            "times this month, and she told the whole story on late-night television.",
            "The tags were still attached to the sleeve, Aniston said, and nobody around "
            "her noticed them until a photographer pointed them out to her last week.",
            "She laughed about it with the host and said she would keep wearing the coat "
            "all winter long, tags or no tags, because it was simply too warm to give up.",
        ]
    )
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(dump.encode(), options).articles
    assert article.title.startswith("Jennifer Aniston on Leaving the Tags")
    assert article.published_at.date().isoformat() == "2016-12-12"


@pytest.mark.parametrize(
    ("line", "moment", "byline"),
    [
        ("Sarah Gooding March 9, 2017 13", datetime(2017, 3, 9), "Sarah Gooding"),
        ("Tuesday 15 October 2019 by Bradley M. Kuhn", datetime(2019, 10, 15), "Bradley M. Kuhn"),
        ("Stand: 18.11.2019 07:39 Uhr", datetime(2019, 11, 18, 7, 39), ""),
        ("Veröffentlicht am 18.11.2019", datetime(2019, 11, 18), ""),
        ("Publié le 18 novembre 2019", datetime(2019, 11, 18), ""),
        ("Publicado el 18 de noviembre de 2019", datetime(2019, 11, 18), ""),
        ("18 novembre 2019", datetime(2019, 11, 18), ""),
    ],
)  # fmt: skip
def test_author_and_date_lines_and_other_languages_time_lines(
    line: str, moment: datetime, byline: str
) -> None:
    """A name beside the post's date is a time line; so are the commoner European
    languages' labels and month names."""
    from digest.sources.pagemeta import meta_line

    found = meta_line(line, ReadOptions("p.txt", reference_time=SAVED))
    assert found is not None and found.published == moment.replace(tzinfo=UTC)
    assert found.byline == byline


def test_a_name_with_words_or_a_bare_year_is_no_time_line() -> None:
    from digest.sources.pagemeta import meta_line

    options = ReadOptions("p.txt", reference_time=SAVED)
    for line in ("John Smith 12 things to know", "Top Stories March 9, 2017", "World Cup 2018"):
        assert meta_line(line, options) is None, line
    updated = meta_line("Aktualisiert am 18.11.2019 um 07:39 Uhr", options)
    assert updated is not None and updated.published is None and updated.updated is not None


def test_headline_over_its_credit_line_beats_the_subheading_under_it() -> None:
    """A subheading just over the first paragraph shares more of the lead's words;
    the headline stands over the post's credit line."""
    dump = "\n".join(
        ["Blog", "Forums", "Council closes the old bridge to cars",
         "Posted by Jane Smith, Ann Lee on 2019-11-19, all posts",
         "The old bridge: what the council voted", PROSE, PROSE + " Again.", PROSE + " More."]
    )  # fmt: skip
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(dump.encode(), options).articles
    assert article.title == "Council closes the old bridge to cars"


def test_a_table_of_contents_entry_is_not_the_headline() -> None:
    """Section headings listed over the story and printed again over their prose."""
    dump = "\n".join(
        ["Blog", "Jobs", "How the council keeps roads open after the bridge cracks",
         "// By Jane Smith",
         "Introduction", "Why the council voted to close the old bridge", "Detours",
         PROSE, PROSE + " Again.", "Introduction", PROSE + " Roads.",
         "Why the council voted to close the old bridge", PROSE + " Cracks.",
         "Detours", PROSE + " Detours."]
    )  # fmt: skip
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(dump.encode(), options).articles
    assert article.title == "How the council keeps roads open after the bridge cracks"


def test_menu_runs_gallery_labels_prices_and_account_buttons_are_no_headline() -> None:
    from digest.sources.pagegeneric import can_be_headline
    from digest.sources.pagemeta import LineFacts

    facts = LineFacts(ReadOptions("p.txt", reference_time=SAVED))
    for line in (
        "Computers Display Drivers Graphics Cards Linux Gaming Memory Motherboards "
        "Processors Software Storage Operating Systems",
        "Gallery: Xbox One X | 14 Photos",
        "From $610.00",
    ):
        assert not can_be_headline(line, facts), line
    assert can_be_headline("American Theatre Wing Launches Andrew Lloyd Webber Scholarships", facts)
    rules = Boilerplate.builtin()
    for line in ("Log out Sign in", "Login Join", "Follow", "More stories by Jane Smith"):
        assert rules.drops(line), line


def test_the_story_goes_on_past_a_box_of_links_under_its_first_paragraph() -> None:
    """'Related articles' with two links under the first paragraph, the story going
    on under them: the box is not the story's end."""
    dump = "\n".join(
        ["News", "Old bridge closed to cars after council vote", "By Jane Smith",
         "Nov. 19, 2019", PROSE, "Related articles", "Council names a new head of roads",
         "Ring road works to start in May", PROSE + " Again.", PROSE + " More.",
         "Related articles", "Another story about roads entirely", "© 2019 Example Media"]
    )  # fmt: skip
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(dump.encode(), options).articles
    assert "Again." in article.body and "More." in article.body
    assert "Another story" not in article.body
    # The box's links are no part of the story.
    assert "Council names" not in article.body
    assert "Ring road works" not in article.body


def test_page_of_prose_alone_is_refused_for_want_of_a_headline() -> None:
    """Three paragraphs of prose and nothing above them: the first paragraph is no
    headline (four sentences), so the page is refused, naming the file."""
    first = (
        "The council voted on Tuesday to close the old bridge to cars after engineers found"
        " deep cracks in its supports. Work on a replacement will start in May and last two"
        " years, officials said. Drivers will have to use the ring road until then. Shops"
        " near the bridge fear they will lose trade."
    )
    dump = "\n".join([first, PROSE, PROSE + " Again."])
    options = ReadOptions("prose.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    with pytest.raises(SourceError, match=r"prose\.txt.*no headline found above the article"):
        read_page(dump.encode(), options)


def test_story_first_line_names_a_page_with_no_line_above_it() -> None:
    """With nothing above the story, its first line is the headline if it reads as one."""
    dump = "\n".join(["Council closes the old bridge to cars", PROSE, PROSE + " Again."])
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(dump.encode(), options).articles
    assert article.title == "Council closes the old bridge to cars"


@pytest.mark.parametrize(
    "line",
    ["Standoff ends 18 November 2019", "Datumsgrenze 18 novembre 2019", "Standard 18.11.2019"],
)
def test_time_label_inside_a_word_is_no_label(line: str) -> None:
    """ "Stand", "Datum" open these words but label no time: the lines are no time lines."""
    from digest.sources.pagemeta import meta_line

    assert meta_line(line, ReadOptions("p.txt", reference_time=SAVED)) is None


def test_time_label_before_its_date_is_still_read() -> None:
    from digest.sources.pagemeta import meta_line

    found = meta_line("Stand: 18.11.2019", ReadOptions("p.txt", reference_time=SAVED))
    assert found is not None and found.published == datetime(2019, 11, 18, tzinfo=UTC)


@pytest.mark.parametrize("line", ["Los Angeles March 9, 2017", "Premier League March 9, 2017"])
def test_place_or_competition_before_a_date_is_no_byline(line: str) -> None:
    """A place or a competition before a date names no author."""
    from digest.sources.pagemeta import meta_line

    found = meta_line(line, ReadOptions("p.txt", reference_time=SAVED))
    assert found is None or not found.byline


def test_author_before_a_date_is_still_the_byline() -> None:
    from digest.sources.pagemeta import meta_line

    found = meta_line("Sarah Gooding March 9, 2017 13", ReadOptions("p.txt", reference_time=SAVED))
    assert found is not None and found.byline == "Sarah Gooding"


@pytest.mark.parametrize(
    ("line", "may"),
    [
        ("Hurricane Ian's destruction in 30 photos", True),
        ("The week in 12 pictures: storms, strikes and a royal visit", True),
        ("Gallery: Xbox One X | 14 Photos", False),
        ("Xbox One X | 14 Photos", False),
        ("View 14 photos", False),
    ],
)
def test_gallery_label_is_no_headline_but_a_headline_may_count_photos(line: str, may: bool) -> None:
    from digest.sources.pagegeneric import can_be_headline
    from digest.sources.pagemeta import LineFacts

    assert can_be_headline(line, LineFacts(ReadOptions("p.txt"))) is may
