/**
 * The selectors module (Python's selectors): "high-level and efficient I/O multiplexing, built
 * upon the select module primitives". A selector maps file objects to SelectorKeys (the fd, the
 * events watched, the caller's data) and waits until some of them are ready. The selector loop
 * (selector_events.ts) does all its I/O through this interface and nothing else.
 * https://docs.python.org/3/library/selectors.html
 *
 * The implementations, each on one system call of native/ (the addon waits and returns plain
 * values; what is registered lives here, in TypeScript):
 *   EpollSelector   epoll(7): the kernel keeps the registrations (epoll_ctl), epoll_wait reports
 *   PollSelector    poll(2): the registrations are passed again on every call
 *   SelectSelector  select(2): fd_set bitmaps, so descriptors below FD_SETSIZE (1024) only
 * DefaultSelector is the most efficient one of the platform: EpollSelector on Linux, as in
 * Python.
 */
import * as native from '../native';
import { MAX_EPOLL_EVENTS } from './constants';
import { fromSystemError, KeyError, RuntimeError, ValueError } from './errors';
import { InternalFd } from './resources';
import { fileobjToFd } from './socket';

/** "Bitwise mask for read events." */
export const EVENT_READ = 1 << 0;
/** "Bitwise mask for write events." */
export const EVENT_WRITE = 1 << 1;

/** A file object as selectors takes it: an integer fd or an object with a fileno() method. */
export type FileObj = number | { fileno(): number };

/**
 * "A SelectorKey is a namedtuple used to associate a file object to its underlying file
 * descriptor, selected event mask and attached data. It is returned by several BaseSelector
 * methods." Frozen, as a namedtuple is immutable: modify() makes a new one.
 */
export interface SelectorKey<D = unknown> {
  /** "File object registered." */
  readonly fileobj: FileObj;
  /** "Underlying file descriptor." */
  readonly fd: number;
  /** "Events that must be waited for on this file object." */
  readonly events: number;
  /** "Optional opaque data associated to this file object." */
  readonly data: D;
}

/** register() and modify(): "a ValueError in case of invalid event mask". */
function checkEvents(events: number): void {
  if (!Number.isInteger(events) || events === 0 || events & ~(EVENT_READ | EVENT_WRITE)) {
    throw new ValueError(`Invalid events: ${String(events)}`);
  }
}

/** What select() returns: each ready key with "a bitmask of events ready on this file object". */
export type Ready<D = unknown> = Array<[key: SelectorKey<D>, events: number]>;

/**
 * The longest wait one select() makes, in seconds: the system calls take 2^31-1 milliseconds
 * at most (~24.8 days). A longer timeout waits that long and returns nothing ready, which a
 * caller that loops (the event loop does) cannot tell from a wait cut short.
 */
const MAX_WAIT_S = 0x7fffffff / 1000;

/**
 * "A BaseSelector is used to wait for I/O event readiness on multiple file objects. It supports
 * file stream registration, unregistration, and a method to wait for I/O events on those
 * streams, with an optional timeout. BaseSelector and its concrete implementations support the
 * context manager protocol."
 */
export abstract class BaseSelector {
  /**
   * "Register a file object for selection, monitoring it for I/O events. ... This returns a new
   * SelectorKey instance, or raises a ValueError in case of invalid event mask or file
   * descriptor, or KeyError if the file object is already registered."
   */
  abstract register<D>(fileobj: FileObj, events: number, data?: D): SelectorKey<D>;

  /**
   * "Unregister a file object from selection, removing it from monitoring. ... This returns the
   * associated SelectorKey instance, or raises a KeyError if fileobj is not registered."
   */
  abstract unregister(fileobj: FileObj): SelectorKey;

  /**
   * "Change a registered file object's monitored events or attached data. This is equivalent to
   * BaseSelector.unregister(fileobj) followed by BaseSelector.register(fileobj, events, data),
   * except that it can be implemented more efficiently. This returns a new SelectorKey instance,
   * or raises a ValueError in case of invalid event mask or file descriptor, or KeyError if the
   * file object is not registered."
   */
  modify<D>(fileobj: FileObj, events: number, data?: D): SelectorKey<D> {
    this.unregister(fileobj);
    return this.register(fileobj, events, data);
  }

