"""Runs one action command so that nothing it starts outlives it.

Usage: python3 -I -S attune_reaper.py -- <command> [args...]

The launcher makes itself a child subreaper (Linux prctl PR_SET_CHILD_SUBREAPER): every process
the action starts and abandons (a double fork, a `setsid` loop) is reparented to the launcher
instead of to init, so it stays findable. Once the action's own process has exited, every
remaining descendant is killed (SIGKILL) and reaped, and the launcher exits as the action did
(same code, or the same signal). Standard library only; it runs under the system's python3.

stdin, stdout, stderr and fd 3 (the result channel) pass through to the action untouched; the
launcher itself writes nothing, except one line on stderr if the command cannot start.
"""

import ctypes
import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
# However fast the action forks, killing its processes converges; this bounds a pathological case.
CLEANUP_SECONDS = 10.0


class WorkerGone(Exception):
    """The worker that started this run died: end the run now."""


def prctl(option, value):
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(option, value, 0, 0, 0) == 0


def descendants(root):
    """Pids of the live descendants of `root`, from /proc (zombies are reaped, not killed)."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, the last ')' ends it.
        fields = stat[stat.rfind(")") + 2:].split(" ")
        if len(fields) < 2 or fields[0] in ("Z", "X"):
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            found.append(pid)
            todo.append(pid)
    return found


def reap():
    """Collects every child that has exited, without waiting."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_descendants():
    """SIGKILLs every descendant until none is left, reaping them as they die."""
    me = os.getpid()
    deadline = time.monotonic() + CLEANUP_SECONDS
    while True:
        live = descendants(me)
        for pid in live:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap()
        if not live or time.monotonic() > deadline:
            return
        time.sleep(0.005)


def spawn(command):
    """Starts the action with the launcher's fds (fd 3, the result channel, included) and the
    default disposition of SIGPIPE and SIGXFSZ, which Python ignores; returns its pid."""
    defaults = (signal.SIGPIPE, signal.SIGXFSZ)
    if hasattr(os, "posix_spawnp"):
        return os.posix_spawnp(command[0], command, os.environ, setsigdef=defaults)
    # Python before 3.8: subprocess (slower to import) does the same.
    import subprocess
    return subprocess.Popen(command, close_fds=False, restore_signals=True).pid


def exit_as(status):
    """Ends the launcher the way the action ended: its exit code, or death by its signal."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            # The launcher's own handler (SIGTERM) or Python's default (SIGINT, SIGPIPE) would
            # get in the way of dying by it.
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def main(argv):
    if len(argv) < 2 or argv[0] != "--":
        sys.stderr.write("usage: attune_reaper.py -- <command> [args...]\n")
        return 2
    command = argv[1:]
    try:
        subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1)
    except (OSError, AttributeError):
        subreaper = False
    if not subreaper:
        # No subreaper here (not Linux): run the action in place; the runner's process-group
        # kill is then all there is.
        os.execvp(command[0], command)

    def worker_gone(_sig, _frame):
        # The worker's threads may die one by one, each death sending the signal again: once is
        # enough, and a second must not interrupt the cleanup.
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        raise WorkerGone()

    # If the worker dies, its runs end too, with everything they started.
    signal.signal(signal.SIGUSR1, worker_gone)
    prctl(PR_SET_PDEATHSIG, signal.SIGUSR1)
    # The runner's SIGTERM (timeout, cancel) reaches the whole group: the action gets it itself,
    # the launcher waits for the action to exit. A handler, not SIG_IGN, so the action does not
    # inherit the ignoring.
    signal.signal(signal.SIGTERM, lambda _sig, _frame: None)

    status = None
    try:
        try:
            child = spawn(command)
        except OSError as error:
            sys.stderr.write("cannot start %s: %s\n" % (command[0], error.strerror))
            return 127
        while status is None:
            try:
                pid, st = os.wait()
            except ChildProcessError:
                break
            # Orphans reparented to the launcher are reaped as they exit; the action's own exit ends the run.
            if pid == child:
                status = st
    except WorkerGone:
        status = None
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    end_descendants()
    if status is None:
        os._exit(137)
    exit_as(status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
