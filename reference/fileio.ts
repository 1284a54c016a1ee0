/**
 * The reference's file object: what Python's open(path, "rb") returns, as far
 * as sendfile needs it. It keeps its own position, like Python's file.tell();
 * reads and sendfile(2) use explicit offsets and never move the descriptor's.
 */
import * as native from '../native';
import { fromSystemError, ValueError } from './errors';
import { FdResource } from './resources';

export class BinaryFile extends FdResource {
  /** Python's file.mode. */
  readonly mode = 'rb';
  private position = 0;

  private constructor(readonly name: string, fd: number) {
    super('file', fd);
  }

  /** open(path, "rb"): raises FileNotFoundError, PermissionError... */
  static open(path: string): BinaryFile {
    try {
      return new BinaryFile(path, native.openRead(path));
    } catch (err) {
      throw fromSystemError(err);
    }
  }

  /** file.fileno(). */
  fileno(): number {
    this.checkOpen();
    return this.fd;
  }

  /** file.tell(): the current position. */
  tell(): number {
    this.checkOpen();
    return this.position;
  }

  /** file.seek(offset, whence): 0 from the start, 1 from here, 2 from the end. */
  seek(offset: number, whence = 0): number {
    this.checkOpen();
    let base = 0;
    if (whence === 1) base = this.position;
    else if (whence === 2) base = native.fstat(this.fd).size;
    else if (whence !== 0) throw new ValueError(`invalid whence (${whence}, should be 0, 1 or 2)`);
    const target = base + offset;
    if (target < 0) throw new ValueError(`negative seek position ${target}`);
    this.position = target;
    return target;
  }

  /** file.read(size): at most `size` bytes from the position (all when size < 0). */
  read(size = -1): Buffer {
    this.checkOpen();
    const remaining = Math.max(0, native.fstat(this.fd).size - this.position);
    const want = size < 0 ? remaining : Math.min(size, remaining);
    const buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const n = this.preadInto(buf.subarray(got), want - got, this.position + got);
      if (n === 0) break;
      got += n;
    }
    this.position += got;
    return buf.subarray(0, got);
  }

  /** Reads up to `length` bytes at `position` into buf without moving the file position. */
  preadInto(buf: Buffer, length: number, position: number): number {
    this.checkOpen();
    try {
      return native.pread(this.fd, buf, 0, Math.min(length, buf.length), position);
    } catch (err) {
      throw fromSystemError(err);
    }
  }

  /** Size in bytes and whether it is a regular file (os.fstat). */
  stat(): { size: number; isRegular: boolean } {
    this.checkOpen();
    return native.fstat(this.fd);
  }

  private checkOpen(): void {
    if (this.closed) throw new ValueError('I/O operation on closed file.');
  }

  override toString(): string {
    return `<_io.BufferedReader name='${this.name}'>`;
  }
}
