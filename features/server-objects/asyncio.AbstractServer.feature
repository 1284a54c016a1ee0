@asyncio.AbstractServer
Feature: asyncio.AbstractServer
  The 3.4 page's name for what loop.create_server() returns (the page since 3.7 documents the
  same object as Server): stopping it leaves the connections it accepted open.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server

  Background:
    Given a new event loop
    And server S is what loop.create_server(P, "127.0.0.1", 0) returns

  Rule: "Abstract server returned by BaseEventLoop.create_server()."

    Example: create_server() returns an asyncio.AbstractServer
      When loop.create_server(Q, "127.0.0.1", 0) is awaited
      Then it returns an asyncio.AbstractServer

  @asyncio.AbstractServer.close
  Rule: "Stop serving. This leaves existing connections open."

    Example: after close() no client is accepted, and an accepted one still carries data
      Given client C connects to server S
      And PORT is the port server S listens on
      When S.close() is called
      And client C sends "still here"
      Then protocol P received "still here"
      And protocol P's connection was not lost
      And a client connecting to port PORT of 127.0.0.1 is refused

  @asyncio.AbstractServer.wait_closed
  Rule: "Coroutine to wait until service is closed."

    Example: wait_closed() returns once close() has stopped the service
      Given PORT is the port server S listens on
      When S.close() is called
      And S.wait_closed() is awaited
      Then it returns None
      And a client connecting to port PORT of 127.0.0.1 is refused
