@loop.sendfile @since:3.7
Feature: loop.sendfile()
  Send a file over a transport. Return the total number of bytes sent.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sendfile

  Every peer here is the kit's own, on 127.0.0.1: it records every byte it receives, so what
  arrived is compared with the file byte for byte.

  Background:
    Given a new event loop
    And a file of 256 KiB opened in binary mode

  @param:transport @param:file
  Rule: "Send a file over a transport. Return the total number of bytes sent."

    Example: the whole file arrives and its size is returned
      Given a transport connected to a peer on 127.0.0.1
      When the file is sent with loop.sendfile
      Then it returns 262144
      And the peer received the whole file

  @param:offset @param:count
  Rule: "offset tells from where to start reading the file. If specified, count is the total number of bytes to transmit as opposed to sending the file until EOF is reached."

    Example: an offset alone sends from there to the end of the file
      Given a transport connected to a peer on 127.0.0.1
      When the file is sent with loop.sendfile from offset 100000
      Then it returns 162144
      And the peer received bytes 100000 to 262143 of the file

    Example: an offset and a count send exactly that slice
      Given a transport connected to a peer on 127.0.0.1
      When 5000 bytes of the file from offset 1000 are sent with loop.sendfile
      Then it returns 5000
      And the peer received bytes 1000 to 5999 of the file

  Rule: "File position is always updated, even when this method raises an error, and file.tell() can be used to obtain the actual number of bytes sent."

    Example: after a whole-file send the position is at the end of the file
      Given a transport connected to a peer on 127.0.0.1
      When the file is sent with loop.sendfile
      Then the file position is 262144

    Example: after a slice the position is just past the slice
      Given a transport connected to a peer on 127.0.0.1
      When 5000 bytes of the file from offset 1000 are sent with loop.sendfile
      Then the file position is 6000

    Example: when the peer resets the connection midway the position counts what was sent
      Given a file of 64 MiB opened in binary mode
      And a transport connected to a peer on 127.0.0.1 that resets the connection after receiving 1 MiB
      When the file is sent with loop.sendfile
      Then it raises a ConnectionError
      And the file position is past 0 and no less than what the peer received

  # "A transport that cannot use the sendfile syscall" is a TLS connection wherever the loop
  # has TLS (the kit's peer presents a test certificate made at run time); a loop without TLS
  # provides another such transport (the reference loop's is a TCP transport that never uses
  # the syscall) and announces the capability transport-without-sendfile.
  @needs:transport-without-sendfile
  Rule: "fallback set to True makes asyncio to manually read and send the file when the platform does not support the sendfile system call (e.g. Windows or SSL socket on Unix)."

    Example: the whole file still arrives intact over a transport that cannot use the syscall
      Given a transport that cannot use the sendfile syscall, connected to a peer on 127.0.0.1
      When the file is sent with loop.sendfile
      Then it returns 262144
      And the peer received the whole file
      And the file position is 262144

    Example: an offset and a count are honoured by the fallback
      Given a transport that cannot use the sendfile syscall, connected to a peer on 127.0.0.1
      When 5000 bytes of the file from offset 1000 are sent with loop.sendfile
      Then it returns 5000
      And the peer received bytes 1000 to 5999 of the file
      And the file position is 6000

  @needs:transport-without-sendfile @param:fallback
  Rule: "Raise SendfileNotAvailableError if the system does not support the sendfile syscall and fallback is False."

    Example: with fallback disabled nothing is sent and SendfileNotAvailableError is raised
      Given a transport that cannot use the sendfile syscall, connected to a peer on 127.0.0.1
      When the file is sent with loop.sendfile and fallback disabled
      Then it raises SendfileNotAvailableError
      And the peer received nothing
