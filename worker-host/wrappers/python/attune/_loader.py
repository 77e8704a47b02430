"""Finds and builds the action class of an entry file, by StackStorm's rule.

StackStorm imports the entry file as a module named after the file (``actions/hello.py`` →
``hello``), appends the file's directory to ``sys.path``, and takes the classes *defined* in that
module (not the ones it imports), in order of name. Each class with a concrete ``run`` method
qualifies, whatever it derives from (a class named ``Action`` deriving from ``object`` included);
the others are skipped. The first that qualifies is the action. It is built with
``cls(config=..., action_service=...)``, or ``cls(config=...)`` for a constructor without
``action_service``.

Not done, as in StackStorm: the module is not put in ``sys.modules``, so a later ``import
hello`` runs the file again.
"""

import importlib.util
import inspect
import os
import sys

from st2common.runners.base_action import Action as St2Action

__all__ = ["ActionLoadError", "load_action_class"]


class ActionLoadError(Exception):
    """The entry file cannot be imported or defines no action class. ``type_name`` is what the
    report calls it: the import's own error type (``ModuleNotFoundError``, ``SyntaxError``), or
    ``ActionLoadError``."""

    def __init__(self, message, type_name="ActionLoadError"):
        super().__init__(message)
        self.type_name = type_name


def load_action_class(entry_path, shown_path):
    """The action class of ``entry_path``; ``shown_path`` (relative to the pack) names the file in
    errors, so no error carries a path of the worker."""
    entry_path = os.path.abspath(entry_path)
    if not entry_path.endswith(".py"):
        raise ActionLoadError("expected a .py file as the entry point of a python-script action, received %s" % shown_path)
    if not os.path.isfile(entry_path):
        raise ActionLoadError("expected the entry point %s to be a file of the pack; there is none" % shown_path)
    _append_to_path(os.path.dirname(os.path.realpath(entry_path)))
    module_name = os.path.basename(entry_path)[: -len(".py")]
    spec = importlib.util.spec_from_file_location(module_name, entry_path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - any failure of the pack's module
        raise ActionLoadError(
            "failed to load the action class from %s (a module it imports is missing, or the file "
            "is not valid Python): %s" % (shown_path, error),
            type(error).__name__,
        ) from error
    defined = [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]
    runnable = [c for c in defined if _has_concrete_run(c)]
    if not runnable:
        if defined:
            seen = "; its classes have no run() method of their own: " + ", ".join(c.__name__ for c in defined)
        else:
            seen = "; it defines no class (classes imported from other modules do not count)"
        raise ActionLoadError("expected a class with a run() method in %s%s" % (shown_path, seen))
    action_class = runnable[0]
    if not issubclass(action_class, St2Action):
        # As StackStorm does: the class becomes a virtual subclass of its Action.
        St2Action.register(action_class)
    return action_class


def _has_concrete_run(cls):
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if name == "run" and not getattr(member, "__isabstractmethod__", False):
            return True
    return False


def _append_to_path(directory):
    for entry in sys.path:
        if directory in (entry, entry + os.sep):
            return
    sys.path.append(directory)
