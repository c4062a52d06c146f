"""Runs: each attempt at an edition, how it ended, and why."""

from __future__ import annotations

from ..model import RunStatus
from .clock import now_text
from .database import Database
from .types import RunRecord


class RunTable:
    """The ``runs`` table (part of every store)."""

    _db: Database

    def start_run(self, edition_id: str) -> int:
        """Record that a run of an edition has started; returns its run id."""
        with self._db.transaction() as db:
            row = db.execute(
                "INSERT INTO runs (edition_id, started_at, status) VALUES (?,?,?) RETURNING id",
                (edition_id, now_text(), RunStatus.RUNNING.value),
            ).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, status: RunStatus, message: str = "") -> None:
        """Record how a run ended.

        The first verdict stands: a run already marked failed (it passed its time
        limit) keeps that mark when it ends later.
        """
        with self._db.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, message = ? "
                "WHERE id = ? AND status = ?",
                (now_text(), RunStatus(status).value, message, run_id, RunStatus.RUNNING.value),
            )

    def runs(self, edition_id: str | None = None) -> list[RunRecord]:
        """Recorded runs, newest first."""
        sql = "SELECT id, edition_id, started_at, finished_at, status, message FROM runs"
        args: tuple[str, ...] = ()
        if edition_id is not None:
            sql += " WHERE edition_id = ?"
            args = (edition_id,)
        return [
            RunRecord(
                id=int(r[0]),
                edition_id=str(r[1]),
                started_at=str(r[2]),
                finished_at=r[3],
                status=RunStatus(r[4]),
                message=str(r[5]),
            )
            for r in self._db.rows(sql + " ORDER BY id DESC", args)
        ]

    def last_run_status(self, edition_id: str) -> RunStatus | None:
        """The status of the newest run of an edition, or ``None`` if it never ran."""
        row = self._db.row(
            "SELECT status FROM runs WHERE edition_id = ? ORDER BY id DESC LIMIT 1",
            (edition_id,),
        )
        return RunStatus(row[0]) if row else None

    def record_run(self, edition_id: str, status: RunStatus, message: str) -> None:
        """Record a run that did nothing but reach a verdict (``skipped``...)."""
        run_id = self.start_run(edition_id)
        self.finish_run(run_id, status, message)

    def fail_running(self, edition_id: str, message: str) -> None:
        """Mark the unfinished runs of an edition failed (a run that hung)."""
        with self._db.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, message = ? "
                "WHERE edition_id = ? AND status = ?",
                (now_text(), RunStatus.FAILED.value, message, edition_id, RunStatus.RUNNING.value),
            )
