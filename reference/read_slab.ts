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
   * recv(fd, size): the bytes received, empty at the end of the stream; size is at most
   * SOCKET_READ_SIZE. The system call's error is thrown as native/ throws it.
   */
  recv(fd: number, size = SOCKET_READ_SIZE): Buffer {
    let slab = this.slab;
    if (slab === null || slab.length - this.offset < size) {
      slab = this.slab = Buffer.allocUnsafeSlow(READ_SLAB_SIZE);
      this.offset = 0;
    }
    const start = this.offset;
    const n = native.recv(fd, slab, start, size);
    this.offset = start + n;
    return slab.subarray(start, start + n);
  }
}