  /**
   * "Wait until some registered file objects become ready, or the timeout expires. If
   * timeout > 0, this specifies the maximum wait time, in seconds. If timeout <= 0, the call
   * won't block, and will report the currently ready file objects. If timeout is None, the call
   * will block until a monitored file object becomes ready. This returns a list of (key, events)
   * tuples, one for each ready file object." An interrupted wait (EINTR) returns an empty list.
   */
  abstract select(timeout?: number | null): Ready;

  /** "Close the selector. This must be called to make sure that any underlying resource is freed." */
  close(): void {}

  /** "Return the key associated with a registered file object. This returns the SelectorKey instance associated to this file object, or raises KeyError if the file object is not registered." */
  getKey(fileobj: FileObj): SelectorKey {
    const mapping = this.getMap();
    if (mapping === null) throw new RuntimeError('Selector is closed');
    const key = mapping.get(fileobjToFd(fileobj));
    if (key === undefined) throw new KeyError(`${String(fileobj)} is not registered`);
    return key;
  }

  /** "Return a mapping of file objects to selector keys": here by their fds; null once closed (as Python's). */
  abstract getMap(): ReadonlyMap<number, SelectorKey> | null;
}

/** The registrations every implementation keeps (Python's _BaseSelectorImpl). */
abstract class BaseSelectorImpl extends BaseSelector {
  /** fd -> its key; null once the selector is closed. */
  protected fdToKey: Map<number, SelectorKey> | null = new Map();

  register<D>(fileobj: FileObj, events: number, data: D = null as D): SelectorKey<D> {
    const keys = this.openKeys();
    checkEvents(events);
    const key: SelectorKey<D> = Object.freeze({ fileobj, fd: this.fileobjLookup(fileobj), events, data });
    if (keys.has(key.fd)) throw new KeyError(`${String(fileobj)} (FD ${key.fd}) is already registered`);
    keys.set(key.fd, key);
    return key;
  }

  unregister(fileobj: FileObj): SelectorKey {
    const keys = this.openKeys();
    const fd = this.fileobjLookup(fileobj);
    const key = keys.get(fd);
    if (key === undefined) throw new KeyError(`${String(fileobj)} is not registered`);
    keys.delete(fd);
    return key;
  }

  override modify<D>(fileobj: FileObj, events: number, data: D = null as D): SelectorKey<D> {
    const key = this.registered(fileobj);
    if (events !== key.events) {
      this.unregister(fileobj);
      return this.register(fileobj, events, data);
    }
    return this.replaceData(key, data);
  }

  override close(): void {
    this.fdToKey?.clear();
    this.fdToKey = null;
  }

  getMap(): ReadonlyMap<number, SelectorKey> | null {
    return this.fdToKey;
  }

  /** The open selector's keys; a closed selector raises RuntimeError (the one guard for its message). */
  protected openKeys(): Map<number, SelectorKey> {
    if (this.fdToKey === null) throw new RuntimeError('Selector is closed');
    return this.fdToKey;
  }

  /** The key of a registered file object, else KeyError. */
  protected registered(fileobj: FileObj): SelectorKey {
    const key = this.openKeys().get(this.fileobjLookup(fileobj));
    if (key === undefined) throw new KeyError(`${String(fileobj)} is not registered`);
    return key;
  }

  /** The key with other data (modify() with the same events): no system call. */
  protected replaceData<D>(key: SelectorKey, data: D): SelectorKey<D> {
    if (data === key.data) return key as SelectorKey<D>;
    const changed: SelectorKey<D> = Object.freeze({ ...key, data });
    this.openKeys().set(key.fd, changed);
    return changed;
  }

  /**
   * The fd of a file object. One whose fileno() fails now (a socket closed while registered)
   * is found by identity among the keys, so that it can still be unregistered, as in Python.
   */
  protected fileobjLookup(fileobj: FileObj): number {
    try {
      return fileobjToFd(fileobj);
    } catch (exc) {
      for (const key of this.fdToKey?.values() ?? []) if (key.fileobj === fileobj) return key.fd;
      throw exc;
    }
  }

  /** The ready key of an fd the system call reported, with the events it was watched for. */
  protected readyKey(fd: number, events: number, out: Ready): void {
    const key = this.fdToKey?.get(fd);
    if (key !== undefined) out.push([key, events & key.events]);
  }
}

