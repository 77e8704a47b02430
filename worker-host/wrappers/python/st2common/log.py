"""``st2common.log``: loggers named as StackStorm names them (``st2.`` prefix)."""

import logging

__all__ = ["getLogger"]

_PREFIX = "st2."


def getLogger(name):  # noqa: N802 - StackStorm's name
    """The stdlib logger ``st2.<name>`` (``name`` as is when it already starts with ``st2.``)."""
    return logging.getLogger(name if name.startswith(_PREFIX) else _PREFIX + name)
