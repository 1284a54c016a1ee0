/**
 * Where a selector loop's transports receive. Each recv() writes into the free part of one
 * large buffer (a slab) and hands out a view of exactly the bytes received: the protocol gets
 * bytes of its own, as Python's bytes (nothing is ever written over them: the slab only fills
 * up, and a new one is made when too little is left for a read), without a copy or an
 * allocation per read. A view keeps its slab alive, as a pooled Buffer keeps Node's pool.
 *
 * Why: on the path of every request a fresh Buffer per read (allocate, copy) costs more than
 * the rest of the loop's work on it together (measured with the tcp_echo bench's traffic).
 */
import * as native from '../native';
import { READ_SLAB_SIZE, SOCKET_READ_SIZE } from './constants';

export class ReadSlab {
  private slab: Buffer | null = null;
  private offset = 0;

  /**
   * recv(fd, size): the bytes received, empty at the end of the stream. The system call's
   * error is thrown as native/ throws it.
   */
  recv(fd: number, size = SOCKET_READ_SIZE): Buffer {
    return this.receive(fd, size, native.recv) as Buffer;
  }

  /** As recv(), but null when nothing is there yet (EAGAIN), without an error. */
  recvOrNull(fd: number, size = SOCKET_READ_SIZE): Buffer | null {
    return this.receive(fd, size, native.recvOrAgain);
  }

  private receive(fd: number, size: number, read: (fd: number, buf: Buffer, offset: number, length: number) => number): Buffer | null {
    let slab = this.slab;
    if (slab === null || slab.length - this.offset < size) {
      // A read larger than a slab (sock_recv's nbytes may be anything) gets a slab its size.
      slab = this.slab = Buffer.allocUnsafeSlow(Math.max(READ_SLAB_SIZE, size));
      this.offset = 0;
    }
    const start = this.offset;
    const n = read(fd, slab, start, size);
    if (n < 0) return null;
    this.offset = start + n;
    return slab.subarray(start, start + n);
  }
}