/**
 * Python's _PollLikeSelector: poll(2) and epoll(7) share everything but the system call. A
 * concrete one says how it registers with the kernel (or not) and how it waits, in
 * milliseconds; events it reports other than readable (POLLOUT/EPOLLOUT) mean "write", other
 * than writable (POLLIN/EPOLLIN) mean "read", so an error or a hang-up wakes both, and the
 * reader and the writer see the error on their next call.
 */
abstract class PollLikeSelector extends BaseSelectorImpl {
  /** The system call's bit for "readable" and for "writable". */
  protected abstract readonly readBit: number;
  protected abstract readonly writeBit: number;
  protected abstract osRegister(fd: number, mask: number): void;
  protected abstract osModify(fd: number, mask: number): void;
  protected abstract osUnregister(fd: number): void;
  /**
   * Waits up to timeoutMs (-1: no limit); the number of ready fds, whose (fd, events) pairs
   * are in `reported` (kept from call to call: select() runs once per loop iteration).
   */
  protected abstract osWait(timeoutMs: number): number;
  protected reported = new Int32Array(2 * 64);

  /** `reported`, large enough for n pairs. */
  protected reportsFor(n: number): Int32Array {
    if (this.reported.length < 2 * n) this.reported = new Int32Array(2 * n);
    return this.reported;
  }

  private mask(events: number): number {
    return (events & EVENT_READ ? this.readBit : 0) | (events & EVENT_WRITE ? this.writeBit : 0);
  }

  override register<D>(fileobj: FileObj, events: number, data: D = null as D): SelectorKey<D> {
    const key = super.register(fileobj, events, data);
    try {
      this.osRegister(key.fd, this.mask(events));
    } catch (err) {
      super.unregister(fileobj);
      throw fromSystemError(err);
    }
    return key;
  }

  override unregister(fileobj: FileObj): SelectorKey {
    const key = super.unregister(fileobj);
    // A descriptor closed while registered has left the kernel's set by itself: as Python's,
    // unregister() forgets it all the same and raises nothing.
    try {
      this.osUnregister(key.fd);
    } catch {
      // nothing to undo
    }
    return key;
  }

  override modify<D>(fileobj: FileObj, events: number, data: D = null as D): SelectorKey<D> {
    const key = this.registered(fileobj);
    if (events === key.events) return this.replaceData(key, data);
    checkEvents(events);
    try {
      this.osModify(key.fd, this.mask(events));
    } catch (err) {
      super.unregister(fileobj);
      throw fromSystemError(err);
    }
    const changed: SelectorKey<D> = Object.freeze({ ...key, events, data });
    this.openKeys().set(key.fd, changed);
    return changed;
  }

  select(timeout: number | null = null): Ready {
    this.openKeys();
    // Whole milliseconds, rounded up: a timeout is never cut short by the rounding.
    const timeoutMs = timeout === null || timeout === undefined ? -1 : timeout <= 0 ? 0 : Math.ceil(Math.min(timeout, MAX_WAIT_S) * 1000);
    let n: number;
    try {
      n = this.osWait(timeoutMs);
    } catch (err) {
      throw fromSystemError(err);
    }
    const reported = this.reported;
    const ready: Ready = [];
    for (let i = 0; i < n; i++) {
      const event = reported[2 * i + 1];
      const events = (event & ~this.readBit ? EVENT_WRITE : 0) | (event & ~this.writeBit ? EVENT_READ : 0);
      this.readyKey(reported[2 * i], events, ready);
    }
    return ready;
  }
}

/** "selectors.EpollSelector: select.epoll()-based selector." (Linux) */
export class EpollSelector extends PollLikeSelector {
  protected readonly readBit = native.EPOLLIN;
  protected readonly writeBit = native.EPOLLOUT;
  private readonly epoll = new InternalFd('epoll', native.epollCreate());

  /** "This returns the file descriptor used by the underlying epoll object." */
  fileno(): number {
    return this.epoll.fd;
  }

  protected osRegister(fd: number, mask: number): void {
    native.epollAdd(this.epoll.fd, fd, mask);
  }

