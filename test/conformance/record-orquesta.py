"""Records orquesta 1.2.0's conducting of every workflow fixture as golden JSON.

For each test/fixtures/workflows/<name>.yaml with a <name>.script.json beside it, drives
orquesta.conducting.WorkflowConductor with the scripted action results and writes
<name>.golden.json: the tasks scheduled (name, route, action, rendered input, item, delay) with
the context each saw, the workflow's final status, output, terminal context and errors.

Script: {"input": {...}, "results": {"task": [{"status": "succeeded", "result": ...}, ...]}}.
A task's entries are used in turn, one per action run (each item of a with-items task is one
run); the last entry repeats once the list runs out, and a task without entries succeeds with
a null result. Each round, every action that get_next_tasks returns is first marked running,
then each ends in the order scheduled.

Run with the reference venv (see record.sh): .attune/yaql-ref/bin/python test/conformance/record-orquesta.py
"""

import collections.abc  # noqa: F401  (yaql 1.1.3 needs it imported first on Python 3.9)
import fractions
import glob
import math
import json
import os
import sys

# networkx 1.11, which orquesta 1.2.0 pins, imports fractions.gcd, gone since Python 3.9.
fractions.gcd = math.gcd

from orquesta import conducting, events, statuses  # noqa: E402
from orquesta.specs import native as native_specs  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "workflows")
MAX_ROUNDS = 200


def visible(ctx):
    return {k: v for k, v in ctx.items() if not k.startswith("__")}


def next_result(script, cursor, task_id):
    entries = script.get("results", {}).get(task_id) or [{"status": "succeeded", "result": None}]
    index = cursor.get(task_id, 0)
    cursor[task_id] = index + 1
    entry = entries[min(index, len(entries) - 1)]
    return entry.get("status", "succeeded"), entry.get("result")


def conduct(spec, script):
    conductor = conducting.WorkflowConductor(spec, inputs=script.get("input", {}))
    conductor.request_workflow_status(statuses.RUNNING)
    scheduled = []
    cursor = {}
    accumulated = {}
    for _ in range(MAX_ROUNDS):
        tasks = conductor.get_next_tasks()
        if not tasks:
            break
        runs = []
        for task in tasks:
            for action in task["actions"]:
                item = action.get("item_id")
                scheduled.append({
                    "task": task["id"],
                    "route": task["route"],
                    "action": action["action"],
                    "input": action["input"],
                    "item": item,
                    "delay": task.get("delay"),
                    "ctx": visible(task["ctx"]),
                })
                runs.append((task, item))
                if item == 0:
                    accumulated[(task["id"], task["route"])] = [None] * task["items_count"]
            if not task["actions"] and task.get("items_count") == 0:
                # An empty with-items task completes at once with an empty result.
                scheduled.append({"task": task["id"], "route": task["route"], "action": None,
                                  "input": None, "item": None, "delay": task.get("delay"),
                                  "ctx": visible(task["ctx"])})
                runs.append((task, "empty"))
        for task, item in runs:
            if item is None or item == "empty":
                event = events.ActionExecutionEvent(statuses.RUNNING)
            else:
                event = events.TaskItemActionExecutionEvent(item, statuses.RUNNING)
            conductor.update_task_state(task["id"], task["route"], event)
        for task, item in runs:
            if item == "empty":
                conductor.update_task_state(task["id"], task["route"],
                                            events.ActionExecutionEvent(statuses.SUCCEEDED, result=[]))
                continue
            status, result = next_result(script, cursor, task["id"])
            if item is None:
                event = events.ActionExecutionEvent(status, result=result)
            else:
                acc = accumulated[(task["id"], task["route"])]
                acc[item] = result
                event = events.TaskItemActionExecutionEvent(item, status, result=result,
                                                            accumulated_result=list(acc))
            conductor.update_task_state(task["id"], task["route"], event)
    conductor.render_workflow_output()
    status = conductor.get_workflow_status()
    terminal = None
    if status in statuses.COMPLETED_STATUSES:
        terminal = visible(conductor.get_workflow_terminal_context())
    return {
        "status": status,
        "scheduled": scheduled,
        "output": conductor.get_workflow_output(),
        "context": terminal,
        "errors": conductor.errors,
    }


def record(name):
    with open(os.path.join(ROOT, name + ".yaml")) as f:
        text = f.read()
    with open(os.path.join(ROOT, name + ".script.json")) as f:
        script = json.load(f)
    spec = native_specs.WorkflowSpec(text)
    inspection = spec.inspect(app_ctx=script.get("input", {}))
    if inspection:
        golden = {"status": "invalid", "inspection": {
            category: [{"spec_path": e.get("spec_path"), "schema_path": e.get("schema_path"),
                        "message": e.get("message"), "expression": e.get("expression")}
                       for e in entries]
            for category, entries in sorted(inspection.items())}}
    else:
        golden = conduct(spec, script)
    with open(os.path.join(ROOT, name + ".golden.json"), "w") as f:
        json.dump(golden, f, indent=2, sort_keys=True)
        f.write("\n")
    return golden["status"]


def main():
    names = sorted(os.path.basename(p)[: -len(".script.json")]
                   for p in glob.glob(os.path.join(ROOT, "*.script.json")))
    for name in names:
        print("%-32s %s" % (name, record(name)))
    print("%d workflow goldens recorded" % len(names), file=sys.stderr)


if __name__ == "__main__":
    main()
