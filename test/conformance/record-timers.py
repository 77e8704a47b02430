"""Records APScheduler 3.10's next fire times for st2's timer triggers, built as st2reactor's
timer does (IntervalTrigger/DateTrigger/CronTrigger with a pytz timezone), into
test/fixtures/timers/apscheduler-goldens.json. Run by record.sh in a Python 3.11 venv with
APScheduler==3.10.4, pytz and python-dateutil; the unit tests replay the file."""
import json
import sys
from datetime import datetime, timedelta, timezone

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import astimezone
from dateutil import parser as date_parser

UTC = timezone.utc
TICKS = 4


def at(iso):
    return datetime.fromisoformat(iso).astimezone(UTC)


def ms(dt):
    return round(dt.timestamp() * 1000)


CRON = [
    # plain fields and defaults
    ({"minute": "*/15"}, "UTC", "2026-03-01T10:07:00+00:00"),
    ({"hour": 9}, "UTC", "2026-03-01T10:07:00+00:00"),
    ({"second": "*/10"}, "UTC", "2026-03-01T10:07:03.500+00:00"),
    ({"hour": "9-17", "minute": 30}, "UTC", "2026-03-01T16:45:00+00:00"),
    ({"hour": "8,12,18"}, "UTC", "2026-03-01T12:00:00+00:00"),
    ({"minute": "5-50/20"}, "UTC", "2026-03-01T10:51:00+00:00"),
    ({"day_of_week": "mon-fri", "hour": 9}, "UTC", "2026-03-06T10:00:00+00:00"),
    ({"day_of_week": "sat,sun", "hour": 12}, "UTC", "2026-03-02T10:00:00+00:00"),
    ({"day_of_week": 0, "hour": 0}, "UTC", "2026-03-01T10:00:00+00:00"),
    ({"day_of_week": "6"}, "UTC", "2026-03-01T10:00:00+00:00"),
    ({"day_of_week": "fri-sun", "hour": 22}, "UTC", "2026-03-04T23:00:00+00:00"),
    ({"day": "last"}, "UTC", "2026-01-15T00:00:00+00:00"),
    ({"day": "last", "hour": 23, "minute": 59}, "UTC", "2028-02-01T00:00:00+00:00"),
    ({"day": "1st mon"}, "UTC", "2026-03-03T00:00:00+00:00"),
    ({"day": "last fri", "hour": 17}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"day": "3rd wed,last sun"}, "UTC", "2026-05-01T00:00:00+00:00"),
    ({"day": "5th mon"}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"day": 31}, "UTC", "2026-04-01T00:00:00+00:00"),
    ({"day": 29, "month": 2}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"month": "jan,jul", "day": 1}, "UTC", "2026-03-01T00:00:00+00:00"),
    ({"month": "mar-may", "day": 15, "hour": 6}, "UTC", "2026-05-20T00:00:00+00:00"),
    ({"month": "*/3"}, "UTC", "2026-02-10T00:00:00+00:00"),
    ({"week": 10}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"week": "*/2", "day_of_week": "mon"}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"year": 2027, "month": 6}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"year": 2020}, "UTC", "2026-01-01T00:00:00+00:00"),
    ({"year": "2026-2027", "month": 12, "day": 25}, "UTC", "2026-12-25T00:00:01+00:00"),
    ({"minute": 0}, "UTC", "2026-03-01T10:00:00+00:00"),
    ({"minute": 0}, "UTC", "2026-03-01T10:00:00.001+00:00"),
    ({"hour": "*", "minute": "*", "second": "30"}, "UTC", "2026-12-31T23:59:45+00:00"),
    ({"day_of_week": "Mon", "month": "DEC"}, "UTC", "2026-11-30T12:00:00+00:00"),
    # New York: spring forward 2026-03-08 02:00 -> 03:00, fall back 2026-11-01 02:00 -> 01:00
    ({"hour": 2, "minute": 30}, "America/New_York", "2026-03-07T12:00:00-05:00"),
    ({"hour": 2}, "America/New_York", "2026-03-07T12:00:00-05:00"),
    ({"hour": 3}, "America/New_York", "2026-03-07T12:00:00-05:00"),
    ({"hour": 1, "minute": 30}, "America/New_York", "2026-10-31T12:00:00-04:00"),
    ({"hour": 1, "minute": 30}, "America/New_York", "2026-11-01T01:40:00-04:00"),
    ({"minute": "*/30"}, "America/New_York", "2026-11-01T00:50:00-04:00"),
    ({"minute": "*/30"}, "America/New_York", "2026-03-08T01:10:00-05:00"),
    ({"minute": 0}, "America/New_York", "2026-03-08T01:10:00-05:00"),
    ({"minute": 0}, "America/New_York", "2026-11-01T00:30:00-04:00"),
    ({"hour": "*/2"}, "America/New_York", "2026-03-07T21:00:00-05:00"),
    ({"hour": "*/2"}, "America/New_York", "2026-10-31T21:00:00-04:00"),
    ({"day_of_week": "sun", "hour": 2, "minute": 15}, "America/New_York", "2026-03-01T12:00:00-05:00"),
    ({"day": "last", "hour": 0}, "America/New_York", "2026-10-15T00:00:00-04:00"),
    ({"second": "*/20", "minute": 59, "hour": 1}, "America/New_York", "2026-11-01T01:59:30-04:00"),
    # Berlin: spring forward 2026-03-29 02:00 -> 03:00, fall back 2026-10-25 03:00 -> 02:00
    ({"hour": 2, "minute": 30}, "Europe/Berlin", "2026-03-28T12:00:00+01:00"),
    ({"hour": 2}, "Europe/Berlin", "2026-03-28T12:00:00+01:00"),
    ({"hour": 2, "minute": 30}, "Europe/Berlin", "2026-10-24T12:00:00+02:00"),
    ({"hour": 2, "minute": 30}, "Europe/Berlin", "2026-10-25T02:40:00+02:00"),
    ({"minute": "*/20"}, "Europe/Berlin", "2026-10-25T02:30:00+02:00"),
    ({"minute": "*/20"}, "Europe/Berlin", "2026-03-29T01:30:00+01:00"),
    ({"minute": 0}, "Europe/Berlin", "2026-10-25T01:30:00+02:00"),
    ({"hour": "1-3", "minute": 0}, "Europe/Berlin", "2026-03-29T00:30:00+01:00"),
    ({"hour": "1-3", "minute": 0}, "Europe/Berlin", "2026-10-25T00:30:00+02:00"),
    ({"day_of_week": "sun", "hour": 2, "minute": 30}, "Europe/Berlin", "2026-03-22T12:00:00+01:00"),
    ({"day": "last sun", "month": "mar", "hour": 2}, "Europe/Berlin", "2026-01-01T00:00:00+01:00"),
    ({"hour": 9, "day_of_week": "mon-fri"}, "Europe/Berlin", "2026-03-27T10:00:00+01:00"),
    # other zones
    ({"hour": 0, "minute": 0}, "Australia/Sydney", "2026-04-04T12:00:00+11:00"),
    ({"hour": 2, "minute": 30}, "Australia/Sydney", "2026-10-03T12:00:00+10:00"),
    ({"hour": 12}, "Asia/Kolkata", "2026-06-01T00:00:00+05:30"),
    # invalid
    ({"minute": "*/0"}, "UTC", None),
    ({"minute": "*/61"}, "UTC", None),
    ({"hour": "25"}, "UTC", None),
    ({"hour": "5-2"}, "UTC", None),
    ({"day_of_week": "funday"}, "UTC", None),
    ({"month": "foo"}, "UTC", None),
    ({"day": "0"}, "UTC", None),
    ({"day": "2nd xyz"}, "UTC", None),
    ({"minute": "a-b-c"}, "UTC", None),
    ({"second": "1-59/60"}, "UTC", None),
    ({"minute": "?"}, "UTC", None),
]

