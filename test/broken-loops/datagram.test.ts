// Broken loops for loop.create_datagram_endpoint() (test/fixtures/broken_loops/datagram.py):
// each breaks one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const F = 'features/opening-network-connections/loop.create_datagram_endpoint.feature';

const broken: BrokenLoop[] = [
  ['datagram:sends_nothing', 'Create a datagram connection.',
    [`${F}: an endpoint connected to the kit's UDP endpoint on 127.0.0.1 exchanges datagrams with it`,
      `${F}: two AF_UNIX endpoints exchange a datagram through a socket path`]],
  ['datagram:ignores_family', 'The socket family can be either AF_INET, AF_INET6, or AF_UNIX, depending on host (or the family argument, if provided).',
    [`${F}: the family argument alone makes an endpoint of that family`, `${F}: an address of another family than the one given is looked up in vain`]],
  ['datagram:reports_stream_socket', 'The socket type will be SOCK_DGRAM.',
    [`${F}: an endpoint on 127.0.0.1 has a datagram socket`, `${F}: an AF_UNIX endpoint has a datagram socket`]],
  ['datagram:connection_made_late', 'protocol_factory must be a callable returning a protocol implementation.',
    [`${F}: the factory is called once, and its protocol is coupled with the transport before the method returns`]],
  ['datagram:factory_before_address', 'protocol_factory must be a callable returning a protocol implementation.',
    [`${F}: when the address cannot be had, the factory is never called`]],
  ['datagram:returns_list', 'A tuple of (transport, protocol) is returned on success.',
    [`${F}: it returns the transport it gave the protocol, and the protocol, as a tuple`]],
  ['datagram:ignores_local_addr_port', 'local_addr, if given, is a (local_host, local_port) tuple used to bind the socket locally.',
    [`${F}: the endpoint's socket is bound to the local address given, and receives there`]],
  ['datagram:unconnected_remote', 'remote_addr, if given, is a (remote_host, remote_port) tuple used to connect the socket to a remote address.',
    [`${F}: the endpoint's socket is connected to the remote address: it is the transport's peername`]],
  ['datagram:ignores_proto', 'family, proto, flags are the optional address family, protocol and flags to be passed through to getaddrinfo() for host resolution.',
    [`${F}: the protocol reaches the lookup: TCP is not a protocol of datagram sockets`]],
  ['datagram:ignores_flags', 'family, proto, flags are the optional address family, protocol and flags to be passed through to getaddrinfo() for host resolution.',
    [`${F}: the flags reach the lookup: a name is refused where only numeric hosts are allowed`]],
  ['datagram:accepts_reuse_address', 'Explicitly passing reuse_address=True will raise an exception.',
    [`${F}: reuse_address=True raises an exception`, `${F}: reuse_address=True raises TypeError, as CPython raises it`]],
  ['datagram:sets_reuse_address', 'The parameter reuse_address is no longer supported, as using SO_REUSEADDR poses a significant security concern for UDP.',
    [`${F}: left out, SO_REUSEADDR is not set on the endpoint's socket`]],
  ['datagram:ignores_reuse_port', 'reuse_port tells the kernel to allow this endpoint to be bound to the same port as other existing endpoints are bound to',
    [`${F}: with reuse_port=True, SO_REUSEPORT is set on the endpoint's socket`, `${F}: two endpoints with reuse_port share a port`]],
  ['datagram:ignores_allow_broadcast', 'allow_broadcast tells the kernel to allow this endpoint to send messages to the broadcast address.',
    [`${F}: with allow_broadcast=True, SO_BROADCAST is set on the endpoint's socket`]],
  ['datagram:sock_with_addresses_accepted', 'If specified, local_addr and remote_addr should be omitted (must be None).',
    [`${F}: a socket together with local_addr is refused with ValueError`, `${F}: a socket together with remote_addr is refused with ValueError`]],
];

testBrokenLoops(broken);
