@loop.sock_recv
Feature: loop.sock_recv()
  Receives from a socket without blocking the loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_recv

  Background:
    Given a new event loop
    And a connected socket pair S and T
    And socket S is non-blocking

  @param:sock @param:nbytes
  Rule: "Receive up to nbytes from sock. Asynchronous version of socket.recv()."

    Example: what has arrived is received
      Given socket T has sent "abc"
      When loop.sock_recv(S, 100) is awaited
      Then it returns the bytes "abc"

    Example: no more than nbytes are received; the rest waits for the next call
      Given socket T has sent "abcdef"
      When loop.sock_recv(S, 4) is awaited
      Then it returns the bytes "abcd"
      When loop.sock_recv(S, 100) is awaited
      Then it returns the bytes "ef"

    Example: it waits for data while the loop goes on running other callbacks
      Given callback W will send "late" on socket T
      And callback W is scheduled with call_later after 0.05 seconds
      When loop.sock_recv(S, 100) is awaited
      Then it returns the bytes "late"
      And callback W ran exactly once

    Example: at the end of the stream, as socket.recv(), it returns empty bytes
      Given T.close() is called
      When loop.sock_recv(S, 100) is awaited
      Then it returns the bytes ""

  Rule: "Return the received data as a bytes object."

    Example: the data comes back as bytes
      Given socket T has sent "xyz"
      When loop.sock_recv(S, 100) is awaited
      Then it returns a bytes

  # The page asks for a non-blocking socket and does not say what a blocking one gets: CPython,
  # PyPy, uvloop and the reference refuse it with ValueError in debug mode, and use it as it is
  # otherwise. Recorded with data already there, so that a loop that reads it cannot block.
  @undefined
  Rule: "sock must be a non-blocking socket."

    Example: a blocking socket in debug mode, an outcome the page leaves open
      Given S.setblocking(True) is called
      And loop.set_debug(True) was called
      And socket T has sent "abc"
      When loop.sock_recv(S, 100) is awaited
      Then what happened is recorded

    Example: a blocking socket outside debug mode, an outcome the page leaves open
      Given S.setblocking(True) is called
      And loop.set_debug(False) was called
      And socket T has sent "abc"
      When loop.sock_recv(S, 100) is awaited
      Then what happened is recorded

  @since:3.7
  Rule: "Even though this method was always documented as a coroutine method, releases before Python 3.7 returned a Future. Since Python 3.7 this is an async def method."

    Example: what it returns is a coroutine
      When loop.sock_recv(S, 100) is called without awaiting it
      Then asyncio.iscoroutine() accepts it

  @until:3.6
  Rule: "Even though this method was always documented as a coroutine method, releases before Python 3.7 returned a Future."

    Example: what it returns is an asyncio.Future
      When loop.sock_recv(S, 100) is called without awaiting it
      Then it returns an asyncio.Future
