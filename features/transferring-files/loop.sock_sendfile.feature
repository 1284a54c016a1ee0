@loop.sock_sendfile @since:3.7
Feature: loop.sock_sendfile()
  Send a file using high-performance os.sendfile if possible. Return the total number of bytes sent.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_sendfile

  Background:
    Given a new event loop
    And a file of 256 KiB opened in binary mode
    And a non-blocking socket connected to a peer on 127.0.0.1

  @param:sock @param:file @param:fallback
  Rule: "Send a file using high-performance os.sendfile if possible. Return the total number of bytes sent."

    Example: the whole file arrives and its size is returned
      When the file is sent with loop.sock_sendfile
      Then it returns 262144
      And the peer received the whole file

    Example: with fallback disabled a socket that can take the syscall still gets the file
      When the file is sent with loop.sock_sendfile and fallback disabled
      Then it returns 262144
      And the peer received the whole file

  @param:offset @param:count
  Rule: "offset tells from where to start reading the file. If specified, count is the total number of bytes to transmit as opposed to sending the file until EOF is reached."

    Example: an offset alone sends from there to the end of the file
      When the file is sent with loop.sock_sendfile from offset 100000
      Then it returns 162144
      And the peer received bytes 100000 to 262143 of the file

    Example: an offset and a count send exactly that slice
      When 5000 bytes of the file from offset 1000 are sent with loop.sock_sendfile
      Then it returns 5000
      And the peer received bytes 1000 to 5999 of the file

    Example: a count past the end of the file stops at the end of the file
      When 500000 bytes of the file from offset 200000 are sent with loop.sock_sendfile
      Then it returns 62144
      And the peer received bytes 200000 to 262143 of the file

  Rule: "File position is always updated, even when this method raises an error, and file.tell() can be used to obtain the actual number of bytes sent."

    Example: after a whole-file send the position is at the end of the file
      When the file is sent with loop.sock_sendfile
      Then the file position is 262144

    Example: after a slice the position is just past the slice
      When 5000 bytes of the file from offset 1000 are sent with loop.sock_sendfile
      Then the file position is 6000

    Example: when the peer resets the connection midway the position counts what was sent
      Given a file of 64 MiB opened in binary mode
      And a non-blocking socket connected to a peer on 127.0.0.1 that resets the connection after receiving 1 MiB
      When the file is sent with loop.sock_sendfile
      Then it raises a ConnectionError
      And the file position is past 0 and no less than what the peer received
