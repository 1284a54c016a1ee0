@loop.create_unix_server @needs:unix-sockets
Feature: loop.create_unix_server()
  create_server() for Unix domain sockets: a server listening on a path of the file system
  (in the driver's own temporary directory) or on an abstract name.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server

  Background:
    Given a new event loop

  @param:path @param:protocol_factory
  Rule: "Similar to loop.create_server() but works with the AF_UNIX socket family."

    Example: a client's connection to the path reaches a protocol from the factory
      Given protocol P writes back what it receives
      And server S is what loop.create_unix_server(P, a new socket path) returns
      When client C connects to the path of server S
      And client C sends "hello"
      Then protocol P received "hello"
      And client C received "hello"
      And protocol P has been made 1 time

  @param:path @param:sock
  Rule: "path is the name of a Unix domain socket, and is required, unless a sock argument is provided."

    Example: without a path or a socket it raises ValueError
      When loop.create_unix_server(P) is awaited
      Then it raises a ValueError

    Example: a server made on a bound Unix socket of the caller's serves its connections
      Given socket L is a Unix socket bound to a new socket path and listening
      And server S is what loop.create_unix_server(P, sock=L) returns
      When client C connects to the path of server S
      Then protocol P has been made 1 time

    Example: a path together with a socket is refused with ValueError
      Given socket L is a Unix socket bound to a new socket path and listening
      When loop.create_unix_server(P, a new socket path, sock=L) is awaited
      Then it raises a ValueError

  @param:path
  Rule: "Abstract Unix sockets, str, bytes, and Path paths are supported."

    Scenario Outline: a server on <what> accepts connections
      Given server S is what loop.create_unix_server(P, <path>) returns
      When client C connects to the path of server S
      Then protocol P has been made 1 time

      Examples:
        | what                    | path                          |
        | a str path              | a new socket path             |
        | a bytes path            | a new socket path as bytes    |
        | an abstract socket name | a new abstract socket name    |

    Example: a server on an abstract name is bound to that name, not to a file
      Given server S is what loop.create_unix_server(P, a new abstract socket name) returns
      Then the socket of server S is bound to an abstract name

  @since:3.7 @param:path
  Rule: "The path parameter can now be a Path object."

    Example: a server on a pathlib.Path accepts connections
      Given server S is what loop.create_unix_server(P, a new socket path as a pathlib.Path) returns
      When client C connects to the path of server S
      Then protocol P has been made 1 time

  Rule: "See the documentation of the loop.create_server() method for information about arguments to this method."

    @param:backlog
    Example: while the loop does not run, the kernel queues about backlog connections and no more
      Given server S is what loop.create_unix_server(P, a new socket path, backlog=2) returns
      When 12 connections to the path of server S are attempted while the loop does not run
      Then at most 3 of them are established

    @since:3.7 @param:start_serving
    Example: with start_serving=False it accepts nothing until start_serving() is awaited
      Given server S is what loop.create_unix_server(P, a new socket path, start_serving=False) returns
      Then server S is not serving
      When S.start_serving() is awaited
      And client C connects to the path of server S
      Then protocol P has been made 1 time
