@loop.connect_accepted_socket @since:3.5.3
Feature: loop.connect_accepted_socket()
  Gives the loop a connection that was accepted outside it: the socket becomes a transport,
  and the factory's protocol gets its events.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.connect_accepted_socket

  Background:
    Given a new event loop
    And socket L is a TCP socket bound to 127.0.0.1 and listening
    And client C connects to socket L
    And socket A is the connection socket L accepts

  @param:sock @param:protocol_factory
  Rule: "Wrap an already accepted connection into a transport/protocol pair."

    Example: what the client sends on the accepted socket reaches the factory's protocol
      Given protocol P writes back what it receives
      When loop.connect_accepted_socket(P, A) is awaited
      And client C sends "hello"
      Then protocol P received "hello"
      And client C received "hello"
      And protocol P has been made 1 time

  Rule: "Returns a (transport, protocol) pair."

    Example: it returns the transport it gave the protocol, and the protocol
      When loop.connect_accepted_socket(P, A) is awaited
      Then it returns a transport and protocol P
