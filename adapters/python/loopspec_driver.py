#!/usr/bin/env python3
"""loopspec driver for Python asyncio event loops.

Hosts one event-loop implementation and performs, on request, the operations of
the loopspec driver protocol (adapters/PROTOCOL.md): JSON lines, requests on
stdin, the handshake and the responses on stdout.

    python3 loopspec_driver.py [--loop module:factory] [--warm-up]

The factory defaults to ``asyncio:new_event_loop``; any callable attribute path
works (``uvloop:new_event_loop``, ``gbulb:GLibEventLoop``, ``pkg.mod:make``).
--warm-up runs one throwaway loop before the handshake (see warm_up()).

Standard library only; runs unchanged on CPython 3.6 .. 3.13 and PyPy3, so the
syntax stays at what 3.6 accepts.
"""

import io
import os
import sys

MAX_LINE = 16 * 1024 * 1024   # the protocol's line limit, both directions
MAX_EVENTS = 40000            # the log keeps this many first and this many last
                              # events, and counts the ones between (an answer
                              # must stay under the line limit)
CLOSE_WAIT = 2.0              # loop seconds to wait for connection_lost
JOIN_WAIT = 1.0               # seconds end_scenario waits for threads
DEFAULT_LOOP = "asyncio:new_event_loop"


# --------------------------------------------------------------------------
# Standard streams.  This runs before anything else is imported: loop code
# prints (even text that looks like a protocol message) and C code writes to
# fd 1, so the protocol moves to private descriptors and fd 1 becomes fd 2.
# Requests get a private descriptor too, and fd 0 becomes /dev/null, so that
# a child process the loop starts cannot eat the kit's requests.

def _take_stdio():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    proto_fd = os.dup(1)
    request_fd = os.dup(0)
    os.set_inheritable(proto_fd, False)
    os.set_inheritable(request_fd, False)
    os.dup2(2, 1)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    if null_fd != 0:
        os.dup2(null_fd, 0)
        os.close(null_fd)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False),
                                  encoding="utf-8", errors="backslashreplace",
                                  line_buffering=True)
    return proto_fd, request_fd


PROTO_FD, REQUEST_FD = _take_stdio()

# Only now is it safe to import modules that might run loop code.
import asyncio          # noqa: E402
import base64           # noqa: E402
import collections      # noqa: E402
import gc               # noqa: E402
import importlib        # noqa: E402
import inspect          # noqa: E402
import json             # noqa: E402
import logging          # noqa: E402
import math             # noqa: E402
import platform         # noqa: E402
import socket           # noqa: E402
import threading        # noqa: E402
import time             # noqa: E402

from loopspec_api import Api, Calls, ProtocolError, exception_class, load_api, type_info  # noqa: E402
import loopspec_bench   # noqa: E402
import loopspec_containment as containment  # noqa: E402


