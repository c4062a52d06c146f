"""The scheduler on a controlled clock: real store, real pipeline, real sender plugin.

Nothing waits for real time: each test moves a :class:`FakeClock` and calls
``EditionScheduler.tick()``, exactly what ``serve()`` does between its sleeps.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tomli_w
from click.testing import CliRunner

from digest.cli import main
from digest.config import Config
from digest.edition import Digest, make_digest
from digest.errors import ConfigError, EditionBusy
from digest.scheduler import EditionScheduler, Slot, local_moment
from digest.store import open_store

from .conftest import config_from
from .newsfeed import write_world_feed
from .recording_sender import STARTED, received

SENDER = "tests.recording_sender:RecordingSender"


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class Harness:
    """A config on a temporary store and feed, and schedulers built from it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.inbox = tmp_path / "inbox"
        self.apps: list[Digest] = []

    def config(
        self,
        timezone: str,
        editions: list[dict[str, Any]],
        *,
        sender: dict[str, Any] | None = None,
        window_hours: float = 24,
        **schedule: Any,
    ) -> Config:
        data = {
            "digest": {"timezone": timezone, "edition_prefix": "world", "publisher": "Wire"},
            "store": {"path": "store.sqlite3"},
            "sources": [{"path": "wire.json", "kind": "json", "publisher": "Wire"}],
            "select": {"count": 3, "min_picks": 1, "window_hours": window_hours},
            "senders": {
                "readers": {"type": SENDER, "folder": str(self.inbox), "recipients": 2}
                | (sender or {})
            },
            "schedule": {"editions": editions, **schedule},
        }
        return config_from(data, self.tmp)

    def news(self, start: datetime, end: datetime) -> None:
        write_world_feed(self.tmp / "wire.json", start, end)

    def app(self, config: Config) -> Digest:
        app = make_digest(config=config)
        self.apps.append(app)
        return app

    def scheduler(
        self, config: Config, clock: FakeClock, timer: Callable[[], float] = monotonic
    ) -> EditionScheduler:
        return EditionScheduler(
            self.app(config),
            open_digest=lambda: make_digest(config=config),
            now=clock,
            timer=timer,
        )

    def finish_runs(self) -> None:
        """Wait for runs the scheduler abandoned to finish their message."""
        for thread in threading.enumerate():
            if thread.name.startswith("run "):
                thread.join(timeout=10)

    def close(self) -> None:
        self.finish_runs()
        for app in self.apps:
            app.store.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path)
    yield h
    h.close()


def drive(
    scheduler: EditionScheduler,
    clock: FakeClock,
    until: datetime,
    step: timedelta = timedelta(minutes=10),
) -> None:
    """Tick the scheduler every ``step`` of controlled time up to ``until``."""
    while clock.moment < until:
        scheduler.tick()
        clock.moment += step
    scheduler.tick()


def at(day: str, hm: str, zone: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hm), ZoneInfo(zone))


def days(first: str, count: int) -> list[str]:
    start = date.fromisoformat(first)
    return [(start + timedelta(days=i)).isoformat() for i in range(count)]


def statuses(scheduler: EditionScheduler) -> list[tuple[str, str]]:
    return [(o.edition_id, o.status) for o in scheduler.history]


