// Broken loops for working with socket objects directly (test/fixtures/broken_loops/sockets.py):
// each breaks one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const DIR = 'features/working-with-socket-objects-directly';
const RECV = `${DIR}/loop.sock_recv.feature`;
const RECV_INTO = `${DIR}/loop.sock_recv_into.feature`;
const SENDALL = `${DIR}/loop.sock_sendall.feature`;
const CONNECT = `${DIR}/loop.sock_connect.feature`;
const ACCEPT = `${DIR}/loop.sock_accept.feature`;
const ACCEPT_SENTENCE = 'The return value is a pair (conn, address) where conn is a new socket object usable to send and receive data on the connection, and address is the address bound to the socket on the other end of the connection.';

const broken: BrokenLoop[] = [
  ['sockets:recv_ignores_nbytes', 'Receive up to nbytes from sock.',
    [`${RECV}: no more than nbytes are received; the rest waits for the next call`]],
  ['sockets:recv_returns_bytearray', 'Return the received data as a bytes object.',
    [`${RECV}: the data comes back as bytes`, `${RECV}: what has arrived is received`,
      `${RECV}: at the end of the stream, as socket.recv(), it returns empty bytes`]],
  ['sockets:recv_does_not_wait', 'Receive up to nbytes from sock. Asynchronous version of socket.recv().',
    [`${RECV}: it waits for data while the loop goes on running other callbacks`]],
  ['sockets:recv_returns_future', 'Since Python 3.7 this is an async def method.',
    [`${RECV}: what it returns is a coroutine`]],
  ['sockets:recv_into_returns_none', 'Return the number of bytes written to the buffer.',
    [`${RECV_INTO}: the count of bytes received is returned`, `${RECV_INTO}: a full buffer's count is its size`]],
  ['sockets:recv_into_leaves_buffer', 'Receive data from sock into the buf buffer.',
    [`${RECV_INTO}: what has arrived is written at the start of the buffer`,
      `${RECV_INTO}: no more than the buffer holds is received; the rest waits for the next call`,
      `${RECV_INTO}: it waits for data while the loop goes on running other callbacks`]],
  ['sockets:sendall_sends_once', 'This method continues to send to the socket until either all data in data has been sent or an error occurs.',
    [`${SENDALL}: much more than the socket takes at once all arrives, whole and in order`]],
  ['sockets:sendall_drops_first_byte', 'Send data to the sock socket. Asynchronous version of socket.sendall().',
    [`${SENDALL}: the data reaches the other end`, `${SENDALL}: much more than the socket takes at once all arrives, whole and in order`]],
  ['sockets:sendall_returns_count', 'None is returned on success.',
    [`${SENDALL}: on success it returns None`, `${SENDALL}: much more than the socket takes at once all arrives, whole and in order`]],
  ['sockets:sendall_swallows_errors', 'On error, an exception is raised.',
    [`${SENDALL}: sending on a socket whose peer is gone raises an OSError`]],
  ['sockets:sendall_returns_future', 'Since Python 3.7, this is an async def method.',
    [`${SENDALL}: what it returns is a coroutine`]],
  ['sockets:connect_needs_resolved_address', 'address no longer needs to be resolved.',
    [`${CONNECT}: a host name is resolved, and the socket connected to its address`]],
  ['sockets:connect_returns_socket', 'Connect sock to a remote socket at address. Asynchronous version of socket.connect().',
    [`${CONNECT}: the socket is connected to the address`, `${CONNECT}: a host name is resolved, and the socket connected to its address`]],
  ['sockets:connect_ignores_refusal', 'Connect sock to a remote socket at address. Asynchronous version of socket.connect().',
    [`${CONNECT}: an address nobody listens on is refused with ConnectionRefusedError, as socket.connect() refuses it`]],
  ['sockets:accept_returns_listener', ACCEPT_SENTENCE,
    [`${ACCEPT}: a waiting connection is accepted as a new socket and the client's address`]],
  ['sockets:accept_own_address', ACCEPT_SENTENCE,
    [`${ACCEPT}: a waiting connection is accepted as a new socket and the client's address`,
      `${ACCEPT}: it waits for a connection while the loop goes on running other callbacks`]],
  ['sockets:accept_does_not_wait', ACCEPT_SENTENCE,
    [`${ACCEPT}: it waits for a connection while the loop goes on running other callbacks`]],
  ['sockets:accept_returns_future', 'Since Python 3.7, this is an async def method.',
    [`${ACCEPT}: what it returns is a coroutine`]],
];

testBrokenLoops(broken);