  protected osModify(fd: number, mask: number): void {
    try {
      native.epollModify(this.epoll.fd, fd, mask);
    } catch (err) {
      // Closed and its number reused while registered: epoll forgot it; register it afresh.
      if (!native.isSystemError(err, 'ENOENT')) throw err;
      native.epollAdd(this.epoll.fd, fd, mask);
    }
  }

  protected osUnregister(fd: number): void {
    native.epollDelete(this.epoll.fd, fd);
  }

  protected osWait(timeoutMs: number): number {
    // As many events as registered fds, as Python asks: at least 1, at most MAX_EPOLL_EVENTS.
    const maxEvents = Math.min(Math.max(this.fdToKey?.size ?? 0, 1), MAX_EPOLL_EVENTS);
    return native.epollWaitInto(this.epoll.fd, timeoutMs, this.reportsFor(maxEvents), maxEvents);
  }

  /** Closes the epoll descriptor too. */
  override close(): void {
    super.close();
    this.epoll.close();
  }
}

/** "selectors.PollSelector: select.poll()-based selector." */
export class PollSelector extends PollLikeSelector {
  protected readonly readBit = native.POLLIN;
  protected readonly writeBit = native.POLLOUT;
  /** fd -> its poll(2) event mask: poll keeps nothing between calls, so the selector does. */
  private readonly masks = new Map<number, number>();

  protected osRegister(fd: number, mask: number): void {
    this.masks.set(fd, mask);
  }

  protected osModify(fd: number, mask: number): void {
    this.masks.set(fd, mask);
  }

  protected osUnregister(fd: number): void {
    this.masks.delete(fd);
  }

  protected osWait(timeoutMs: number): number {
    const events = native.pollWait([...this.masks], timeoutMs);
    const reported = this.reportsFor(events.length);
    events.forEach(([fd, revents], i) => {
      reported[2 * i] = fd;
      reported[2 * i + 1] = revents;
    });
    return events.length;
  }

  override close(): void {
    super.close();
    this.masks.clear();
  }
}

/**
 * "selectors.SelectSelector: select.select()-based selector." select(2) takes fd_set bitmaps of
 * FD_SETSIZE bits: a descriptor from FD_SETSIZE up can be registered, but select() then raises
 * ValueError, as Python's select.select() does.
 */
export class SelectSelector extends BaseSelectorImpl {
  private readonly readers = new Set<number>();
  private readonly writers = new Set<number>();

  override register<D>(fileobj: FileObj, events: number, data: D = null as D): SelectorKey<D> {
    const key = super.register(fileobj, events, data);
    if (events & EVENT_READ) this.readers.add(key.fd);
    if (events & EVENT_WRITE) this.writers.add(key.fd);
    return key;
  }

  override unregister(fileobj: FileObj): SelectorKey {
    const key = super.unregister(fileobj);
    this.readers.delete(key.fd);
    this.writers.delete(key.fd);
    return key;
  }

  select(timeout: number | null = null): Ready {
    this.openKeys();
    for (const fd of [...this.readers, ...this.writers]) {
      if (fd >= native.FD_SETSIZE) throw new ValueError('filedescriptor out of range in select()');
    }
    // Microseconds (select(2) takes a struct timeval), rounded up as Python rounds a timeout.
    const timeoutUs = timeout === null || timeout === undefined ? -1 : Math.ceil(Math.min(Math.max(timeout, 0), MAX_WAIT_S) * 1e6);
    let readable: number[];
    let writable: number[];
    try {
      [readable, writable] = native.selectWait([...this.readers], [...this.writers], timeoutUs);
    } catch (err) {
      throw fromSystemError(err);
    }
    const write = new Set(writable);
    const ready: Ready = [];
    for (const fd of readable) this.readyKey(fd, EVENT_READ | (write.has(fd) ? EVENT_WRITE : 0), ready);
    const read = new Set(readable);
    for (const fd of writable) if (!read.has(fd)) this.readyKey(fd, EVENT_WRITE, ready);
    return ready;
  }

  override close(): void {
    super.close();
    this.readers.clear();
    this.writers.clear();
  }
}

/**
 * "selectors.DefaultSelector: The default selector class, using the most efficient
 * implementation available on the current platform. This should be the default choice for most
 * users." On Linux, as in Python: epoll.
 */
export const DefaultSelector = EpollSelector;
export type DefaultSelector = EpollSelector;
