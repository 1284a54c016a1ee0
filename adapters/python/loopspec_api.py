"""The documented API as protocol operations (adapters/PROTOCOL.md, "Calls").

The kit calls a documented method or reads a documented attribute, on the
loop, on a module (``asyncio``, ``concurrent.futures``, ``selectors``) or on an
object an earlier call returned, by its documented name.  Every name is
checked against the allow-list ``adapters/api.json``: no private name and no
code ever crosses the protocol.  Arguments are data (PROTOCOL.md, "Values"):
JSON scalars, lists, tagged values for floats, bytes, tuples, dicts,
exceptions, references to earlier objects, and three kinds of spec from which
the driver builds callbacks, coroutines and protocols that record what happens
to them as events.

Standard library only; the syntax stays at what Python 3.6 accepts.
"""

import array
import asyncio
import base64
import builtins
import concurrent.futures
try:
    import contextvars               # 3.7+
except ImportError:                  # pragma: no cover (3.6)
    contextvars = None
import importlib
import inspect
import json
import os
import selectors
import socket
import sys
import threading
import time
import types
import warnings


class ProtocolError(Exception):
    """The request is not something this driver can do (unknown op, bad args)."""


API_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api.json")
MODULES = ("asyncio", "selectors", "socket", "pathlib", "concurrent.futures", "contextvars")


def load_api(path=API_PATH):
    with open(path, encoding="utf-8") as f:
        api = json.load(f)
    api.pop("about", None)
    return api


class Api:
    """The allow-list: documented names by the documented object they belong to."""

    def __init__(self, entries):
        self.entries = entries

    def names(self, kind):
        entry = self.entries.get(kind, {})
        names = {k: v for k, v in entry.items() if k not in ("doc", "inherits")}
        parent = entry.get("inherits")
        if parent:
            inherited = self.names(parent)
            inherited.update(names)
            names = inherited
        return names

    def signature(self, kinds, name):
        """The documented signature of `name` on an object of these kinds."""
        for kind in kinds:
            sig = self.names(kind).get(name)
            if sig is not None:
                return sig
        raise ProtocolError("%s is not a documented name of %s (adapters/api.json)"
                            % (name, " / ".join(kinds) or "this object"))


# Documented classes that loops implement without subclassing asyncio's or the socket module's
# (uvloop's TCPTransport, its PseudoSocket; asyncio's TransportSocket from Server.sockets) are
# known by what they do: the methods the page documents for them.
TRANSPORT_METHODS = ("write", "write_eof", "close", "abort", "is_closing", "get_extra_info")
SERVER_METHODS = ("close", "wait_closed", "is_serving", "get_loop")
SOCKET_METHODS = ("getsockname", "getsockopt", "fileno")
DATAGRAM_TRANSPORT_METHODS = ("sendto", "close", "abort", "get_extra_info")


def _looks_like(obj, methods):
    return not isinstance(obj, type) and all(callable(getattr(obj, m, None)) for m in methods)


