#!/usr/bin/env python3
"""Runs one StackStorm sensor until it is asked to stop.

    echo '{"sensor":{"ref":"p.S","pack":"p","class_name":"S","file":"sensors/s.py"},"config":{}}' \
      | python3 attune_sensor_wrapper.py --pack-dir <pack> <pack>/sensors/<entry>.py

Reads its input (one JSON document) from stdin: ``sensor`` (ref, pack, class_name, file relative
to the pack, poll_interval), ``config`` (the pack config, secrets resolved) and ``triggers`` (the
triggers of its types that rules use). Sets up the import path as for actions (the pack's venv,
``<pack>/actions/lib``, the st2 base, then the entry file's directory), imports the entry file,
takes the class named ``class_name`` (as StackStorm's sensor wrapper does), builds it with
``sensor_service`` and ``config`` (and ``poll_interval`` for a PollingSensor whose metadata sets
one), then calls ``setup()``, ``add_trigger()`` per trigger and ``run()``. SIGTERM ends ``run()``;
``cleanup()`` is called on the way out.

A sensor that cannot start (no such class, an import error, ``setup()`` failing) writes
``{"ok": false, "error": {"type", "message"}}`` on fd 3 (``ATTUNE_RESULT_FD``; stdout in a run by
hand), its traceback on stderr, and exits 1. ``run()`` returning ends the sensor with exit code 0;
``run()`` raising, with 1 and the same report. Messages name the file inside the pack, never a path
of the host.
"""

import importlib.util
import inspect
import json
import logging
import os
import signal
import sys
import traceback

RESULT_FD = int(os.environ["ATTUNE_RESULT_FD"]) if "ATTUNE_RESULT_FD" in os.environ else None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from attune._paths import add_actions_lib  # noqa: E402
from attune._sensor_service import SensorService  # noqa: E402
from st2reactor.sensor.base import BaseSensor, PollingSensor  # noqa: E402

USAGE = "usage: attune_sensor_wrapper.py --pack-dir <pack> <pack>/sensors/<entry>.py < input.json\n"


class SensorLoadError(Exception):
    """The sensor's class cannot be loaded or built; ``type_name`` is what the report calls it."""

    def __init__(self, message, type_name="SensorLoadError"):
        super().__init__(message)
        self.type_name = type_name


class Stop(BaseException):
    """SIGTERM: ends ``run()`` wherever it is (a BaseException, so a sensor's ``except Exception`` lets it pass)."""


def read_input(stream):
    text = stream.read()
    try:
        document = json.loads(text)
    except ValueError as error:
        at = " at position %d" % error.pos if isinstance(error, json.JSONDecodeError) else ""
        raise SensorLoadError("the input on stdin (%d characters) is not valid JSON%s" % (len(text), at), "InvalidJson") from None
    if not isinstance(document, dict) or not isinstance(document.get("sensor"), dict):
        raise SensorLoadError("the input on stdin is JSON but not an object with a \"sensor\" object", "InvalidJson")
    return document


def load_sensor_class(entry_path, shown, class_name):
    """The class ``class_name`` defined or imported by ``entry_path`` (StackStorm's
    ``register_plugin_class``: the file's directory is appended to ``sys.path``, the module is named
    after the file)."""
    if not os.path.isfile(entry_path):
        raise SensorLoadError("expected the sensor module %s to be a file of the pack; there is none" % shown)
    directory = os.path.dirname(os.path.realpath(entry_path))
    if directory not in sys.path:
        sys.path.append(directory)
    module_name = os.path.splitext(os.path.basename(entry_path))[0]
    spec = importlib.util.spec_from_file_location(module_name, entry_path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - any failure of the pack's module
        raise SensorLoadError(
            "failed to load the sensor class from %s (a module it imports is missing, or the file is not valid Python): %s" % (shown, error),
            type(error).__name__,
        ) from error
    found = getattr(module, class_name, None)
    if not inspect.isclass(found):
        defined = sorted(n for n, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__)
        raise SensorLoadError(
            'sensor module %s is missing a class with name "%s" (it defines: %s)' % (shown, class_name, ", ".join(defined) or "no class")
        )
    return found


def build_sensor(sensor_class, service, config, poll_interval, class_name):
    kwargs = {"sensor_service": service, "config": config}
    if poll_interval and issubclass(sensor_class, PollingSensor):
        kwargs["poll_interval"] = poll_interval
    try:
        return sensor_class(**kwargs)
    except Exception as error:  # noqa: BLE001 - the sensor's own constructor
        raise SensorLoadError('failed to instantiate the "%s" sensor class: %s' % (class_name, error), type(error).__name__) from error


def write_report(report):
    payload = (json.dumps(report) + "\n").encode("utf-8")
    if RESULT_FD is None:
        sys.stdout.write(payload.decode("utf-8"))
        sys.stdout.flush()
        return
    os.set_blocking(RESULT_FD, True)
    view = memoryview(payload)
    while view:
        view = view[os.write(RESULT_FD, view):]


def setup_logging(pack, class_name):
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return logging.getLogger("SensorWrapper.%s.%s" % (pack, class_name))


def main(argv):
    if len(argv) != 4 or argv[1] != "--pack-dir":
        sys.stderr.write(USAGE)
        return 2
    pack_dir, entry = os.path.abspath(argv[2]), os.path.abspath(argv[3])
    shown = os.path.relpath(entry, pack_dir)
    instance = None
    started = False

    def stop(_sig, _frame):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    try:
        document = read_input(sys.stdin)
        meta = document["sensor"]
        class_name = str(meta.get("class_name") or "")
        pack = str(meta.get("pack") or os.path.basename(pack_dir))
        logger = setup_logging(pack, class_name)
        add_actions_lib(pack_dir)
        sensor_class = load_sensor_class(entry, shown, class_name)
        if not issubclass(sensor_class, BaseSensor):
            # As StackStorm's loader does for a class of another base: it becomes a virtual sensor.
            BaseSensor.register(sensor_class)
        instance = build_sensor(sensor_class, SensorService(pack, class_name, logger), document.get("config") or {}, meta.get("poll_interval"), class_name)
        logger.info("Running sensor initialization code")
        instance.setup()
        started = True
        for trigger in document.get("triggers") or []:
            instance.add_trigger(trigger)
        if meta.get("poll_interval") and isinstance(instance, PollingSensor):
            logger.info("Running sensor in active mode (poll interval=%ss)", instance.get_poll_interval())
        else:
            logger.info("Running sensor in passive mode")
        instance.run()
        return 0
    except Stop:
        return 0
    except Exception as error:  # noqa: BLE001 - every failure of the sensor is reported
        traceback.print_exc(file=sys.stderr)
        kind = error.type_name if isinstance(error, SensorLoadError) else type(error).__name__
        write_report({"ok": False, "error": {"type": kind, "message": str(error)}})
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if started and instance is not None:
            try:
                instance.cleanup()
            except Exception:  # noqa: BLE001 - the exit code already tells how run() ended
                traceback.print_exc(file=sys.stderr)


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
