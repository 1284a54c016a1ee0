/**
 * asyncio.log: the logger the loop reports to. The default exception handler writes each
 * context here (message, exception); like Python's logging, anyone may add a handler, which is
 * how the reference driver observes default-handler calls without replacing the loop's handler.
 */

export interface LogRecord { level: 'error' | 'warning'; message: string; exception?: unknown }
export type LogHandler = (record: LogRecord) => void;

const handlers: LogHandler[] = [];

export const logger = {
  addHandler(handler: LogHandler): void {
    handlers.push(handler);
  },
  /** Logs to stderr (as Python's last-resort handler does) and to every handler. */
  log(record: LogRecord): void {
    const exc = record.exception;
    const detail = exc instanceof Error ? exc.stack ?? exc.message : exc === undefined ? '' : String(exc);
    process.stderr.write(`${record.message}\n${detail}\n`);
    for (const handler of handlers) handler(record);
  },
};
