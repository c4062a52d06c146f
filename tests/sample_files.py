"""The bundled sample config as a file in a temporary folder, for CLI tests.

CLI commands read a config file, so tests that run them (in-process or as a
subprocess) need one: the repository's own ``config.toml`` with its paths made
absolute and its store and output inside the test's folder.
"""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT


def write_sample_config(folder: Path, *, templates: Path | None = None, extra: str = "") -> Path:
    """Write ``folder/config.toml`` (the sample config, store and ``out`` inside
    ``folder``, sources from the repository, ``render.templates`` if given) with
    ``extra`` TOML appended."""
    text = (ROOT / "config.toml").read_text("utf-8")
    text = text.replace('path = "examples/', f'path = "{ROOT.as_posix()}/examples/')
    store, out = (folder / "store.sqlite3").as_posix(), (folder / "out").as_posix()
    text = text.replace('path = "digest.sqlite3"', f'path = "{store}"')
    text = text.replace('path = "out"', f'path = "{out}"')
    if templates is not None:
        text = text.replace("[render]\n", f'[render]\ntemplates = "{templates.as_posix()}"\n')
    path = folder / "config.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path
