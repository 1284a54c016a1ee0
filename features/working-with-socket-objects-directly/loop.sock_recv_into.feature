@loop.sock_recv_into @since:3.7
Feature: loop.sock_recv_into()
  Receives from a socket into a buffer, without blocking the loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_recv_into

  Background:
    Given a new event loop
    And a connected socket pair S and T
    And socket S is non-blocking
    And B is a new buffer of 10 bytes

  @param:sock @param:buf
  Rule: "Receive data from sock into the buf buffer. Modeled after the blocking socket.recv_into() method."

    Example: what has arrived is written at the start of the buffer
      Given socket T has sent "abc"
      When loop.sock_recv_into(S, B) is awaited
      Then buffer B holds "abc" followed by 7 zero bytes

    Example: no more than the buffer holds is received; the rest waits for the next call
      Given socket T has sent "0123456789XY"
      When loop.sock_recv_into(S, B) is awaited
      Then buffer B holds "0123456789" followed by 0 zero bytes
      When loop.sock_recv(S, 100) is awaited
      Then it returns the bytes "XY"

    Example: it waits for data while the loop goes on running other callbacks
      Given callback W will send "late" on socket T
      And callback W is scheduled with call_later after 0.05 seconds
      When loop.sock_recv_into(S, B) is awaited
      Then buffer B holds "late" followed by 6 zero bytes

  Rule: "Return the number of bytes written to the buffer."

    Example: the count of bytes received is returned
      Given socket T has sent "abc"
      When loop.sock_recv_into(S, B) is awaited
      Then it returns 3

    Example: a full buffer's count is its size
      Given socket T has sent "0123456789XY"
      When loop.sock_recv_into(S, B) is awaited
      Then it returns 10

  @undefined
  Rule: "sock must be a non-blocking socket."

    Example: a blocking socket in debug mode, an outcome the page leaves open
      Given S.setblocking(True) is called
      And loop.set_debug(True) was called
      And socket T has sent "abc"
      When loop.sock_recv_into(S, B) is awaited
      Then what happened is recorded
