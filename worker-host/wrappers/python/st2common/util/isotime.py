"""``st2common.util.isotime``: ISO 8601 timestamps as StackStorm writes and reads them.

    >>> isotime.format(datetime.datetime(2024, 5, 1, 12, 0, tzinfo=tzutc()))
    '2024-05-01T12:00:00.000000+00:00'
    >>> isotime.format(dt, usec=False, offset=False)
    '2024-05-01T12:00:00Z'
"""

import datetime
import re

from st2common.util import date as date_utils

__all__ = ["format", "validate", "parse"]

ISO8601_FORMAT = "%Y-%m-%dT%H:%M:%S"
ISO8601_FORMAT_MICROSECOND = "%Y-%m-%dT%H:%M:%S.%f"
# UTC timestamps only: what StackStorm's API accepts where it validates a date.
ISO8601_UTC_REGEX = r"^\d{4}\-\d{2}\-\d{2}(\s|T)\d{2}:\d{2}:\d{2}(\.\d{3,6})?(Z|\+00|\+0000|\+00:00)$"


def format(dt, usec=True, offset=True):  # noqa: A001 - StackStorm's name
    """The ISO 8601 text of ``dt`` (a datetime, an ISO string, or a Unix timestamp as an int):
    microseconds unless ``usec=False``; a ``+HH:MM`` offset (``+00:00`` for a naive ``dt``), or with
    ``offset=False`` ``Z`` for UTC and the zone's name otherwise."""
    if isinstance(dt, str):
        dt = parse(dt)
    elif isinstance(dt, int):
        dt = datetime.datetime.fromtimestamp(dt, date_utils._UTC)
    fmt = ISO8601_FORMAT_MICROSECOND if usec else ISO8601_FORMAT
    if offset:
        ost = dt.strftime("%z")
        ost = (ost[:3] + ":" + ost[3:]) if ost else "+00:00"
    else:
        tz = dt.tzinfo.tzname(dt) if dt.tzinfo else "UTC"
        ost = "Z" if tz == "UTC" else tz
    return dt.strftime(fmt) + ost


def validate(value, raise_exception=True):
    """True for a datetime or a UTC ISO 8601 string; otherwise a ``ValueError`` (or False when
    ``raise_exception`` is False)."""
    if isinstance(value, datetime.datetime) or (isinstance(value, str) and re.match(ISO8601_UTC_REGEX, value)):
        return True
    if raise_exception:
        raise ValueError("Datetime value does not match expected format.")
    return False


def parse(value, preserve_original_tz=False, validate_value=True):
    """A timezone-aware datetime (UTC unless ``preserve_original_tz``) from ISO 8601 text, which
    must be a UTC timestamp unless ``validate_value`` is False."""
    if validate_value:
        validate(value, raise_exception=True)
    return date_utils.parse(value=value, preserve_original_tz=preserve_original_tz)
