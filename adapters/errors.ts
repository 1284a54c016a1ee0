// What crosses the protocol when something goes wrong, in one place (STYLE: "errors cross as
// the Python class name, its bases, errno where there is one; converted in one place").

/** An exception as a driver describes it: the class, its MRO after itself, message, errno. */
export interface ErrorInfo {
  type: string;
  bases: string[];
  module?: string;
  message: string;
  errno?: number | null;
}

/** The handshake a driver sends first. */
export interface Hello {
  type: 'hello';
  protocol: 2;
  implementation: { name: string; version: string };
  language: { name: string; version: string };
  loop?: string;
  loop_class?: string;
  capabilities: string[];
}

/** The loop raised: a scenario may expect this (`Then it raises a RuntimeError`). */
export class LoopError extends Error {
  readonly op: string;
  readonly info: ErrorInfo;
  constructor(op: string, info: ErrorInfo) {
    super(`${op} raised ${info.type}: ${info.message}`);
    this.name = 'LoopError';
    this.op = op;
    this.info = info;
  }
  /** True when the exception is of class `name` or of a subclass of it. */
  isA(name: string): boolean {
    return this.info.type === name || (this.info.bases ?? []).includes(name);
  }
}

/** The driver itself failed: never expected by a scenario, always a failure of it. */
export abstract class DriverError extends Error {
  readonly driver: string;
  /** The error in one line, for the CLI: what happened and the driver's last word. */
  readonly brief: string;
  constructor(driver: string, message: string, stderr = '') {
    super(message);
    this.driver = driver;
    const last = stderr.trim().split('\n').filter((l) => l.trim()).pop()?.trim();
    this.brief = message.split('\n')[0] + (last ? `: ${last}` : '');
  }
}

function lastLines(text: string, n = 12): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

export class DriverTimeout extends DriverError {
  constructor(driver: string, op: string, timeoutMs: number, stderr: string) {
    const tail = stderr.trim() ? `\nlast lines of its stderr:\n${lastLines(stderr)}` : '';
    super(driver, `timed out: the ${driver} driver did not answer "${op}" within ${timeoutMs / 1000} s; it was killed and will be restarted${tail}`, stderr);
    this.name = 'DriverTimeout';
  }
}

export class DriverCrashed extends DriverError {
  constructor(driver: string, how: string, stderr: string) {
    const tail = stderr.trim() ? `\nlast lines of its stderr:\n${lastLines(stderr)}` : ' (nothing on stderr)';
    super(driver, `the ${driver} driver ${how}${tail}`, stderr);
    this.name = 'DriverCrashed';
  }
}

export class DriverProtocolViolation extends DriverError {
  constructor(driver: string, what: string) {
    super(driver, `the ${driver} driver ${what}`);
    this.name = 'DriverProtocolViolation';
  }
}

/** The driver could not start, or said it cannot load the loop. */
export class DriverFatal extends DriverError {
  constructor(driver: string, what: string) {
    super(driver, `the ${driver} driver ${what}`);
    this.name = 'DriverFatal';
  }
}
