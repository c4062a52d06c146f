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
    for name in ("page_unseen", "page_blind", "page_fresh", "page_modern"):
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
