@loop.sock_connect
Feature: loop.sock_connect()
  Connects a socket without blocking the loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_connect

  Background:
    Given a new event loop
    And an echo server of the kit's listens on 127.0.0.1 at PORT
    And socket C is a non-blocking TCP socket

  @param:sock @param:address
  Rule: "Connect sock to a remote socket at address. Asynchronous version of socket.connect()."

    Example: the socket is connected to the address
      When loop.sock_connect(C, ("127.0.0.1", PORT)) is awaited
      Then it returns None
      And socket C is connected to port PORT of 127.0.0.1

    Example: an address nobody listens on is refused with ConnectionRefusedError, as socket.connect() refuses it
      Given the kit's echo server at PORT is closed
      When loop.sock_connect(C, ("127.0.0.1", PORT)) is awaited
      Then it raises a ConnectionRefusedError

  @since:3.5.2
  Rule: "address no longer needs to be resolved. sock_connect will try to check if the address is already resolved by calling socket.inet_pton(). If not, loop.getaddrinfo() will be used to resolve the address."

    Example: a host name is resolved, and the socket connected to its address
      When loop.sock_connect(C, ("localhost", PORT)) is awaited
      Then it returns None
      And socket C is connected to port PORT of 127.0.0.1

  @undefined
  Rule: "sock must be a non-blocking socket."

    Example: a blocking socket in debug mode, an outcome the page leaves open
      Given C.setblocking(True) is called
      And loop.set_debug(True) was called
      When loop.sock_connect(C, ("127.0.0.1", PORT)) is awaited
      Then what happened is recorded
