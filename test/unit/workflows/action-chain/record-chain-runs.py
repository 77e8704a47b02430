#!/usr/bin/env python3
"""Records what st2's own action-chain runner does with each case of goldens/chain-cases.yaml:
which nodes it requests with which parameters, the chain's status and its result, or the pre-run
error that refuses the definition.

The oracle is st2's real action_chain_runner.py, models/system/actionchain.py, util/jinja.py,
util/schema and constants, laid out from a StackStorm checkout (st2 is not on PyPI) beside
stand-ins for the services that need MongoDB or a message bus: `action_service.request` answers
each node's run with the status and result the case scripts for it, as st2's own unit tests mock it.

From the repository root, with the virtualenv of record-render-values.py plus jsonschema:

    .attune/oracle/bin/pip install jsonschema==4.26.0
    .attune/oracle/bin/python test/unit/workflows/action-chain/record-chain-runs.py --st2 /tmp/st2

Writes goldens/chain-runs-golden.json.
"""

import argparse
import datetime
import importlib.metadata
import importlib.util
import logging
import json
import os
import platform
import shutil
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
CASES = os.path.join(HERE, "goldens", "chain-cases.yaml")
GOLDEN = os.path.join(HERE, "goldens", "chain-runs-golden.json")
MAX_REQUESTS = 60

# st2 files used as they are, beside those record-jinja.py lays out.
REAL_FILES = [
    "st2common/constants/action.py",
    "st2common/constants/keyvalue.py",
    "st2common/constants/pack.py",
    "st2common/models/system/actionchain.py",
    "st2common/util/schema/__init__.py",
    "st2common/util/schema/draft4.json",
    "st2common/util/schema/custom.json",
    "st2common/util/schema/action_params.json",
    "st2common/util/schema/action_output_schema.json",
    "st2common/util/misc.py",
    "st2common/util/deep_copy.py",
]
RUNNER = "contrib/runners/action_chain_runner/action_chain_runner/action_chain_runner.py"

JSONIFY = (
    "import orjson\n\n"
    "def json_encode(obj, indent=None, sort_keys=False):\n"
    "    return orjson.dumps(obj).decode('utf-8')\n\n"
    "def json_decode(data):\n"
    "    return orjson.loads(data)\n\n"
    "def load_file(path):\n"
    "    with open(path) as handle:\n"
    "        return orjson.loads(handle.read())\n"
)


