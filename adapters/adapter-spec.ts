// How to start each kind of adapter. The CLI builds one AdapterSpec and hands it, as JSON in
// LOOPSPEC_ADAPTER, to every cucumber worker, so each worker starts its own driver.
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
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
}

export interface AdapterOptions {
  adapter: 'reference' | 'python' | 'driver';
  python?: string;
  loop?: string;
  driver?: string;
  timeoutS?: number;
}

/** The Node flags that let a child run TypeScript directly (no build step). */
export function tsNodeArgs(): string[] {
  return ['-r', require.resolve('ts-node/register/transpile-only')];
}

export function adapterSpec(o: AdapterOptions): AdapterSpec {
  const timeoutMs = Math.round((o.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000);
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') };
  switch (o.adapter) {
    case 'reference':
      return {
        kind: 'reference', label: 'reference', timeoutMs, cwd: ROOT,
        // ts-node's compile cache would otherwise land in the driver's TMPDIR, read as a leak.
        env: { ...env, DISABLE_V8_COMPILE_CACHE: '1' },
        command: [process.execPath, ...tsNodeArgs(), path.join(ROOT, 'adapters/reference/driver.ts')],
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
