/**
 * Named constants of the reference loop, each with the reason for its value.
 * (CPython keeps the same kind of list in asyncio/constants.py and at the top
 * of asyncio/base_events.py.)
 */

/**
 * Longest time one poll may block, in seconds: one day.
 * bpo-34263: Python 3.7 passed long timeouts straight to the selector, which
 * overflowed (epoll takes an int of milliseconds, ~24.8 days at most), so a
 * timer further than a day away could not be scheduled. Waking at least once a
 * day and recomputing the timeout makes a 400-day timer work.
 * Doc: "In Python 3.7 and earlier timeouts ... should not exceed one day.
 * This has been fixed in Python 3.8."
 */
export const MAX_SELECT_TIMEOUT_S = 24 * 3600;

/**
 * Cancelled timers stay in the heap until they reach its top (removing from
 * the middle of a heap is O(n)). When there are more than this many scheduled
 * timers and more than MIN_CANCELLED_TIMER_HANDLES_FRACTION of them are
 * cancelled, the heap is rebuilt without them, so cancelled timers cannot
 * pile up without bound.
 */
export const MIN_SCHEDULED_TIMER_HANDLES = 100;

/** See MIN_SCHEDULED_TIMER_HANDLES: the cancelled share that triggers a purge. */
export const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;

/** Events fetched by one epoll_wait; more simply wait for the next iteration. */
export const MAX_EPOLL_EVENTS = 1024;

/**
 * Slots of the shared-memory queue that hands call_soon_threadsafe tokens from
 * other threads to the loop. A producer that finds it full waits for the loop
 * to drain it, so this bounds memory, not the number of calls.
 */
export const THREADSAFE_QUEUE_CAPACITY = 4096;

/** Bytes read per recv() by socket transports (CPython: max_size = 256 KiB). */
export const SOCKET_READ_SIZE = 256 * 1024;

/**
 * The largest datagram a datagram transport receives whole (CPython's
 * _SelectorDatagramTransport.max_size, 256 KiB: more than UDP's 65507 bytes, so none is cut).
 */
export const DATAGRAM_MAX_SIZE = 256 * 1024;

/**
 * The buffer a selector loop's transports receive into, handing out views (read_slab.ts):
 * four reads of the largest size, so that a new one is needed at most every 768 KiB received,
 * and what a kept view can hold alive stays at 1 MiB.
 */
export const READ_SLAB_SIZE = 4 * SOCKET_READ_SIZE;

/**
 * Seconds a server stops accepting after accept() ran out of descriptors or memory (EMFILE,
 * ENFILE, ENOBUFS, ENOMEM): Linux keeps reporting the listening socket readable, so retrying
 * at once would spin (CPython's ACCEPT_RETRY_DELAY).
 */
export const ACCEPT_RETRY_DELAY_S = 1;

/**
 * Writes to a transport whose connection is lost are dropped; from this many on, each one
 * logs a warning, as the program is likely unaware (CPython's
 * LOG_THRESHOLD_FOR_CONNLOST_WRITES).
 */
export const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** create_server()'s and create_unix_server()'s default listen() backlog (the documented 100). */
export const SERVER_BACKLOG = 100;

/** Chunk read and written by the sendfile fallback (CPython: 256 KiB). */
export const SENDFILE_FALLBACK_READBUFFER_SIZE = 256 * 1024;

/**
 * Largest count passed to one sendfile(2) call. Linux caps a call at about
 * 2 GiB anyway; asking for less keeps every call short and the loop fair.
 */
export const SENDFILE_MAX_CHUNK = 1024 * 1024 * 1024;

/** Write buffer size above which a transport asks its protocol to pause (64 KiB, asyncio's default). */
export const WRITE_BUFFER_HIGH_WATER = 64 * 1024;

/** Write buffer size below which a paused protocol is resumed (high / 4, asyncio's default). */
export const WRITE_BUFFER_LOW_WATER = WRITE_BUFFER_HIGH_WATER / 4;

/**
 * How a transport can take part in loop.sendfile() (CPython's _SendfileMode).
 * UNSUPPORTED: not at all; TRY_NATIVE: try the syscall first; FALLBACK: only
 * by reading the file and writing it.
 */
export enum SendfileMode {
  UNSUPPORTED = 'UNSUPPORTED',
  TRY_NATIVE = 'TRY_NATIVE',
  FALLBACK = 'FALLBACK',
}

/**
 * The environment variable asyncio reads for a new loop's debug mode. Doc: "The default value
 * is True if the environment variable PYTHONASYNCIODEBUG is set to a non-empty string, False
 * otherwise." Any non-empty string, "0" included.
 */
export const ASYNCIO_DEBUG_ENV = 'PYTHONASYNCIODEBUG';

/**
 * The environment variable that, like `python -X dev`, turns on Python Development Mode
 * (sys.flags.dev_mode) when set to a non-empty string; the mode turns the debug mode on too
 * ("The new Python Development Mode can now also be used to enable the debug mode", 3.7).
 */
export const DEV_MODE_ENV = 'PYTHONDEVMODE';
