@asyncio.Server
Feature: asyncio.Server
  What loop.create_server() returns: its listening sockets, whether it accepts, and how it
  is closed. The page says close() sets the sockets attribute to None; that is Python 3.6's
  behaviour. From 3.7 the attribute gives an empty list (3.7) or tuple (3.8 on) once the server
  is closed, as every interpreter here does.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server

  Background:
    Given a new event loop
    And server S is what loop.create_server(P, "127.0.0.1", 0) returns

  @since:3.7
  Rule: "Server objects are asynchronous context managers. When used in an async with statement, it's guaranteed that the Server object is closed and not accepting new connections when the async with statement is completed."

    Example: after an async with block the server is closed and refuses connections
      Given PORT is the port server S listens on
      When coroutine C uses server S in an async with statement
      Then server S is not serving
      And a client connecting to port PORT of 127.0.0.1 is refused

  @asyncio.Server.close
  Rule: "Stop serving: close listening sockets and set the sockets attribute to None."

    Example: after close() the port refuses connections
      Given PORT is the port server S listens on
      When S.close() is called
      And the loop runs for 0.1 seconds
      Then a client connecting to port PORT of 127.0.0.1 is refused

    @since:3.7
    Example: after close() the sockets attribute is empty
      When S.close() is called
      Then server S has no listening sockets

    @until:3.6
    Example: after close() the sockets attribute is None
      When S.close() is called
      Then server S's sockets attribute is None

  @asyncio.Server.close
  Rule: "The sockets that represent existing incoming client connections are left open."

    Example: a connection accepted before close() still carries data
      Given client C connects to server S
      When S.close() is called
      And client C sends "still here"
      Then protocol P received "still here"
      And protocol P's connection was not lost

  @asyncio.Server.get_loop @since:3.7
  Rule: "Return the event loop associated with the server object."

    Example: get_loop() returns the loop that made the server
      When S.get_loop() is called
      Then it returns the loop

  @asyncio.Server.start_serving @since:3.7
  Rule: "Start accepting connections. This method is idempotent, so it can be called when the server is already being serving."

    Example: start_serving() on a server that is serving changes nothing
      When S.start_serving() is awaited
      And S.start_serving() is awaited
      And client C connects to server S
      Then protocol P has been made 1 time
      And server S is serving

  @asyncio.Server.serve_forever @since:3.7
  Rule: "Start accepting connections until the coroutine is cancelled. Cancellation of serve_forever task causes the server to be closed."

    Example: cancelling the serve_forever task closes the server
      Given task T awaits S.serve_forever()
      And PORT is the port server S listens on
      When the loop runs for 0.1 seconds
      And task T is cancelled
      And the loop runs for 0.1 seconds
      Then server S is not serving
      And a client connecting to port PORT of 127.0.0.1 is refused

  @asyncio.Server.serve_forever @since:3.7
  Rule: "This method can be called if the server is already accepting connections. Only one serve_forever task can exist per one Server object."

    Example: serve_forever() on a serving server goes on serving
      Given task T awaits S.serve_forever()
      When the loop runs for 0.1 seconds
      And client C connects to server S
      Then protocol P has been made 1 time
      And task T is still running

    Example: a second serve_forever() raises RuntimeError
      Given task T awaits S.serve_forever()
      And task U awaits S.serve_forever()
      When the loop runs for 0.1 seconds
      Then task U raised a RuntimeError

  @asyncio.Server.is_serving @since:3.7
  Rule: "Return True if the server is accepting new connections."

    Example: a server made by create_server is serving
      Then server S is serving

    Example: a closed server is not serving
      When S.close() is called
      Then server S is not serving

    Example: a server made with start_serving=False is not serving until start_serving() is awaited
      Given server Q is what loop.create_server(P, "127.0.0.1", 0, start_serving=False) returns
      Then server Q is not serving
      When Q.start_serving() is awaited
      Then server Q is serving

  @asyncio.Server.wait_closed
  Rule: "Wait until the close() method completes."

    Example: wait_closed() returns once the server is closed
      Given PORT is the port server S listens on
      When S.close() is called
      And S.wait_closed() is awaited
      Then it returns None
      And a client connecting to port PORT of 127.0.0.1 is refused

  @asyncio.Server.wait_closed @until:3.12.0
  Rule: "Wait until the close() method completes."

    Example: up to 3.12.0, wait_closed() returns while a connection the server accepted is open
      Given client C connects to server S
      When S.close() is called
      And task W awaits S.wait_closed()
      And the loop runs for 0.2 seconds
      Then task W has completed

  @asyncio.Server.wait_closed @since:3.12.1
  Rule: "Wait until the close() method completes."

    Example: from 3.12.1, wait_closed() waits for the connections the server accepted
      Given client C connects to server S
      When S.close() is called
      And task W awaits S.wait_closed()
      And the loop runs for 0.2 seconds
      Then task W is still running
      When client C closes its transport
      And the loop runs for 0.2 seconds
      Then task W has completed

  @asyncio.Server.sockets
  Rule: "List of socket.socket objects the server is listening on."

    Example: each socket is the one the server listens on
      Given PORT is the port server S listens on
      Then server S listens on 127.0.0.1 only
      And the listening sockets of server S are of type SOCK_STREAM

  @asyncio.Server.sockets @since:3.7
  Rule: "Prior to Python 3.7 Server.sockets used to return an internal list of server sockets directly. In 3.7 a copy of that list is returned."

    Example: each read of the attribute returns a new copy, not the server's own list
      When server S's sockets attribute is read twice, each read kept as the object it returned
      Then the two reads are different objects
