@loop.create_server
Feature: loop.create_server()
  Makes a TCP server: listening sockets on the host's addresses and a protocol per accepted
  connection. Servers here listen on 127.0.0.1 and ::1 (or, where the page speaks of all
  interfaces, on the wildcard addresses, with no client but the loopback ones), always on a
  port the kernel picks.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server

  Background:
    Given a new event loop

  @param:host @param:port
  Rule: "Create a TCP server (socket type SOCK_STREAM) listening on port of the host address."

    Example: a client's connection reaches the server, and data flows both ways
      Given protocol P writes back what it receives
      And server S is what loop.create_server(P, "127.0.0.1", 0) returns
      When client C connects to server S
      And client C sends "hello"
      Then protocol P received "hello"
      And client C received "hello"

    Example: its sockets are stream sockets
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      Then the listening sockets of server S are of type SOCK_STREAM

  Rule: "Returns a Server object."

    Example: it returns an asyncio.Server
      When loop.create_server(P, "127.0.0.1", 0) is awaited
      Then it returns an asyncio.Server

  @param:protocol_factory
  Rule: "protocol_factory must be a callable returning a protocol implementation."

    Example: each accepted connection gets a protocol of its own from the factory
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      When client C connects to server S
      And client D connects to server S
      Then protocol P has been made 2 times
      And each protocol P had connection_made called once

  @param:host
  Rule: "If host is a string, the TCP server is bound to a single network interface specified by host."

    Scenario Outline: a server on <host> listens there only
      Given server S is what loop.create_server(P, "<host>", 0) returns
      Then server S listens on <host> only

      Examples:
        | host      |
        | 127.0.0.1 |
        | ::1       |

  @since:3.5.1 @param:host
  Rule: "If host is a sequence of strings, the TCP server is bound to all network interfaces specified by the sequence."

    Example: a server on two addresses listens on both, and each accepts
      Given server S is what loop.create_server(P, ["127.0.0.1", "::1"], 0) returns
      Then server S listens on 127.0.0.1 and ::1
      When client C connects to server S on ::1
      Then protocol P has been made 1 time

  @param:host
  Rule: "If host is an empty string or None, all interfaces are assumed and a list of multiple sockets will be returned (most likely one for IPv4 and another one for IPv6)."

    Scenario Outline: with host <host> it listens on every interface
      Given server S is what loop.create_server(P, <host>, 0) returns
      Then server S listens on 0.0.0.0 and ::

      Examples:
        | host |
        | None |
        | ""   |

  @param:port
  Rule: "If 0 or None (the default), a random unused port will be selected (note that if host resolves to multiple network interfaces, a different random port will be selected for each interface)."

    Scenario Outline: with port <port> a free port is chosen
      Given server S is what loop.create_server(P, "127.0.0.1", <port>) returns
      Then server S listens on a port other than 0

      Examples:
        | port |
        | 0    |
        | None |

    Example: with several interfaces, each gets a port of its own
      Given server S is what loop.create_server(P, ["127.0.0.1", "::1"], 0) returns
      Then the sockets of server S listen on different ports

  @param:family
  Rule: "family can be set to either socket.AF_INET or AF_INET6 to force the socket to use IPv4 or IPv6."

    Scenario Outline: family <family> keeps only the <which> interfaces of all of them
      Given server S is what loop.create_server(P, None, 0, family=<family>) returns
      Then server S listens on <address> only

      Examples:
        | family   | which | address |
        | AF_INET  | IPv4  | 0.0.0.0 |
        | AF_INET6 | IPv6  | ::      |

  @param:flags
  Rule: "flags is a bitmask for getaddrinfo()."

    Example: the flags reach the lookup of the host
      When loop.create_server(P, "localhost", 0, flags=AI_NUMERICHOST) is awaited
      Then it raises socket.gaierror with the errno socket.EAI_NONAME

  @param:sock
  Rule: "sock can optionally be specified in order to use a preexisting socket object. If specified, host and port must not be specified."

    Example: a server made on a listening socket of the caller's serves its connections
      Given socket L is a TCP socket bound to 127.0.0.1 and listening
      And server S is what loop.create_server(P, sock=L) returns
      When client C connects to server S
      Then protocol P has been made 1 time

    Example: a socket together with a host is refused with ValueError
      Given socket L is a TCP socket bound to 127.0.0.1 and listening
      When loop.create_server(P, "127.0.0.1", 0, sock=L) is awaited
      Then it raises a ValueError

  @param:backlog
  Rule: "backlog is the maximum number of queued connections passed to listen() (defaults to 100)."

    Example: while the loop does not run, the kernel queues about backlog connections and no more
      Given server S is what loop.create_server(P, "127.0.0.1", 0, backlog=2) returns
      When 12 connections to server S are attempted while the loop does not run
      Then at most 3 of them are established

    Example: by default the backlog queues many more connections
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      When 12 connections to server S are attempted while the loop does not run
      Then all of them are established

  @param:reuse_address
  Rule: "reuse_address tells the kernel to reuse a local socket in TIME_WAIT state, without waiting for its natural timeout to expire. If not specified will automatically be set to True on Unix."

    Example: left out, SO_REUSEADDR is set on the listening sockets
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      Then the listening sockets of server S have SO_REUSEADDR set

    Example: with reuse_address=False, SO_REUSEADDR is not set
      Given server S is what loop.create_server(P, "127.0.0.1", 0, reuse_address=False) returns
      Then the listening sockets of server S do not have SO_REUSEADDR set

  @param:reuse_port
  Rule: "reuse_port tells the kernel to allow this endpoint to be bound to the same port as other existing endpoints are bound to, so long as they all set this flag when being created."

    Example: two servers with reuse_port share a port
      Given server S is what loop.create_server(P, "127.0.0.1", 0, reuse_port=True) returns
      And PORT is the port server S listens on
      When loop.create_server(Q, "127.0.0.1", PORT, reuse_port=True) is awaited
      Then it returns an asyncio.Server

    Example: without reuse_port the second server cannot have the port
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      And PORT is the port server S listens on
      When loop.create_server(Q, "127.0.0.1", PORT) is awaited
      Then it raises an OSError with the errno EADDRINUSE

  @since:3.7 @param:start_serving
  Rule: "start_serving set to True (the default) causes the created server to start accepting connections immediately. When set to False, the user should await on Server.start_serving() or Server.serve_forever() to make the server to start accepting connections."

    Example: by default the server accepts at once
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      When client C connects to server S
      Then protocol P has been made 1 time

    Example: with start_serving=False it accepts nothing until start_serving() is awaited
      Given server S is what loop.create_server(P, "127.0.0.1", 0, start_serving=False) returns
      When client C tries to connect to server S
      Then protocol P has not been made
      When S.start_serving() is awaited
      And client D connects to server S
      Then protocol P has been made 1 time

  @since:3.6
  Rule: "The socket option TCP_NODELAY is set by default for all TCP connections."

    Example: an accepted connection has TCP_NODELAY set
      Given server S is what loop.create_server(P, "127.0.0.1", 0) returns
      When client C connects to server S
      Then the socket of protocol P's transport has TCP_NODELAY set
