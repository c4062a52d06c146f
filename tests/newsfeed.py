"""A JSON Feed of World News written for any span of days, for scheduler tests.

Real feeds only cover their own days; a scheduler test needs news on the days it
drives the clock through, so this writes a JSON Feed 1.1 file with distinct world
stories every few hours between two moments.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

_PLACES = (
    "Nairobi Lisbon Santiago Hanoi Tbilisi Accra Quito Oslo Manila Dakar Lima Riga Tunis "
    "Bogota Kigali Vilnius Yerevan Asuncion Windhoek Tallinn Colombo Amman Harare Muscat"
).split()
_TOPICS = (
    "drought floods election budget strike summit ceasefire vaccine wildfire treaty "
    "protest tariff harvest earthquake census pipeline referendum blackout"
).split()


def write_world_feed(
    path: Path, start: datetime, end: datetime, every: timedelta = timedelta(hours=3)
) -> int:
    """Write stories published from ``start`` to ``end`` every ``every``; returns how many."""
    items = []
    moment = start
    n = 0
    while moment <= end:
        place = _PLACES[n % len(_PLACES)]
        topic = _TOPICS[(n * 7) % len(_TOPICS)]
        items.append(
            {
                "id": f"https://wire.example/world/{n}",
                "url": f"https://wire.example/world/{moment:%Y/%m/%d}/{place.lower()}-{n}",
                # Headlines share no word, so no two stories count as the same one.
                "title": f"{place} {topic.capitalize()} {n:03d}",
                "summary": f"Story {n}: {place} and its neighbours react to the {topic}.",
                "content_text": f"{place} ({moment:%d %B}): officials spoke about the {topic}. "
                * 12,
                "date_published": moment.isoformat(),
                "authors": [{"name": "Wire"}],
                "_digest": {"section": "World", "dateline": place, "agency": "Wire"},
            }
        )
        moment += every
        n += 1
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": items}
    path.write_text(json.dumps(feed, indent=1), encoding="utf-8")
    return n