# -- time zones and daylight saving ------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [
        ("Europe/Berlin", "2026-03-29"),  # 02:00 → 03:00: 02:30 does not exist
        ("Europe/Berlin", "2026-10-25"),  # 03:00 → 02:00: 02:30 happens twice
        ("America/New_York", "2026-03-08"),  # 02:00 → 03:00
        ("America/New_York", "2026-11-01"),  # 02:00 → 01:00
    ],
)
def test_daily_0230_sends_one_edition_per_day_across_dst(
    harness: Harness, zone: str, change_day: str
) -> None:
    change = date.fromisoformat(change_day)
    first = (change - timedelta(days=1)).isoformat()
    start = at((change - timedelta(days=2)).isoformat(), "12:00", zone)
    end = at((change + timedelta(days=2)).isoformat(), "12:00", zone)
    harness.news(start - timedelta(days=1), end)
    clock = FakeClock(start)
    scheduler = harness.scheduler(harness.config(zone, [{"at": "02:30"}]), clock)

    drive(scheduler, clock, end)

    expected = [f"world-{d}" for d in days(first, 4)]
    assert statuses(scheduler) == [(e, "done") for e in expected]
    local_times = {o.edition_id: o.due.astimezone(ZoneInfo(zone)) for o in scheduler.history}
    for edition_id, moment in local_times.items():
        skipped_hour = change_day.endswith(("03-29", "03-08")) and edition_id.endswith(change_day)
        assert f"{moment:%H:%M}" == ("03:30" if skipped_hour else "02:30"), edition_id
    for edition_id in expected:
        assert received(harness.inbox, edition_id) == {
            "reader-000@example.com": 1,
            "reader-001@example.com": 1,
        }
    store = harness.apps[0].store
    assert all(d.status == "sent" and d.attempts == 1 for d in store.deliveries())
    assert len(store.deliveries()) == 2 * len(expected)


def test_slot_moments_follow_the_local_clock() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # The skipped 02:30 runs an hour later, the doubled one the first time.
    assert local_moment(date(2026, 3, 29), time(2, 30), berlin) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert local_moment(date(2026, 10, 25), time(2, 30), berlin) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    slot = Slot("evening", time(18, 0), frozenset({0, 4}), berlin)  # Mondays, Fridays
    moments = list(
        slot.occurrences(datetime(2026, 11, 28, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC))
    )
    assert [f"{m.astimezone(berlin):%a %d %H:%M}" for m in moments] == [
        "Mon 30 18:00",
        "Fri 04 18:00",
        "Mon 07 18:00",
    ]


def test_morning_and_evening_editions_both_run(harness: Harness) -> None:
    zone = "Asia/Kolkata"
    start = at("2026-11-27", "00:00", zone)
    end = at("2026-11-28", "23:00", zone)
    harness.news(start - timedelta(days=1), end)
    config = harness.config(zone, [{"at": "07:00"}, {"at": "18:30", "name": "evening"}])
    clock = FakeClock(start)
    scheduler = harness.scheduler(config, clock)

    drive(scheduler, clock, end)

    assert statuses(scheduler) == [
        ("world-2026-11-27", "done"),
        ("world-evening-2026-11-27", "done"),
        ("world-2026-11-28", "done"),
        ("world-evening-2026-11-28", "done"),
    ]
    evening = scheduler.history[1].due.astimezone(ZoneInfo(zone))
    assert f"{evening:%H:%M}" == "18:30"
    for outcome in scheduler.history:
        assert set(received(harness.inbox, outcome.edition_id).values()) == {1}


def test_a_large_send_is_reported_with_its_full_counts(harness: Harness) -> None:
    """The send report keeps only the first lines per sender; the scheduler's
    outcome (and its log line) gives the whole count."""
    zone = "Asia/Kolkata"
    start = at("2026-11-28", "06:00", zone)
    harness.news(start - timedelta(days=1), start)
    config = harness.config(zone, [{"at": "07:00"}], sender={"recipients": 250})
    clock = FakeClock(start)
    scheduler = harness.scheduler(config, clock)

    drive(scheduler, clock, at("2026-11-28", "08:00", zone))

    assert statuses(scheduler) == [("world-2026-11-28", "done")]
    assert scheduler.history[0].message == "250 sent, 0 failed, 0 already done"


