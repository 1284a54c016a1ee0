"""The bench op's trials (adapters/PROTOCOL.md, "bench"; npm run bench).

Each runs on the loop it is given and returns what it measured as the
answer's fields, timed here so that the protocol round trip is not in the
figures.  The driver checks the arguments and adds peak_rss_bytes.

Standard library only; the syntax stays at what Python 3.6 accepts.
"""

import asyncio
import os
import socket
import sys
import time

BENCH_BATCH = 1000   # call_soon: callbacks scheduled per link of the chain


def call_soon(loop, n):
    count = [0]

    def tick():
        count[0] += 1
        if count[0] == n:
            loop.stop()

    def feed(left):
        batch = min(left, BENCH_BATCH)
        for _ in range(batch):
            loop.call_soon(tick)
        if left > batch:
            loop.call_soon(feed, left - batch)

    start = time.perf_counter()
    loop.call_soon(feed, n)
    loop.run_forever()
    return {"seconds": time.perf_counter() - start}


def call_later(loop, n):
    count = [0]

    def fire():
        count[0] += 1
        if count[0] == n:
            loop.stop()

    rss_before = current_rss()
    start = time.perf_counter()
    for i in range(n):
        loop.call_later(0.05 * i / n, fire)
    # All n timers pending, none fired yet: the memory they hold.  Read inside
    # the timing, where one file read is nothing beside n call_later calls.
    rss_pending = current_rss()
    loop.run_forever()
    return {"seconds": time.perf_counter() - start,
            "rss_before_bytes": rss_before, "rss_pending_bytes": rss_pending}


def cancel(loop, n):
    def never():
        pass

    start = time.perf_counter()
    handles = [loop.call_later(10.0, never) for _ in range(n)]
    for handle in handles:
        handle.cancel()
    loop.call_soon(loop.stop)
    loop.run_forever()
    return {"seconds": time.perf_counter() - start}


# The trials that take n.
TIMED = {"call_soon": call_soon, "call_later": call_later, "cancel": cancel}


def peak_rss():
    """The process's peak resident set size so far, in bytes."""
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024   # Linux counts KiB


def current_rss():
    """The process's resident set size now, or None where /proc does not say."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


# --------------------------------------------------------------------------
# tcp_echo: the echo_server trial starts the server, the serve trial runs the
# loop while the kit's client (bench/loadgen.c) talks to it.

class Echo(asyncio.Protocol):
    """Writes back what it receives and does nothing else (a protocol spec
    records every event: that would be the measurement)."""

    def __init__(self, live):
        self.live = live
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.live.add(transport)

    def data_received(self, data):
        self.transport.write(data)

    def connection_lost(self, exc):
        self.live.discard(self.transport)


class Serving:
    """What both echo servers share: serve() runs the loop while the client
    talks to the server, then the server's close() ends it."""

    def serve(self, seconds):
        """Runs the loop for `seconds` (the client's time), then closes."""
        try:
            start = time.perf_counter()
            self.loop.call_later(seconds, self.loop.stop)
            self.loop.run_forever()
            return {"seconds": time.perf_counter() - start}
        finally:
            self.close()


class EchoServer(Serving):
    """loop.create_server(Echo, "127.0.0.1", 0), open until serve() (or the
    driver's end_scenario) closes it."""

    def __init__(self, loop):
        self.loop = loop
        self.live = set()   # transports whose connection_lost has not come yet
        self.server = loop.run_until_complete(
            loop.create_server(lambda: Echo(self.live), "127.0.0.1", 0))

    def port(self):
        return self.server.sockets[0].getsockname()[1]


    def close(self):
        # The client has normally closed its connections by now; any it left
        # are aborted, so that wait_closed (3.12: until all are gone) ends.
        self.server.close()
        for transport in list(self.live):
            transport.abort()
        self.loop.run_until_complete(self.server.wait_closed())


# --------------------------------------------------------------------------
# sock_echo: the same echo server written with the socket methods, one task
# per connection (sock_accept, then sock_recv / sock_sendall until EOF), as
# many applications and loops' own test suites write one.

READ_SIZE = 256 * 1024      # what asyncio's transports read at once


class SockEchoServer(Serving):
    """A non-blocking listening socket on 127.0.0.1, an accept task, and a
    task per connection; open until serve() (or end_scenario) closes it."""

    def __init__(self, loop):
        self.loop = loop
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.listener.setblocking(False)
        self.conns = set()
        self.tasks = set()
        self.acceptor = loop.create_task(self.accept())

    async def accept(self):
        while True:
            conn, _ = await self.loop.sock_accept(self.listener)
            conn.setblocking(False)
            self.conns.add(conn)
            task = self.loop.create_task(self.echo(conn))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def echo(self, conn):
        try:
            while True:
                data = await self.loop.sock_recv(conn, READ_SIZE)
                if not data:
                    break
                await self.loop.sock_sendall(conn, data)
        except OSError:
            pass                # the client went away mid-write
        finally:
            self.conns.discard(conn)
            conn.close()

    def port(self):
        return self.listener.getsockname()[1]


    def close(self):
        tasks = [self.acceptor] + list(self.tasks)
        for task in tasks:
            task.cancel()
        if not self.loop.is_closed() and not self.loop.is_running():
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        for conn in list(self.conns):
            conn.close()
        self.listener.close()
