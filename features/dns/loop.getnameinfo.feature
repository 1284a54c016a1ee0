@loop.getnameinfo
Feature: loop.getnameinfo()
  Turns a socket address into a host and a port as socket.getnameinfo() does, without holding
  the loop. Only addresses of this machine are looked up (the loopback ones), so no scenario
  leaves it.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.getnameinfo

  Background:
    Given a new event loop

  Rule: "Asynchronous version of socket.getnameinfo()."

    @param:sockaddr @param:flags
    Scenario Outline: it gives what socket.getnameinfo() gives for <what>
      When loop.getnameinfo(<arguments>) is awaited
      Then it returns what socket.getnameinfo(<arguments>) returns

      Examples:
        | what                                  | arguments                                               |
        | an IPv4 address, numerically          | ("127.0.0.1", 80), NI_NUMERICHOST \| NI_NUMERICSERV      |
        | an IPv6 address, numerically          | ("::1", 8080, 0, 0), NI_NUMERICHOST \| NI_NUMERICSERV    |
        | a port's service name                 | ("127.0.0.1", 80), NI_NUMERICHOST                       |
        | the loopback address's name           | ("127.0.0.1", 8080), NI_NUMERICSERV                     |
        | a datagram service                    | ("127.0.0.1", 53), NI_NUMERICHOST \| NI_DGRAM            |

    @param:sockaddr
    Example: the flags may be left out, as they default to 0
      When loop.getnameinfo(("127.0.0.1", 80)) is awaited
      Then it returns what socket.getnameinfo(("127.0.0.1", 80), 0) returns

    @param:sockaddr
    Example: an address that is not numeric raises socket.gaierror, as socket.getnameinfo() does
      When loop.getnameinfo(("localhost", 80), NI_NUMERICHOST) is awaited
      Then it raises socket.gaierror with the errno socket.EAI_NONAME

    @needs:threads
    Example: the loop runs other callbacks while a lookup is pending
      Given task D awaits loop.getnameinfo(("127.0.0.1", 80), NI_NUMERICSERV)
      And callback A is scheduled with call_soon
      When the loop runs until task D completes
      Then callback A ran before loop.getnameinfo() returned in task D

  @since:3.7
  Rule: "Both getaddrinfo and getnameinfo methods were always documented to return a coroutine, but prior to Python 3.7 they were, in fact, returning asyncio.Future objects. Starting with Python 3.7 both methods are coroutines."

    Example: what it returns is a coroutine
      When loop.getnameinfo(("127.0.0.1", 80), NI_NUMERICHOST | NI_NUMERICSERV) is called without awaiting it
      Then asyncio.iscoroutine() accepts it

  @until:3.6
  Rule: "Both getaddrinfo and getnameinfo methods were always documented to return a coroutine, but prior to Python 3.7 they were, in fact, returning asyncio.Future objects."

    Example: what it returns is an asyncio.Future
      When loop.getnameinfo(("127.0.0.1", 80), NI_NUMERICHOST | NI_NUMERICSERV) is called without awaiting it
      Then it returns an asyncio.Future
