"""Rewrite the golden files from the current templates: ``python -m tests.golden.update``.

Review the diff (``git diff tests/golden``) before committing it.
"""

from __future__ import annotations

from .edition import GOLDEN, LANGUAGES, render_files


def main() -> None:
    """Render the fixture edition in every language and write the expected files."""
    for language in LANGUAGES:
        folder = GOLDEN / language
        folder.mkdir(exist_ok=True)
        for name, text in render_files(language).items():
            (folder / name).write_text(text, "utf-8", newline="\n")
            print(f"wrote {folder / name} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()
