@loop.create_connection
Feature: loop.create_connection()
  Opens a TCP connection and couples it with a protocol. The peers here are echo servers of the
  kit's own on 127.0.0.1 and ::1 (so a loop's connections are checked whatever its servers do),
  on ports the kernel picks; every name looked up is "localhost". TLS (ssl, server_hostname,
  ssl_handshake_timeout) is transcribed with the TLS slice.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_connection

  Background:
    Given a new event loop
    And an echo server of the kit's listens on 127.0.0.1 at PORT

  @param:host @param:port
  Rule: "Open a streaming transport connection to a given address specified by host and port."

    Scenario Outline: a connection to <host> and the server's port carries data both ways
      When loop.create_connection(C, <host>, PORT) is awaited
      Then it returns a transport and protocol C
      When client C sends "ping"
      Then client C received "ping"

      Examples:
        | host        |
        | "127.0.0.1" |
        | "localhost" |

    # A name with several addresses: each is tried until one accepts. Whichever order the
    # resolver gives them in, one of these two has the refusing address first.
    @needs:dual-stack-localhost
    Scenario Outline: a connection to "localhost" is made on <address>, the one of its addresses that accepts
      Given an echo server of the kit's listens on <address> at ONLY
      When loop.create_connection(C, "localhost", ONLY) is awaited
      Then it returns a transport and protocol C
      And client C's transport gives the peername ("<address>", ONLY)

      Examples:
        | address   |
        | 127.0.0.1 |
        | ::1       |

  @param:family
  Rule: "The socket family can be either AF_INET or AF_INET6 depending on host (or the family argument, if provided)."

    Scenario Outline: a connection to <address> is made on an <family> socket
      Given an echo server of the kit's listens on <address> at TPORT
      When loop.create_connection(C, "<address>", TPORT) is awaited
      Then the socket of client C's transport is of family <family>

      Examples:
        | address   | family   |
        | 127.0.0.1 | AF_INET  |
        | ::1       | AF_INET6 |

    Example: a family the host has no address of is looked up in vain
      When loop.create_connection(C, "127.0.0.1", PORT, family=AF_INET6) is awaited
      Then it raises socket.gaierror

  Rule: "The socket type will be SOCK_STREAM."

    Example: the connection's socket is a stream socket
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then the socket of client C's transport is of type SOCK_STREAM

  @param:protocol_factory
  Rule: "This method will try to establish the connection in the background. When successful, it returns a (transport, protocol) pair."

    Example: it returns a (transport, protocol) tuple
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then it returns a tuple
      And it returns a transport and protocol C

    Example: a connection nobody accepts is refused with ConnectionRefusedError, an OSError
      Given the kit's echo server at PORT is closed
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then it raises a ConnectionRefusedError

  Rule: "The created transport is an implementation-dependent bidirectional stream."

    Example: the transport knows both ends: peername is the server's address, sockname its own
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then it returns a transport and protocol C
      And client C's transport gives the peername ("127.0.0.1", PORT)
      And client C's transport gives as sockname the address its socket is bound to

    Example: closing the transport reaches the protocol's connection_lost with None
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then it returns a transport and protocol C
      When client C closes its transport
      Then protocol C's connection was lost with None

    Example: the peer closing its end reaches eof_received, then connection_lost
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then it returns a transport and protocol C
      When the kit's echo server at PORT closes its connections
      Then protocol C had eof_received called, then connection_lost with None

    Example: all that is written reaches the peer, whole and in order, even more than the socket takes at once
      Given a sink server of the kit's listens on 127.0.0.1 at SINK
      When loop.create_connection(C, "127.0.0.1", SINK) is awaited
      Then it returns a transport and protocol C
      When client C writes 8 MiB of numbered bytes in one call
      Then the kit's sink server at SINK receives what client C wrote, whole and in order

  @param:protocol_factory
  Rule: "The chronological synopsis of the underlying operation is as follows: The connection is established and a transport is created for it. protocol_factory is called without arguments and is expected to return a protocol instance. The protocol instance is coupled with the transport by calling its connection_made() method. A (transport, protocol) tuple is returned on success."

    Example: the protocol is made once and coupled with the transport before the method returns
      Given task T awaits loop.create_connection(C, "127.0.0.1", PORT)
      When the loop runs until task T completes
      Then protocol C has been made 1 time
      And protocol C had connection_made called before loop.create_connection() returned in task T

    Example: when no connection is established the factory is never called
      Given the kit's echo server at PORT is closed
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then it raises a ConnectionRefusedError
      And protocol C has not been made

  @param:proto @param:flags
  Rule: "family, proto, flags are the optional address family, protocol and flags to be passed through to getaddrinfo() for host resolution."

    Example: the protocol reaches the lookup: TCP finds the server
      When loop.create_connection(C, "127.0.0.1", PORT, proto=IPPROTO_TCP) is awaited
      Then it returns a transport and protocol C

    Example: the flags reach the lookup: a name is refused where only numeric hosts are allowed
      When loop.create_connection(C, "localhost", PORT, flags=AI_NUMERICHOST) is awaited
      Then it raises socket.gaierror with the errno socket.EAI_NONAME

  @since:3.8 @param:happy_eyeballs_delay @param:interleave
  Rule: "happy_eyeballs_delay, if given, enables Happy Eyeballs for this connection."

    Scenario Outline: with <arguments> the connection is made
      When loop.create_connection(C, "localhost", PORT, <arguments>) is awaited
      Then it returns a transport and protocol C

      Examples:
        | arguments                              |
        | happy_eyeballs_delay=0.25              |
        | happy_eyeballs_delay=0.25, interleave=1 |
        | interleave=0                           |

  @param:sock
  Rule: "sock, if given, should be an existing, already connected socket.socket object to be used by the transport. If sock is given, none of host, port, family, proto, flags, happy_eyeballs_delay, interleave and local_addr should be specified."

    Example: an already connected socket becomes the connection
      Given socket K is a TCP socket connected to port PORT of 127.0.0.1
      When loop.create_connection(C, sock=K) is awaited
      Then it returns a transport and protocol C
      When client C sends "over K"
      Then client C received "over K"

    Example: a socket together with a host is refused with ValueError
      Given socket K is a TCP socket connected to port PORT of 127.0.0.1
      When loop.create_connection(C, "127.0.0.1", PORT, sock=K) is awaited
      Then it raises a ValueError

    Example: neither a host and port nor a socket is refused with ValueError
      When loop.create_connection(C) is awaited
      Then it raises a ValueError

  @param:local_addr
  Rule: "local_addr, if given, is a (local_host, local_port) tuple used to bind the socket locally."

    Example: the connection comes from the local address given
      Given LPORT is a free port of 127.0.0.1
      When loop.create_connection(C, "127.0.0.1", PORT, local_addr=("127.0.0.1", LPORT)) is awaited
      Then the socket of client C's transport is bound to 127.0.0.1
      And the kit's echo server at PORT was connected to from port LPORT

  @since:3.6
  Rule: "The socket option TCP_NODELAY is set by default for all TCP connections."

    Example: the connection's socket has TCP_NODELAY set
      When loop.create_connection(C, "127.0.0.1", PORT) is awaited
      Then the socket of client C's transport has TCP_NODELAY set
