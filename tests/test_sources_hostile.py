"""Hostile and broken input: each gets a named error or is neutralised, nothing is
read or fetched because of what a document says, memory stays bounded, and the
good sources of the same batch are stored."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from digest.config import parse_config
from digest.edition import make_digest
from digest.errors import SourceError
from digest.model import to_plain
from digest.sources import FetchLimits, ReadOptions, SourceSpec, read_sources
from digest.sources.feeds import read_feed
from digest.sources.htmlpage import read_html
from digest.store import Store

from .conftest import StoreTarget

ROOT = Path(__file__).resolve().parents[1]
GOOD_FEED = (ROOT / "tests" / "fixtures" / "feeds" / "rss1-wire.rdf").read_bytes()
GOOD_PAGE = ROOT / "tests" / "fixtures" / "pages" / "midday-world-2020-11-23-putin-biden.txt"
SECRET = "SECRET-MARKER-7f3a9c"

ITEM = (
    "<item><title>{title}</title><link>https://ok.example/world/{slug}</link>"
    "<pubDate>Sun, 22 Nov 2020 10:00:00 GMT</pubDate><description>{text}</description></item>"
)


def rss(items: str, prolog: str = "", declaration: str = '<?xml version="1.0"?>') -> bytes:
    return (
        f'{declaration}\n{prolog}\n<rss version="2.0"><channel><title>T</title>'
        f"{items}</channel></rss>"
    ).encode()


def _laughs() -> str:
    """The classic entity bomb: ten levels, each ten times the one below (10⁹ lols)."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        value = f"&lol{level - 1};" * 10
        entities.append(f'<!ENTITY lol{level} "{value}">')
    return "<!DOCTYPE rss [" + "".join(entities) + "]>"


BILLION_LAUGHS = rss(
    "<item><title>&lol9;</title><link>https://x.example/world/a</link></item>", prolog=_laughs()
)
QUADRATIC = rss(
    "<item><title>" + "&big;" * 10_000 + "</title><link>https://x.example/a</link></item>",
    prolog=f'<!DOCTYPE rss [<!ENTITY big "{"x" * 100_000}">]>',
)


