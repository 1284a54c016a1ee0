"""Containment (adapters/PROTOCOL.md, "Containment"): nothing a loop starts outlives its
scenario, and no scenario's process state leaks into the next.

The driver makes itself a child subreaper, so that a process the loop double-forks (into a
session of its own or not) is reparented to the driver instead of init: every descendant is
then in the driver's process tree, where the leak check finds it and the kill reaches it.
Only the standard library: this runs on every interpreter the driver supports.
"""

import asyncio
import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
#: How long a leaked process gets to end after SIGTERM before SIGKILL.
TERM_GRACE_S = 0.3
#: How long SIGKILLed processes get to be gone before the driver calls itself dirty.
KILL_WAIT_S = 2.0
#: How long a leaked process caught between fork and exec gets to show the program it runs.
EXEC_WAIT_S = 0.2


def become_subreaper():
    """PR_SET_CHILD_SUBREAPER on Linux (unprivileged); False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):
        return False


# --------------------------------------------------------------------------
# The process tree, read from /proc.

def children_of(pid):
    pids = set()
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return pids
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                pids.update(int(p) for p in f.read().split())
        except (OSError, ValueError):
            pass
    return pids


def descendants(pid=None):
    """Every live or unreaped process below `pid` (default: this one)."""
    found = set()
    todo = [os.getpid() if pid is None else pid]
    while todo:
        for child in children_of(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _stat(pid):
    """(state letter, command name) of a process, None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2:].split()[0], stat[stat.index("(") + 1:stat.rindex(")")]
    except (OSError, ValueError, IndexError):
        return None


def is_zombie(pid):
    stat = _stat(pid)
    return stat is not None and stat[0] == "Z"


def _raw_command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return b""


def command_line(pid):
    words = _raw_command_line(pid).split(b"\0")
    text = " ".join(w.decode("utf-8", "backslashreplace") for w in words if w)
    if not text:
        stat = _stat(pid)
        text = "[%s]" % stat[1] if stat else "?"
    return text if len(text) <= 200 else text[:200] + "..."


def _between_fork_and_exec(pid):
    """Still a copy of this process (its command line), or in the middle of exec (none)."""
    stat = _stat(pid)
    if stat is None or stat[0] == "Z":
        return False
    words = _raw_command_line(pid)
    return not words or words == _raw_command_line(os.getpid())


def _wait_for_exec(pid):
    """A process the loop forks to run a program may be caught before its exec: it is named
    by the program it runs once it runs it (within EXEC_WAIT_S), not as a copy of the driver."""
    deadline = time.monotonic() + EXEC_WAIT_S
    while _between_fork_and_exec(pid) and time.monotonic() < deadline:
        time.sleep(0.005)


def describe(pid):
    _wait_for_exec(pid)
    if is_zombie(pid):
        return "process %d (%s) exited but nobody waited for it" % (pid, command_line(pid))
    return "process %d (%s) still running" % (pid, command_line(pid))


def _signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def _reap_children():
    """Waits for what has ended among this process's children (never blocking).  Orphans
    reparented here have no one else to do it; a direct child of a loop's that is still
    running is left alone."""
    for pid in children_of(os.getpid()):
        if is_zombie(pid):
            try:
                os.waitpid(pid, os.WNOHANG)
            except OSError:
                pass


def _alive(pids):
    return set(p for p in pids if _stat(p) is not None and not is_zombie(p))


def _wait_gone(pids, seconds, keep=frozenset()):
    """Reaps until none of `pids` (or their descendants) is alive, or time is up; what is left."""
    deadline = time.monotonic() + seconds
    while True:
        _reap_children()
        left = _alive(pids | (descendants() - keep))
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.01)


def end_processes(pids, keep=frozenset()):
    """SIGTERM, a short grace, then SIGKILL, for `pids` and whatever they started meanwhile
    (`keep`: the descendants that were there before and stay); True if all are gone."""
    pids = set(pids)
    _signal_all(pids, signal.SIGTERM)
    left = _wait_gone(pids, TERM_GRACE_S, keep)
    while left:
        _signal_all(left, signal.SIGKILL)
        again = _wait_gone(left, KILL_WAIT_S, keep)
        if again == left:
            return False
        left = again
    _reap_children()
    return True


def end_all_descendants():
    """At the driver's exit: every process below it goes with it."""
    return end_processes(descendants())


# --------------------------------------------------------------------------
# Process state: what one scenario could change for the next.

def _status_fields():
    fields = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                fields[name] = value.strip()
    except OSError:
        pass
    return fields


