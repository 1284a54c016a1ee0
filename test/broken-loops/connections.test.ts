// Broken loops for "Opening network connections" (test/fixtures/broken_loops/connections.py):
// each breaks one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const TCP = 'features/opening-network-connections/loop.create_connection.feature';
const UNIX = 'features/opening-network-connections/loop.create_unix_connection.feature';

const broken: BrokenLoop[] = [
  ['connections:writes_dropped', 'Open a streaming transport connection to a given address specified by host and port.',
    [`${TCP}: a connection to "127.0.0.1" and the server's port carries data both ways`,
      `${UNIX}: the connection's socket is an AF_UNIX stream socket, and it carries data both ways`]],
  ['connections:unix_returns_list', 'A tuple of (transport, protocol) is returned on success.',
    [`${UNIX}: it returns the transport it gave the protocol, and the protocol, as a tuple`]],
  ['connections:reports_datagram_socket', 'The socket type will be SOCK_STREAM.',
    [`${TCP}: the connection's socket is a stream socket`]],
  ['connections:ignores_family', 'The socket family can be either AF_INET or AF_INET6 depending on host (or the family argument, if provided).',
    [`${TCP}: a family the host has no address of is looked up in vain`]],
  ['connections:ignores_flags', 'family, proto, flags are the optional address family, protocol and flags to be passed through to getaddrinfo() for host resolution.',
    [`${TCP}: the flags reach the lookup: a name is refused where only numeric hosts are allowed`]],
  ['connections:ignores_local_addr', 'local_addr, if given, is a (local_host, local_port) tuple used to bind the socket locally.',
    [`${TCP}: the connection comes from the local address given`]],
  ['connections:sock_with_host_accepted', 'If sock is given, none of host, port, family, proto, flags, happy_eyeballs_delay, interleave and local_addr should be specified.',
    [`${TCP}: a socket together with a host is refused with ValueError`]],
  ['connections:returns_list', 'When successful, it returns a (transport, protocol) pair.',
    [`${TCP}: it returns a (transport, protocol) tuple`]],
  ['connections:returns_wrong_protocol', 'When successful, it returns a (transport, protocol) pair.',
    [`${TCP}: it returns a (transport, protocol) tuple`, `${TCP}: a connection to "127.0.0.1" and the server's port carries data both ways`]],
  ['connections:factory_before_connecting', 'The connection is established and a transport is created for it. protocol_factory is called without arguments',
    [`${TCP}: when no connection is established the factory is never called`]],
  ['connections:connection_made_late', 'The protocol instance is coupled with the transport by calling its connection_made() method. A (transport, protocol) tuple is returned on success.',
    [`${TCP}: the protocol is made once and coupled with the transport before the method returns`]],
  ['connections:no_tcp_nodelay', 'The socket option TCP_NODELAY is set by default for all TCP connections.',
    [`${TCP}: the connection's socket has TCP_NODELAY set`]],
  ['connections:ignores_happy_eyeballs', 'happy_eyeballs_delay, if given, enables Happy Eyeballs for this connection.',
    [`${TCP}: with happy_eyeballs_delay=0.25 the connection is made`, `${TCP}: with interleave=0 the connection is made`]],
  ['connections:unsent_bytes_dropped', 'The created transport is an implementation-dependent bidirectional stream.',
    [`${TCP}: all that is written reaches the peer, whole and in order, even more than the socket takes at once`]],
  ['connections:wrong_peername', 'The created transport is an implementation-dependent bidirectional stream.',
    [`${TCP}: the transport knows both ends: peername is the server's address, sockname its own`]],
  ['connections:close_loses_quietly', 'The created transport is an implementation-dependent bidirectional stream.',
    [`${TCP}: closing the transport reaches the protocol's connection_lost with None`]],
  ['connections:eof_not_reported', 'The created transport is an implementation-dependent bidirectional stream.',
    [`${TCP}: the peer closing its end reaches eof_received, then connection_lost`]],
  ['connections:unix_str_only', 'Abstract Unix sockets, str, bytes, and Path paths are supported.',
    [`${UNIX}: a connection to a socket listening on a bytes path is made`, `${UNIX}: a connection to a pathlib.Path is made`]],
  ['connections:unix_path_optional', 'path is the name of a Unix domain socket and is required, unless a sock parameter is specified.',
    [`${UNIX}: without a path or a socket it raises ValueError`]],
  ['connections:unix_without_abstract_names', 'Abstract Unix sockets, str, bytes, and Path paths are supported.',
    [`${UNIX}: a connection to a socket listening on an abstract socket name is made`]],
];

testBrokenLoops(broken);
