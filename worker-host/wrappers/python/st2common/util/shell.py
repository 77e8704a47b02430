"""``st2common.util.shell``: running commands and quoting arguments, as StackStorm's helpers do."""

import os
import shlex
import subprocess

__all__ = ["run_command", "kill_process", "quote_unix", "quote_windows"]


def run_command(cmd, stdin=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE, shell=False, cwd=None, env=None, close_fds=None):
    """Runs ``cmd`` (a list, tuple or string) to completion; returns ``(exit_code, stdout,
    stderr)`` with the output decoded as text. Without ``env`` the action's own environment is
    passed on."""
    if not isinstance(cmd, (list, tuple, str)):
        raise TypeError("Command must be a type of list, tuple, or string, not '%s'." % type(cmd))
    kwargs = {} if close_fds is None else {"close_fds": close_fds}
    process = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=stderr, env=env or os.environ.copy(), cwd=cwd, shell=shell, **kwargs)
    out, err = process.communicate()
    return (process.returncode, _text(out), _text(err))


def kill_process(process):
    """Sends SIGTERM to the session of ``process`` (a ``subprocess.Popen``); returns pkill's status."""
    try:
        return subprocess.call(["pkill", "-TERM", "-s", str(process.pid)], timeout=100)
    except Exception:  # noqa: BLE001 - best effort, as in StackStorm
        return None


def quote_unix(value):
    """``value`` quoted as one token of a POSIX shell command line."""
    return shlex.quote(value)


def quote_windows(value):
    """``value`` quoted as one token of a Windows command line (MS C runtime rules)."""
    return subprocess.list2cmdline([value])


def _text(data):
    # None when the stream was not piped; StackStorm's decode() would fail there, text is kinder.
    if data is None:
        return ""
    return data.decode() if isinstance(data, bytes) else data
