"""The tools that build the page evaluation sets: pinning and the shared writer."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_blind_set_refuses_a_snapshot_with_pages_it_does_not_pin(tmp_path: Path) -> None:
    """A later fundus snapshot with one more page is refused, naming the page,
    not silently built into the set."""
    blind = _tool("build_page_blind")
    fundus, out = tmp_path / "fundus", tmp_path / "out"
    country = fundus / blind.TEST_DATA / "xx"
    country.mkdir(parents=True)
    (fundus / "LICENSE").write_text("MIT\n", "utf-8")
    (country / "meta.info").write_text("{}", "utf-8")
    out.mkdir()
    pinned = {
        "LICENSE": fundus / "LICENSE",
        f"{blind.TEST_DATA}/xx/meta.info": country / "meta.info",
    }
    (out / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {name}\n" for name, p in pinned.items()
        ),
        "utf-8",
    )
    (country / "Extra_2024_01_02.html.gz").write_bytes(gzip.compress(b"<html></html>"))
    with pytest.raises(SystemExit, match=r"Extra_2024_01_02\.html\.gz.*not in the pinned"):
        blind.build(fundus, out, record_sums=False)


def test_a_set_built_into_a_folder_without_pinned_checksums_is_refused_by_name(
    tmp_path: Path,
) -> None:
    """A rebuild into an empty folder names the missing checksum file, not a traceback."""
    devset = _tool("build_page_devset")
    (tmp_path / "LICENSE").write_text("MIT\n", "utf-8")
    with pytest.raises(SystemExit, match=r"SHA256SUMS: no pinned checksums"):
        devset.pin_inputs({"LICENSE": tmp_path / "LICENSE"}, tmp_path / "out", record_sums=False)


def test_write_set_writes_the_committed_format(tmp_path: Path) -> None:
    """The one writer the five set builders share gives the committed sets' bytes
    back from their records (gzip with mtime 0, one sorted-key JSON line each)."""
    devset = _tool("build_page_devset")
    data = Path(__file__).resolve().parent / "data"
    for name in ("page_unseen", "page_blind", "page_fresh", "page_modern", "page_libtests"):
        raw = (data / name / "pages.jsonl.gz").read_bytes()
        records = [json.loads(line) for line in gzip.decompress(raw).decode().splitlines()]
        skipped = (data / name / "SKIPPED.txt").read_text("utf-8").splitlines()
        devset.write_set(tmp_path / name, records, skipped)
        assert (tmp_path / name / "pages.jsonl.gz").read_bytes() == raw
        assert (tmp_path / name / "SKIPPED.txt").read_text("utf-8") == (
            data / name / "SKIPPED.txt"
        ).read_text("utf-8")


def test_modern_set_keeps_pages_whose_text_is_printed_and_states_their_language() -> None:
    """A page whose text a script loads (under half of the gold paragraphs in the
    dump) is left out; a page's language is the primary subtag it states."""
    from lxml import html as lxml_html

    modern = _tool("build_page_modern")
    dump = "Home\nFirst paragraph of the story.\nSecond   paragraph.\nFooter\n"
    assert modern.printed_share("First paragraph of the story.\nSecond paragraph.", dump) == 1
    assert modern.printed_share("First paragraph of the story.\nNot shown.", dump) == 0.5
    assert modern.printed_share("", dump) == 0.0
    page = lxml_html.document_fromstring('<html lang="en-GB"><body><p>x</p></body></html>')
    assert modern.page_lang(page) == "en"
    page = lxml_html.document_fromstring(
        '<html><head><meta property="og:locale" content="de_DE"></head><body>x</body></html>'
    )
    assert modern.page_lang(page) == "de"
    assert modern.page_lang(lxml_html.document_fromstring("<html><body>x</body></html>")) == ""


def test_libtests_set_names_pages_as_newspaper_does_and_drops_failure_notes() -> None:
    """newspaper's test names a page by its base domain (three labels under
    ``co.uk``); its accepted text in capitals is a note on its own failure, not a
    gold body (text in a script without capitals is not)."""
    libtests = _tool("build_page_libtests")
    assert libtests.base_domain("http://uk.reuters.com/article/x") == "reuters.com"
    assert libtests.base_domain("http://www.telegraph.co.uk/news/x.html") == "telegraph.co.uk"
    assert libtests.base_domain("http://www.cricket.com.au/news/x") == "cricket.com.au"
    assert libtests.is_note("MISSED LAST PARAGRAPH")
    assert not libtests.is_note("Markets opened lower on Monday.")
    assert not libtests.is_note("外国专家：中美合作共赢符合国际社会利益")