def load_jinja_recorder():
    path = os.path.join(ROOT, "test", "conformance", "record-jinja.py")
    spec = importlib.util.spec_from_file_location("record_jinja", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lay_out(st2_root, into):
    load_jinja_recorder().build_st2_package(st2_root, into)
    for relative in REAL_FILES:
        target = os.path.join(into, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(st2_root, "st2common", relative), target)
    for package in ["st2common/models", "st2common/models/system", "st2common/util/schema"]:
        init = os.path.join(into, package, "__init__.py")
        if not os.path.exists(init):
            open(init, "w").close()
    with open(os.path.join(into, "st2common", "util", "jsonify.py"), "w") as handle:
        handle.write(JSONIFY)
    shutil.copyfile(os.path.join(st2_root, RUNNER), os.path.join(into, "action_chain_runner.py"))


def module(name, **attributes):
    made = types.ModuleType(name)
    made.__dict__.update(attributes)
    sys.modules[name] = made
    return made


class Script(object):
    """The scripted runs of one case: each node's outcomes in order, the last one repeating."""

    def __init__(self, case):
        self.outcomes = case.get("outcomes", {})
        self.kv = case.get("kv", {})
        self.config = case.get("config", {})
        self.counts = {}
        self.requests = []


SCRIPT = [None]


def install_stand_ins():
    class Error(Exception):
        pass

    def errors(name, *names):
        return module(name, **{n: type(n, (Error,), {}) for n in names})

    module("eventlet", sleep=lambda seconds: None)
    import jsonschema.exceptions  # noqa: F401  (the real one, which util/schema needs too)
    conf = types.SimpleNamespace(system_user=types.SimpleNamespace(user="stanley"))
    module("oslo_config", cfg=types.SimpleNamespace(CONF=conf))

    class ActionRunner(object):
        def __init__(self, runner_id):
            self.runner_id = runner_id

        def pre_run(self):
            pass

    module("st2common.runners", __path__=[])
    module("st2common.runners.base", ActionRunner=ActionRunner, get_metadata=lambda name: [{}])
    module("st2common.content", __path__=[])

    class MetaLoader(object):
        def load(self, file_path, expected_type=None):
            import yaml

            with open(file_path) as handle:
                return yaml.safe_load(handle)

    module("st2common.content.loader", MetaLoader=MetaLoader)
    module("st2common.exceptions", __path__=[])
    errors("st2common.exceptions.action", "ParameterRenderingFailedException", "InvalidActionReferencedException", "InvalidActionParameterException")
    errors("st2common.exceptions.actionrunner", "ActionRunnerException", "ActionRunnerPreRunError")
    errors("st2common.exceptions.db", "StackStormDBObjectNotFoundError")
    module("st2common.models.api", __path__=[])
    module(
        "st2common.models.api.notification",
        NotificationSubSchemaAPI={"type": "object", "properties": {"message": {"type": "string"}, "data": {"type": "object"}, "routes": {"type": "array"}, "channels": {"type": "array"}}, "additionalProperties": False},
        NotificationsHelper=types.SimpleNamespace(to_model=lambda notify: notify),
    )

    class LiveActionDB(object):
        def __init__(self, **kw):
            self.__dict__.update(kw)
            self.id = None
            self.status = None
            self.result = None

    module("st2common.models.db", __path__=[])
    module("st2common.models.db.liveaction", LiveActionDB=LiveActionDB)
    module("st2common.models.utils", __path__=[])
    module("st2common.models.utils.action_param_utils", cast_params=lambda action_ref, params: params or {})
    module("st2common.persistence", __path__=[])
    module("st2common.persistence.execution", ActionExecution=types.SimpleNamespace(get=lambda **kw: types.SimpleNamespace(id="ex-" + str(kw.get("liveaction__id")))))
    module("st2common.persistence.liveaction", LiveAction=types.SimpleNamespace(get=lambda **kw: None))

    def request(liveaction):
        script = SCRIPT[0]
        name = liveaction.context["chain"]["name"]
        count = script.counts.get(name, 0)
        script.counts[name] = count + 1
        queue = script.outcomes.get(name, [])
        outcome = queue[min(count, len(queue) - 1)] if queue else {"status": "succeeded", "result": {}}
        script.requests.append({"node": name, "ref": liveaction.action, "parameters": liveaction.parameters})
        if len(script.requests) > MAX_REQUESTS:
            raise RuntimeError("more than %d requests" % MAX_REQUESTS)
        liveaction.id = "la-%d" % len(script.requests)
        liveaction.status = {"expired": "timeout"}.get(outcome["status"], outcome["status"])
        liveaction.result = outcome.get("result")
        return liveaction, None

    module(
        "st2common.services.action",
        request=request,
        is_action_canceled_or_canceling=lambda liveaction_id: False,
        is_action_paused_or_pausing=lambda liveaction_id: False,
    )

    class KeyValueLookup(object):
        def __init__(self, scope=None, user=None):
            self._scope = scope

        def __getattr__(self, name):
            if name.startswith("_"):
                raise AttributeError(name)
            return SCRIPT[0].kv.get(name, "")

    module("st2common.services", __path__=[])
    module("st2common.services.keyvalues", KeyValueLookup=KeyValueLookup, UserKeyValueLookup=KeyValueLookup)
    module("st2common.util.action_db", get_action_by_ref=lambda ref: types.SimpleNamespace(ref=ref), get_liveaction_by_id=lambda liveaction_id: None)
    module("st2common.util.isotime", format=lambda dt=None: "T", parse=lambda text: datetime.datetime.now(datetime.timezone.utc))
    module("st2common.util.date", get_datetime_utc_now=lambda: datetime.datetime.now(datetime.timezone.utc))
    module("st2common.util.param")
    module("st2common.util.config_loader", get_config=lambda pack, user: SCRIPT[0].config)


def run_case(case, runner_module, scratch):
    SCRIPT[0] = Script(case)
    path = os.path.join(scratch, "chain.yaml")
    with open(path, "w") as handle:
        handle.write(case["chain"])
    runner = runner_module.get_runner()
    runner.entry_point = path
    runner.action = types.SimpleNamespace(name="chain", pack="tests")
    runner.action_name = "chain"
    runner.execution_id = "ex-chain"
    runner.liveaction_id = "la-chain"
    runner.context = {"user": "stanley", "pack": "tests"}
    runner.liveaction = types.SimpleNamespace(id="la-chain", context={"user": "stanley", "pack": "tests"}, notify=None, result=None)
    runner.runner_parameters = case.get("runnerParameters", {})
    answer = {"name": case["name"]}
    try:
        runner.pre_run()
    except Exception as error:
        answer["preRunError"] = str(error)
        return answer
    try:
        status, result, _ = runner.run(json.loads(json.dumps(case.get("parameters", {}))))
    except Exception as error:
        answer["raised"] = {"type": type(error).__name__, "message": str(error)}
    else:
        answer["status"] = status
        result = dict(result)
        result.pop("traceback", None)
        for task in result.get("tasks", []):
            for key in ("execution_id", "liveaction_id", "created_at", "updated_at"):
                task.pop(key, None)
        answer["result"] = result
    answer["requests"] = SCRIPT[0].requests
    return answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--st2", required=True, help="a StackStorm source checkout (holds st2common/ and contrib/)")
    args = parser.parse_args()

    # The runner logs every failure it handles with a traceback: the answers are what matter here.
    logging.disable(logging.CRITICAL)
    scratch = tempfile.mkdtemp(prefix="attune-st2-chain-")
    try:
        lay_out(os.path.abspath(args.st2), scratch)
        sys.path.insert(0, scratch)
        install_stand_ins()
        import jinja2
        import action_chain_runner

        import yaml

        with open(CASES) as handle:
            cases = yaml.safe_load(handle)["cases"]
        results = [run_case(case, action_chain_runner, scratch) for case in cases]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    golden = {
        "recordedWith": {"python": platform.python_version(), "jinja2": jinja2.__version__, "jsonschema": importlib.metadata.version("jsonschema")},
        "results": results,
    }
    with open(GOLDEN, "w") as handle:
        json.dump(golden, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print("recorded %d cases into %s" % (len(results), os.path.relpath(GOLDEN, ROOT)))


if __name__ == "__main__":
    main()
