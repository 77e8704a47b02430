#!/usr/bin/env python3
"""Runs one Python action.

    echo '{"execution":{"id":"e1","action":"p.a"},"parameters":{},"secrets":{},"config":{}}' \
      | python3 attune_wrapper.py <pack>/actions/<entry>.py

Reads the action input (one JSON document) from stdin, imports the entry file by path, finds its
single ``attune.Action`` subclass, runs it and writes the report on fd 3 (see README.md):
``{"ok": true, "result": ...}``, ``{"ok": false, "result": ...}`` for an ``(False, x)`` tuple,
``{"ok": false, "error": {"type", "message"}}`` for an exception (traceback on stderr).
Exit code 0 on success, 1 otherwise. Without ATTUNE_RESULT_FD (a run by hand) the report goes
to stdout.
"""

import importlib.util
import inspect
import json
import os
import sys
import traceback

# Set by the process runner; absent in a run by hand, where the report goes to stdout.
RESULT_FD = int(os.environ["ATTUNE_RESULT_FD"]) if "ATTUNE_RESULT_FD" in os.environ else None

# The `attune` package lives beside this file; no install, no PYTHONPATH.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from attune import Action  # noqa: E402


class ActionLoadError(Exception):
    """The entry file has no usable Action subclass."""


class InvalidJson(Exception):
    """A JSON document that may hold secrets did not parse; the message never quotes it."""


def read_input(stream):
    """The action input from ``stream``; a broken document is reported by position and length."""
    text = stream.read()
    try:
        return json.loads(text)
    except ValueError as error:
        size = "%d character%s" % (len(text), "" if len(text) == 1 else "s")
        if not text.strip():
            problem = "is empty (%s)" % size
        elif isinstance(error, json.JSONDecodeError):
            problem = "is not valid JSON at position %d (of %s)" % (error.pos, size)
        else:
            problem = "is not valid JSON (%s)" % size
        # from None: the original error stays out of the traceback printed on stderr.
        raise InvalidJson("the input on stdin " + problem) from None


def load_action_class(entry_path):
    entry_path = os.path.abspath(entry_path)
    # Like st2: the entry's directory is importable, so `from lib import x` works in packs.
    sys.path.insert(1, os.path.dirname(entry_path))
    module_name = "attune_action_" + os.path.splitext(os.path.basename(entry_path))[0]
    spec = importlib.util.spec_from_file_location(module_name, entry_path)
    if spec is None or spec.loader is None:
        raise ActionLoadError("cannot import %s: expected a .py file" % entry_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    classes = [
        c
        for _, c in inspect.getmembers(module, inspect.isclass)
        if issubclass(c, Action) and c is not Action and c.__module__ == module_name
    ]
    if len(classes) != 1:
        raise ActionLoadError(
            "expected exactly one Action subclass in %s, found %d%s"
            % (entry_path, len(classes), (": " + ", ".join(c.__name__ for c in classes)) if classes else "")
        )
    return classes[0]


def write_report(report):
    """Writes the report on fd 3 (stdout in a run by hand). Returns the document written."""
    try:
        data = json.dumps(report, default=str, allow_nan=False)
    except (TypeError, ValueError) as error:
        # Circular structures and NaN/Infinity cannot become JSON, even through str().
        report = {"ok": False, "error": {"type": "ResultNotSerializable", "message": str(error)}}
        data = json.dumps(report)
    payload = (data + "\n").encode("utf-8")
    if RESULT_FD is not None:
        fd = RESULT_FD
        os.set_blocking(fd, True)
    else:
        fd = sys.stdout.fileno()
        sys.stdout.flush()
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    return report


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: attune_wrapper.py <pack>/<entry>.py < input.json\n")
        return 2
    try:
        document = read_input(sys.stdin)
        action_class = load_action_class(argv[1])
        action = action_class(config=document.get("config") or {})
        action.secrets = dict(document.get("secrets") or {})
        outcome = action.run(**(document.get("parameters") or {}))
    except Exception as error:  # noqa: BLE001 - every failure of user code is reported
        traceback.print_exc(file=sys.stderr)
        write_report({"ok": False, "error": {"type": type(error).__name__, "message": str(error)}})
        return 1
    ok, result = True, outcome
    if isinstance(outcome, tuple) and len(outcome) == 2 and isinstance(outcome[0], bool):
        ok, result = outcome
    written = write_report({"ok": ok, "result": result})
    return 0 if written["ok"] else 1


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
