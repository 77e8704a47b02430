"""``st2common.util.jsonify``: JSON as StackStorm encodes and decodes it.

``json_encode`` matches StackStorm's (orjson) output: compact, non-ASCII characters as is, bytes as
UTF-8 text, objects with ``__json__()`` by what it returns, anything else a ``TypeError``.
"""

import json

__all__ = ["json_encode", "json_decode", "json_loads", "try_loads", "get_json_type_for_python_value"]


def _default(obj):
    if hasattr(obj, "__json__") and callable(obj.__json__):
        return obj.__json__()
    if isinstance(obj, bytes):
        return obj.decode("utf-8")
    raise TypeError("Type is not JSON serializable: %s" % type(obj).__name__)


def json_encode(obj, indent=None, sort_keys=False):
    """``obj`` as JSON text: compact, or indented by 2 when ``indent`` is truthy."""
    if indent:
        return json.dumps(obj, default=_default, indent=2, sort_keys=sort_keys, ensure_ascii=False)
    return json.dumps(obj, default=_default, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=False)


def json_decode(data):
    """The value of JSON text (str or bytes)."""
    return json.loads(data)


def load_file(path):
    """The value of the JSON file at ``path``."""
    with open(path, "r") as fd:
        return json.load(fd)


def json_loads(obj, keys=None):
    """Decodes, in place, each value of ``obj`` (only ``keys`` if given) that is JSON text; other
    values stay as they are. None for an empty ``obj``."""
    if not obj:
        return None
    for key in keys or list(obj.keys()):
        try:
            obj[key] = json_decode(obj[key])
        except Exception:  # noqa: BLE001 - a value that is not JSON text is left alone
            pass
    return obj


def try_loads(s):
    """The value of ``s`` if it is JSON text, else ``s`` itself."""
    try:
        return json_decode(s) if s and isinstance(s, str) else s
    except Exception:  # noqa: BLE001
        return s


def get_json_type_for_python_value(value):
    """The JSON schema type name of a Python value: string, number, object, array, boolean,
    null, or unknown. Like StackStorm, a bool is a number (bool is an int)."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    if value is None:
        return "null"
    return "unknown"
