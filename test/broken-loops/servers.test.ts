// Broken loops for "Creating network servers" and "Server Objects"
// (test/fixtures/broken_loops/servers.py): each breaks one sentence, and the scenarios quoting it
// must fail.
import { BrokenLoop, pyenvPython, testBrokenLoops } from '../helpers';

const CREATE = 'features/creating-network-servers/loop.create_server.feature';
const SERVER = 'features/server-objects/asyncio.Server.feature';
const ABSTRACT = 'features/server-objects/asyncio.AbstractServer.feature';
const UNIX = 'features/creating-network-servers/loop.create_unix_server.feature';
const ACCEPTED = 'features/creating-network-servers/loop.connect_accepted_socket.feature';

const broken: BrokenLoop[] = [
  ['servers:first_host_only', 'If host is a sequence of strings, the TCP server is bound to all network interfaces specified by the sequence.',
    [`${CREATE}: a server on two addresses listens on both, and each accepts`, `${CREATE}: with several interfaces, each gets a port of its own`]],
  ['servers:ignores_family', 'family can be set to either socket.AF_INET or AF_INET6 to force the socket to use IPv4 or IPv6.',
    [`${CREATE}: family AF_INET keeps only the IPv4 interfaces of all of them`, `${CREATE}: family AF_INET6 keeps only the IPv6 interfaces of all of them`]],
  ['servers:ignores_flags', 'flags is a bitmask for getaddrinfo().',
    [`${CREATE}: the flags reach the lookup of the host`]],
  ['servers:sock_with_host_accepted', 'If specified, host and port must not be specified.',
    [`${CREATE}: a socket together with a host is refused with ValueError`]],
  ['servers:no_reuse_address_by_default', 'If not specified will automatically be set to True on Unix.',
    [`${CREATE}: left out, SO_REUSEADDR is set on the listening sockets`]],
  ['servers:ignores_reuse_port', 'reuse_port tells the kernel to allow this endpoint to be bound to the same port as other existing endpoints are bound to',
    [`${CREATE}: two servers with reuse_port share a port`]],
  ['servers:ignores_start_serving', 'When set to False, the user should await on Server.start_serving() or Server.serve_forever() to make the server to start accepting connections.',
    [`${CREATE}: with start_serving=False it accepts nothing until start_serving() is awaited`,
      `${SERVER}: a server made with start_serving=False is not serving until start_serving() is awaited`]],
  ['servers:one_protocol_for_all', 'protocol_factory must be a callable returning a protocol implementation.',
    [`${CREATE}: each accepted connection gets a protocol of its own from the factory`]],
  ['servers:no_tcp_nodelay', 'The socket option TCP_NODELAY is set by default for all TCP connections.',
    [`${CREATE}: an accepted connection has TCP_NODELAY set`]],
  ['servers:close_keeps_listening', 'Stop serving: close listening sockets',
    [`${SERVER}: after close() the port refuses connections`, `${SERVER}: after close() the sockets attribute is empty`,
      `${ABSTRACT}: after close() no client is accepted, and an accepted one still carries data`]],
  ['servers:close_keeps_sockets', 'set the sockets attribute to None',
    [`${SERVER}: after close() the sockets attribute is empty`]],
  ['servers:close_drops_connections', 'The sockets that represent existing incoming client connections are left open.',
    [`${SERVER}: a connection accepted before close() still carries data`, `${ABSTRACT}: after close() no client is accepted, and an accepted one still carries data`]],
  ['servers:aexit_keeps_serving', "it's guaranteed that the Server object is closed and not accepting new connections when the async with statement is completed",
    [`${SERVER}: after an async with block the server is closed and refuses connections`]],
  ['servers:get_loop_returns_none', 'Return the event loop associated with the server object.',
    [`${SERVER}: get_loop() returns the loop that made the server`]],
  ['servers:start_serving_not_idempotent', 'This method is idempotent, so it can be called when the server is already being serving.',
    [`${SERVER}: start_serving() on a server that is serving changes nothing`]],
  ['servers:serve_forever_cancel_keeps_open', 'Cancellation of serve_forever task causes the server to be closed.',
    [`${SERVER}: cancelling the serve_forever task closes the server`]],
  ['servers:serve_forever_twice', 'Only one serve_forever task can exist per one Server object.',
    [`${SERVER}: a second serve_forever() raises RuntimeError`]],
  ['servers:serve_forever_refuses_serving_server', 'This method can be called if the server is already accepting connections.',
    [`${SERVER}: serve_forever() on a serving server goes on serving`]],
  ['servers:is_serving_always', 'Return True if the server is accepting new connections.',
    [`${SERVER}: a closed server is not serving`, `${SERVER}: a server made with start_serving=False is not serving until start_serving() is awaited`]],
  ['servers:wait_closed_never_returns', 'Wait until the close() method completes.',
    [`${SERVER}: wait_closed() returns once the server is closed`, `${ABSTRACT}: wait_closed() returns once close() has stopped the service`]],
  ['servers:ignores_backlog', 'backlog is the maximum number of queued connections passed to listen() (defaults to 100).',
    [`${CREATE}: while the loop does not run, the kernel queues about backlog connections and no more`]],
  ['servers:server_not_abstract_server', 'Abstract server returned by BaseEventLoop.create_server().',
    [`${ABSTRACT}: create_server() returns an asyncio.AbstractServer`]],
  ['servers:wait_closed_ignores_connections', 'Wait until the close() method completes. (3.12.1: the connections too)',
    [`${SERVER}: from 3.12.1, wait_closed() waits for the connections the server accepted`]],
  ['servers:wait_closed_waits_for_connections', 'Wait until the close() method completes. (up to 3.12.0: the listening sockets only)',
    [`${SERVER}: up to 3.12.0, wait_closed() returns while a connection the server accepted is open`], pyenvPython('3.11.7')],
  ['servers:unix_server_str_only', 'Abstract Unix sockets, str, bytes, and Path paths are supported.',
    [`${UNIX}: a server on a bytes path accepts connections`, `${UNIX}: a server on a pathlib.Path accepts connections`]],
  ['servers:unix_server_without_abstract_names', 'Abstract Unix sockets, str, bytes, and Path paths are supported.',
    [`${UNIX}: a server on an abstract name is bound to that name, not to a file`]],
  ['servers:unix_server_path_optional', 'path is the name of a Unix domain socket, and is required, unless a sock argument is provided.',
    [`${UNIX}: without a path or a socket it raises ValueError`]],
  ['servers:unix_server_path_with_sock', 'path is the name of a Unix domain socket, and is required, unless a sock argument is provided.',
    [`${UNIX}: a path together with a socket is refused with ValueError`]],
  ['servers:unix_server_ignores_start_serving', 'See the documentation of the loop.create_server() method for information about arguments to this method.',
    [`${UNIX}: with start_serving=False it accepts nothing until start_serving() is awaited`]],
  ['servers:accepted_socket_pair_reversed', 'Returns a (transport, protocol) pair.',
    [`${ACCEPTED}: it returns the transport it gave the protocol, and the protocol`]],
  ['servers:accepted_socket_never_read', 'Wrap an already accepted connection into a transport/protocol pair.',
    [`${ACCEPTED}: what the client sends on the accepted socket reaches the factory's protocol`]],
];

testBrokenLoops(broken);