INTERVAL = [
    ("seconds", 1, "UTC", "2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00.250+00:00"),
    ("seconds", 30, "UTC", "2026-03-01T10:00:00+00:00", "2026-03-01T10:05:10+00:00"),
    ("minutes", 5, "UTC", "2026-03-01T10:00:00.300+00:00", "2026-03-01T10:00:00+00:00"),
    ("hours", 1, "America/New_York", "2026-03-08T00:30:00-05:00", "2026-03-08T00:30:00-05:00"),
    ("hours", 2, "Europe/Berlin", "2026-10-25T01:00:00+02:00", "2026-10-25T01:10:00+02:00"),
    ("days", 1, "America/New_York", "2026-03-07T09:00:00-05:00", "2026-03-07T10:00:00-05:00"),
    ("days", 1, "Europe/Berlin", "2026-10-24T09:00:00+02:00", "2026-10-24T12:00:00+02:00"),
    ("weeks", 1, "Europe/Berlin", "2026-03-25T08:00:00+01:00", "2026-04-10T00:00:00+02:00"),
    ("days", 3, "UTC", "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"),
]

DATE = [
    ("2026-12-31 23:59:59", "UTC", "2026-06-01T00:00:00+00:00"),
    ("2026-12-31T23:59:59", "Europe/Berlin", "2026-06-01T00:00:00+00:00"),
    ("2026-03-08 02:30:00", "America/New_York", "2026-03-01T00:00:00+00:00"),
    ("2026-11-01 01:30:00", "America/New_York", "2026-06-01T00:00:00+00:00"),
    ("2026-10-25 02:30:00", "Europe/Berlin", "2026-06-01T00:00:00+00:00"),
    ("2026-03-29 02:30:00", "Europe/Berlin", "2026-03-01T00:00:00+00:00"),
    ("2026-07-04T12:00:00-04:00", "Europe/Berlin", "2026-06-01T00:00:00+00:00"),
    ("2026-07-04T12:00:00Z", "America/New_York", "2026-06-01T00:00:00+00:00"),
    ("2026-07-04 12:00:00.250", "Asia/Kolkata", "2026-06-01T00:00:00+00:00"),
    ("2026-01-01", "America/New_York", "2025-06-01T00:00:00+00:00"),
    ("2024-01-01 00:00:00", "UTC", "2026-06-01T00:00:00+00:00"),
]


