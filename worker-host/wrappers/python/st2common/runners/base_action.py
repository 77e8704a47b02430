"""``st2common.runners.base_action``: the base class of StackStorm Python actions.

    from st2common.runners.base_action import Action

    class Hello(Action):
        def run(self, name):
            self.logger.info("greeting %s", name)
            return (True, {"greeting": "hello " + name})
"""

import abc

from st2common.runners.utils import PackConfigDict, get_logger_for_python_runner_action

__all__ = ["Action"]


class Action(abc.ABC):
    """Base class of StackStorm Python actions.

    Attributes:
        config: the pack configuration (a dict whose missing keys raise a ``ValueError`` naming the
            key, as StackStorm's ``PackConfigDict`` does).
        action_service: the service giving access to the datastore (``get_value``,
            ``set_value``, ``delete_value``, ``list_values``).
        logger: the logger ``st2.actions.python.<ClassName>``, writing to stderr.
    """

    description = None

    def __init__(self, config=None, action_service=None):
        self.config = config or {}
        self.action_service = action_service
        wrapper = getattr(action_service, "_action_wrapper", None) if action_service else None
        log_level = getattr(wrapper, "_log_level", "debug") if wrapper is not None else "debug"
        pack_name = getattr(wrapper, "_pack", "unknown") if wrapper is not None else "unknown"
        self.config = PackConfigDict(pack_name, self.config)
        self.logger = get_logger_for_python_runner_action(action_name=type(self).__name__, log_level=log_level)

    @abc.abstractmethod
    def run(self, **kwargs):
        """Do the work; return the result or a ``(status, result)`` tuple (``status`` a bool)."""
