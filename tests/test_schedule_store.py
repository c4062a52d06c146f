"""The store under several schedulers at once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from digest.store import _MIGRATIONS, open_store


def test_many_processes_can_open_a_new_store_at_once(tmp_path: Path) -> None:
    # Schedulers starting together on a new store must not both migrate it
    # ("table articles already exists").
    path = tmp_path / "new.sqlite3"
    start = threading.Barrier(8, timeout=30)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            open_store(path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(_MIGRATIONS)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "runs", "locks"} <= tables
    db.close()
