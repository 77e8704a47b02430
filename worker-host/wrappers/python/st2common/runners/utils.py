"""``st2common.runners.utils``: the pack config dict, action loggers and action instantiation."""

import logging
import sys

from st2common import log as st2_logging

__all__ = ["PackConfigDict", "get_logger_for_python_runner_action", "get_action_class_instance"]

_MISSING_KEY = (
    'Config for pack "%s" is missing key "%s".\n'
    "Make sure the pack's config holds that key (attune pack config set %s <file>) and that "
    "config.schema.yaml gives it a default if it is optional."
)

# One logger per action name, so a second instance does not add a second handler.
_LOGGERS = {}


class PackConfigDict(dict):
    """The pack config: a dict whose ``[key]`` for a missing key raises a ``ValueError`` naming
    the pack and the key (StackStorm's message), never a bare ``KeyError``."""

    def __init__(self, pack_name, *args):
        super().__init__(*args)
        self._pack_name = pack_name

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            raise ValueError(_MISSING_KEY % (self._pack_name, key, self._pack_name)) from None


def get_logger_for_python_runner_action(action_name, log_level="debug"):
    """The logger ``st2.actions.python.<action_name>``: records at ``log_level`` and above go to
    stderr as ``<name>: <LEVEL>    <message>``, StackStorm's format."""
    name = "actions.python.%s" % action_name
    logger = _LOGGERS.get(name)
    if logger is None:
        level = getattr(logging, str(log_level).upper(), logging.DEBUG)
        logger = st2_logging.getLogger(name)
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(level)
        handler.setFormatter(logging.Formatter("%(name)-12s: %(levelname)-8s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
        _LOGGERS[name] = logger
    return logger


def get_action_class_instance(action_cls, config=None, action_service=None):
    """``action_cls(config=..., action_service=...)``; a class whose constructor predates
    ``action_service`` is built with ``config`` alone and gets ``action_service`` set afterwards."""
    try:
        return action_cls(config=config, action_service=action_service)
    except TypeError as error:
        if "unexpected keyword argument 'action_service'" not in str(error):
            raise
    instance = action_cls(config=config)
    instance.action_service = action_service
    return instance
