"""Calendar parsing speed: events per second of the iCalendar adapter on a generated calendar.

    python -m pipelines.adapters.ics_bench [--events 5000] [--repeat 3]

The calendar looks like a team's Google export over one year: weekly series (each with an EXDATE, a
moved instance and a cancelled one) and single meetings, 3-8 attendees each, a room on some. Parsing
needs Python (per-event parsing, time zones, recurrence), so this is the figure to watch; the rest of a
build streams through DuckDB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from pipelines.adapters import ics

_PEOPLE = [f"person{n}@example.com" for n in range(60)]


def calendar(events: int, seed: int = 7) -> str:
    """An .ics of about `events` VEVENTs: a tenth of them recurring series with overrides."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
             "X-WR-TIMEZONE:Europe/London"]
    start = dt.datetime(2026, 1, 5, 9, 0)
    written, series = 0, 0
    while written < events:
        attendees = [
            f"ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT={rng.choice(['ACCEPTED', 'DECLINED', 'TENTATIVE', 'NEEDS-ACTION'])}"
            f";CN=Person:mailto:{email}"
            for email in rng.sample(_PEOPLE, rng.randint(3, 8))
        ]
        if rng.random() < 0.3:
            attendees.append("ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED:mailto:room@resource.calendar.google.com")
        first = start + dt.timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 8))
        stamp = first.strftime("%Y%m%dT%H%M%S")
        if written % 10 == 0 and written + 3 <= events:
            series += 1
            uid = f"series-{series}@google.com"
            moved, cancelled, skipped = (first + dt.timedelta(weeks=k) for k in (2, 3, 4))
            lines += ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:Weekly sync {series}",
                      f"DTSTART;TZID=Europe/London:{stamp}",
                      f"DTEND;TZID=Europe/London:{(first + dt.timedelta(hours=1)).strftime('%Y%m%dT%H%M%S')}",
                      "RRULE:FREQ=WEEKLY", f"EXDATE;TZID=Europe/London:{skipped.strftime('%Y%m%dT%H%M%S')}",
                      "ORGANIZER:mailto:person0@example.com", *attendees, "END:VEVENT"]
            for instance, extra in ((moved, "SUMMARY:Moved"), (cancelled, "STATUS:CANCELLED")):
                rid = instance.strftime("%Y%m%dT%H%M%S")
                later = (instance + dt.timedelta(hours=2)).strftime("%Y%m%dT%H%M%S")
                lines += ["BEGIN:VEVENT", f"UID:{uid}", f"RECURRENCE-ID;TZID=Europe/London:{rid}",
                          f"DTSTART;TZID=Europe/London:{later}",
                          f"DTEND;TZID=Europe/London:{(instance + dt.timedelta(hours=3)).strftime('%Y%m%dT%H%M%S')}",
                          extra, *attendees, "END:VEVENT"]
            written += 3
        else:
            utc = (first - dt.timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")
            end = (first + dt.timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ")
            lines += ["BEGIN:VEVENT", f"UID:single-{written}@google.com", f"SUMMARY:Meeting {written}",
                      f"DTSTART:{utc}", f"DTEND:{end}", "ORGANIZER:mailto:person1@example.com", *attendees,
                      "END:VEVENT"]
            written += 1
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def measure(events: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calendar.ics"
        path.write_text(calendar(events), newline="")
        stat = path.stat()
        timings = []
        for _ in range(repeat):
            ics.parse.cache_clear()
            started = time.perf_counter()
            parsed = ics.parse(str(path), stat.st_mtime_ns, stat.st_size, "Europe/London", "2026-12-31T23:59:59+00:00")
            timings.append(time.perf_counter() - started)
    best = min(timings)
    return {
        "events": events,
        "meetings": len(parsed.meetings),
        "attendee_rows": len(parsed.attendees),
        "rejects": len(parsed.rejects),
        "seconds": round(best, 3),
        "events_per_second": round(events / best),
        "meetings_per_second": round(len(parsed.meetings) / best),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.adapters.ics_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    figures = measure(args.events, args.repeat)
    print(
        f"{figures['events']} VEVENTs -> {figures['meetings']} meetings, {figures['attendee_rows']} attendee rows "
        f"in {figures['seconds']} s: {figures['events_per_second']} events/s, "
        f"{figures['meetings_per_second']} meetings/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
