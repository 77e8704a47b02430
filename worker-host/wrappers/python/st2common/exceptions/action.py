"""``st2common.exceptions.action``: what actions raise about their parameters."""

from st2common.exceptions import StackStormBaseException

__all__ = [
    "ParameterRenderingFailedException",
    "InvalidActionReferencedException",
    "InvalidActionParameterException",
]


class ParameterRenderingFailedException(StackStormBaseException):
    """A parameter template did not render."""


class InvalidActionReferencedException(StackStormBaseException):
    """An action reference names no action."""


class InvalidActionParameterException(StackStormBaseException):
    """A parameter value is not acceptable to the action."""