def ticks(trigger, now):
    out = []
    prev = None
    for _ in range(TICKS):
        nxt = trigger.get_next_fire_time(prev, prev or now)
        if nxt is None:
            break
        out.append({"ms": ms(nxt), "local": nxt.isoformat()})
        prev = nxt
    return out


def record():
    cases = []
    for spec, zone, now in CRON:
        case = {"type": "core.st2.CronTimer", "parameters": dict(spec, timezone=zone), "from": now}
        try:
            trigger = CronTrigger(**dict(spec, timezone=astimezone(zone)))
        except ValueError as e:
            case["error"] = str(e)
        else:
            case["ticks"] = ticks(trigger, at(now))
        cases.append(case)
    for unit, delta, zone, anchor, now in INTERVAL:
        start = at(anchor).astimezone(astimezone(zone)) + timedelta(**{unit: delta})
        trigger = IntervalTrigger(**{unit: delta}, start_date=start, timezone=astimezone(zone))
        cases.append({
            "type": "core.st2.IntervalTimer",
            "parameters": {"unit": unit, "delta": delta, "timezone": zone},
            "anchor": anchor,
            "from": now,
            "ticks": ticks(trigger, at(now)),
        })
    for date, zone, now in DATE:
        trigger = DateTrigger(date_parser.parse(date), timezone=astimezone(zone))
        # st2 schedules no DateTimer whose date has passed.
        expired = at(now) > trigger.run_date
        cases.append({
            "type": "core.st2.DateTimer",
            "parameters": {"date": date, "timezone": zone},
            "from": now,
            "ticks": [] if expired else ticks(trigger, at(now)),
        })
    return cases


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/timers/apscheduler-goldens.json"
    with open(out, "w") as f:
        json.dump({"recordedWith": "APScheduler 3.10.4, pytz", "cases": record()}, f, indent=1)
        f.write("\n")
    print("recorded", out)
