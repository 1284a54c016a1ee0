@loop.create_unix_connection @needs:unix-sockets
Feature: loop.create_unix_connection()
  Opens a connection to a Unix domain socket: an echo server of the kit's own on a path in a
  directory of the kit's, or a socket listening on a path or an abstract name that the driver's
  socket module made (so a loop's connections are checked whatever its servers do).
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_connection

  Background:
    Given a new event loop

  @param:protocol_factory
  Rule: "Create a Unix connection. The socket family will be AF_UNIX; socket type will be SOCK_STREAM."

    Example: the connection's socket is an AF_UNIX stream socket, and it carries data both ways
      Given SOCKET is a new socket path
      And an echo server of the kit's listens on SOCKET
      When loop.create_unix_connection(C, SOCKET) is awaited
      Then it returns a transport and protocol C
      When client C sends "ping"
      Then client C received "ping"
      And the socket of client C's transport is of family AF_UNIX
      And the socket of client C's transport is of type SOCK_STREAM

  Rule: "A tuple of (transport, protocol) is returned on success."

    Example: it returns the transport it gave the protocol, and the protocol, as a tuple
      Given SOCKET is a new socket path
      And an echo server of the kit's listens on SOCKET
      When loop.create_unix_connection(C, SOCKET) is awaited
      Then it returns a tuple
      And it returns a transport and protocol C

  @param:path @param:sock
  Rule: "path is the name of a Unix domain socket and is required, unless a sock parameter is specified."

    Example: without a path or a socket it raises ValueError
      When loop.create_unix_connection(C) is awaited
      Then it raises a ValueError

    Example: an already connected Unix socket becomes the connection
      Given SOCKET is a new socket path
      And an echo server of the kit's listens on SOCKET
      And socket K is a Unix socket connected to SOCKET
      When loop.create_unix_connection(C, sock=K) is awaited
      Then it returns a transport and protocol C

    Example: a path nothing listens on raises FileNotFoundError, an OSError
      When loop.create_unix_connection(C, a new socket path) is awaited
      Then it raises a FileNotFoundError

  @param:path
  Rule: "Abstract Unix sockets, str, bytes, and Path paths are supported."

    Scenario Outline: a connection to a socket listening on <what> is made
      Given SOCKET is <address>
      And socket L is a Unix socket bound to SOCKET and listening
      When loop.create_unix_connection(C, SOCKET) is awaited
      Then it returns a transport and protocol C

      Examples:
        | what                    | address                    |
        | a str path              | a new socket path          |
        | a bytes path            | a new socket path as bytes |
        | an abstract socket name | a new abstract socket name |

  @since:3.7 @param:path
  Rule: "The path parameter can now be a path-like object."

    Example: a connection to a pathlib.Path is made
      Given SOCKET is a new socket path as a pathlib.Path
      And socket L is a Unix socket bound to SOCKET and listening
      When loop.create_unix_connection(C, SOCKET) is awaited
      Then it returns a transport and protocol C
