/**
 * One lifecycle for every resource the reference loop owns (sockets, files,
 * the selector's epoll fd, the wakeup eventfd): created open, closed once
 * (close() is idempotent), and counted while open. The counters are the
 * debug view the driver checks after every scenario to report leaks.
 */
import * as native from '../native';

/** Something that holds a system resource until close(). */
export abstract class Resource {
  private static readonly live = new Set<Resource>();
  private closedFlag = false;

  /** `kind` names it in leak reports ("socket", "file", "eventfd", "epoll"). */
  protected constructor(readonly kind: string) {
    Resource.live.add(this);
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Releases the resource; further calls do nothing. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    Resource.live.delete(this);
    this.release();
  }

  /** Frees the system resource (called once, by close()). */
  protected abstract release(): void;

  /** Open resources by kind: {socket: 2, file: 1}. */
  static counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of Resource.live) out[r.kind] = (out[r.kind] ?? 0) + 1;
    return out;
  }

  /** The open resources themselves (leak reports describe them). */
  static openResources(): Resource[] {
    return [...Resource.live];
  }
}

/** A resource that is one file descriptor. */
export abstract class FdResource extends Resource {
  private fdValue: number;

  protected constructor(kind: string, fd: number) {
    super(kind);
    this.fdValue = fd;
  }

  /** The descriptor (-1 once closed, like Python's fileno() on a closed socket). */
  get fd(): number {
    return this.closed ? -1 : this.fdValue;
  }

  protected release(): void {
    const fd = this.fdValue;
    this.fdValue = -1;
    native.close(fd);
  }
}

/** An fd the loop uses internally (epoll, eventfd). */
export class InternalFd extends FdResource {
  constructor(kind: string, fd: number) {
    super(kind, fd);
  }
}