def two_mornings(
    harness: Harness,
    caplog: pytest.LogCaptureFixture,
    timer: Callable[[], float] = monotonic,
    **settings: Any,
) -> EditionScheduler:
    """Drive a 07:00 Berlin edition through the 27th and 28th of November 2026."""
    zone = "Europe/Berlin"
    start = at("2026-11-26", "12:00", zone)
    end = at("2026-11-28", "12:00", zone)
    harness.news(start - timedelta(days=1), end)
    clock = FakeClock(start)
    scheduler = harness.scheduler(harness.config(zone, [{"at": "07:00"}], **settings), clock, timer)
    with caplog.at_level(logging.INFO, logger="digest.schedule"):
        drive(scheduler, clock, end)
    return scheduler


def test_a_raising_run_is_logged_and_the_next_day_still_runs(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = two_mornings(harness, caplog, sender={"explode_on": ["world-2026-11-27"]})

    assert statuses(scheduler) == [("world-2026-11-27", "failed"), ("world-2026-11-28", "done")]
    store = harness.apps[0].store
    failed = store.runs("world-2026-11-27")[0]
    assert failed["status"] == "failed"
    assert "RuntimeError: sender bug on world-2026-11-27" in failed["message"]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("event=edition.error edition=world-2026-11-27" in r.getMessage() for r in errors)
    assert any(r.exc_info for r in errors)  # the traceback is in the log
    assert set(received(harness.inbox, "world-2026-11-28").values()) == {1}


def test_a_hung_run_hits_the_time_limit_and_the_loop_carries_on(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # Each message takes 1.5 s; a run may take 0.6 s, measured on a timer that
    # jumps a day each time a message begins: the limit is passed while the
    # first message of each run is in flight, however busy the machine is.
    sender = {"delay": 1.5, "recipients": 3}
    started = len(STARTED)
    scheduler = two_mornings(
        harness,
        caplog,
        sender=sender,
        time_limit_minutes=0.01,
        timer=lambda: 86400.0 * (len(STARTED) - started),
    )

    assert statuses(scheduler) == [
        ("world-2026-11-27", "timeout"),
        ("world-2026-11-28", "timeout"),
    ]
    harness.finish_runs()
    store = harness.apps[0].store
    in_flight = 0
    for edition_id in ("world-2026-11-27", "world-2026-11-28"):
        run = store.runs(edition_id)[0]
        # The first verdict stands: the abandoned run ending later does not undo it.
        assert (run["status"], run["message"]) == ("failed", "time limit of 0.6s reached")
        # Told to stop, each abandoned run finished the message in flight, no more.
        got = received(harness.inbox, edition_id)
        assert set(got) <= {"reader-000@example.com"} and set(got.values()) <= {1}
        in_flight += len(got)
    assert in_flight == 2
    assert "event=edition.timeout edition=world-2026-11-27" in caplog.text


# -- catch-up after downtime -------------------------------------------------------


def _first_day_sent(harness: Harness, grace: float) -> tuple[Config, str]:
    zone = "Europe/Berlin"
    harness.news(at("2026-11-25", "00:00", zone), at("2026-11-30", "12:00", zone))
    config = harness.config(zone, [{"at": "07:00"}], grace_minutes=grace)
    clock = FakeClock(at("2026-11-26", "06:00", zone))
    first = harness.scheduler(config, clock)
    drive(first, clock, at("2026-11-26", "08:00", zone))
    assert statuses(first) == [("world-2026-11-26", "done")]
    return config, zone


def test_back_inside_the_grace_window_sends_the_missed_edition_once(harness: Harness) -> None:
    config, zone = _first_day_sent(harness, grace=60)
    # Down from 06:50 to 07:40 on the 27th; the 07:00 edition is 40 min late.
    clock = FakeClock(at("2026-11-27", "07:40", zone))
    restarted = harness.scheduler(config, clock)
    restarted.tick()
    assert statuses(restarted) == [("world-2026-11-27", "done")]
    assert restarted.history[0].due == at("2026-11-27", "07:00", zone)

    clock.moment = at("2026-11-27", "07:50", zone)  # and once more: nothing new is sent
    again = harness.scheduler(config, clock)
    drive(again, clock, at("2026-11-27", "12:00", zone))
    assert again.history == []
    assert received(harness.inbox, "world-2026-11-27") == {
        "reader-000@example.com": 1,
        "reader-001@example.com": 1,
    }


def test_back_after_the_grace_window_skips_records_and_reports(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    config, zone = _first_day_sent(harness, grace=60)
    # Down for three days: back at 07:30 on the 29th.
    clock = FakeClock(at("2026-11-29", "07:30", zone))
    restarted = harness.scheduler(config, clock)
    with caplog.at_level(logging.INFO, logger="digest.schedule"):
        restarted.tick()

    assert statuses(restarted) == [
        ("world-2026-11-27", "skipped"),
        ("world-2026-11-28", "skipped"),
        ("world-2026-11-29", "done"),
    ]
    store = harness.apps[0].store
    skipped = store.runs("world-2026-11-28")[0]
    assert skipped["status"] == "skipped"
    assert skipped["message"] == "missed: 1470min late for 2026-11-28 07:00 CET, grace 60min"
    assert received(harness.inbox, "world-2026-11-27") == {}
    assert received(harness.inbox, "world-2026-11-28") == {}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith("event=edition.skipped edition=world-2026-11-28") for m in warnings)


def test_a_first_start_after_the_time_does_not_report_a_miss(harness: Harness) -> None:
    zone = "UTC"
    harness.news(at("2026-11-26", "00:00", zone), at("2026-11-28", "12:00", zone))
    clock = FakeClock(at("2026-11-27", "12:00", zone))
    scheduler = harness.scheduler(harness.config(zone, [{"at": "07:00"}]), clock)
    drive(scheduler, clock, at("2026-11-28", "08:00", zone))
    assert statuses(scheduler) == [("world-2026-11-28", "done")]


# -- one sender per edition ----------------------------------------------------------


def test_two_schedulers_on_one_store_send_the_edition_once(harness: Harness) -> None:
    zone = "UTC"
    harness.news(at("2026-11-26", "00:00", zone), at("2026-11-27", "07:00", zone))
    # 20 messages of 100 ms: long enough for both schedulers to try at once.
    config = harness.config(zone, [{"at": "07:00"}], sender={"delay": 0.1, "recipients": 20})
    clock = FakeClock(at("2026-11-27", "07:01", zone))
    first_round, second_round = threading.Barrier(3, timeout=60), threading.Barrier(3, timeout=60)
    histories: list[list[tuple[str, str]]] = []

    def process() -> None:
        # Each scheduler lives in its own thread with its own store connection,
        # as two `digest schedule` processes would.
        try:
            run_one()
        except BaseException:
            first_round.abort()  # fail the test instead of waiting forever
            second_round.abort()
            raise

    def run_one() -> None:
        app = make_digest(config=config)
        scheduler = EditionScheduler(app, open_digest=lambda: make_digest(config=config), now=clock)
        scheduler.tick()
        first_round.wait()
        second_round.wait()
        scheduler.tick()  # the loser looks again, sees the edition done, leaves it
        histories.append(statuses(scheduler))
        app.store.close()

    threads = [threading.Thread(target=process) for _ in range(2)]
    for thread in threads:
        thread.start()
    first_round.wait()
    clock.moment = at("2026-11-27", "07:05", zone)
    second_round.wait()
    for thread in threads:
        thread.join()

    edition = "world-2026-11-27"
    assert sorted(histories) == [[(edition, "busy"), (edition, "already")], [(edition, "done")]]
    got = received(harness.inbox, edition)
    assert len(got) == 20 and set(got.values()) == {1}
    store = harness.app(config).store
    assert {(d.status, d.attempts) for d in store.deliveries()} == {("sent", 1)}
    assert [r["status"] for r in store.runs(edition)] == ["done"]


def test_the_lock_of_a_crashed_holder_lapses(harness: Harness) -> None:
    zone = "UTC"
    harness.news(at("2026-11-26", "00:00", zone), at("2026-11-27", "07:00", zone))
    app = harness.app(harness.config(zone, [{"at": "07:00"}], lock_ttl_seconds=60))
    as_of = at("2026-11-27", "07:00", zone)
    now = datetime.now(UTC)
    store = app.store
    # A live holder elsewhere: nobody else runs the edition.
    assert store.acquire_lock("world-2026-11-27", "other:1:1", 60, now=now) == "other:1:1"
    with pytest.raises(EditionBusy, match="already being run by other:1:1"):
        app.run_edition(as_of)
    assert store.acquire_lock("world-2026-11-27", "third:1:1", 60, now=now) == "other:1:1"
    # The holder stops renewing (it crashed): once the lock expires it is free.
    later = now + timedelta(seconds=61)
    assert store.acquire_lock("world-2026-11-27", "third:1:1", 60, now=later) == "third:1:1"
    assert not store.renew_lock("world-2026-11-27", "other:1:1", 60, now=later)
    store.release_lock("world-2026-11-27", "third:1:1")
    store.acquire_lock("world-2026-11-27", "crashed:9:9", 60, now=now - timedelta(seconds=120))
    report = app.run_edition(as_of).report
    assert report is not None and len(report.sent) == 2
    with open_store(store.path) as other:  # released when the run ended
        assert other.acquire_lock("world-2026-11-27", "x:1:1", 60) == "x:1:1"


def test_a_killed_holder_on_this_host_frees_its_lock_at_once(harness: Harness) -> None:
    """A ``digest run``/``digest send`` killed with SIGKILL leaves its lock behind; a
    restart on the same machine sees that process is gone and goes on, without
    waiting out the lock's time to live.  A live process keeps its lock."""
    zone = "UTC"
    harness.news(at("2026-11-26", "00:00", zone), at("2026-11-27", "07:00", zone))
    app = harness.app(harness.config(zone, [{"at": "07:00"}], lock_ttl_seconds=600))
    as_of = at("2026-11-27", "07:00", zone)
    host = socket.gethostname()
    alive = f"{host}:{os.getppid()}:1"
    app.store.acquire_lock("world-2026-11-27", alive, 600)
    with pytest.raises(EditionBusy, match=f"already being run by {alive}"):
        app.run_edition(as_of)
    app.store.release_lock("world-2026-11-27", alive)

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    app.store.acquire_lock("world-2026-11-27", f"{host}:{gone.stdout.strip()}:1", 600)
    report = app.run_edition(as_of).report
    assert report is not None and len(report.sent) == 2


# -- what run_edition decides ---------------------------------------------------------


@pytest.mark.parametrize("skip", [True, False])
def test_no_new_world_news_since_the_last_edition_is_not_sent(harness: Harness, skip: bool) -> None:
    zone = "UTC"
    # News stops at 06:00 on the 26th: a 48-hour window still finds stories on the
    # 27th, but none newer than the 26th's edition.
    harness.news(at("2026-11-25", "12:00", zone), at("2026-11-26", "06:00", zone))
    config = harness.config(zone, [{"at": "07:00"}], window_hours=48, skip_if_nothing_new=skip)
    app = harness.app(config)
    assert app.run_edition(at("2026-11-26", "07:00", zone)).report is not None

    outcome = app.run_edition(at("2026-11-27", "07:00", zone))
    built, report = outcome.built, outcome.report

    run = app.store.runs("world-2026-11-27")[0]
    if skip:
        assert report is None
        assert built.hold.startswith("nothing new since world-2026-11-26")
        assert (run["status"], run["message"]) == ("held", built.hold)
        assert received(harness.inbox, "world-2026-11-27") == {}
    else:
        assert report is not None and run["status"] == "done"
        assert set(received(harness.inbox, "world-2026-11-27").values()) == {1}


def test_run_edition_stops_at_a_message_boundary(harness: Harness) -> None:
    zone = "UTC"
    harness.news(at("2026-11-26", "00:00", zone), at("2026-11-27", "07:00", zone))
    app = harness.app(harness.config(zone, [{"at": "07:00"}], sender={"recipients": 5}))
    stop = threading.Event()
    stop.set()
    outcome = app.run_edition(at("2026-11-27", "07:00", zone), stop=stop)
    built, report = outcome.built, outcome.report
    assert report is None and built.hold == "stopped before sending"
    assert app.store.runs("world-2026-11-27")[0]["status"] == "stopped"
    # A second call resumes: everything is sent, once.
    outcome = app.run_edition(at("2026-11-27", "07:00", zone))
    built, report = outcome.built, outcome.report
    assert report is not None and len(report.sent) == 5
    assert app.store.runs("world-2026-11-27")[0]["status"] == "done"


def test_schedule_settings_are_checked_by_key(harness: Harness) -> None:
    with pytest.raises(ConfigError) as caught:
        harness.config(
            "UTC",
            [{"at": "7am", "weekdays": ["someday"]}, {"at": "08:00"}, {"at": "09:00"}],
            grace_minutes="soon",
        )
    assert caught.value.problems == [
        'schedule.editions.0.at: must be a 24-hour local time "HH:MM" such as "07:00", got "7am"',
        "schedule.editions.0.weekdays.0: must be a weekday: mon, tue, wed, thu, fri, sat, sun "
        '(or the full name), got "someday"',
        'schedule.grace_minutes: must be a number of zero or more, got "soon"',
    ]
    with pytest.raises(ConfigError, match="editions share the name ''"):
        harness.config("UTC", [{"at": "08:00"}, {"at": "09:00"}])
    with pytest.raises(ConfigError) as caught:
        harness.config("UTC", [{"at": "08:00", "weekdays": []}])
    assert caught.value.problems == [
        "schedule.editions.0.weekdays: must name at least one weekday, got []"
    ]
    with pytest.raises(ConfigError, match=r"schedule\.editions: must list at least one edition"):
        harness.config("UTC", [])


def test_schedule_next_lists_the_coming_editions(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[digest]\ntimezone = "Europe/Berlin"\n[store]\npath = "s.sqlite3"\n'
        '[[schedule.editions]]\nat = "02:30"\n'
        '[[schedule.editions]]\nat = "18:00"\nname = "evening"\nweekdays = ["fri"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--next", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("world-") and "02:30 CE" in lines[0]
    assert lines[2].startswith("world-evening-") and "Fri" in lines[2] and "18:00" in lines[2]


def test_run_names_the_edition_of_the_day_for_cron(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    write_world_feed(tmp_path / "wire.json", now - timedelta(hours=12), now - timedelta(hours=1))
    settings = {
        "digest": {"timezone": "UTC"},
        "store": {"path": "store.sqlite3"},
        "sources": [{"path": "wire.json", "kind": "json"}],
        "select": {"min_picks": 1},
        "senders": {"readers": {"type": SENDER, "folder": str(tmp_path / "inbox")}},
        "schedule": {"editions": [{"at": "07:00"}, {"at": "18:30", "name": "evening"}]},
    }
    config = tmp_path / "config.toml"
    config.write_text(tomli_w.dumps(settings), encoding="utf-8")

    result = CliRunner().invoke(main, ["--config", str(config), "run", "--edition", "evening"])
    assert result.exit_code == 0, result.output
    edition_id = f"world-evening-{now:%Y-%m-%d}"
    assert f"Edition {edition_id}" in result.stdout
    assert set(received(tmp_path / "inbox", edition_id).values()) == {1}

    result = CliRunner().invoke(main, ["--config", str(config), "run", "--edition", "evning"])
    assert result.exit_code == 2
    assert "no [[schedule.editions]] entry named 'evning' (named ones: 'evening')" in result.stderr
