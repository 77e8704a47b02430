"""The import path of a Python action, laid out as StackStorm lays out its sandbox.

StackStorm's python runner gives the action, in this order: the pack's virtualenv, the pack's
``actions/lib``, StackStorm's own site-packages (six, PyYAML, requests, python-dateutil, pytz… which
every pack thus imports without declaring them), then the standard library, and finally the entry
file's directory (appended when the file is loaded). Here:

- the pack's venv site-packages come from the interpreter (the venv's python runs the wrapper);
- the *st2 base* (a shared site directory of those packages, pinned) is appended after them by a
  ``.pth`` file the worker writes into every pack venv, so the pack's own pins win;
- ``actions/lib`` goes right after the venv's site-packages, before the st2 base.
"""

import os
import site
import sys

__all__ = ["find_pack_dir", "add_actions_lib"]


def find_pack_dir(entry_path):
    """The pack directory holding ``entry_path``: the nearest ancestor with a ``pack.yaml``, else
    the parent of the ``actions`` directory the entry is in (a run by hand on a loose file)."""
    directory = os.path.dirname(os.path.abspath(entry_path))
    while True:
        if os.path.isfile(os.path.join(directory, "pack.yaml")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    directory = os.path.dirname(os.path.abspath(entry_path))
    while os.path.basename(directory) != "actions" and os.path.dirname(directory) != directory:
        directory = os.path.dirname(directory)
    return os.path.dirname(directory) if os.path.basename(directory) == "actions" else os.path.dirname(os.path.abspath(entry_path))


def add_actions_lib(pack_dir):
    """Puts ``<pack>/actions/lib`` on ``sys.path`` after the venv's site-packages (first, when the
    interpreter is not a venv's, so a run by hand imports the pack's lib as StackStorm would)."""
    lib = os.path.join(pack_dir, "actions", "lib")
    if lib in sys.path:
        return
    venv_sites = [p for p in _venv_site_packages() if p in sys.path]
    if venv_sites:
        sys.path.insert(max(sys.path.index(p) for p in venv_sites) + 1, lib)
    else:
        sys.path.insert(1, lib)


def _venv_site_packages():
    if sys.prefix == getattr(sys, "base_prefix", sys.prefix):
        return []
    try:
        return site.getsitepackages()
    except AttributeError:  # old virtualenv's site.py
        return []
