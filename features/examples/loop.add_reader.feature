@loop.add_reader @ref:asyncio_example_watch_fd
Feature: Example: Watch a file descriptor for read events
  The page's Examples section, as a scenario. The example makes a socket pair, watches one end
  with add_reader(), has call_soon() send b'abc' from the other end, and its reader receives up
  to 100 bytes, removes itself with remove_reader() and stops the loop. Here the reader is
  callback R and the sender callback W (a scenario carries no code); what it checks is the
  example's outcome: the reader got the data, the loop stopped, and the descriptor is no longer
  watched.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio-example-watch-fd

  Background:
    Given a new event loop
    And a connected socket pair S and T

  Rule: "Wait until a file descriptor received some data using the loop.add_reader() method and then close the event loop"

    Example: the reader receives what was sent, unregisters itself and stops the loop
      Given callback R will receive up to 100 bytes from socket S, then call loop.remove_reader() for socket S, then stop the loop
      And callback W will send "abc" on socket T
      And callback R is added with loop.add_reader() for socket S
      And callback W is scheduled with call_soon
      When the loop runs forever
      Then callback R received "abc" from socket S
      And callback R ran exactly once
      When socket T sends "def"
      And the loop runs one iteration
      Then callback R ran exactly once
