"""Disk faults under the file sender and export: a full or read-only disk leaves the
delivery pending (tried again next run), never a cut-off file or a set without its
manifest.

A small real filesystem (a 2 MB tmpfs filled up, then remounted read-only) is used
where this process may mount one; everywhere an ``OSError`` with the same errno is
injected into the one function that writes export files.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from digest.edition import Digest
from digest.errors import is_transient
from digest.export import MANIFEST, write_export

from .conftest import SAMPLE_AS_OF


def _mount_small_tmpfs(folder: Path) -> bool:
    folder.mkdir()
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 2 MB tmpfs, or ``None`` where mounting is not allowed."""
    folder = tmp_path / "small"
    mounted = _mount_small_tmpfs(folder)
    yield folder if mounted else None
    if mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _inject(monkeypatch: pytest.MonkeyPatch, code: int, *, after: int) -> Callable[[], None]:
    """Make every write after the first ``after`` fail with ``code``; returns a
    function that ends the fault."""
    import digest.export as export

    real = export.write_file
    calls = {"n": 0, "on": True}

    def failing(path: Path, content: bytes) -> None:
        calls["n"] += 1
        if calls["on"] and calls["n"] > after:
            # Half of it reaches the disk, as on a disk that fills up mid-write.
            path.write_bytes(content[: len(content) // 2])
            raise OSError(code, os.strerror(code), str(path))
        real(path, content)

    monkeypatch.setattr(export, "write_file", failing)
    return lambda: calls.update(on=False)


def _pending_then_delivered(app: Digest, out: Path, heal: Callable[[], None]) -> None:
    app.ingest()
    built = app.build(SAMPLE_AS_OF)
    first = app.send(built)
    (delivery,) = app.store.deliveries(built.edition.id)
    # Before: recorded as failed for good; the next send said "already delivered".
    assert delivery.status == "pending" and "cannot write" in delivery.last_error
    assert first.count("pending") == 1 and first.count("failed") == 0
    # Nothing cut off is left where a mailer would pick it up.
    finals = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert finals == [] or MANIFEST in finals
    heal()
    second = app.send(app.build(SAMPLE_AS_OF))
    assert second.count("sent") == 1
    (delivery,) = app.store.deliveries(built.edition.id)
    assert delivery.status == "sent"
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    for name, entry in manifest["files"].items():
        assert (out / name).stat().st_size == entry["bytes"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT])
def test_an_injected_transient_write_error_leaves_the_delivery_pending(
    sample_app: Digest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    heal = _inject(monkeypatch, code, after=1)
    _pending_then_delivered(sample_app, tmp_path / "out", heal)


def test_a_permanent_write_error_is_final(
    sample_app: Digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    _inject(monkeypatch, errno.EACCES, after=0)
    sample_app.ingest()
    built = sample_app.build(SAMPLE_AS_OF)
    sample_app.send(built)
    (delivery,) = sample_app.store.deliveries(built.edition.id)
    assert delivery.status == "failed" and "Permission denied" in delivery.last_error


def test_errno_classification() -> None:
    assert is_transient(OSError(errno.ENOSPC, "full"))
    assert is_transient(OSError(errno.EROFS, "read-only"))
    assert not is_transient(OSError(errno.EACCES, "denied"))
    assert not is_transient(OSError(errno.ENOTDIR, "not a folder"))


def test_a_real_full_then_read_only_filesystem(sample_app: Digest, small_disk: Path | None) -> None:
    if small_disk is None:
        pytest.skip("mounting is not allowed here; the injected-errno tests cover this")
    out = small_disk / "out"
    ballast = small_disk / "ballast"
    with ballast.open("wb") as handle, pytest.raises(OSError):  # fill the disk
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
            os.fsync(handle.fileno())
    sample_app.config.senders["out"].model_extra["path"] = str(out)  # type: ignore[index]
    _pending_then_delivered(sample_app, out, ballast.unlink)

    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        built = sample_app.build(SAMPLE_AS_OF)
        with pytest.raises(OSError) as caught:
            write_export(out, built.edition, built.public)
        assert caught.value.errno == errno.EROFS and is_transient(caught.value)
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=False)