def counted_bytes(n):
    """{"counted_bytes": N}: N bytes of consecutive 32-bit big-endian counters from 0, made
    here rather than sent (megabytes as base64 JSON would cost both processes more than the
    scenario does)."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0 or n % 4:
        raise ProtocolError("counted_bytes is a multiple of 4, got %r" % (n,))
    counters = array.array("I", range(n // 4))
    if sys.byteorder == "little":
        counters.byteswap()
    return counters.tobytes()


def kinds_of(obj):
    """The documented classes an object is an instance of, most specific first.
    By the names in the class's MRO too, since third-party loops document the
    same classes without subclassing asyncio's (uvloop's TimerHandle)."""
    kinds = []
    if isinstance(obj, asyncio.AbstractEventLoop):
        kinds.append("loop")
    names = [c.__name__ for c in type(obj).__mro__]
    for kind in ("TimerHandle", "Handle", "Task", "Future"):
        if kind in names:
            kinds.append(kind)
    if "Future" not in kinds and asyncio.isfuture(obj):
        kinds.append("Future")
    if isinstance(obj, asyncio.BaseTransport) or "Transport" in names or _looks_like(obj, TRANSPORT_METHODS):
        kinds.append("Transport")
    # uvloop's UDPTransport subclasses none of asyncio's transports: known by sendto().
    if isinstance(obj, asyncio.DatagramTransport) or _looks_like(obj, DATAGRAM_TRANSPORT_METHODS):
        kinds.append("DatagramTransport")
    if "Server" in names or _looks_like(obj, SERVER_METHODS):
        kinds.append("Server")
    if isinstance(obj, socket.socket) or _looks_like(obj, SOCKET_METHODS):
        kinds.append("socket.socket")
    if isinstance(obj, concurrent.futures.Executor):
        kinds.append("Executor")
    if isinstance(obj, asyncio.AbstractEventLoopPolicy):
        kinds.append("AbstractEventLoopPolicy")
    if contextvars is not None and isinstance(obj, contextvars.ContextVar):
        kinds.append("ContextVar")
    if contextvars is not None and isinstance(obj, contextvars.Context):
        kinds.append("Context")
    return kinds


# --------------------------------------------------------------------------
# Exceptions named by the kit (the raise step, the exception value): builtin
# exception classes and asyncio's own.

def exception_class(name):
    if not isinstance(name, str):
        raise ProtocolError("an exception is named by its class name, got %r" % (name,))
    for source in (asyncio, builtins, concurrent.futures):
        cls = getattr(source, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            return cls
    raise ProtocolError("%r is not a builtin or asyncio exception class" % (name,))


def record_every_warning():
    """Inside catch_warnings(record=True): every warning is recorded, each time
    (the filters that would hide or show it become "always"), except that an
    "error" filter (-W error) still makes it an exception."""
    warnings.filters[:] = [f if f[0] == "error" else ("always",) + tuple(f[1:])
                           for f in warnings.filters] + [("always", None, Warning, None, 0)]


def type_info(value):
    cls = type(value)
    return cls.__name__, [c.__name__ for c in cls.__mro__[1:]]


class Refs:
    """Objects the scenario made, by id; the same object always has the same id."""

    def __init__(self, new_id):
        self.new_id = new_id
        self.by_id = {}
        self.ids = {}      # id(obj) -> ref id; by_id keeps obj alive, so id() is stable

    def ref(self, obj):
        rid = self.ids.get(id(obj))
        if rid is None:
            rid = self.new_id("o")
            self.ids[id(obj)] = rid
            self.by_id[rid] = obj
        return rid

    def get(self, rid):
        try:
            return self.by_id[rid]
        except (KeyError, TypeError):
            raise ProtocolError("no object %r in this scenario" % (rid,))

    def objects(self):
        return list(self.by_id.values())


# --------------------------------------------------------------------------
# Calls.  One Calls per scenario: it owns the refs and turns values in and out.

TAGGED = ("float", "bytes", "counted_bytes", "tuple", "dict", "ref", "callback", "coroutine",
          "protocol_factory", "exception", "loop_time_plus", "arg", "async_generator")


class Calls:
    def __init__(self, scenario, api, make_callback):
        self.scenario = scenario
        self.api = api
        self.make_callback = make_callback   # (loop, spec dict) -> callable
        self.refs = Refs(scenario.new_id)
        self.resolved_times = []
        self.callback_names = []     # callback specs decoded for the call being made
        # The scenario asked for asyncio.set_event_loop_policy: the driver puts its own back
        # silently; a policy changed any other way is a leak (loopspec_containment).
        self.policy_set = False
        # The arguments of the callback whose actions are running, per thread
        # (an executor runs callbacks in its own threads): {"arg": N} reads them.
        self.local = threading.local()

    def callback_args(self, received):
        """Context manager-free: set the running callback's arguments; returns
        what to restore."""
        outer = getattr(self.local, "args", None)
        self.local.args = received
        return outer

    # -- values in --------------------------------------------------------

    def decode(self, value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict) or len(value) == 0:
            raise ProtocolError("a value is a JSON scalar, a list or a tagged object, got %r"
                                % (value,))
        tag = next((t for t in TAGGED if t in value), None)
        if tag is None:
            raise ProtocolError("unknown value %r: an object value is tagged with one of %s"
                                % (value, ", ".join(TAGGED)))
        body = value[tag]
        if tag == "float":
            return float(body)
        if tag == "bytes":
            return base64.b64decode(body)
        if tag == "counted_bytes":
            return counted_bytes(body)
        if tag == "tuple":
            return tuple(self.decode(v) for v in body)
        if tag == "dict":
            return {k: self.decode(v) for k, v in body.items()}
        if tag == "ref":
            return self.refs.get(body)
        if tag == "callback":
            if isinstance(body, dict) and isinstance(body.get("name"), str):
                self.callback_names.append(body["name"])
            return self.make_callback(self.loop(), body)
        if tag == "coroutine":
            return self.coroutine(CoroutineSpec(body))
        if tag == "protocol_factory":
            return ProtocolFactory(self, body)
        if tag == "async_generator":
            return self.async_generator(body)
        if tag == "exception":
            return exception_class(body)(*self.decode(value.get("args", [])))
        if tag == "arg":
            received = getattr(self.local, "args", None)
            if received is None:
                raise ProtocolError('{"arg": N} is an argument of the running callback; no callback is running')
            try:
                return received[body]
            except (IndexError, TypeError):
                raise ProtocolError("the callback received %d arguments, not an argument %r"
                                    % (len(received), body))
        # loop_time_plus: loop.time() + N when the call is made, as int or float
        when = self.loop().time() + body
        when = int(when) if value.get("as") == "int" else float(when)
        self.resolved_times.append(when)
        return when

    # -- values out -------------------------------------------------------

    def encode(self, value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (bytes, bytearray, memoryview)):
            return {"bytes": base64.b64encode(bytes(value)).decode("ascii")}
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, tuple):
            return {"tuple": [self.encode(v) for v in value]}
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {"dict": {k: self.encode(v) for k, v in value.items()}}
        name, bases = type_info(value)
        out = {"ref": self.refs.ref(value), "type": name, "bases": bases}
        if isinstance(value, types.FunctionType) and hasattr(value, "loopspec_name"):
            out["callback"] = value.loopspec_name    # a callable made from a callback spec
        if isinstance(value, RecordingProtocol):     # a protocol made from a protocol spec
            out["protocol"] = value.factory.name
            out["instance"] = value.instance
        return out

    def answer(self, value, time_before, time_after):
        name, bases = type_info(value)
        out = {"value": self.encode(value), "type": name, "bases": bases,
               "time_before": time_before, "time_after": time_after}
        if self.resolved_times:
            out["resolved_times"] = self.resolved_times
        return out

    # -- targets ----------------------------------------------------------

    def loop(self):
        loop = self.scenario.loop
        if loop is None:
            raise ProtocolError("no loop: send new_loop first")
        return loop

    def resolve(self, target):
        """(object, its documented kinds) for a target."""
        if target == "loop":
            return self.loop(), ["loop"]
        if target in MODULES:
            return importlib.import_module(target), [target]
        if not isinstance(target, str):
            raise ProtocolError("a target is \"loop\", a module (%s) or an object id"
                                % ", ".join(MODULES))
        obj = self.refs.get(target)
        return obj, kinds_of(obj)

    def prepare(self, request):
        """Checks a call request; (bound function, args, kwargs, is_async)."""
        if not isinstance(request, dict):
            raise ProtocolError("a call is an object with target, name, args, kwargs")
        target = request.get("target", "loop")
        name = request.get("name")
        obj, kinds = self.resolve(target)
        sig = self.api.signature(kinds, name)
        if sig == "attribute":
            raise ProtocolError("%s is an attribute: read it with get" % name)
        if "asyncio" in kinds and name == "set_event_loop_policy":
            self.policy_set = True
        args = request.get("args", [])
        kwargs = request.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ProtocolError("args must be a list and kwargs an object")
        self.resolved_times = []
        self.callback_names = []
        fn = getattr(obj, name)   # AttributeError crosses: the loop lacks the method
        return (fn, [self.decode(a) for a in args],
                {k: self.decode(v) for k, v in kwargs.items()}, sig.startswith("async"))

    # -- operations -------------------------------------------------------

    def invoke(self, request, run):
        """Makes a call; (the value it returned, the answer to send).  `run(loop,
        awaitable)` awaits a coroutine method."""
        fn, args, kwargs, is_async = self.prepare(request)
        loop = self.scenario.loop
        before = loop.time() if loop is not None and not loop.is_closed() else None
        names = list(self.callback_names)
        result = fn(*args, **kwargs)
        if is_async and request.get("awaited", True) is not False:
            result = run(self.loop(), result)
        elif is_async and inspect.iscoroutine(result):
            self.scenario.coroutines.append(result)   # closed by end_scenario, never awaited
        after = loop.time() if loop is not None and not loop.is_closed() else None
        if names and ("Handle" in kinds_of(result) or "TimerHandle" in kinds_of(result)):
            # The cancel action names a callback: the handle most recently made for it.
            rid = self.refs.ref(result)     # outside the lock: new_id takes it
            with self.scenario.lock:
                for name in names:
                    self.scenario.latest_handle[name] = rid
        return result, self.answer(result, before, after)

    def call(self, request, run):
        """The call op; its answer lists the warnings the call raised, in order."""
        with warnings.catch_warnings(record=True) as caught:
            record_every_warning()
            answer = self.invoke(request, run)[1]
        answer["warnings"] = [{"type": w.category.__name__,
                               "bases": [c.__name__ for c in w.category.__mro__[1:]]}
                              for w in caught]
        return answer

    def attribute(self, request):
        """(object, name) of a documented attribute, as get and set take it."""
        obj, kinds = self.resolve(request.get("target", "loop"))
        name = request.get("name")
        if self.api.signature(kinds, name) != "attribute":
            raise ProtocolError("%s is a method, not an attribute: call it" % name)
        return obj, name

    def get(self, request):
        obj, name = self.attribute(request)
        value = getattr(obj, name)
        out = self.answer(value, None, None)
        if request.get("keep"):
            # The object itself, by ref, whatever it is: a list too (Server.sockets' copy).
            out["value"] = {"ref": self.refs.ref(value), "type": out["type"], "bases": out["bases"]}
        return out

    def set(self, request):
        obj, name = self.attribute(request)
        setattr(obj, name, self.decode(request.get("value")))
        return {}

    # -- async generator specs ---------------------------------------------

    def async_generator(self, body):
        """{"name": "G", "yields": [VALUE, ...]}: an async generator that yields the
        values and records {"event": "asyncgen_closed", "name": "G"} when it is
        closed (aclose(), or the loop's shutdown_asyncgens())."""
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise ProtocolError("an async generator spec is an object with a name and yields")
        name = body["name"]
        values = [self.decode(v) for v in body.get("yields", [])]
        record = self.record

        async def loopspec_async_generator():
            try:
                for value in values:
                    yield value
            finally:
                record({"event": "asyncgen_closed", "name": name})

        agen = loopspec_async_generator()
        # Kept alive by the refs until the scenario ends: garbage-collected, it would be
        # closed by the loop's finalizer hook, not by what the scenario checks.
        self.refs.ref(agen)
        return agen

    # -- coroutine specs --------------------------------------------------

    def coroutine(self, spec):
        coro = run_script(self, spec)
        self.scenario.coroutines.append(coro)
        return coro

    def record(self, event):
        self.scenario.record(event)

    # -- end of scenario --------------------------------------------------

    def close_all(self, note):
        """Closes what calls made that the loop does not own: executors the
        scenario created (without waiting: end_scenario joins threads),
        transports and sockets.  Before the loops are closed (selectors are
        closed after them: a loop cannot close over a closed selector)."""
        closed = False
        for obj in self.refs.objects():
            kinds = kinds_of(obj)
            try:
                if isinstance(obj, concurrent.futures.Executor):
                    obj.shutdown(wait=False)
                elif ("Transport" in kinds or "DatagramTransport" in kinds) and not obj.is_closing():
                    obj.abort()
                    closed = True
                elif "Server" in kinds:
                    obj.close()
                    closed = True
                elif isinstance(obj, socket.socket):
                    obj.close()
            except BaseException as exc:
                note("end_scenario: closing a %s raised %s: %s"
                     % (type(obj).__name__, type(exc).__name__, exc))
        loop = self.scenario.loop
        if closed and loop is not None and not loop.is_closed() and not loop.is_running():
            # A transport's socket is closed by connection_lost, which the loop calls soon:
            # without a refcounting collector (PyPy) nothing else would close it.
            for _ in range(2):
                try:
                    loop.run_until_complete(asyncio.sleep(0))
                except BaseException as exc:
                    note("end_scenario: running the loop once raised %s: %s" % (type(exc).__name__, exc))

    def loops_made(self, own):
        """Loops the scenario's calls made (new_event_loop(), a policy's
        new_event_loop(), get_event_loop() creating one), other than `own`:
        end_scenario closes them like the scenario's loop."""
        return [obj for obj in self.refs.objects()
                if isinstance(obj, asyncio.AbstractEventLoop) and obj not in own]

    def close_coroutines(self):
        """Selectors the calls made, async generators left open, and coroutine
        objects made from specs that no task ran to its end are closed quietly
        (no 'never awaited' warning).  After the loops are closed."""
        for obj in self.refs.objects():
            if isinstance(obj, selectors.BaseSelector):
                try:
                    obj.close()
                except BaseException:
                    pass
            if inspect.isasyncgen(obj):
                # Its finally has no await: one step of aclose() runs it to the end.
                try:
                    obj.aclose().send(None)
                except BaseException:
                    pass
        for coro in self.scenario.coroutines:
            try:
                coro.close()
            except BaseException:
                pass


class CoroutineSpec:
    """{"name": "C", "steps": [STEP, ...], "on_cancel": "raise" | "return"}"""

    STEPS = ("sleep", "await", "call", "return", "raise", "block", "anext")

    def __init__(self, body):
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise ProtocolError("a coroutine spec is an object with a name and steps")
        self.name = body["name"]
        self.steps = body.get("steps", [])
        if not isinstance(self.steps, list):
            raise ProtocolError("coroutine %s: steps must be a list" % self.name)
        for step in self.steps:
            if not isinstance(step, dict) or step.get("do") not in self.STEPS:
                raise ProtocolError("coroutine %s: a step is one of %s, got %r"
                                    % (self.name, ", ".join(self.STEPS), step))
        self.on_cancel = body.get("on_cancel", "raise")
        if self.on_cancel not in ("raise", "return"):
            raise ProtocolError("coroutine %s: on_cancel is \"raise\" or \"return\"" % self.name)


async def run_script(calls, spec):
    """The coroutine a spec describes.  Every step that produces a value records
    it; a CancelledError delivered at an await is recorded, then re-raised or
    swallowed as on_cancel says."""
    record = calls.record
    record({"event": "coroutine_started", "name": spec.name})
    last = None
    try:
        for step in spec.steps:
            do = step["do"]
            if do == "sleep":
                await asyncio.sleep(step.get("seconds", 0))
            elif do == "anext":
                # One iteration of an async generator (the first registers it with the loop).
                last = await calls.decode(step.get("value")).__anext__()
                record({"event": "anext", "name": spec.name, "value": calls.encode(last)})
            elif do == "block":
                time.sleep(step.get("seconds", 0))   # holds the loop's thread
            elif do == "await":
                last = await calls.decode(step.get("value"))
                record({"event": "awaited", "name": spec.name, "value": calls.encode(last)})
            elif do == "call":
                fn, args, kwargs, is_async = calls.prepare(step)
                last = fn(*args, **kwargs)
                if is_async:
                    last = await last
                record({"event": "step", "name": spec.name, "call": step.get("name"),
                        "value": calls.encode(last)})
            elif do == "return":
                value = calls.decode(step["value"]) if "value" in step else last
                record({"event": "coroutine_returned", "name": spec.name,
                        "value": calls.encode(value)})
                return value
            else:   # raise
                raise exception_class(step.get("exception"))(*step.get("args", []))
    except asyncio.CancelledError:
        record({"event": "coroutine_cancelled", "name": spec.name})
        if spec.on_cancel == "return":
            return None
        raise
    except BaseException as exc:
        name, bases = type_info(exc)
        record({"event": "coroutine_raised", "name": spec.name,
                "error": {"type": name, "bases": bases}})
        raise
    record({"event": "coroutine_returned", "name": spec.name, "value": None})
    return None


# --------------------------------------------------------------------------
# Protocol specs: protocols that record every call they receive.

class ProtocolFactory:
    """{"name": "P", "on": {"connection_made": [REACTION], "data_received": [...]}}"""

    REACTIONS = ("write_back", "write", "write_eof", "close", "abort",
                 "pause_reading", "resume_reading", "keep_open")

    def __init__(self, calls, body):
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise ProtocolError("a protocol spec is an object with a name")
        self.calls = calls
        self.name = body["name"]
        self.on = body.get("on", {})
        for reactions in self.on.values():
            for r in reactions:
                if not isinstance(r, dict) or r.get("do") not in self.REACTIONS:
                    raise ProtocolError("protocol %s: a reaction is one of %s, got %r"
                                        % (self.name, ", ".join(self.REACTIONS), r))
        self.made = 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.made += 1
            instance = self.made
        self.calls.record({"event": "protocol_made", "name": self.name, "instance": instance})
        return RecordingProtocol(self, instance)


class RecordingProtocol(asyncio.Protocol, asyncio.DatagramProtocol, asyncio.SubprocessProtocol):
    def __init__(self, factory, instance):
        self.factory = factory
        self.instance = instance
        self.transport = None

    def _event(self, method, **fields):
        calls = self.factory.calls
        event = {"event": "protocol", "name": self.factory.name, "instance": self.instance,
                 "method": method}
        for key, value in fields.items():
            event[key] = calls.encode(value) if key != "exc" else describe(value)
        calls.record(event)
        return self._react(method, fields.get("data"))

    def _react(self, method, data):
        keep_open = None
        for r in self.factory.on.get(method, []):
            do = r["do"]
            t = self.transport
            if do == "write_back" and data is not None:
                t.write(data)
            elif do == "write":
                t.write(self.factory.calls.decode(r.get("data")))
            elif do == "keep_open":
                keep_open = True
            else:
                getattr(t, do)()
        return keep_open

    def connection_made(self, transport):
        self.transport = transport
        self._event("connection_made", transport=transport)

    def data_received(self, data):
        self._event("data_received", data=data)

    def eof_received(self):
        return self._event("eof_received")

    def connection_lost(self, exc):
        self._event("connection_lost", exc=exc)

    def pause_writing(self):
        self._event("pause_writing")

    def resume_writing(self):
        self._event("resume_writing")

    def datagram_received(self, data, addr):
        self._event("datagram_received", data=data, addr=addr)

    def error_received(self, exc):
        self._event("error_received", exc=exc)

    def pipe_data_received(self, fd, data):
        self._event("pipe_data_received", fd=fd, data=data)

    def pipe_connection_lost(self, fd, exc):
        self._event("pipe_connection_lost", fd=fd, exc=exc)

    def process_exited(self):
        self._event("process_exited")


def describe(exc):
    if exc is None:
        return None
    name, bases = type_info(exc)
    errno = getattr(exc, "errno", None)
    return {"type": name, "bases": bases,
            "errno": errno if isinstance(errno, int) and not isinstance(errno, bool) else None}
