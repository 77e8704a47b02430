"""StackStorm's ``st2common``, as much of it as Python actions use, for every pack environment.

Packs written for StackStorm import ``from st2common.runners.base_action import Action`` and a few
helpers (``st2common.util.isotime``, ``st2common.util.shell``, ``st2common.util.jsonify``, the
constants). This package gives them the same names with StackStorm's behaviour, without st2's
database, message bus or configuration. It lives beside the ``attune`` package and is put on
``sys.path`` by the wrapper that runs the action: it is never a pack dependency and never installed.

Modules of StackStorm's server side (``st2common.persistence``, ``st2common.models``, pack
management) are absent on purpose: importing them raises ``ModuleNotFoundError`` naming them.
"""

__version__ = "3.9.0"
