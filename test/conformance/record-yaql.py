"""Records how the reference implementation evaluates the YAQL conformance cases.

Reads test/fixtures/conformance/yaql-cases.json and writes test/fixtures/conformance/yaql-golden.json:
for each case, the value (and its Python type) or the error (the exception's class and message).

The reference is yaql 1.1.3 run by Orquesta 1.2.0's YAQL evaluator, which adds ctx(), json(), zip(),
item() and the <% %> rendering. Install both into a throwaway virtualenv, never into the project:

    ~/.pyenv/versions/3.9.18/bin/python -m venv .attune/yaql-ref
    .attune/yaql-ref/bin/pip install orquesta==1.2.0 yaql==1.1.3
    .attune/yaql-ref/bin/python test/conformance/record-yaql.py

Modes of a case:
- orquesta: `text` (or `textParts`, [string, times] pairs concatenated) rendered by Orquesta's
  YAQLEvaluator.evaluate against the named context;
- yaql: `expr` evaluated by yaql alone with `$` bound to the named context;
- render: `value` (a JSON structure) rendered by orquesta.expressions.base.evaluate.
"""

import collections.abc  # noqa: F401  (yaql 1.1 reaches collections.Mapping through it)
import json
import os
import re
import sys
import warnings

warnings.filterwarnings("ignore")

try:
    import yaql
    from orquesta.expressions import base as expr_base
    from orquesta.expressions import yql
except ImportError:
    sys.exit(__doc__)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "test", "fixtures", "conformance", "yaql-cases.json")
GOLDEN = os.path.join(ROOT, "test", "fixtures", "conformance", "yaql-golden.json")

ENGINE = yaql.language.factory.YaqlFactory().create()
ROOT_CONTEXT = yaql.create_context()
# "Unable to evaluate expression '<% x %>'. NoMatchingFunctionException: ..." names the inner class.
INNER = re.compile(r"^Unable to evaluate expression '.*'\. (\w+): (.*)$", re.S)
RESOLVE = re.compile(r"^Unable to resolve key '(.*)' in expression '.*' from context\.$", re.S)
POSITION = re.compile(r"at position (\d+)")


def text_of(case):
    if "textParts" in case:
        return "".join(part * times for part, times in case["textParts"])
    return case["text"]


def evaluate(case, context):
    mode = case["mode"]
    if mode == "orquesta":
        return yql.YAQLEvaluator.evaluate(text_of(case), context)
    if mode == "yaql":
        return ENGINE(case["expr"]).evaluate(data=context, context=ROOT_CONTEXT.create_child_context())
    if mode == "render":
        return expr_base.evaluate(case["value"], context)
    raise ValueError("unknown mode %s" % mode)


def describe_error(error):
    message = str(error)
    inner, inner_message = type(error).__name__, message
    match = INNER.match(message)
    if match:
        inner, inner_message = match.group(1), match.group(2)
    elif RESOLVE.match(message):
        inner = "KeyError"
    position = POSITION.search(inner_message)
    described = {"class": type(error).__name__, "inner": inner, "message": message[:500]}
    if position and inner in ("YaqlGrammarException", "YaqlLexicalException"):
        described["position"] = int(position.group(1))
    return described


def main():
    with open(CASES) as fh:
        spec = json.load(fh)
    contexts = spec["contexts"]
    golden = []
    for case in spec["cases"]:
        context = contexts[case.get("context", "empty")]
        entry = {"id": case["id"]}
        try:
            value = evaluate(case, json.loads(json.dumps(context)))
            entry.update(ok=True, type=type(value).__name__, value=json.loads(json.dumps(value)))
        except Exception as error:  # every failure is a result to record
            entry.update(ok=False, error=describe_error(error))
        golden.append(entry)
    with open(GOLDEN, "w") as fh:
        fh.write('{\n "reference": "yaql %s, orquesta 1.2.0, Python %s",\n "results": [\n' % (
            yaql.__version__, sys.version.split()[0]))
        fh.write(",\n".join("  " + json.dumps(entry, ensure_ascii=False, allow_nan=False) for entry in golden))
        fh.write("\n ]\n}\n")
    failed = sum(1 for entry in golden if not entry["ok"])
    print("recorded %d cases (%d fail in the reference) into %s" % (len(golden), failed, os.path.relpath(GOLDEN, ROOT)))


if __name__ == "__main__":
    main()
