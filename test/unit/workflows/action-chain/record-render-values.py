#!/usr/bin/env python3
"""Records what st2's own `jinja_utils.render_values` returns for each case of
goldens/render-values-cases.json: the function st2's action-chain runner renders `vars`, node
parameters and `publish` with.

The oracle is st2's real st2common/util/jinja.py and filter modules, laid out by
test/conformance/record-jinja.py's `build_st2_package` from a StackStorm checkout (st2 is not on
PyPI). Only st2common/util/jsonify.py is replaced: by the orjson path st2 takes by default
(DEFAULT_JSON_LIBRARY = "orjson"), without its MongoDB imports.

From the repository root, with a virtualenv holding the versions st2 pins:

    python3 -m venv .attune/oracle
    .attune/oracle/bin/pip install jinja2==3.1.6 pyyaml==6.0.3 semver==3.0.4 \\
        jsonpath-rw==1.4.0 orjson==3.10.15 six python-dateutil==2.9.0.post0
    git clone https://github.com/StackStorm/st2 /tmp/st2
    .attune/oracle/bin/python test/unit/workflows/action-chain/record-render-values.py --st2 /tmp/st2

Writes goldens/render-values-golden.json: per case `value` (the rendered mapping) or `error`
(the exception's type and message, and the `key` and `value` render_values attaches to it).
"""

import argparse
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
CASES = os.path.join(HERE, "goldens", "render-values-cases.json")
GOLDEN = os.path.join(HERE, "goldens", "render-values-golden.json")

JSONIFY = (
    "import orjson\n\n"
    "def json_encode(obj, indent=None, sort_keys=False):\n"
    "    return orjson.dumps(obj).decode('utf-8')\n\n"
    "def json_decode(data):\n"
    "    return orjson.loads(data)\n"
)


def load_jinja_recorder():
    path = os.path.join(ROOT, "test", "conformance", "record-jinja.py")
    spec = importlib.util.spec_from_file_location("record_jinja", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(case, jinja_utils):
    result = {"name": case["name"]}
    try:
        result["value"] = jinja_utils.render_values(mapping=case["mapping"], context=case["context"])
    except Exception as error:  # the oracle's answer, whatever it is
        answer = {"type": type(error).__name__, "message": str(error)}
        if hasattr(error, "key"):
            answer["key"] = error.key
            answer["value"] = error.value
        result["error"] = answer
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--st2", required=True, help="a StackStorm source checkout (holds st2common/)")
    args = parser.parse_args()

    recorder = load_jinja_recorder()
    scratch = tempfile.mkdtemp(prefix="attune-st2-render-values-")
    try:
        recorder.build_st2_package(os.path.abspath(args.st2), scratch)
        with open(os.path.join(scratch, "st2common", "util", "jsonify.py"), "w") as handle:
            handle.write(JSONIFY)
        sys.path.insert(0, scratch)
        import jinja2
        import orjson
        from st2common.util import jinja as jinja_utils

        with open(CASES) as handle:
            cases = json.load(handle)["cases"]
        results = [record(case, jinja_utils) for case in cases]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    golden = {
        "recordedWith": {"python": platform.python_version(), "jinja2": jinja2.__version__, "orjson": orjson.__version__},
        "results": results,
    }
    with open(GOLDEN, "w") as handle:
        json.dump(golden, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print("recorded %d cases into %s" % (len(results), os.path.relpath(GOLDEN, ROOT)))


if __name__ == "__main__":
    main()
