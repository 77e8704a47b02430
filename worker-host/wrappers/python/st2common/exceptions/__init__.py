"""``st2common.exceptions``: the roots of StackStorm's exception classes."""

__all__ = ["StackStormBaseException", "StackStormPluginException"]


class StackStormBaseException(Exception):
    """Root of StackStorm's exceptions; packs raise subclasses of it from actions."""


class StackStormPluginException(StackStormBaseException):
    """Root of the exceptions of a plug-in API."""
