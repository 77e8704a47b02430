#!/usr/bin/env python3
"""Records what StackStorm's Jinja environment renders for each case of jinja-cases.json.

The oracle is jinja2 itself, configured by st2's own `get_jinja_environment` and st2's own filter
functions, imported from a StackStorm source checkout (they are not on PyPI). Only the modules
that need a database, a crypto key or st2's logging are replaced by small stand-ins below.

`npm run conformance:record` runs it (record-jinja.sh.d/jinja.sh) when ATTUNE_ST2_SOURCE names a
StackStorm checkout. By hand, from the repository root, with a Python 3.9+ virtualenv:

    python3 -m venv .attune/oracle
    .attune/oracle/bin/pip install jinja2==3.1.6 pyyaml==6.0.3 semver==3.0.4 \\
        jsonpath-rw==1.4.0 orjson==3.10.15 six
    git clone https://github.com/StackStorm/st2 /tmp/st2
    .attune/oracle/bin/python test/conformance/record-jinja.py --st2 /tmp/st2

The versions above are those st2 pins in its fixed-requirements.txt.

Writes test/fixtures/conformance/jinja-golden.json. For every case it records `text` (what
`env.from_string(template).render(context)` returns) or `error` (the exception's type and
message). A template that is exactly one `{{ expression }}` also gets `value`: the expression's
Python value as JSON, the value Attune keeps the type of. A value that has no JSON form (a
generator, a tuple key) is recorded as `valueError` instead.
"""

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(ROOT, "test", "fixtures", "conformance", "jinja-cases.json")
GOLDEN = os.path.join(ROOT, "test", "fixtures", "conformance", "jinja-golden.json")

# st2 files imported as they are: the environment and the pure filter functions.
REAL_FILES = [
    "st2common/util/jinja.py",
    "st2common/constants/meta.py",
    "st2common/expressions/functions/data.py",
    "st2common/expressions/functions/regex.py",
    "st2common/expressions/functions/time.py",
    "st2common/expressions/functions/version.py",
    "st2common/expressions/functions/path.py",
]

# Stand-ins for modules that need st2's services.
STUBS = {
    "st2common/__init__.py": "",
    "st2common/log.py": "from logging import getLogger  # noqa: F401\n",
    "st2common/util/__init__.py": "",
    "st2common/util/compat.py": "def to_unicode(value):\n    return str(value)\n",
    "st2common/util/jsonify.py": (
        "import json\n\n"
        "def json_encode(value):\n    return json.dumps(value)\n\n"
        "def json_decode(value):\n    return json.loads(value)\n"
    ),
    # Without mongoengine: the Mapping-to-dict half of st2's conversion.
    "st2common/util/db.py": (
        "from collections.abc import Mapping\n\n"
        "def mongodb_to_python_types(value):\n"
        "    if isinstance(value, Mapping):\n"
        "        value = {k: mongodb_to_python_types(v) for k, v in value.items()}\n"
        "    elif isinstance(value, list):\n"
        "        value = [mongodb_to_python_types(v) for v in value]\n"
        "    return value\n"
    ),
    "st2common/constants/__init__.py": "",
    "st2common/expressions/__init__.py": "",
    "st2common/expressions/functions/__init__.py": "",
    # decrypt_kv needs st2's crypto key; Attune takes it as a hook and tests it on its own.
    "st2common/expressions/functions/datastore.py": (
        "def decrypt_kv(value):\n    raise ValueError('decrypt_kv is not recorded')\n"
    ),
}

MARKERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


def build_st2_package(st2_root, into):
    """Lays out a minimal `st2common` package: st2's real files plus the stand-ins."""
    source = os.path.join(st2_root, "st2common")
    for relative in REAL_FILES:
        origin = os.path.join(source, relative)
        if not os.path.isfile(origin):
            sys.exit("record-jinja: %s not found under %s" % (relative, source))
        target = os.path.join(into, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(origin, target)
    for relative, text in STUBS.items():
        target = os.path.join(into, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as handle:
            handle.write(text)


def whole_expression(template):
    """The expression of a template that is exactly one {{ ... }} (blanks around allowed)."""
    trimmed = template.strip()
    if not (trimmed.startswith("{{") and trimmed.endswith("}}")):
        return None
    inner = trimmed[2:-2]
    if MARKERS.search(inner):
        return None
    if inner.startswith("-"):
        inner = inner[1:]
    if inner.endswith("-"):
        inner = inner[:-1]
    return inner


class NotJson(Exception):
    pass


def to_json(value, jinja2):
    """The JSON form of a rendered Python value, or NotJson."""
    if isinstance(value, jinja2.Undefined):
        raise NotJson("undefined inside a value")
    if value is None or isinstance(value, (bool, int, str)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotJson("non-finite float")
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJson("non-string key %r" % (key,))
            out[key] = to_json(item, jinja2)
        return out
    if isinstance(value, (list, tuple)):
        return [to_json(item, jinja2) for item in value]
    raise NotJson(type(value).__name__)


def environment(mode, jinja_utils, jinja2):
    env = jinja_utils.get_jinja_environment(allow_undefined=mode != "strict")
    if mode == "chainable":
        env.undefined = jinja2.ChainableUndefined
    return env


def record(case, contexts, jinja_utils, jinja2):
    context = case["context"]
    if isinstance(context, str):
        context = contexts[context]
    env = environment(case.get("undefined", "strict"), jinja_utils, jinja2)
    result = {"name": case["name"]}
    try:
        result["text"] = env.from_string(case["template"]).render(json.loads(json.dumps(context)))
    except Exception as error:  # the oracle's answer, whatever it is
        result["error"] = {"type": type(error).__name__, "message": str(error)}
        return result
    expression = whole_expression(case["template"])
    if expression is not None:
        try:
            value = env.compile_expression(expression, undefined_to_none=False)(**json.loads(json.dumps(context)))
        except Exception as error:  # jinja2's constant folding can emit code it cannot run (inf)
            result["valueError"] = "%s: %s" % (type(error).__name__, error)
            return result
        if isinstance(value, jinja2.Undefined):
            result["value"] = ""
        else:
            try:
                result["value"] = to_json(value, jinja2)
            except NotJson as reason:
                result["valueError"] = str(reason)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--st2", required=True, help="a StackStorm source checkout (holds st2common/)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="attune-st2-jinja-")
    try:
        build_st2_package(os.path.abspath(args.st2), scratch)
        sys.path.insert(0, scratch)
        import jinja2
        import semver
        from st2common.util import jinja as jinja_utils

        with open(CASES) as handle:
            doc = json.load(handle)
        results = [record(case, doc["contexts"], jinja_utils, jinja2) for case in doc["cases"]]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    golden = {
        "recordedWith": {
            "python": platform.python_version(),
            "jinja2": jinja2.__version__,
            "semver": semver.__version__,
            "environment": "st2common.util.jinja.get_jinja_environment (SandboxedEnvironment, "
            "trim_blocks, lstrip_blocks, st2 filters)",
        },
        "results": results,
    }
    with open(GOLDEN, "w") as handle:
        json.dump(golden, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    errors = sum(1 for r in results if "error" in r)
    print("recorded %d cases (%d errors) into %s" % (len(results), errors, os.path.relpath(GOLDEN, ROOT)))


if __name__ == "__main__":
    main()