def note(message):
    """A diagnostic for the humans: stderr is attached to failing scenarios."""
    try:
        sys.stderr.write("loopspec-driver: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass


def hard_exit(status):
    """Exit without running atexit hooks or joining threads: a loop under test
    may have left a non-daemon thread or a finalizer that never returns.
    Every process below the driver goes first: it is a subreaper, so that is
    everything the loops started, in whatever session."""
    try:
        containment.end_all_descendants()
    except Exception as exc:
        note("ending the processes below the driver: %s" % exc)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(status)


# --------------------------------------------------------------------------
# The channel: JSON lines in, JSON lines out.

class Channel:
    TOO_LONG = object()

    def __init__(self, out_fd, in_fd):
        self._out = out_fd
        self._in = io.open(in_fd, "rb", buffering=1 << 16)
        self._lock = threading.Lock()

    def read_line(self):
        """Next request line (bytes), TOO_LONG, or None at end of input."""
        line = self._in.readline(MAX_LINE + 1)
        if not line:
            return None
        if len(line) > MAX_LINE:
            # Skip the rest of the monster so the next line starts clean.
            while not line.endswith(b"\n"):
                line = self._in.readline(1 << 20)
                if not line:
                    break
            return Channel.TOO_LONG
        return line

    def send(self, message):
        data = encode(message)
        if len(data) > MAX_LINE and "id" in message:
            data = encode({"id": message["id"], "ok": False, "error": protocol_error(
                "the answer would be %d bytes, over the 16 MiB line limit" % len(data))})
        with self._lock:
            view = memoryview(data)
            while view:
                written = os.write(self._out, view)
                view = view[written:]


def encode(message):
    try:
        text = json.dumps(message, default=repr, allow_nan=False)
    except ValueError:
        # JSON has no NaN or infinity: say them as strings rather than fail.
        text = json.dumps(finite(message), default=repr, allow_nan=False)
    return (text + "\n").encode("utf-8")


def finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


# --------------------------------------------------------------------------
# Errors.  Exceptions the loop raises cross the protocol as ERROR objects; a
# request the driver cannot make sense of is answered with a ProtocolError.

def protocol_error(message):
    return {"type": "ProtocolError", "bases": [], "module": "loopspec",
            "message": message, "errno": None}


def describe_error(exc):
    if exc is None:
        return None
    if isinstance(exc, ProtocolError):
        return protocol_error(safe_str(exc))
    cls = type(exc)
    errno = getattr(exc, "errno", None)
    if not isinstance(errno, int) or isinstance(errno, bool):
        errno = None
    return {"type": cls.__name__,
            "bases": [c.__name__ for c in cls.__mro__[1:]],
            "module": cls.__module__,
            "message": safe_str(exc),
            "errno": errno}


def safe_str(obj):
    try:
        return str(obj)
    except Exception:
        return "<%s, unprintable>" % type(obj).__name__


# --------------------------------------------------------------------------
# Argument checking.  Everything that is wrong with a request becomes a
# ProtocolError before the loop is touched.

SCALARS = (type(None), bool, int, float, str)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def arg(args, key, check, what, default=None, required=True):
    if key not in args:
        if required:
            raise ProtocolError("missing argument %r (%s)" % (key, what))
        return default
    value = args[key]
    if not check(value):
        raise ProtocolError("argument %r must be %s, got %r" % (key, what, value))
    return value


def is_str(value):
    return isinstance(value, str)


def is_bool(value):
    return isinstance(value, bool)


def is_dict(value):
    return isinstance(value, dict)


class Spec:
    """A callback spec: a name, positional args, actions to do when called."""

    def __init__(self, name, args, actions):
        self.name = name
        self.args = args
        self.actions = actions


class ScheduleArgs:
    """What one `schedule` (operation, action or thread) asks for."""

    METHODS = ("call_soon", "call_soon_threadsafe", "call_later", "call_at")

    def __init__(self, method, spec, number, delay, when, when_offset):
        self.method = method
        self.spec = spec
        self.number = number
        self.delay = delay
        self.when = when
        self.when_offset = when_offset


def parse_spec(obj):
    if not isinstance(obj, dict):
        raise ProtocolError("a callback spec must be an object, got %r" % (obj,))
    name = arg(obj, "name", is_str, "a string")
    args = arg(obj, "args", lambda v: isinstance(v, list)
               and all(isinstance(x, SCALARS) for x in v),
               "a list of JSON scalars", default=[], required=False)
    actions = arg(obj, "actions", lambda v: isinstance(v, list), "a list",
                  default=[], required=False)
    return Spec(name, list(args), [parse_action(a) for a in actions])


def parse_action(obj):
    if not isinstance(obj, dict):
        raise ProtocolError("an action must be an object, got %r" % (obj,))
    do = obj.get("do")
    if do == "stop":
        return ("stop", None)
    if do == "call":
        # a documented method, as the call op takes it; its result is logged
        return ("call", {k: v for k, v in obj.items() if k != "do"})
    if do == "return":
        return ("return", obj.get("value"))
    if do == "raise":
        exception_class(obj.get("exception"))   # checked now, raised when called
        return ("raise", (obj.get("exception"), obj.get("args", [])))
    if do == "block":
        return ("block", arg(obj, "seconds", is_number, "a number"))
    if do == "cancel":
        # {"callback": "B"}: the handle most recently made for B.  A handle id
        # ({"handle": "h1"}) is accepted too.
        if "callback" in obj:
            return ("cancel", ("callback", arg(obj, "callback", is_str, "a callback name")))
        return ("cancel", ("handle", arg(obj, "handle", is_str, "a handle id")))
    if do == "schedule":
        rest = {k: v for k, v in obj.items() if k != "do"}
        return ("schedule", parse_schedule(rest))
    raise ProtocolError("unknown action %r" % (do,))


def parse_schedule(args):
    if not isinstance(args, dict):
        raise ProtocolError("schedule arguments must be an object")
    method = arg(args, "method", lambda v: v in ScheduleArgs.METHODS,
                 "one of " + ", ".join(ScheduleArgs.METHODS))
    spec = parse_spec(arg(args, "callback", is_dict, "a callback spec"))
    number = arg(args, "number", lambda v: v in ("int", "float"), '"int" or "float"',
                 default="float", required=False)
    delay = when = when_offset = None
    if method == "call_later":
        delay = arg(args, "delay", is_number, "a number")
    elif method == "call_at":
        when = arg(args, "when", is_number, "a number", required=False)
        when_offset = arg(args, "when_offset", is_number, "a number", required=False)
        if (when is None) == (when_offset is None):
            raise ProtocolError("call_at takes exactly one of 'when' and 'when_offset'")
    return ScheduleArgs(method, spec, number, delay, when, when_offset)


# --------------------------------------------------------------------------
# Loading the loop.

class Fatal(Exception):
    """The loop cannot be loaded: the driver says so and exits 2."""


def load_factory(path):
    module_name, colon, attr_path = path.partition(":")
    if not colon or not module_name or not attr_path:
        raise Fatal("--loop expects module:factory, got %r" % path)
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:  # a module may even raise SystemExit
        raise Fatal("cannot import %s: %s: %s" % (module_name, type(exc).__name__, exc))
    factory = module
    for part in attr_path.split("."):
        try:
            factory = getattr(factory, part)
        except BaseException as exc:
            raise Fatal("%s has no attribute %s (%s: %s)"
                        % (path, part, type(exc).__name__, exc))
    if not callable(factory):
        raise Fatal("%s is not callable (it is a %s)" % (path, type(factory).__name__))
    return factory


def check_factory(path, factory):
    """Call the factory once, check it made a loop, close it; the loop class."""
    try:
        loop = factory()
    except BaseException as exc:
        raise Fatal("%s() raised %s: %s" % (path, type(exc).__name__, exc))
    if not isinstance(loop, asyncio.AbstractEventLoop):
        close = getattr(loop, "close", None)
        if callable(close):
            try:
                close()
            except BaseException:
                pass
        raise Fatal("%s() returned a %s, not an asyncio event loop"
                    % (path, qualified_name(type(loop))))
    try:
        loop.close()
    except BaseException as exc:
        note("closing the loop made to check the factory raised %s: %s"
             % (type(exc).__name__, exc))
    return type(loop)


def qualified_name(cls):
    return "%s.%s" % (cls.__module__, getattr(cls, "__qualname__", cls.__name__))


def implementation(loop_class):
    """asyncio's own loop is named by the interpreter; any other by its package."""
    module = loop_class.__module__ or ""
    if module == "asyncio" or module.startswith("asyncio."):
        name = sys.implementation.name
        if name == "pypy":
            version = ".".join(map(str, sys.pypy_version_info[:3]))
        else:
            version = platform.python_version()
        return {"name": name, "version": version}
    top = module.split(".")[0] or "unknown"
    return {"name": top, "version": package_version(top)}


def package_version(top):
    version = getattr(sys.modules.get(top), "__version__", None)
    if isinstance(version, str):
        return version
    try:
        from importlib import metadata
        return metadata.version(top)
    except Exception:
        return "unknown"


def capabilities():
    caps = ["threads"]
    try:
        import ssl  # noqa: F401
        caps.append("tls")
        # connect honours no_sendfile_syscall with a TLS connection.
        caps.append("transport-without-sendfile")
    except ImportError:
        pass
    if hasattr(os, "sendfile"):
        caps.append("sendfile-syscall")
    if hasattr(socket, "AF_UNIX"):
        caps.append("unix-sockets")
    if os.name == "posix":
        caps.append("unix-signals")
    caps.append("subprocess")
    return caps


def hello(path, loop_class):
    return {"type": "hello", "protocol": 2,
            "implementation": implementation(loop_class),
            "language": {"name": "python",
                         "version": "%d.%d.%d" % sys.version_info[:3]},
            "loop": path, "loop_class": qualified_name(loop_class),
            "capabilities": capabilities()}


# --------------------------------------------------------------------------
# Process state, for the leak check.

def open_fds():
    try:
        return set(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        return set()


def describe_fd(fd):
    """What an fd points at ("socket:[123]", "pipe:[9]", a path), None if gone."""
    try:
        return os.readlink("/proc/self/fd/%d" % fd)
    except OSError:
        return None


class Snapshot:
    """How the process was before a scenario: fds, threads, descendant processes, and the
    process state (loopspec_containment.ProcessState)."""

    def __init__(self):
        gc.collect()  # so a previous scenario's garbage cannot hide in the baseline
        self.fds = open_fds()
        self.threads = set(threading.enumerate())
        self.processes = containment.descendants()
        self.state = containment.ProcessState()
        self.policy = self.state.policy   # restored if the scenario itself replaced it

    def new_threads(self):
        return [t for t in threading.enumerate()
                if t not in self.threads and t.is_alive()]

    def leaks(self, own_fds, policy_was_set):
        """What is left now that was not before: (descriptions, dirty).  Dirty
        means something is left that can still act (a thread, a process that
        could not be killed) or process state the next scenario would inherit;
        a leaked descriptor alone harms no later scenario (each takes its own
        baseline), so it is reported but does not make the driver dirty.
        Processes are ended here, the whole tree, whatever session they moved to."""
        leaks = []
        dirty = False
        left = []
        for fd in sorted(open_fds() - self.fds - own_fds):
            target = describe_fd(fd)
            if target is not None:  # None: the fd os.listdir itself used
                left.append("%d -> %s" % (fd, target))
        if left:
            leaks.append("%d file descriptor%s left open: %s"
                         % (len(left), "" if len(left) == 1 else "s", ", ".join(left)))
        for t in self.new_threads():
            leaks.append("thread %r still alive" % t.name)
            dirty = True
        left_running = sorted(containment.descendants() - self.processes)
        leaks.extend(containment.describe(pid) for pid in left_running)
        if left_running and not containment.end_processes(left_running, keep=self.processes):
            leaks.append("the driver could not end the processes the scenario left")
            dirty = True
        changes = self.state.changes(policy_was_set)
        leaks.extend(changes)
        return leaks, dirty or bool(changes)


def all_tasks(loop):
    finder = getattr(asyncio, "all_tasks", None)
    if finder is None:                        # Python 3.6
        finder = asyncio.Task.all_tasks
    return [t for t in finder(loop) if not t.done()]


# --------------------------------------------------------------------------
# A scenario: everything made between new_loop and end_scenario.

class Conn:
    def __init__(self, loop, kind, transport=None, protocol=None, sock=None):
        self.loop = loop
        self.kind = kind            # "tls" | "tcp"
        self.transport = transport  # api "sendfile"
        self.protocol = protocol
        self.sock = sock            # api "sock_sendfile"


class Watch:
    def __init__(self, loop, fd, ends):
        self.loop = loop
        self.fd = fd
        self.ends = ends


class ConnProtocol(asyncio.Protocol):
    """Records nothing but the loss of the connection (so close can wait)."""

    def __init__(self):
        self.lost = False
        self.waiters = []

    def connection_lost(self, exc):
        self.lost = True
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)


class Scenario:
    def __init__(self):
        self.baseline = Snapshot()
        self.loops = []
        self.loop = None
        self.events = []
        self.last_events = collections.deque(maxlen=MAX_EVENTS)
        self.dropped = 0
        self.lock = threading.Lock()
        self.counters = {}
        self.handles = {}
        self.latest_handle = {}   # callback name -> id of the last handle made for it
        self.files = {}
        self.conns = {}
        self.watches = {}
        self.socket_pairs = []            # the socket_pair op's, closed by end_scenario
        self.threads = []
        self.coroutines = []              # made from coroutine specs
        self.calls = None                 # the call op's refs and values (loopspec_api)
        self.ending = threading.Event()   # set by end_scenario: threads give up
        self.echo_server = None           # the bench op's, between echo_server and serve

    def new_id(self, prefix):
        with self.lock:
            n = self.counters.get(prefix, 0) + 1
            self.counters[prefix] = n
            return "%s%d" % (prefix, n)

    def record(self, event):
        with self.lock:
            if len(self.events) < MAX_EVENTS:
                self.events.append(event)
                return
            if len(self.last_events) == MAX_EVENTS:
                self.dropped += 1
            self.last_events.append(event)

    def event_log(self):
        """The log; a loop gone wild (a ready reader calls its callback on
        every iteration) gets the first and last events and a count between."""
        with self.lock:
            events = list(self.events)
            if self.dropped:
                events.append({"event": "dropped", "count": self.dropped})
            events.extend(self.last_events)
        return events

    def clear_events(self):
        with self.lock:
            self.events = []
            self.last_events.clear()
            self.dropped = 0

    def lookup(self, table, key, what):
        try:
            return table[key]
        except (KeyError, TypeError):
            raise ProtocolError("no %s %r in this scenario" % (what, key))


# --------------------------------------------------------------------------
# The driver.

async def _returns(value):
    return value


def run_coro(loop, coro):
    """loop.run_until_complete(coro), closing coro if the loop never took it
    (so a refused call does not also print 'coroutine was never awaited')."""
    try:
        return loop.run_until_complete(coro)
    except BaseException:
        try:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()
        except Exception:
            pass   # not a native coroutine (Cython): leave it be
        raise


class Driver:
    def __init__(self, channel, factory, api):
        self.channel = channel
        self.api = api
        self.factory = factory
        self.main_thread = threading.current_thread()
        self.scenario = None
        self.exiting = False
        self.own_fds = {0, 1, 2, PROTO_FD, REQUEST_FD}
        self.watch_default_exception_handler()
        self.ops = {
            "new_loop": self.op_new_loop,
            "schedule": self.op_schedule,
            "handle": self.op_handle,
            "from_thread": self.op_from_thread,
            "add_reader": self.op_add_reader,
            "socket_pair": self.op_socket_pair,
            "new_buffer": self.op_new_buffer,
            "read_buffer": self.op_read_buffer,
            "stop": self.op_stop,
            "run_forever": self.op_run_forever,
            "run_once": self.op_run_once,
            "run_until_complete": self.op_run_until_complete,
            "time": self.op_time,
            "is_running": self.op_is_running,
            "is_closed": self.op_is_closed,
            "close": self.op_close,
            "open_file": self.op_open_file,
            "file": self.op_file,
            "connect": self.op_connect,
            "sendfile": self.op_sendfile,
            "close_conn": self.op_close_conn,
            "call": self.op_call,
            "get": self.op_get,
            "set": self.op_set,
            "events": self.op_events,
            "end_scenario": self.op_end_scenario,
            "shutdown": self.op_shutdown,
            "bench": self.op_bench,
        }

    # -- the request loop -------------------------------------------------

    def serve(self):
        while True:
            line = self.channel.read_line()
            if line is None:
                hard_exit(0)
            if line is Channel.TOO_LONG:
                self.channel.send({"id": None, "ok": False, "error": protocol_error(
                    "request line longer than 16 MiB")})
                continue
            if not line.strip():
                continue
            try:
                self.channel.send(self.answer(line))
            except OSError as exc:   # nobody is listening any more
                note("cannot answer: %s" % exc)
                hard_exit(1)
            if self.exiting:
                hard_exit(0)

    def answer(self, line):
        try:
            request = json.loads(line.decode("utf-8"))
        except Exception as exc:  # bad UTF-8, bad JSON, JSON nested too deep
            return {"id": None, "ok": False,
                    "error": protocol_error("not a JSON line: %s" % exc)}
        if not isinstance(request, dict) or "id" not in request:
            return {"id": request.get("id") if isinstance(request, dict) else None,
                    "ok": False, "error": protocol_error(
                        "a request is an object with an id, an op and args")}
        rid = request["id"]
        try:
            op = self.ops.get(request.get("op")) if is_str(request.get("op")) else None
            if op is None:
                raise ProtocolError("unknown op %r" % (request.get("op"),))
            args = request.get("args", {})
            if not isinstance(args, dict):
                raise ProtocolError("args must be an object")
            result = op(args)
        except BaseException as exc:  # every request gets an answer
            return {"id": rid, "ok": False, "error": describe_error(exc)}
        return {"id": rid, "ok": True, "result": result if result is not None else {}}

    # -- helpers ------------------------------------------------------------

    def current(self):
        """The scenario, made (with its baseline) by the first op that needs it."""
        if self.scenario is None:
            self.scenario = Scenario()
        return self.scenario

    def need_loop(self):
        scenario = self.scenario
        if scenario is None or scenario.loop is None:
            raise ProtocolError("no loop: send new_loop first")
        return scenario.loop

    def thread_label(self):
        return "main" if threading.current_thread() is self.main_thread else "other"

    def make_callback(self, scenario, loop, spec):
        driver = self

        def loopspec_callback(*received):
            try:
                now = loop.time()
            except BaseException:
                now = None
            calls = scenario.calls
            scenario.record({"event": "called", "name": spec.name,
                             "args": [calls.encode(a) for a in received], "time": now,
                             "thread": driver.thread_label()})
            returned = None
            outer = calls.callback_args(received)
            try:
                for action in spec.actions:
                    if action[0] == "return":
                        returned = calls.decode(action[1])
                        continue
                    if action[0] == "raise":
                        # Out of the callback: this is how an exception reaches the loop.
                        name, args = action[1]
                        raise exception_class(name)(*args)
                    try:
                        result = driver.perform(scenario, loop, spec.name, action)
                    except BaseException as exc:
                        scenario.record({"event": "action_error", "name": spec.name,
                                         "error": describe_error(exc)})
                    else:
                        if action[0] == "call" and action[1].get("returns"):
                            returned = result
            finally:
                calls.callback_args(outer)
            return returned

        loopspec_callback.__qualname__ = "callback " + spec.name
        loopspec_callback.loopspec_name = spec.name   # answers name it: {"callback": "A"}
        return loopspec_callback

    def perform(self, scenario, loop, name, action):
        kind, detail = action
        if kind == "stop":
            loop.stop()
        elif kind == "block":
            time.sleep(detail)   # holds whichever thread called the callback
        elif kind == "call":
            value, result = scenario.calls.invoke(detail, run_coro)
            scenario.record({"event": "action_result", "name": name,
                             "call": detail.get("name"), "value": result["value"],
                             "type": result["type"], "bases": result["bases"]})
            return value
        elif kind == "cancel":
            by, key = detail
            if by == "callback":
                key = scenario.lookup(scenario.latest_handle, key, "handle made for callback")
            scenario.calls.refs.get(key).cancel()
        else:
            made = self.schedule(scenario, loop, detail)
            scenario.record({"event": "scheduled", "name": detail.spec.name,
                             "by": name, "handle": made["handle"]})

    def schedule(self, scenario, loop, req):
        callback = self.make_callback(scenario, loop, req.spec)
        number = int if req.number == "int" else float
        method = getattr(loop, req.method)
        when_requested = None
        time_before = loop.time()
        if req.method == "call_later":
            handle = method(number(req.delay), callback, *req.spec.args)
        elif req.method == "call_at":
            if req.when is not None:
                when_requested = number(req.when)
            else:
                when_requested = number(time_before + req.when_offset)
            handle = method(when_requested, callback, *req.spec.args)
        else:
            handle = method(callback, *req.spec.args)
        time_after = loop.time()
        hid = scenario.calls.refs.ref(handle)   # a call target too
        with scenario.lock:
            scenario.handles[hid] = handle
            scenario.latest_handle[req.spec.name] = hid
        cls = type(handle)
        return {"handle": hid, "type": cls.__name__,
                "bases": [c.__name__ for c in cls.__mro__[1:]],
                "time_before": time_before, "time_after": time_after,
                "when_requested": when_requested}

    def wait_lost(self, conn, timeout):
        """Run the loop until the connection's protocol saw connection_lost,
        giving up after `timeout` seconds of loop time."""
        loop = conn.loop
        if conn.protocol.lost or loop.is_closed() or loop.is_running():
            return
        waiter = loop.create_future()
        conn.protocol.waiters.append(waiter)

        def give_up():
            if not waiter.done():
                waiter.set_result(None)

        timer = loop.call_later(timeout, give_up)
        try:
            loop.run_until_complete(waiter)
        finally:
            timer.cancel()
            conn.protocol.waiters.remove(waiter)

    # -- operations ---------------------------------------------------------

    def op_new_loop(self, args):
        scenario = self.current()
        loop = self.factory()
        if not isinstance(loop, asyncio.AbstractEventLoop):
            raise TypeError("the factory returned a %s, not an event loop"
                            % qualified_name(type(loop)))
        scenario.loops.append(loop)
        scenario.loop = loop
        scenario.clear_events()
        if scenario.calls is None:
            scenario.calls = Calls(scenario, self.api, lambda the_loop, body: self.make_callback(
                scenario, the_loop, parse_spec(body)))
        asyncio.set_event_loop(loop)
        return {"loop_class": qualified_name(type(loop)), "loop": scenario.calls.refs.ref(loop)}

    def op_call(self, args):
        self.need_loop()
        return self.scenario.calls.call(args, run_coro)

    def op_get(self, args):
        self.need_loop()
        return self.scenario.calls.get(args)

    def op_set(self, args):
        self.need_loop()
        return self.scenario.calls.set(args)

    def watch_default_exception_handler(self):
        """Log each call of a loop's default exception handler as an event.  The
        driver watches the 'asyncio' logger the default handler writes to (at
        ERROR, with the exception as exc_info) rather than setting a handler of
        its own: get_exception_handler() and set_exception_handler(None) must
        see the loop as the scenario left it.  A scenario's own handler is a
        callback spec, whose calls are logged as "called" events."""
        driver = self

        class DefaultHandlerWatch(logging.Handler):
            def emit(self, record):
                scenario = driver.scenario
                if scenario is None or record.levelno < logging.ERROR:
                    return
                exc = record.exc_info[1] if record.exc_info else None
                message = safe_str(record.getMessage()).split("\n", 1)[0]
                scenario.record({"event": "exception_handler", "message": message,
                                 "exception": describe_error(exc)})

        logging.getLogger("asyncio").addHandler(DefaultHandlerWatch())

    def op_schedule(self, args):
        loop = self.need_loop()
        return self.schedule(self.scenario, loop, parse_schedule(args))

    def op_handle(self, args):
        self.need_loop()
        scenario = self.scenario
        handle = scenario.lookup(scenario.handles, arg(args, "handle", is_str, "a handle id"),
                                 "handle")
        method = arg(args, "method", lambda v: v in ("cancel", "cancelled", "when"),
                     '"cancel", "cancelled" or "when"')
        value = getattr(handle, method)()   # AttributeError crosses (3.6 has no cancelled)
        return {"value": value, "value_type": type(value).__name__}

    def op_from_thread(self, args):
        loop = self.need_loop()
        scenario = self.scenario
        delay = arg(args, "delay", is_number, "a number", default=0, required=False)
        wait = arg(args, "wait", is_bool, "a boolean", default=False, required=False)
        req = parse_schedule(arg(args, "schedule", is_dict, "schedule arguments"))
        outcome = {}

        def run():
            if scenario.ending.wait(max(0.0, delay)):
                return   # the scenario ended first: nothing left to schedule on
            try:
                outcome["handle"] = self.schedule(scenario, loop, req)["handle"]
            except BaseException as exc:
                outcome["error"] = exc
                if not wait:
                    scenario.record({"event": "thread_error", "error": describe_error(exc)})
            else:
                if not wait:
                    scenario.record({"event": "thread_done", "handle": outcome["handle"]})

        thread = threading.Thread(target=run, name="loopspec-%s" % scenario.new_id("thread"))
        thread.daemon = True
        scenario.threads.append(thread)
        thread.start()
        if not wait:
            return {}
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return {"handle": outcome["handle"]}

    def op_add_reader(self, args):
        loop = self.need_loop()
        scenario = self.scenario
        ready = arg(args, "ready", is_bool, "a boolean", default=True, required=False)
        spec = parse_spec(arg(args, "callback", is_dict, "a callback spec"))
        writer, reader = socket.socketpair()
        try:
            if ready:
                writer.send(b"x")
            callback = self.make_callback(scenario, loop, spec)
            loop.add_reader(reader.fileno(), callback, *spec.args)
        except BaseException:
            writer.close()
            reader.close()
            raise
        wid = scenario.new_id("w")
        scenario.watches[wid] = Watch(loop, reader.fileno(), (writer, reader))
        return {"watch": wid}

    def op_socket_pair(self, args):
        """A connected pair (socket.socketpair(), blocking as made) the scenario
        names and calls; end_scenario stops any watch on them and closes them."""
        self.need_loop()
        scenario = self.scenario
        a, b = socket.socketpair()
        scenario.socket_pairs.append((a, b))
        return {"a": scenario.calls.encode(a), "b": scenario.calls.encode(b)}

    def op_new_buffer(self, args):
        """A zero-filled bytearray of `size` bytes, by ref (sock_recv_into's buf)."""
        self.need_loop()
        size = arg(args, "size", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                   "a size in bytes")
        buf = bytearray(size)
        calls = self.scenario.calls
        name, bases = type_info(buf)
        return {"buffer": {"ref": calls.refs.ref(buf), "type": name, "bases": bases}}

    def op_read_buffer(self, args):
        """What a buffer new_buffer made holds now."""
        self.need_loop()
        buf = self.scenario.calls.refs.get(arg(args, "buffer", is_str, "a buffer's ref"))
        if not isinstance(buf, bytearray):
            raise ProtocolError("%s is not a buffer new_buffer made" % (args.get("buffer"),))
        return {"value": {"bytes": base64.b64encode(bytes(buf)).decode("ascii")}}

    def op_stop(self, args):
        self.need_loop().stop()
        return {}

    def op_run_forever(self, args):
        loop = self.need_loop()
        before = loop.time()
        loop.run_forever()
        return {"time_before": before, "time_after": loop.time()}

    def op_run_once(self, args):
        loop = self.need_loop()
        before = loop.time()
        loop.call_soon(loop.stop)
        loop.run_forever()
        return {"time_before": before, "time_after": loop.time()}

    def op_run_until_complete(self, args):
        loop = self.need_loop()
        awaitable = arg(args, "awaitable", is_dict, "an awaitable spec")
        if awaitable.get("kind") != "return":
            raise ProtocolError("unknown awaitable kind %r" % (awaitable.get("kind"),))
        return {"value": run_coro(loop, _returns(awaitable.get("value")))}

    def op_time(self, args):
        return {"value": self.need_loop().time()}

    def op_is_running(self, args):
        return {"value": self.need_loop().is_running()}

    def op_is_closed(self, args):
        return {"value": self.need_loop().is_closed()}

    def op_close(self, args):
        self.need_loop().close()
        return {}

    def op_open_file(self, args):
        scenario = self.current()
        path = arg(args, "path", is_str, "a path")
        f = open(path, "rb")
        fid = scenario.new_id("f")
        scenario.files[fid] = f
        return {"file": fid}

    def op_file(self, args):
        scenario = self.current()
        f = scenario.lookup(scenario.files, arg(args, "file", is_str, "a file id"), "file")
        method = arg(args, "method", lambda v: v in ("tell", "fileno"), '"tell" or "fileno"')
        return {"value": getattr(f, method)()}

    def op_connect(self, args):
        loop = self.need_loop()
        scenario = self.scenario
        kind = arg(args, "kind", lambda v: v in ("transport", "socket"),
                   '"transport" or "socket"')
        host = arg(args, "host", is_str, "a host")
        port = arg(args, "port", lambda v: isinstance(v, int) and not isinstance(v, bool),
                   "a port number")
        tls = arg(args, "tls", lambda v: v is None or isinstance(v, dict),
                  "null or an object", required=False)
        no_syscall = arg(args, "no_sendfile_syscall", is_bool, "a boolean",
                         default=False, required=False)
        if kind == "socket":
            if tls or no_syscall:
                raise ProtocolError("a plain socket cannot be TLS or refuse the "
                                    "sendfile syscall; ask for a transport")
            conn = self.connect_socket(loop, host, port)
        else:
            if no_syscall and not tls:
                # The only transport this driver can make that cannot use
                # os.sendfile is a TLS one, and that needs tls arguments.
                raise ProtocolError("no_sendfile_syscall needs a TLS connection: "
                                    "give tls {cafile, server_hostname}")
            conn = self.connect_transport(loop, host, port, tls)
        cid = scenario.new_id("c")
        scenario.conns[cid] = conn
        return {"conn": cid, "kind": conn.kind}

    def connect_transport(self, loop, host, port, tls):
        extra = {}
        if tls:
            try:
                import ssl
            except ImportError:
                raise ProtocolError("this Python has no ssl module")
            cafile = arg(tls, "cafile", is_str, "a path", required=False)
            extra["ssl"] = ssl.create_default_context(cafile=cafile)
            hostname = arg(tls, "server_hostname", is_str, "a host name", required=False)
            if hostname is not None:
                extra["server_hostname"] = hostname
        protocol = ConnProtocol()
        transport, _ = run_coro(loop, loop.create_connection(
            lambda: protocol, host, port, **extra))
        return Conn(loop, "tls" if tls else "tcp", transport=transport, protocol=protocol)

    def connect_socket(self, loop, host, port):
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        try:
            sock.setblocking(False)
            run_coro(loop, loop.sock_connect(sock, (host, port)))
        except BaseException:
            sock.close()
            raise
        return Conn(loop, "tcp", sock=sock)

    def op_sendfile(self, args):
        self.need_loop()
        scenario = self.scenario
        api = arg(args, "api", lambda v: v in ("sendfile", "sock_sendfile"),
                  '"sendfile" or "sock_sendfile"')
        conn = scenario.lookup(scenario.conns, arg(args, "conn", is_str, "a conn id"),
                               "connection")
        f = scenario.lookup(scenario.files, arg(args, "file", is_str, "a file id"), "file")
        # Only the arguments the scenario gave are passed: defaults are the loop's.
        kw = {k: args[k] for k in ("offset", "count", "fallback") if k in args}
        loop = conn.loop
        if api == "sendfile":
            if conn.transport is None:
                raise ProtocolError("sendfile needs a transport connection")
            return {"value": run_coro(loop, loop.sendfile(conn.transport, f, **kw))}
        if conn.sock is None:
            raise ProtocolError("sock_sendfile needs a socket connection")
        return {"value": run_coro(loop, loop.sock_sendfile(conn.sock, f, **kw))}

    def op_close_conn(self, args):
        self.need_loop()
        scenario = self.scenario
        conn = scenario.lookup(scenario.conns, arg(args, "conn", is_str, "a conn id"),
                               "connection")
        if conn.sock is not None:
            conn.sock.close()
        else:
            conn.transport.close()
            self.wait_lost(conn, CLOSE_WAIT)
        return {}

    def op_events(self, args):
        scenario = self.scenario
        return {"events": scenario.event_log() if scenario is not None else []}

    def op_end_scenario(self, args):
        scenario = self.scenario
        if scenario is None:
            return {"leaks": [], "dirty": False}
        self.scenario = None
        leaks, unclosed, baseline = self.clean_up(scenario)
        policy_set = scenario.calls is not None and scenario.calls.policy_set
        # Now nothing of the scenario's is referenced any more (clean_up's
        # frame is gone): collect, so that what a loop only frees when it is
        # collected (uvloop, gbulb, unclosed transports) is gone before we look.
        del scenario
        for _ in range(3):
            gc.collect()
        found, dirty = baseline.leaks(self.own_fds, policy_set)
        return {"leaks": leaks + found, "dirty": dirty or unclosed}

    def clean_up(self, scenario):
        """Close what the scenario opened.  Returns the leaks seen on the way,
        whether a loop could not be closed, and the scenario's baseline."""
        scenario.ending.set()
        leaks = []
        unclosed = False
        self.close_watches(scenario)
        self.close_conns(scenario)
        if scenario.echo_server is not None and not scenario.echo_server.loop.is_closed():
            quietly("closing the echo server", scenario.echo_server.close)
        if scenario.calls is not None:
            scenario.calls.close_all(note)
        for f in scenario.files.values():
            quietly("closing a file", f.close)
        made = scenario.calls.loops_made(scenario.loops) if scenario.calls is not None else []
        for loop in scenario.loops + made:
            leaks.extend(self.close_loop(loop))
            if not loop.is_closed():
                leaks.append("a %s could not be closed" % qualified_name(type(loop)))
                unclosed = True
        if scenario.calls is not None:
            scenario.calls.close_coroutines()
        quietly("set_event_loop(None)", asyncio.set_event_loop, None)
        if (scenario.calls is not None and scenario.calls.policy_set
                and asyncio.get_event_loop_policy() is not scenario.baseline.policy):
            # The scenario set a policy of its own: the next one starts with the driver's.
            quietly("set_event_loop_policy", asyncio.set_event_loop_policy,
                    scenario.baseline.policy)
            quietly("set_event_loop(None)", asyncio.set_event_loop, None)
        self.join_threads(scenario)
        return leaks, unclosed, scenario.baseline

    def close_watches(self, scenario):
        for watch in scenario.watches.values():
            if not watch.loop.is_closed():
                quietly("remove_reader", watch.loop.remove_reader, watch.fd)
            for end in watch.ends:
                end.close()
        # The socket pairs' ends: whatever the scenario left watching them is removed while the
        # loops are open (a loop must not be left polling a closed descriptor), then they close.
        for pair in scenario.socket_pairs:
            for end in pair:
                if end.fileno() != -1:
                    for loop in scenario.loops:
                        if not loop.is_closed() and not loop.is_running():
                            quietly("remove_reader", loop.remove_reader, end.fileno())
                            quietly("remove_writer", loop.remove_writer, end.fileno())
                end.close()

    def close_conns(self, scenario):
        for conn in scenario.conns.values():
            if conn.sock is not None:
                conn.sock.close()
                continue
            if not conn.protocol.lost:
                if quietly("closing a transport", conn.transport.close):
                    quietly("waiting for connection_lost", self.wait_lost, conn, CLOSE_WAIT)

    def close_loop(self, loop):
        """Cancel and run out the loop's pending tasks, close it; the leaks."""
        leaks = []
        if not loop.is_closed() and not loop.is_running():
            pending = quietly("listing tasks", all_tasks, loop) or []
            if pending:
                for task in pending:
                    task.cancel()
                quietly("running out cancelled tasks", self.run_out, loop, pending)
            # Nothing else is run on the loop here (no shutdown_asyncgens, no
            # shutdown_default_executor): no op makes async generators, and
            # executor threads are waited for by join_threads.  Running a loop
            # under test when it is not needed could hang or kill the driver.
        pending = quietly("listing tasks", all_tasks, loop) or []
        if pending:
            leaks.append("%d task%s still pending when the loop was closed: %s"
                         % (len(pending), "" if len(pending) == 1 else "s",
                            ", ".join(safe_str(t) for t in pending[:5])))
        if not loop.is_closed():
            quietly("loop.close()", loop.close)
        return leaks

    def run_out(self, loop, tasks):
        """Run cancelled tasks to their end, for at most a second."""
        gathering = asyncio.gather(*tasks, return_exceptions=True)
        timer = loop.call_later(JOIN_WAIT, loop.stop)
        try:
            loop.run_until_complete(gathering)
        finally:
            timer.cancel()

    def join_threads(self, scenario):
        deadline = time.monotonic() + JOIN_WAIT
        others = scenario.threads + scenario.baseline.new_threads()
        for thread in others:
            if thread is threading.current_thread():
                continue
            thread.join(max(0.0, deadline - time.monotonic()))

    def op_shutdown(self, args):
        self.exiting = True
        return {}

    def op_bench(self, args):
        loop = self.need_loop()
        scenario = self.scenario
        trials = sorted(list(loopspec_bench.TIMED) + ["echo_server", "serve"])
        trial = arg(args, "trial", lambda v: v in trials, "one of " + ", ".join(trials))
        if trial == "echo_server":
            if scenario.echo_server is not None:
                raise ProtocolError("this scenario has an echo server already")
            style = arg(args, "style", lambda v: v in ("protocol", "sockets"),
                        '"protocol" or "sockets"', default="protocol", required=False)
            make = loopspec_bench.EchoServer if style == "protocol" else loopspec_bench.SockEchoServer
            scenario.echo_server = make(loop)
            result = {"port": scenario.echo_server.port()}
        elif trial == "serve":
            seconds = arg(args, "seconds", lambda v: is_number(v) and v > 0, "a positive number")
            if scenario.echo_server is None:
                raise ProtocolError("no echo server: run the echo_server trial first")
            server, scenario.echo_server = scenario.echo_server, None
            result = server.serve(seconds)
        else:
            n = arg(args, "n", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
                    "a positive int")
            result = loopspec_bench.TIMED[trial](loop, n)
            result["n"] = n
        result["peak_rss_bytes"] = loopspec_bench.peak_rss()
        return result


def quietly(what, fn, *args):
    """Cleanup step: its failure goes to stderr, never into the answer."""
    try:
        result = fn(*args)
        return True if result is None else result
    except BaseException as exc:
        note("end_scenario: %s raised %s: %s" % (what, type(exc).__name__, exc))
        return None


# --------------------------------------------------------------------------

USAGE = "usage: loopspec_driver.py [--loop module:factory] [--warm-up]"


def parse_command_line(argv):
    path = DEFAULT_LOOP
    warm_up = False
    rest = list(argv)
    while rest:
        item = rest.pop(0)
        if item == "--loop" and rest:
            path = rest.pop(0)
        elif item.startswith("--loop="):
            path = item[len("--loop="):]
        elif item == "--warm-up":
            warm_up = True
        else:
            raise Fatal("%s (unexpected %r)" % (USAGE, item))
    return path, warm_up


def warm_up(path, factory):
    """--warm-up: run one throwaway loop once before the handshake.  Some loops
    create process-wide state the first time a loop runs (gbulb: GLib keeps an
    eventfd open for good); made here, it is in every scenario's baseline
    instead of being reported as the first scenario's leak.  Off by default,
    because a loop that dies or hangs when run should do so in a scenario."""
    try:
        loop = factory()
        try:
            run_coro(loop, _returns(None))
        finally:
            loop.close()
    except BaseException as exc:
        raise Fatal("--warm-up: running a %s loop once failed: %s: %s"
                    % (path, type(exc).__name__, exc))


def freeze_startup_objects():
    """Each scenario's leak check makes full garbage collections (Snapshot, end_scenario),
    and a full collection walks every object of the process: most of them the
    interpreter's, asyncio's and the driver's own, made at start-up and kept for good
    (some 15,000 on CPython 3.12: 3-8 ms a collection, four a scenario).  gc.freeze()
    (3.7+) puts those out of the collector's way; what a scenario makes is collected
    as before.  Collected first, so that no start-up garbage (the factory check's loop)
    is kept for good."""
    freeze = getattr(gc, "freeze", None)
    if freeze is not None:
        gc.collect()
        freeze()


def main():
    channel = Channel(PROTO_FD, REQUEST_FD)
    # Before any loop code runs: what a loop double-forks is reparented here, not to init.
    containment.become_subreaper()
    try:
        path, warm = parse_command_line(sys.argv[1:])
        try:
            api = Api(load_api())
        except (OSError, ValueError) as exc:
            raise Fatal("cannot read the allow-list adapters/api.json: %s" % exc)
        factory = load_factory(path)
        loop_class = check_factory(path, factory)
        if warm:
            warm_up(path, factory)
    except Fatal as exc:
        message = " ".join(safe_str(exc).split())   # one line
        channel.send({"type": "fatal", "message": message})
        hard_exit(2)
    try:
        channel.send(hello(path, loop_class))
    except OSError as exc:
        # A factory that closes every descriptor above 2 closes the channel too.
        note("lost the protocol channel before the handshake (%s: %s): "
             "the loop factory closed the driver's descriptors"
             % (type(exc).__name__, exc.strerror or exc))
        hard_exit(1)
    driver = Driver(channel, factory, api)
    freeze_startup_objects()
    driver.serve()


if __name__ == "__main__":
    main()
