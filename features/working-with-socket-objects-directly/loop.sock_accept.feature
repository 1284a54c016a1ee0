@loop.sock_accept
Feature: loop.sock_accept()
  Accepts a connection without blocking the loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_accept

  Background:
    Given a new event loop
    And socket L is a non-blocking TCP socket listening on 127.0.0.1, its port LPORT

  @param:sock
  Rule: "The socket must be bound to an address and listening for connections. The return value is a pair (conn, address) where conn is a new socket object usable to send and receive data on the connection, and address is the address bound to the socket on the other end of the connection."

    Example: a waiting connection is accepted as a new socket and the client's address
      Given socket C is a TCP socket connected to port LPORT of 127.0.0.1
      When loop.sock_accept(L) is awaited
      Then it returns a pair of a new socket, other than L, and the address of socket C

    Example: it waits for a connection while the loop goes on running other callbacks
      Given socket C is what socket.socket(AF_INET, SOCK_STREAM) returns
      And callback W will connect socket C to port LPORT of 127.0.0.1
      And callback W is scheduled with call_later after 0.05 seconds
      When loop.sock_accept(L) is awaited
      Then it returns a pair of a new socket, other than L, and the address of socket C
      And callback W ran exactly once

  @undefined
  Rule: "sock must be a non-blocking socket."

    Example: a blocking socket in debug mode, an outcome the page leaves open
      Given socket C is a TCP socket connected to port LPORT of 127.0.0.1
      And L.setblocking(True) is called
      And loop.set_debug(True) was called
      When loop.sock_accept(L) is awaited
      Then what happened is recorded

  @since:3.7
  Rule: "Even though the method was always documented as a coroutine method, before Python 3.7 it returned a Future. Since Python 3.7, this is an async def method."

    Example: what it returns is a coroutine
      When loop.sock_accept(L) is called without awaiting it
      Then asyncio.iscoroutine() accepts it

  @until:3.6
  Rule: "Even though the method was always documented as a coroutine method, before Python 3.7 it returned a Future."

    Example: what it returns is an asyncio.Future
      When loop.sock_accept(L) is called without awaiting it
      Then it returns an asyncio.Future
