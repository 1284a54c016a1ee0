@loop.create_datagram_endpoint
Feature: loop.create_datagram_endpoint()
  Makes a datagram endpoint: a SOCK_DGRAM socket (UDP on 127.0.0.1 and ::1, or AF_UNIX on a path
  in a directory of the kit's), a transport whose sendto() sends datagrams, and a protocol whose
  datagram_received() gets them. The far end is a UDP endpoint of the kit's own (so a loop's
  endpoints are checked whatever else it does), on ports the kernel picks; nothing leaves the
  host, and nothing is sent to a broadcast address (allow_broadcast is checked on the socket).

  Where the page is wrong, or says less than the interpreters do:
  - "depending on host": the method has no host parameter. The family comes from what local_addr
    and remote_addr resolve to, or from the family argument; AF_UNIX only from family=AF_UNIX,
    and then local_addr and remote_addr are paths (str), not (host, port) tuples.
  - The 3.4.4 note lists family, proto and flags among the parameters added then: the 3.4 page
    already has them. 3.4.4 added reuse_address, reuse_port, allow_broadcast and sock.
  - The 3.8.1 note: the same change (bpo-37228) came with 3.7.6 (and 3.6.10, 3.5.10), so 3.7.6 and
    later 3.7 releases do not do what the 3.7 page says of reuse_address either
    (adapters/python/expectations/cpython.json). From 3.8.1 to 3.10, reuse_address=True raises
    ValueError and reuse_address=False is accepted with a DeprecationWarning; 3.11 removed the
    parameter, so passing it at all (True, False or None) is a TypeError.
  - The second sentence of the reuse_address note (packets spread over the sockets of several
    UIDs) describes the kernel, with processes of several users: not something a loop does, and
    not checked.
  - "If the SO_REUSEPORT constant is not defined then this capability is unsupported": Linux
    defines it; not checked.
  - Neither an address nor a family (create_datagram_endpoint(P) alone) is left open by the page;
    every loop here raises ValueError. Not checked.
  uvloop: no AF_UNIX endpoints, and reuse_address=True raises ValueError on every Python
  (notes/interpreters.md, "Datagram endpoints").
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_datagram_endpoint

  Background:
    Given a new event loop

  @param:remote_addr
  Rule: "Create a datagram connection."

    Scenario Outline: an endpoint connected to the kit's UDP endpoint on <host> exchanges datagrams with it
      Given a UDP echo endpoint of the kit's is bound to <host> at PORT
      When loop.create_datagram_endpoint(C, remote_addr=("<host>", PORT)) is awaited
      Then it returns a transport and protocol C
      When endpoint C sends the datagram "ping"
      Then the kit's UDP endpoint at PORT received the datagram "ping" from endpoint C
      And protocol C received the datagram "ping" from ("<host>", PORT)

      Examples:
        | host      |
        | 127.0.0.1 |
        | ::1       |

    @since:3.7 @needs:unix-sockets @param:local_addr @param:family
    Example: two AF_UNIX endpoints exchange a datagram through a socket path
      Given SOCKET is a new socket path
      When loop.create_datagram_endpoint(R, local_addr=SOCKET, family=AF_UNIX) is awaited
      Then it returns a transport and protocol R
      When loop.create_datagram_endpoint(C, remote_addr=SOCKET, family=AF_UNIX) is awaited
      Then it returns a transport and protocol C
      When endpoint C sends the datagram "over the path"
      Then protocol R received the datagram "over the path"

  @param:family @param:local_addr
  Rule: "The socket family can be either AF_INET, AF_INET6, or AF_UNIX, depending on host (or the family argument, if provided)."

    Scenario Outline: an endpoint bound to <host> is on an <family> socket
      When loop.create_datagram_endpoint(C, local_addr=("<host>", 0)) is awaited
      Then the socket of endpoint C's transport is of family <family>

      Examples:
        | host      | family   |
        | 127.0.0.1 | AF_INET  |
        | ::1       | AF_INET6 |

    Example: the family argument alone makes an endpoint of that family
      When loop.create_datagram_endpoint(C, family=AF_INET6) is awaited
      Then it returns a transport and protocol C
      And the socket of endpoint C's transport is of family AF_INET6

    Example: an address of another family than the one given is looked up in vain
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), family=AF_INET6) is awaited
      Then it raises socket.gaierror

    @since:3.7 @needs:unix-sockets
    Example: with family=AF_UNIX, a socket path makes an AF_UNIX endpoint
      When loop.create_datagram_endpoint(C, local_addr=a new socket path, family=AF_UNIX) is awaited
      Then it returns a transport and protocol C
      And the socket of endpoint C's transport is of family AF_UNIX

  Rule: "The socket type will be SOCK_DGRAM."

    Scenario Outline: an endpoint on <host> has a datagram socket
      When loop.create_datagram_endpoint(C, local_addr=("<host>", 0)) is awaited
      Then the socket of endpoint C's transport is of type SOCK_DGRAM

      Examples:
        | host      |
        | 127.0.0.1 |
        | ::1       |

    @since:3.7 @needs:unix-sockets
    Example: an AF_UNIX endpoint has a datagram socket
      When loop.create_datagram_endpoint(C, local_addr=a new socket path, family=AF_UNIX) is awaited
      Then the socket of endpoint C's transport is of type SOCK_DGRAM

  @param:protocol_factory
  Rule: "protocol_factory must be a callable returning a protocol implementation."

    Example: the factory is called once, and its protocol is coupled with the transport before the method returns
      Given task T awaits loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0))
      When the loop runs until task T completes
      Then protocol C has been made 1 time
      And protocol C had connection_made called before loop.create_datagram_endpoint() returned in task T

    Example: when the address cannot be had, the factory is never called
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), family=AF_INET6) is awaited
      Then it raises socket.gaierror
      And protocol C has not been made

  Rule: "A tuple of (transport, protocol) is returned on success."

    Example: it returns the transport it gave the protocol, and the protocol, as a tuple
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then it returns a tuple
      And it returns a transport and protocol C

  @param:local_addr
  Rule: "local_addr, if given, is a (local_host, local_port) tuple used to bind the socket locally. The local_host and local_port are looked up using getaddrinfo()."

    Example: the endpoint's socket is bound to the local address given, and receives there
      Given LPORT is a free UDP port of 127.0.0.1
      And a UDP echo endpoint of the kit's is bound to 127.0.0.1 at PORT
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", LPORT)) is awaited
      Then the socket of endpoint C's transport is bound to ("127.0.0.1", LPORT)
      When the kit's UDP endpoint at PORT sends the datagram "hello" to port LPORT of 127.0.0.1
      Then protocol C received the datagram "hello" from ("127.0.0.1", PORT)

    Example: the local host is looked up: "localhost" binds to the loopback address
      When loop.create_datagram_endpoint(C, local_addr=("localhost", 0), family=AF_INET) is awaited
      Then the socket of endpoint C's transport is bound to 127.0.0.1

    Example: an endpoint with only a local address sends where sendto() is told to
      Given a UDP echo endpoint of the kit's is bound to 127.0.0.1 at PORT
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then it returns a transport and protocol C
      When endpoint C sends the datagram "to you" to the kit's UDP endpoint at PORT
      Then the kit's UDP endpoint at PORT received the datagram "to you" from endpoint C
      And protocol C received the datagram "to you" from ("127.0.0.1", PORT)

  @param:remote_addr
  Rule: "remote_addr, if given, is a (remote_host, remote_port) tuple used to connect the socket to a remote address. The remote_host and remote_port are looked up using getaddrinfo()."

    Example: the endpoint's socket is connected to the remote address: it is the transport's peername
      Given a UDP echo endpoint of the kit's is bound to 127.0.0.1 at PORT
      When loop.create_datagram_endpoint(C, remote_addr=("127.0.0.1", PORT)) is awaited
      Then it returns a transport and protocol C
      And endpoint C's transport gives the peername ("127.0.0.1", PORT)

    Example: the remote host is looked up: "localhost" reaches the loopback address
      Given a UDP echo endpoint of the kit's is bound to 127.0.0.1 at PORT
      When loop.create_datagram_endpoint(C, remote_addr=("localhost", PORT), family=AF_INET) is awaited
      Then it returns a transport and protocol C
      And endpoint C's transport gives the peername ("127.0.0.1", PORT)

  @param:proto @param:flags
  Rule: "family, proto, flags are the optional address family, protocol and flags to be passed through to getaddrinfo() for host resolution. If given, these should all be integers from the corresponding socket module constants."

    Example: the protocol reaches the lookup: UDP finds "localhost"
      When loop.create_datagram_endpoint(C, local_addr=("localhost", 0), proto=IPPROTO_UDP) is awaited
      Then it returns a transport and protocol C

    Example: the protocol reaches the lookup: TCP is not a protocol of datagram sockets
      When loop.create_datagram_endpoint(C, local_addr=("localhost", 0), proto=IPPROTO_TCP) is awaited
      Then it raises socket.gaierror

    Example: the flags reach the lookup: a name is refused where only numeric hosts are allowed
      When loop.create_datagram_endpoint(C, remote_addr=("localhost", 9), flags=AI_NUMERICHOST) is awaited
      Then it raises socket.gaierror with the errno socket.EAI_NONAME

  @until:3.8.0 @param:reuse_address
  Rule: "reuse_address tells the kernel to reuse a local socket in TIME_WAIT state, without waiting for its natural timeout to expire. If not specified will automatically be set to True on Unix."

    Example: with reuse_address=True, SO_REUSEADDR is set on the endpoint's socket
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), reuse_address=True) is awaited
      Then the socket of endpoint C's transport has SO_REUSEADDR set

    Example: left out, SO_REUSEADDR is set on the endpoint's socket
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then the socket of endpoint C's transport has SO_REUSEADDR set

  @since:3.8.1 @param:reuse_address
  Rule: "The parameter reuse_address is no longer supported, as using SO_REUSEADDR poses a significant security concern for UDP. Explicitly passing reuse_address=True will raise an exception."

    Example: reuse_address=True raises an exception
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), reuse_address=True) is awaited
      Then it raises an exception
      And protocol C has not been made

    Scenario Outline: reuse_address=True raises <error>, as CPython raises it
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), reuse_address=True) is awaited
      Then it raises a <error>

      @until:3.10
      Examples: while the parameter is refused (3.8.1 to 3.10)
        | error      |
        | ValueError |

      @since:3.11
      Examples: once the parameter is gone (3.11)
        | error     |
        | TypeError |

    Example: left out, SO_REUSEADDR is not set on the endpoint's socket
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then the socket of endpoint C's transport does not have SO_REUSEADDR set

  @param:reuse_port
  Rule: "For supported platforms, reuse_port can be used as a replacement for similar functionality. With reuse_port, SO_REUSEPORT is used instead, which specifically prevents processes with differing UIDs from assigning sockets to the same socket address."

    Example: with reuse_port=True, SO_REUSEPORT is set on the endpoint's socket
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), reuse_port=True) is awaited
      Then the socket of endpoint C's transport has SO_REUSEPORT set

    Example: left out, SO_REUSEPORT is not set
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then the socket of endpoint C's transport does not have SO_REUSEPORT set

  @since:3.4.4 @param:reuse_port
  Rule: "reuse_port tells the kernel to allow this endpoint to be bound to the same port as other existing endpoints are bound to, so long as they all set this flag when being created."

    Example: two endpoints with reuse_port share a port
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), reuse_port=True) is awaited
      Then it returns a transport and protocol C
      Given LPORT is the port endpoint C's socket is bound to
      When loop.create_datagram_endpoint(D, local_addr=("127.0.0.1", LPORT), reuse_port=True) is awaited
      Then it returns a transport and protocol D
      And the socket of endpoint D's transport is bound to ("127.0.0.1", LPORT)

    Example: without reuse_port the second endpoint cannot have the port
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then it returns a transport and protocol C
      Given LPORT is the port endpoint C's socket is bound to
      When loop.create_datagram_endpoint(D, local_addr=("127.0.0.1", LPORT)) is awaited
      Then it raises an OSError

  @since:3.4.4 @param:allow_broadcast
  Rule: "allow_broadcast tells the kernel to allow this endpoint to send messages to the broadcast address."

    Example: with allow_broadcast=True, SO_BROADCAST is set on the endpoint's socket
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0), allow_broadcast=True) is awaited
      Then the socket of endpoint C's transport has SO_BROADCAST set

    Example: left out, SO_BROADCAST is not set
      When loop.create_datagram_endpoint(C, local_addr=("127.0.0.1", 0)) is awaited
      Then the socket of endpoint C's transport does not have SO_BROADCAST set

  @since:3.4.4 @param:sock
  Rule: "sock can optionally be specified in order to use a preexisting, already connected, socket.socket object to be used by the transport. If specified, local_addr and remote_addr should be omitted (must be None)."

    Example: an already connected UDP socket becomes the endpoint
      Given a UDP echo endpoint of the kit's is bound to 127.0.0.1 at PORT
      And socket K is a UDP socket connected to port PORT of 127.0.0.1
      When loop.create_datagram_endpoint(C, sock=K) is awaited
      Then it returns a transport and protocol C
      When endpoint C sends the datagram "over K"
      Then the kit's UDP endpoint at PORT received the datagram "over K" from endpoint C
      And protocol C received the datagram "over K" from ("127.0.0.1", PORT)

    Scenario Outline: a socket together with <argument> is refused with ValueError
      Given a UDP echo endpoint of the kit's is bound to 127.0.0.1 at PORT
      And socket K is a UDP socket connected to port PORT of 127.0.0.1
      When loop.create_datagram_endpoint(C, sock=K, <argument>=("127.0.0.1", <port>)) is awaited
      Then it raises a ValueError
      And protocol C has not been made

      Examples:
        | argument    | port |
        | local_addr  | 0    |
        | remote_addr | PORT |
