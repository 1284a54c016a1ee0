@loop.sock_sendall
Feature: loop.sock_sendall()
  Sends all of the data on a socket without blocking the loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_sendall

  Background:
    Given a new event loop

  @param:sock @param:data
  Rule: "Send data to the sock socket. Asynchronous version of socket.sendall()."

    Example: the data reaches the other end
      Given a connected socket pair S and T
      And socket S is non-blocking
      When loop.sock_sendall(S, b"abc") is awaited
      When T.recv(100) is called
      Then it returns the bytes "abc"

  @param:data
  Rule: "This method continues to send to the socket until either all data in data has been sent or an error occurs. None is returned on success."

    Example: much more than the socket takes at once all arrives, whole and in order
      Given a sink server of the kit's listens on 127.0.0.1 at PORT
      And socket C is a TCP socket connected to port PORT of 127.0.0.1
      And socket C is non-blocking
      When 8 MiB of numbered bytes are sent on socket C with loop.sock_sendall()
      Then it returns None
      And the kit's sink server at PORT receives what socket C sent, whole and in order

    Example: on success it returns None
      Given a connected socket pair S and T
      And socket S is non-blocking
      When loop.sock_sendall(S, b"abc") is awaited
      Then it returns None

  Rule: "On error, an exception is raised."

    Example: sending on a socket whose peer is gone raises an OSError
      Given a connected socket pair S and T
      And socket S is non-blocking
      And T.close() is called
      When loop.sock_sendall(S, b"abc") is awaited
      Then it raises an OSError

  @undefined
  Rule: "sock must be a non-blocking socket."

    Example: a blocking socket in debug mode, an outcome the page leaves open
      Given a connected socket pair S and T
      And loop.set_debug(True) was called
      When loop.sock_sendall(S, b"abc") is awaited
      Then what happened is recorded

    Example: a blocking socket outside debug mode, an outcome the page leaves open
      Given a connected socket pair S and T
      And loop.set_debug(False) was called
      When loop.sock_sendall(S, b"abc") is awaited
      Then what happened is recorded

  @since:3.7
  Rule: "Even though the method was always documented as a coroutine method, before Python 3.7 it returned an Future. Since Python 3.7, this is an async def method."

    Example: what it returns is a coroutine
      Given a connected socket pair S and T
      And socket S is non-blocking
      When loop.sock_sendall(S, b"abc") is called without awaiting it
      Then asyncio.iscoroutine() accepts it

  @until:3.6
  Rule: "Even though the method was always documented as a coroutine method, before Python 3.7 it returned an Future."

    Example: what it returns is an asyncio.Future
      Given a connected socket pair S and T
      And socket S is non-blocking
      When loop.sock_sendall(S, b"abc") is called without awaiting it
      Then it returns an asyncio.Future