def external_entity(secret_file: Path) -> bytes:
    return rss(
        ITEM.format(title="Leak &xxe;", slug="leak", text="&xxe;"),
        prolog=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret_file}">]>',
    )


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def refuse(data: bytes) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_feed(data, ReadOptions(source="hostile.rss"))
    return caught.value


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    tracemalloc.start()
    error = refuse(BILLION_LAUGHS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "DOCTYPE internal subset" in error.reason and "entity expansion" in error.reason
    assert peak < 2_000_000


def test_quadratic_blowup_is_refused() -> None:
    assert "entity expansion" in refuse(QUADRATIC).reason


def test_external_entity_is_refused_and_the_file_never_read(secret_file: Path) -> None:
    error = refuse(external_entity(secret_file))
    assert "external entity" in error.reason and SECRET not in str(error)


def test_doctype_hidden_behind_a_long_comment_is_still_found(secret_file: Path) -> None:
    comment = "<!--" + "x" * 200_000 + "-->"
    data = external_entity(secret_file).replace(b"<!DOCTYPE", comment.encode() + b"<!DOCTYPE")
    assert "DOCTYPE" in refuse(data).reason


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_wide_encodings_cannot_smuggle_a_doctype(secret_file: Path, codec: str) -> None:
    """With or without a BOM, the prolog is checked after decoding, as the parser sees it."""
    text = external_entity(secret_file).decode()
    text = text.replace('version="1.0"', f'version="1.0" encoding="{codec}"')
    assert "DOCTYPE" in refuse(text.encode(codec)).reason


def test_utf7_spelled_doctype_is_never_expanded() -> None:
    """``+ADw-`` is ``<`` in UTF-7: the feed is read as the UTF-8 it validly is, so
    the would-be DOCTYPE is inert text and no entity exists."""
    data = QUADRATIC.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="utf-7"?>')
    data = data.replace(b"<!DOCTYPE", b"+ADw-!DOCTYPE")
    tracemalloc.start()
    result = read_feed(data, ReadOptions(source="utf7.rss"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000  # 10,000 × 100 KB would be a gigabyte
    # The one item is read (and skipped for its missing date), its title unexpanded.
    assert result.articles == ()
    assert [s.item for s in result.skipped] == ["https://x.example/a"]


def test_external_dtd_reference_is_removed_unread(httpserver: HTTPServer) -> None:
    """A plain DOCTYPE pointing at a DTD (over HTTP or on disk) is neutralised:
    the feed is read and nothing is fetched."""
    httpserver.expect_request("/evil.dtd").respond_with_data('<!ENTITY x "pwned">')
    data = rss(
        ITEM.format(title="Fine", slug="fine", text="ok"),
        prolog=f'<!DOCTYPE rss SYSTEM "{httpserver.url_for("/evil.dtd")}">',
    )
    (article,) = read_feed(data, ReadOptions(source="dtd.rss")).articles
    assert article.title == "Fine"
    assert httpserver.log == []


def test_entity_in_html_page_is_never_resolved(secret_file: Path) -> None:
    page = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        '<html><head><title>T</title><link rel="canonical" href="https://ok.example/world/a">'
        '<meta property="article:published_time" content="2020-11-22T10:00:00Z"></head>'
        "<body><article><h1>A headline for this</h1>"
        + "<p>Some perfectly ordinary paragraph of news text here, &xxe; and more.</p>" * 5
        + "</article></body></html>"
    ).encode()
    with pytest.raises(SourceError, match="HTML page declares a DOCTYPE internal subset") as caught:
        read_html(page, ReadOptions(source="xxe.html"))
    assert SECRET not in str(caught.value)
    # Without the entity the same page reads: the refusal is about the DOCTYPE alone.
    plain = page.replace(page[: page.index(b"]>") + 2], b"<!DOCTYPE html>").replace(b"&xxe;", b"")
    (article,) = read_html(plain, ReadOptions(source="ok.html")).articles
    assert article.title == "A headline for this"  # the <h1>, as trafilatura reads it


def test_200_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.rss"
    with big.open("wb") as handle:  # sparse: costs no disk and no time
        handle.write(b"<?xml version='1.0'?><rss>")
        handle.truncate(200 * 1024 * 1024)
    assert big.stat().st_size == 200 * 1024 * 1024
    tracemalloc.start()
    (result,) = read_sources([SourceSpec(str(big))], base_dir=tmp_path, limits=FetchLimits())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.error == "larger than the 20,000,000-byte limit (not read)"
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "junk.rss",
            b"\x1f\x8b\x08" + os.urandom(4096).replace(b"<", b"?"),
            "not an XML feed (binary data",
        ),
        ("junk.txt", b"\x00\x01\x02\x03" * 1000, "binary data, not a text page dump"),
        ("junk.json", b"\x89PNG\r\n\x1a\n" + os.urandom(256), "JSON is not UTF-8"),
        (
            "catalog.xml",
            b'<?xml version="1.0"?><catalog><book id="1"><t>X</t></book></catalog>',
            "not an RSS or Atom feed",
        ),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_junk_gets_a_named_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (result,) = read_sources([SourceSpec(str(path))], base_dir=tmp_path, limits=FetchLimits())
    assert reason in result.error
    assert result.articles == ()


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [
        ("iso-8859-1", "utf-8"),  # declared Latin-1, really UTF-8
        ("utf-8", "cp1252"),  # declared UTF-8, really Windows-1252
        ("x-klingon", "utf-8"),  # an encoding that does not exist
        ("utf-8", "utf-16"),  # UTF-16 with a BOM, declared UTF-8
    ],
)
def test_wrong_declared_encoding_is_neutralised(declared: str, encoding: str) -> None:
    title = "Café owners’ protest"
    data = rss(
        ITEM.format(title=title, slug="cafe", text="Paris"),
        declaration=f'<?xml version="1.0" encoding="{declared}"?>',
    ).decode()
    (article,) = read_feed(data.encode(encoding), ReadOptions(source="enc.rss")).articles
    assert article.title == title


def test_hostile_batch_keeps_the_good_and_names_the_bad(
    tmp_path: Path, secret_file: Path, store: Store, store_target: StoreTarget
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.rdf").write_bytes(GOOD_FEED)
    (folder / "good-page.txt").write_bytes(GOOD_PAGE.read_bytes())
    (folder / "laughs.rss").write_bytes(BILLION_LAUGHS)
    (folder / "xxe.rss").write_bytes(external_entity(secret_file))
    (folder / "junk.txt").write_bytes(b"\x00" * 512)
    (folder / "notafeed.xml").write_bytes(b"<?xml version='1.0'?><html><p>hi</p></html>")
    (folder / "untitled.rss").write_bytes(
        rss(
            ITEM.format(title="", slug="a", text="no title")
            + "<item><title>No link</title></item>"
            + ITEM.format(title="Kept", slug="kept", text="fine")
        )
    )
    with (folder / "huge.xml").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)

    config = parse_config({"sources": [{"path": "inbox"}]}, base_dir=tmp_path)
    app = make_digest(config=config, store=store)
    reports = {Path(r.source).name: r for r in app.ingest()}

    assert reports["good.rdf"].counts.new == 1 and reports["good-page.txt"].counts.new == 1
    assert reports["untitled.rss"].counts.new == 1
    assert [s.reason for s in reports["untitled.rss"].skipped] == [
        "item has no title", "item has no http(s) link",
    ]  # fmt: skip
    for bad in ("laughs.rss", "xxe.rss", "junk.txt", "notafeed.xml", "huge.xml"):
        assert reports[bad].error and reports[bad].read == 0, bad
    assert store.count_articles() == 3
    kept_aside = {(Path(s.source).name, s.item) for s in store.skipped()}
    assert ("xxe.rss", "(whole source)") in kept_aside
    assert ("untitled.rss", "No link") in kept_aside
    everything = json.dumps([to_plain(r) for r in reports.values()])
    everything += json.dumps([to_plain(s) for s in store.skipped()])
    everything += store_target.raw_contents()
    assert SECRET not in everything
