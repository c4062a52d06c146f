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
