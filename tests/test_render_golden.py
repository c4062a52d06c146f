"""Golden files: the fixture edition rendered with the default templates must match
the committed expected outputs, text for text.

After an intended template change run ``python -m tests.golden.update`` and
review ``git diff tests/golden``.
"""

from __future__ import annotations

import pytest

from .golden.edition import FILES, GOLDEN, LANGUAGES, render_files

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