def _signal_name(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return "signal %d" % n


def _mask_signals(hex_mask):
    """The signals of a /proc mask, leaving out those the C library keeps for itself
    (glibc's SIGCANCEL and SIGSETXID below SIGRTMIN, set up when the first thread starts)."""
    try:
        mask = int(hex_mask, 16)
    except (TypeError, ValueError):
        return set()
    return set(n for n in _valid_signals() if mask & (1 << (n - 1)))


def _valid_signals():
    """The signal numbers, the same for the whole process: read once (signal.valid_signals()
    makes an enum member of each, some 250 a snapshot, most of a new loop's time)."""
    global _VALID_SIGNALS
    if _VALID_SIGNALS is None:
        _VALID_SIGNALS = _read_valid_signals()
    return _VALID_SIGNALS


_VALID_SIGNALS = None


def _read_valid_signals():
    valid = getattr(signal, "valid_signals", None)
    if valid is not None:
        return sorted(int(s) for s in valid())
    # Python 3.7: every number but those between 31 and SIGRTMIN (the C library's own).
    rtmin = int(getattr(signal, "SIGRTMIN", 34))
    return [n for n in range(1, signal.NSIG) if n < 32 or n >= rtmin]


def _python_handlers():
    handlers = {}
    for n in _valid_signals():
        try:
            handlers[n] = signal.getsignal(n)
        except (ValueError, OSError):
            pass
    return handlers


def _handler_text(handler):
    if handler is signal.SIG_DFL:
        return "SIG_DFL"
    if handler is signal.SIG_IGN:
        return "SIG_IGN"
    if handler is None:
        return "a handler not installed from Python"
    return getattr(handler, "__qualname__", None) or repr(handler)


def _asyncio_modules():
    return dict((name, module) for name, module in sys.modules.items()
                if name == "asyncio" or name.startswith("asyncio."))


def _asyncio_directory():
    return os.path.dirname(os.path.abspath(asyncio.__file__))


def _current_loop(policy):
    """The loop the policy holds for this thread, without making one (private, read only)."""
    local = getattr(policy, "_local", None)
    return getattr(local, "_loop", None)


def _running_loop():
    getter = getattr(asyncio, "_get_running_loop", None)
    return getter() if getter is not None else None


class ProcessState:
    """The state a scenario must leave as it found it: directory, umask, environment, signal
    dispositions and mask, and the asyncio state of the process."""

    def __init__(self):
        status = _status_fields()
        self.cwd = _cwd()
        self.umask = status.get("Umask")
        self.environ = dict(os.environ)
        self.ignored = _mask_signals(status.get("SigIgn"))
        self.caught = _mask_signals(status.get("SigCgt"))
        self.blocked = _mask_signals(status.get("SigBlk"))
        self.handlers = _python_handlers()
        self.policy = asyncio.get_event_loop_policy()
        self.modules = _asyncio_modules()
        self.current_loop = _current_loop(self.policy)
        self.running_loop = _running_loop()

    def changes(self, policy_was_set):
        """What differs now, in words.  `policy_was_set`: the scenario itself asked for
        set_event_loop_policy (the driver restores that one; any other change is a leak)."""
        now = ProcessState()
        changes = []
        if now.cwd != self.cwd:
            changes.append("the working directory changed from %s to %s" % (self.cwd, now.cwd))
        if now.umask != self.umask:
            changes.append("the umask changed from %s to %s" % (self.umask, now.umask))
        changes.extend(_environment_changes(self.environ, now.environ))
        changes.extend(self._signal_changes(now))
        if now.policy is not self.policy and not policy_was_set:
            changes.append("the event loop policy was replaced: a %s instead of the %s"
                           % (type(now.policy).__name__, type(self.policy).__name__))
        changes.extend(_module_changes(self.modules, now.modules))
        if now.current_loop is not self.current_loop:
            changes.append("the thread's current event loop is still set: %r" % (now.current_loop,))
        if now.running_loop is not self.running_loop:
            changes.append("a running loop is still set for the thread: %r" % (now.running_loop,))
        return changes

    def _signal_changes(self, now):
        changes = []
        for what, before, after in (("ignored", self.ignored, now.ignored),
                                    ("caught", self.caught, now.caught),
                                    ("blocked", self.blocked, now.blocked)):
            for n in sorted(after - before):
                changes.append("%s is now %s" % (_signal_name(n), what))
            for n in sorted(before - after):
                changes.append("%s is no longer %s" % (_signal_name(n), what))
        for n, handler in sorted(now.handlers.items()):
            if n in self.handlers and self.handlers[n] is not handler:
                changes.append("the Python handler of %s changed from %s to %s"
                               % (_signal_name(n), _handler_text(self.handlers[n]),
                                  _handler_text(handler)))
        return changes


def _cwd():
    try:
        return os.getcwd()
    except OSError as exc:  # removed under us
        return "(unreadable: %s)" % exc.__class__.__name__


def _environment_changes(before, after):
    changes = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            changes.append("the environment variable %s was removed" % name)
        elif name not in before:
            changes.append("the environment variable %s was set" % name)
        elif before[name] != after[name]:
            changes.append("the environment variable %s changed" % name)
    return changes


def _module_changes(before, after):
    changes = []
    home = _asyncio_directory()
    for name, module in sorted(before.items()):
        if after.get(name) is not module:
            changes.append("sys.modules[%r] was %s" % (name, "removed" if name not in after else "replaced"))
    for name, module in sorted(after.items()):
        if name in before:
            continue
        where = getattr(module, "__file__", None)
        if where is None or not os.path.abspath(where).startswith(home + os.sep):
            changes.append("sys.modules[%r] was added from outside asyncio (%s)" % (name, where))
    return changes
