/**
 * asyncio.trsock.TransportSocket: what Server.sockets and a transport's
 * get_extra_info('socket') hand out instead of the socket itself, so that user code can look
 * at the socket (its address, its options) but not disturb the loop that owns it: there is no
 * close(), and it cannot be made blocking.
 * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
 */
import { ValueError } from './errors';
import type { Address, Socket } from './socket';

export class TransportSocket {
  constructor(private readonly sock: Socket) {}

  get family(): number {
    return this.sock.family;
  }

  get type(): number {
    return this.sock.type;
  }

  get proto(): number {
    return this.sock.proto;
  }

  fileno(): number {
    return this.sock.fileno();
  }

  /** A new socket on a duplicate descriptor: that one is the caller's to close. */
  dup(): Socket {
    return this.sock.dup();
  }

  /** "asyncio doesn't currently provide a high-level transport API to shutdown the connection." */
  shutdown(how: number): void {
    this.sock.shutdown(how);
  }

  getsockopt(level: number, optname: number): number {
    return this.sock.getsockopt(level, optname);
  }

  setsockopt(level: number, optname: number, value: number | boolean): void {
    this.sock.setsockopt(level, optname, value);
  }

  getpeername(): Address | null {
    return this.sock.getpeername();
  }

  getsockname(): Address | null {
    return this.sock.getsockname();
  }

  /** Only 0 (non-blocking) is allowed: the loop needs the socket as it is. */
  settimeout(value: number | null): void {
    if (value === 0) return;
    throw new ValueError('settimeout(): only 0 timeout is allowed on transport sockets');
  }

  gettimeout(): number {
    return 0;
  }

  setblocking(flag: boolean): void {
    if (!flag) return;
    throw new ValueError('setblocking(): transport sockets cannot be blocking');
  }

  /** `<asyncio.TransportSocket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8080)>` */
  toString(): string {
    return String(this.sock).replace('<socket.socket', '<asyncio.TransportSocket').replace(' [closed]', '');
  }
}
