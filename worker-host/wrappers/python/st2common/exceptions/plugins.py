"""``st2common.exceptions.plugins``."""

from st2common.exceptions import StackStormPluginException

__all__ = ["IncompatiblePluginException"]


class IncompatiblePluginException(StackStormPluginException):
    """A class lacks a method its plug-in base class requires (an action without ``run``)."""
