@loop.getaddrinfo
Feature: loop.getaddrinfo()
  Looks a host and a port up as socket.getaddrinfo() does, without holding the loop. Only names
  of this machine are looked up ("localhost" and numeric addresses), so no scenario leaves it.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.getaddrinfo

  Background:
    Given a new event loop

  Rule: "Asynchronous version of socket.getaddrinfo()."

    @param:host @param:port
    Scenario Outline: it finds what socket.getaddrinfo() finds for <what>
      When loop.getaddrinfo(<arguments>) is awaited
      Then it returns what socket.getaddrinfo(<arguments>) returns

      Examples:
        | what                                      | arguments            |
        | a name of this machine and a port number  | "localhost", 80      |
        | a numeric IPv4 address and a service name | "127.0.0.1", "http"  |
        | a numeric IPv6 address                    | "::1", 8080          |
        | a host and no port                        | "127.0.0.1", None    |

    @param:family
    Scenario Outline: it finds what socket.getaddrinfo() finds for <host> when the family is <family>
      When loop.getaddrinfo(<host>, 80, family=<family>) is awaited
      Then it returns what socket.getaddrinfo(<host>, 80, family=<family>) returns

      Examples:
        | host        | family    |
        | "127.0.0.1" | AF_INET   |
        | "::1"       | AF_INET6  |
        | "localhost" | AF_UNSPEC |
        | None        | AF_INET6  |

    @param:type @param:proto
    Scenario Outline: it finds what socket.getaddrinfo() finds asking for <what>
      When loop.getaddrinfo(<arguments>) is awaited
      Then it returns what socket.getaddrinfo(<arguments>) returns

      Examples:
        | what                          | arguments                                    |
        | stream sockets only           | "127.0.0.1", 80, type=SOCK_STREAM            |
        | UDP only                      | "127.0.0.1", 53, proto=IPPROTO_UDP           |
        | a type and a protocol at once | "::1", 80, type=SOCK_STREAM, proto=IPPROTO_TCP |

    @param:flags
    Scenario Outline: it finds what socket.getaddrinfo() finds with the flags <flags>
      When loop.getaddrinfo(<host>, 0, flags=<flags>) is awaited
      Then it returns what socket.getaddrinfo(<host>, 0, flags=<flags>) returns

      Examples:
        | host        | flags                          |
        | None        | AI_PASSIVE                     |
        | "127.0.0.1" | AI_NUMERICHOST                 |
        | "localhost" | AI_CANONNAME                   |
        | None        | AI_PASSIVE \| AI_NUMERICSERV   |

    @param:flags
    Example: a name that cannot be found raises socket.gaierror, as socket.getaddrinfo() does
      When loop.getaddrinfo("localhost", 80, flags=AI_NUMERICHOST) is awaited
      Then it raises socket.gaierror with the errno socket.EAI_NONAME

    @needs:threads
    Example: the loop runs other callbacks while a lookup is pending
      Given task D awaits loop.getaddrinfo("localhost", 80)
      And callback A is scheduled with call_soon
      When the loop runs until task D completes
      Then callback A ran before loop.getaddrinfo() returned in task D

  @since:3.7
  Rule: "Both getaddrinfo and getnameinfo methods were always documented to return a coroutine, but prior to Python 3.7 they were, in fact, returning asyncio.Future objects. Starting with Python 3.7 both methods are coroutines."

    Example: what it returns is a coroutine
      When loop.getaddrinfo("localhost", 80) is called without awaiting it
      Then asyncio.iscoroutine() accepts it

  @until:3.6
  Rule: "Both getaddrinfo and getnameinfo methods were always documented to return a coroutine, but prior to Python 3.7 they were, in fact, returning asyncio.Future objects."

    Example: what it returns is an asyncio.Future
      When loop.getaddrinfo("localhost", 80) is called without awaiting it
      Then it returns an asyncio.Future