def test_libtests_crawl_time_is_when_the_present_copy_was_committed(tmp_path: Path) -> None:
    """A saved page replaced by a later copy under the same name counts as saved
    when that copy came in; a later change of mode alone keeps the time."""
    import os
    import subprocess

    libtests = _tool("build_page_libtests")

    def commit(when: str) -> None:
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "HOME": str(tmp_path),
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        }  # fmt: skip
        subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "x"], check=True, env=env)

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    pages = tmp_path / "html"
    pages.mkdir()
    (pages / "a.html").write_text("old copy", "utf-8")
    (pages / "b.html").write_text("page", "utf-8")
    commit("2014-10-12T10:00:00+00:00")
    (pages / "a.html").write_text("new copy", "utf-8")
    commit("2015-01-02T10:00:00+00:00")
    (pages / "b.html").chmod(0o755)
    commit("2016-01-01T10:00:00+00:00")
    times = libtests.changed_times(tmp_path, ("html",))
    assert times["a.html"].startswith("2015-01-02")
    assert times["b.html"].startswith("2014-10-12")


def test_libtests_headline_is_not_the_site_name_a_brand_or_a_printed_title() -> None:
    """A blog theme's ``<h1>`` linking to the blog's home names the site, not the
    post (a "Post - Blog" title would otherwise confirm it); a one-word name (the
    brand) confirms no two-word ``<h1>``; a ``<title>`` a broken head left in the
    body is printed in the dump but is no headline line."""
    libtests = _tool("build_page_libtests")
    devset = _tool("build_page_devset")
    url = "https://example.org/blog/2020/01/24/fog/"
    page = (
        b"<html><head><title>Fog soup tonight - Life and me</title></head><body>"
        b'<h1><a href="https://example.org/blog/">Life and me</a></h1>'
        b'<h1 class="entry-title"><a href="/blog/2020/01/24/fog/">Fog soup tonight</a></h1>'
        b"<p>It was foggy.</p></body></html>"
    )
    lines, tree = devset.visible_lines(page)
    first, second = tree.iter("h1")
    assert libtests.names_home(first, url)
    assert not libtests.names_home(second, url)  # the post's own permalink
    assert not libtests.names_home(first, "https://other.org/blog/x/")
    story, names = libtests.story_headings(tree, url)
    assert names == {"life and me"} and len(list(story.iter("h1"))) == 1
    assert len(list(tree.iter("h1"))) == 2  # the dump's tree is left whole
    assert devset.gold_title(lines, story) == ("Fog soup tonight", "h1")

    brand = b"<html><head><title>MEDEF</title></head><body><h1>Medef Contact</h1></body></html>"
    lines, tree = devset.visible_lines(brand)
    assert devset.gold_title(lines, tree) == ("Medef Contact", "h1")
    assert not libtests.confirmed_by_names("Medef Contact", tree)
    named = b"<html><head><title>Going Gray | Details</title></head><body><h1>Going Gray</h1>"
    assert libtests.confirmed_by_names("Going Gray", devset.visible_lines(named)[1])

    broken = b"<br><b>Warning</b>: x<br>\n<html><head><title>Kein Cyberterror</title></head><p>Hi"
    lines, tree = devset.visible_lines(broken)
    assert "Kein Cyberterror" in lines
    assert libtests.printed_title_only("Kein Cyberterror", lines, tree)
    lines, tree = devset.visible_lines(b"<html><head><title>A b</title></head><body><h2>A b</h2>")
    assert not libtests.printed_title_only("A b", lines, tree)


def test_libtests_gold_body_is_not_text_holding_the_headline(tmp_path: Path) -> None:
    """An accepted text that holds the page's headline took the page's top with the
    story, so it is no gold body; the same text without the headline is."""
    libtests = _tool("build_page_libtests")
    story = "\n\n".join(f"Paragraph {n} of the story, told at some length here." for n in range(12))
    dump = "Home\nWoman ordered hit, police say\n" + story.replace("\n\n", "\n") + "\n"
    text = tmp_path / "page.txt"
    text.write_text(story, "utf-8")
    assert libtests._body({"text": text}, dump, "Woman ordered hit, police say") == story
    text.write_text("Woman ordered hit, police say Share Pin It\n\n" + story, "utf-8")
    assert libtests._body({"text": text}, dump, "Woman ordered hit, police say") == ""
