// Broken loops for the page's DNS section (test/fixtures/broken_loops/dns.py): each breaks one
// sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const ADDR = 'features/dns/loop.getaddrinfo.feature';
const NAME = 'features/dns/loop.getnameinfo.feature';
const FINDS = `${ADDR}: it finds what socket.getaddrinfo() finds`;
const GIVES = `${NAME}: it gives what socket.getnameinfo() gives`;

const broken: BrokenLoop[] = [
  ['dns:getaddrinfo_blocks', 'Asynchronous version of socket.getaddrinfo().',
    [`${ADDR}: the loop runs other callbacks while a lookup is pending`]],
  ['dns:getnameinfo_blocks', 'Asynchronous version of socket.getnameinfo().',
    [`${NAME}: the loop runs other callbacks while a lookup is pending`]],
  ['dns:getaddrinfo_ignores_family', 'Asynchronous version of socket.getaddrinfo().',
    [`${FINDS} for None when the family is AF_INET6`]],
  ['dns:getaddrinfo_ignores_type', 'Asynchronous version of socket.getaddrinfo().',
    [`${FINDS} asking for stream sockets only`, `${FINDS} asking for UDP only`, `${FINDS} asking for a type and a protocol at once`]],
  ['dns:getaddrinfo_ignores_flags', 'Asynchronous version of socket.getaddrinfo().',
    [`${FINDS} with the flags AI_PASSIVE`, `${FINDS} with the flags AI_CANONNAME`,
      `${ADDR}: a name that cannot be found raises socket.gaierror, as socket.getaddrinfo() does`]],
  ['dns:getaddrinfo_ignores_port', 'Asynchronous version of socket.getaddrinfo().',
    [`${FINDS} for a name of this machine and a port number`, `${FINDS} for a numeric IPv4 address and a service name`]],
  ['dns:hides_gaierror', 'Asynchronous version of socket.getaddrinfo().',
    [`${ADDR}: a name that cannot be found raises socket.gaierror, as socket.getaddrinfo() does`,
      `${NAME}: an address that is not numeric raises socket.gaierror, as socket.getnameinfo() does`]],
  ['dns:getnameinfo_ignores_flags', 'Asynchronous version of socket.getnameinfo().',
    [`${GIVES} for an IPv4 address, numerically`, `${GIVES} for a port's service name`, `${GIVES} for a datagram service`]],
  ['dns:returns_futures', 'Starting with Python 3.7 both methods are coroutines.',
    [`${ADDR}: what it returns is a coroutine`, `${NAME}: what it returns is a coroutine`]],
];

testBrokenLoops(broken);
