"""Golden files: the fixture edition rendered with the default templates must match
the committed expected outputs, text for text.

After an intended template change run ``python -m tests.golden.update`` and
review ``git diff tests/golden``.
"""

from __future__ import annotations

import re

import pytest

from .golden.edition import FILES, GOLDEN, LANGUAGES, edition, render_files, renderer

UPDATE = "python -m tests.golden.update"


@pytest.fixture(scope="module", params=LANGUAGES)
def rendered(request: pytest.FixtureRequest) -> tuple[str, dict[str, str]]:
    return request.param, render_files(request.param)


@pytest.mark.parametrize("name", FILES)
def test_rendition_matches_golden_file(rendered: tuple[str, dict[str, str]], name: str) -> None:
    language, files = rendered
    expected = GOLDEN / language / name
    assert expected.is_file(), f"{expected} missing: run `{UPDATE}`"
    want = expected.read_text("utf-8")
    got = files[name]
    if got != want:
        got_lines, want_lines = got.splitlines(), want.splitlines()
        first = next(
            (i for i, (a, b) in enumerate(zip(got_lines, want_lines, strict=False)) if a != b),
            min(len(got_lines), len(want_lines)),
        )
        pytest.fail(
            f"{expected} differs from the rendition at line {first + 1}; if the change is "
            f"intended run `{UPDATE}` and review the diff.\n"
            f"expected: {want_lines[first : first + 1]}\n     got: {got_lines[first : first + 1]}"
        )


def _declarations(style: str) -> dict[str, str]:
    """A style attribute as ``{property: value}``, values written one way
    (``#ffffff`` as ``#fff``, ``0px`` as ``0``, one kind of quote)."""
    found = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            value = " ".join(value.split()).replace(" !important", "!important").replace("'", '"')
            value = re.sub(r"#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3\b", r"#\1\2\3", value.lower())
            found[name.strip().lower()] = re.sub(r"\b0px\b", "0", value)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_css_inline_gives_the_golden_email(language: str) -> None:
    """``[render] inliner = "css-inline"``: element for element, attribute for
    attribute and declaration for declaration the golden email (premailer's), with
    the same style sheets (every ``@media`` block, ``!important`` kept).  The only
    extra: css-inline also writes the ``:root`` colour-scheme onto ``<html>``."""
    import lxml.html

    got = renderer(language, "css-inline").render(edition()).email.html
    want = (GOLDEN / language / "email.html").read_text("utf-8")
    assert got.startswith("<!DOCTYPE html><html")
    pairs = zip(
        lxml.html.document_fromstring(got).iter(),
        lxml.html.document_fromstring(want).iter(),
        strict=True,
    )
    for ours, golden in pairs:
        assert ours.tag == golden.tag
        mine, theirs = dict(ours.attrib), dict(golden.attrib)
        styles = _declarations(mine.pop("style", "")), _declarations(theirs.pop("style", ""))
        if ours.tag == "html":
            assert set(styles[0]) - set(styles[1]) <= {"color-scheme", "supported-color-schemes"}
            for extra in ("color-scheme", "supported-color-schemes"):
                styles[0].pop(extra, None)
        assert styles[0] == styles[1], lxml.html.tostring(golden)[:300]
        assert mine == theirs
        assert (ours.text or "").split() == (golden.text or "").split()
        assert (ours.tail or "").split() == (golden.tail or "").split()
    assert got.count("@media") == want.count("@media") > 0
    assert got.count("!important") >= want.count("!important")
