// How to start each kind of adapter. The CLI builds one AdapterSpec and hands it, as JSON in
// LOOPSPEC_ADAPTER, to every cucumber worker, so each worker starts its own driver.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The kit's folder: the nearest above this module that holds package.json (two up from the
 * built dist/adapters/, one up from the sources' adapters/).
 */
export const ROOT = ((): string => {
  for (let dir = path.dirname(__dirname); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) return path.resolve(__dirname, '..');
  }
})();
/** The kit's JavaScript, built from its TypeScript by scripts/build.js. */
export const DIST = path.join(ROOT, 'dist');
export const DEFAULT_TIMEOUT_S = 5;
export const DEFAULT_LOOP = 'asyncio:new_event_loop';

export interface AdapterSpec {
  kind: 'reference' | 'python' | 'driver';
  /** Names the driver in messages: "reference", "python (uvloop:new_event_loop)". */
  label: string;
  command: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** What this driver was started with beyond the ordinary spec (see variantSpec()). */
  variant?: DriverVariant;
  /** The command is run inside the sandbox (adapters/sandbox.ts), which the client adds. */
  sandboxed?: boolean;
}

export interface AdapterOptions {
  adapter: 'reference' | 'python' | 'driver';
  python?: string;
  loop?: string;
  driver?: string;
  timeoutS?: number;
  /** Run the driver in its own user and PID namespaces (adapters/sandbox.ts). */
  sandbox?: boolean;
}

export function adapterSpec(o: AdapterOptions): AdapterSpec {
  const spec = driverSpec(o);
  return o.sandbox ? { ...spec, sandboxed: true } : spec;
}

function driverSpec(o: AdapterOptions): AdapterSpec {
  const timeoutMs = Math.round((o.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000);
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1' };
  switch (o.adapter) {
    case 'reference':
      return {
        kind: 'reference', label: 'reference', timeoutMs, cwd: ROOT, env,
        command: [process.execPath, path.join(DIST, 'adapters/reference/driver.js')],
      };
    case 'python': {
      const loop = o.loop ?? DEFAULT_LOOP;
      return {
        kind: 'python', label: `python (${loop})`, timeoutMs, env, cwd: process.cwd(),
        command: [o.python ?? 'python3', path.join(ROOT, 'adapters/python/loopspec_driver.py'), '--loop', loop],
      };
    }
    case 'driver':
      return {
        kind: 'driver', label: `"${o.driver}"`, timeoutMs, env, cwd: process.cwd(),
        command: ['/bin/sh', '-c', `exec ${o.driver}`],
      };
  }
}

// ---------------------------------------------------------------------------
// Driver variants: what a scenario needs the driver's process started with.

/**
 * The environment and interpreter flags a scenario needs its driver started with, from its tags:
 * `@driver-env:NAME=VALUE` sets the variable NAME to VALUE (which may be empty), and
 * `@driver-flag:NAME` turns on the interpreter flag NAME of DRIVER_FLAGS. The pool keeps one
 * driver per variant (step_definitions/support/driver-pool.ts), so ordinary scenarios keep theirs.
 */
export interface DriverVariant {
  env: Record<string, string>;
  flags: DriverFlag[];
}

/** The interpreter flags a scenario may ask for, and what each is in Python. */
export const DRIVER_FLAGS = {
  'dev-mode': 'Python Development Mode: `python -X dev` (sys.flags.dev_mode)',
} as const;
export type DriverFlag = keyof typeof DRIVER_FLAGS;

/**
 * Variables every driver is started without, whatever the caller's shell has, unless a
 * scenario's `@driver-env` sets them: what a scenario asserts about a default must not depend
 * on who runs the kit. PYTHONASYNCIODEBUG turns asyncio's debug mode on, PYTHONDEVMODE Python
 * Development Mode (and with it the debug mode).
 */
export const CLEARED_ENV: readonly string[] = ['PYTHONASYNCIODEBUG', 'PYTHONDEVMODE'];

export const DRIVER_ENV_TAG = /^@driver-env:([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/;
export const DRIVER_FLAG_TAG = /^@driver-flag:([a-z][a-z0-9-]*)$/;

/** The variant a scenario's tags ask for, or undefined when it runs on the ordinary driver. */
export function driverVariant(tags: readonly string[]): DriverVariant | undefined {
  const env: Record<string, string> = {};
  const flags = new Set<DriverFlag>();
  for (const tag of tags) {
    const e = DRIVER_ENV_TAG.exec(tag);
    if (e) {
      if (e[1] in env && env[e[1]] !== e[2]) throw new Error(`${tag}: the scenario also sets ${e[1]}=${env[e[1]]}`);
      env[e[1]] = e[2];
    }
    const f = DRIVER_FLAG_TAG.exec(tag);
    if (f) {
      if (!(f[1] in DRIVER_FLAGS)) throw new Error(`${tag}: no such driver flag (known: ${Object.keys(DRIVER_FLAGS).join(', ')})`);
      flags.add(f[1] as DriverFlag);
    }
  }
  if (Object.keys(env).length === 0 && flags.size === 0) return undefined;
  return { env, flags: [...flags].sort() };
}

/** How a variant reads in labels and as the pool's key: `PYTHONASYNCIODEBUG=1 -X dev`. */
export function variantLabel(v: DriverVariant): string {
  const env = Object.keys(v.env).sort().map((k) => `${k}=${v.env[k]}`);
  const flags = v.flags.map((f) => (f === 'dev-mode' ? '-X dev' : f));
  return [...env, ...flags].join(' ');
}

/**
 * The ordinary spec started with a variant: its variables added to the environment, and
 * Python Development Mode as each kind of driver takes it: `-X dev` before the script for the
 * Python driver (an interpreter option), `-X dev` after the script for the reference driver
 * (which reads it as Python's flag), and PYTHONDEVMODE=1 for any other driver command (the
 * environment's way to say `-X dev` to a Python interpreter).
 */
export function variantSpec(spec: AdapterSpec, v: DriverVariant): AdapterSpec {
  const env = { ...spec.env, ...v.env };
  let command = [...spec.command];
  if (v.flags.includes('dev-mode')) {
    if (spec.kind === 'python') command = [command[0], '-X', 'dev', ...command.slice(1)];
    else if (spec.kind === 'reference') command = [...command, '-X', 'dev'];
    else env.PYTHONDEVMODE = '1';
  }
  return { ...spec, label: `${spec.label} with ${variantLabel(v)}`, env, command, variant: v };
}
