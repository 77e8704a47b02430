#!/usr/bin/env python3
"""Runs one Python action, StackStorm's or Attune's.

    echo '{"execution":{"id":"e1","action":"p.a"},"parameters":{},"secrets":{},"config":{}}' \
      | python3 attune_wrapper.py [--pack-dir <pack>] [--log-level <level>] <pack>/actions/<entry>.py

Reads the action input (one JSON document) from stdin, sets up the import path as StackStorm's
python runner does (the pack's venv, ``<pack>/actions/lib``, the st2 base: see attune/_paths.py),
imports the entry file and picks its action class by StackStorm's rule (attune/_loader.py), builds
it with the pack config and an ``action_service``, runs it, and writes the report on fd 3 (see
README.md):

- ``{"ok": true, "result": ...}`` for a plain return value or ``(True, result)``;
- ``{"ok": false, "result": ...}`` for ``(False, result)``;
- ``{"ok": false, "error": {"type", "message"}}`` for an exception (its traceback on stderr), and
  for a 2-tuple whose first item is not a bool, which StackStorm refuses (exit code 220).

Values are encoded as StackStorm's encoder (orjson) does: dates, times and datetimes as ISO 8601
text, UUIDs as text, dataclasses as objects, enums by value, NaN and infinities as null. A
``(status, result)`` result holding anything else becomes its ``str()``, as in StackStorm; a plain
return value keeps its structure with only the unknown values as their ``str()``. Exit code 0 when run()
returned (``(False, result)`` included, as in StackStorm, whose report fails it), 1 for an
exception, 220 for the refused tuple. Without ATTUNE_RESULT_FD (a run by hand) the report goes to
stdout. ``--pack-dir`` defaults to the nearest ancestor of the entry holding a pack.yaml.
"""

import dataclasses
import datetime
import enum
import json
import math
import os
import sys
import traceback
import uuid

# Set by the process runner; absent in a run by hand, where the report goes to stdout.
RESULT_FD = int(os.environ["ATTUNE_RESULT_FD"]) if "ATTUNE_RESULT_FD" in os.environ else None

# The `attune` and `st2common` packages live beside this file; no install, no PYTHONPATH.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from attune._loader import ActionLoadError, load_action_class  # noqa: E402
from attune._paths import add_actions_lib, find_pack_dir  # noqa: E402
from attune._service import ActionService, RunInfo  # noqa: E402
from st2common.constants.runners import PYTHON_RUNNER_DEFAULT_LOG_LEVEL, PYTHON_RUNNER_INVALID_ACTION_STATUS_EXIT_CODE  # noqa: E402
from st2common.runners.utils import get_action_class_instance  # noqa: E402

USAGE = "usage: attune_wrapper.py [--pack-dir <pack>] [--log-level <level>] <pack>/actions/<entry>.py < input.json\n"

# StackStorm's words for a 2-tuple whose status is not a bool.
INVALID_STATUS_HELP = (
    "If this is an existing action which returns a tuple with two items, it needs to be updated to either:\n\n"
    "1. Return a list instead of a tuple\n"
    "2. Return a tuple where a first items is a status flag - (True, ('item1', 'item2'))\n"
)


class InvalidJson(Exception):
    """A JSON document that may hold secrets did not parse; the message never quotes it."""


class InvalidActionStatus(Exception):
    """run() returned a 2-tuple whose first item is neither True nor False (nor None)."""


def read_input(stream):
    """The action input from ``stream``; a broken document is reported by position and length."""
    text = stream.read()
    try:
        document = json.loads(text)
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
    if not isinstance(document, dict):
        raise InvalidJson("the input on stdin is JSON but not an object (a %s)" % type(document).__name__)
    return document


def parse_args(argv):
    """``(entry, pack_dir or None, log_level)``, or None for a command line that does not fit."""
    options = {"--pack-dir": None, "--log-level": PYTHON_RUNNER_DEFAULT_LOG_LEVEL}
    rest = list(argv[1:])
    while len(rest) > 1 and rest[0] in options:
        options[rest[0]] = rest[1]
        rest = rest[2:]
    if len(rest) != 1 or rest[0].startswith("--"):
        return None
    return rest[0], options["--pack-dir"], options["--log-level"]


