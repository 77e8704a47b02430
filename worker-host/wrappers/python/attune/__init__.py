"""Attune's Python action API.

Actions subclass :class:`Action` and implement ``run(self, **parameters)``::

    from attune import Action

    class Greet(Action):
        def run(self, name):
            token = self.secrets["api_token"]
            self.logger.info("greeting %s", name)
            return {"greeting": "hello " + name}

The return value is the result. A ``(ok, result)`` tuple is honoured as in StackStorm:
``return (False, {"reason": "..."})`` fails the execution with that result.

StackStorm's own base class, ``from st2common.runners.base_action import Action``, works too
(see the ``st2common`` package beside this one); this one derives from it.

This package is put on ``sys.path`` by the wrapper that runs the action; it is never a pack
dependency and never needs installing.
"""

import abc
import logging
import sys

from st2common.runners.base_action import Action as _St2Action

__all__ = ["Action"]


class Action(_St2Action):
    """Base class of Python actions.

    Attributes:
        config: the pack configuration (a dict).
        secrets: the action's secrets (a dict); set by the wrapper before ``run``. Secrets arrive
            on stdin only: never in the environment or the command line.
        logger: a stdlib logger writing to stderr (the execution's stderr log).
        action_service: StackStorm's datastore service (see ``st2common``).
    """

    def __init__(self, config=None, action_service=None):
        # Not StackStorm's constructor: the config stays a plain dict, the logger keeps its name.
        self.config = config if config is not None else {}
        self.action_service = action_service
        self.secrets = {}
        self.logger = _stderr_logger(type(self).__name__)

    @abc.abstractmethod
    def run(self, **parameters):
        """Do the work; return the result (JSON-serializable) or an ``(ok, result)`` tuple."""
        raise NotImplementedError


def _stderr_logger(name):
    logger = logging.getLogger("attune.action." + name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    return logger
