"""Why digest computes due times itself: how ``schedule`` 1.2.2 handles DST.

Drives ``schedule.Scheduler().every().day.at("02:30", ZONE)`` minute by minute through
a spring-forward with a fake ``datetime`` (the library reads the wall clock itself,
so patching its module global is the only way to drive it; digest never does this)
and prints every run that is not at 02:30 local time.

    python tools/schedule_dst_probe.py Europe/Berlin 2026-03-27
    python tools/schedule_dst_probe.py America/New_York 2026-03-06
"""

from __future__ import annotations

import datetime as real
import sys
import types
from collections import Counter
from zoneinfo import ZoneInfo

import schedule


class _Clock(real.datetime):
    moment = real.datetime(2000, 1, 1, tzinfo=real.UTC)

    @classmethod
    def now(cls, tz: real.tzinfo | None = None) -> real.datetime:  # type: ignore[override]
        if tz is None:
            return cls.moment.astimezone().replace(tzinfo=None)  # machine-local, naive
        return cls.moment.astimezone(tz)


def main(zone_name: str, first_day: str, days: int = 5) -> None:
    """Print the runs of a daily 02:30 job over ``days`` days from ``first_day``."""
    fake = types.SimpleNamespace(**{k: getattr(real, k) for k in dir(real) if k[0] != "_"})
    fake.datetime = _Clock
    schedule.datetime = fake  # type: ignore[attr-defined]
    zone = ZoneInfo(zone_name)
    _Clock.moment = real.datetime.fromisoformat(first_day).replace(tzinfo=zone).astimezone(real.UTC)
    runs: list[real.datetime] = []
    jobs = schedule.Scheduler()
    jobs.every().day.at("02:30", zone_name).do(lambda: runs.append(_Clock.moment))
    end = _Clock.moment + real.timedelta(days=days)
    while _Clock.moment < end:
        jobs.run_pending()
        _Clock.moment += real.timedelta(minutes=1)
    per_day = Counter(run.astimezone(zone).date() for run in runs)
    for run in runs:
        local = run.astimezone(zone)
        note = "" if f"{local:%H:%M}" == "02:30" else "  <- not 02:30"
        note += "  <- twice that day" if per_day[local.date()] > 1 else ""
        print(f"{local:%a %Y-%m-%d %H:%M %Z}{note}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