def outcome_report(outcome):
    """The report of what run() returned, by StackStorm's reading of it."""
    status, result = None, outcome
    if isinstance(outcome, tuple) and len(outcome) == 2:
        status, result = outcome
    if status is None:
        return {"ok": True, "result": result}
    if not isinstance(status, bool):
        raise InvalidActionStatus(
            "run() returned a 2-tuple whose first item (the status) is a %s, not True or False; "
            "return a list instead, or (True, result)" % type(status).__name__
        )
    try:
        json.dumps(result, default=st2_native, allow_nan=True)
    except (TypeError, ValueError):
        result = str(result)  # StackStorm keeps what it cannot encode as its text
    return {"ok": status, "result": result}


def st2_native(value):
    """The JSON form of the types StackStorm's encoder (orjson) writes natively; a
    ``TypeError`` for any other."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError("Type is not JSON serializable: %s" % type(value).__name__)


def _native_or_str(value):
    try:
        return st2_native(value)
    except TypeError:
        return str(value)


def write_report(report):
    """Writes the report on fd 3 (stdout in a run by hand). Returns the document written."""
    try:
        data = json.dumps(report, default=_native_or_str, allow_nan=False)
    except ValueError:
        try:
            data = json.dumps(_finite(report, set()), default=_native_or_str, allow_nan=False)
        except ValueError as error:
            # A circular structure cannot become JSON, even through str().
            report = {"ok": False, "error": {"type": "ResultNotSerializable", "message": str(error)}}
            data = json.dumps(report)
    except TypeError as error:
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


def _finite(value, seen):
    """``value`` with NaN and infinities as None (StackStorm's encoder writes null); a
    ``ValueError`` for a circular structure."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dict, list, tuple)):
        if id(value) in seen:
            raise ValueError("Circular reference detected")
        seen.add(id(value))
        try:
            if isinstance(value, dict):
                return {k: _finite(v, seen) for k, v in value.items()}
            return [_finite(v, seen) for v in value]
        finally:
            seen.discard(id(value))
    return value


def run(entry, pack_dir, log_level):
    document = read_input(sys.stdin)
    pack_dir = os.path.abspath(pack_dir) if pack_dir else find_pack_dir(entry)
    add_actions_lib(pack_dir)
    shown = os.path.relpath(os.path.abspath(entry), pack_dir)
    action_ref = str((document.get("execution") or {}).get("action") or "")
    info = RunInfo(pack=action_ref.split(".", 1)[0] or os.path.basename(pack_dir), file_path=shown, log_level=log_level)
    action_class = load_action_class(entry, shown)
    info._class_name = action_class.__name__
    action = get_action_class_instance(action_class, config=document.get("config") or {}, action_service=ActionService(info))
    action.secrets = dict(document.get("secrets") or {})
    return outcome_report(action.run(**(document.get("parameters") or {})))


def main(argv):
    args = parse_args(argv)
    if args is None:
        sys.stderr.write(USAGE)
        return 2
    try:
        report = run(*args)
    except InvalidActionStatus as error:
        sys.stderr.write("%s\n\n%s" % (error, INVALID_STATUS_HELP))
        write_report({"ok": False, "error": {"type": "InvalidActionStatus", "message": str(error)}})
        return PYTHON_RUNNER_INVALID_ACTION_STATUS_EXIT_CODE
    except Exception as error:  # noqa: BLE001 - every failure of user code is reported
        traceback.print_exc(file=sys.stderr)
        kind = error.type_name if isinstance(error, ActionLoadError) else type(error).__name__
        write_report({"ok": False, "error": {"type": kind, "message": str(error)}})
        return 1
    written = write_report(report)
    # (False, result) exits 0 as in StackStorm (exit_code 0, status failed): the report fails it.
    return 0 if written["ok"] or "error" not in written else 1


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
