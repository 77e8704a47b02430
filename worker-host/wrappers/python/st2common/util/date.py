"""``st2common.util.date``: timezone-aware datetimes, UTC unless asked otherwise (StackStorm's).

Uses ``python-dateutil`` (in every pack environment through the st2 base); without it, the
standard library's ISO 8601 parser and ``datetime.timezone.utc`` stand in.
"""

import datetime

try:
    import dateutil.parser as _parser
    import dateutil.tz as _tz

    _UTC = _tz.tzutc()
except ImportError:  # a run by hand with a bare interpreter
    _parser = None
    _UTC = datetime.timezone.utc

__all__ = ["get_datetime_utc_now", "append_milliseconds_to_time", "add_utc_tz", "convert_to_utc", "parse"]


def get_datetime_utc_now():
    """Now, in UTC, with its timezone set."""
    return datetime.datetime.now(_UTC)


def append_milliseconds_to_time(date, millis):
    """``date`` plus ``millis`` milliseconds, in UTC."""
    return convert_to_utc(date + datetime.timedelta(milliseconds=millis))


def add_utc_tz(dt):
    """``dt`` marked UTC; a ``ValueError`` if it already carries another offset."""
    if dt.tzinfo and dt.tzinfo.utcoffset(dt) != datetime.timedelta(0):
        raise ValueError("datetime already contains a non UTC timezone")
    return dt.replace(tzinfo=_UTC)


def convert_to_utc(dt):
    """``dt`` in UTC; a naive ``dt`` is taken to be UTC already."""
    if not dt.tzinfo:
        return add_utc_tz(dt)
    return dt.astimezone(_UTC)


def parse(value, preserve_original_tz=False):
    """A timezone-aware datetime from a date string (naive means UTC), converted to UTC unless
    ``preserve_original_tz``."""
    if _parser is not None:
        dt = _parser.parse(str(value))
    else:
        text = str(value).strip()
        dt = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if not dt.tzinfo:
        dt = add_utc_tz(dt)
    if not preserve_original_tz:
        dt = convert_to_utc(dt)
    return dt
