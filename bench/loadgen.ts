// The bench's separate-process client, bench/loadgen.c: built here with the system's C
// compiler, and run in its three modes (the C file's header says what each does). Every
// process started here is killed when its run ends, and, should this process die first, by the
// kernel (the program asks for PR_SET_PDEATHSIG).
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';

const SOURCE = path.join(ROOT, 'bench', 'loadgen.c');
/** Git-ignored: the binary is built for this machine at every bench start. */
export const BUILD_DIR = path.join(ROOT, 'bench', 'build');
/** How long any one run may take beyond its own seconds before it is killed. */
const SLACK_MS = 30_000;

/**
 * Compiles loadgen.c with `cc -O2` and answers the binary's path; throws one line saying why
 * it cannot. Built under a temporary name and renamed, so a run that starts meanwhile (a test
 * beside the bench) never sees half a binary.
 */
export function buildLoadgen(): string {
  const binary = path.join(BUILD_DIR, 'loadgen');
  const partial = `${binary}.${process.pid}.tmp`;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const cc = spawnSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', partial, SOURCE], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) {
    fs.rmSync(partial, { force: true });
    const said = cc.error ? cc.error.message : cc.stderr.split('\n').find((l) => l.includes('error')) ?? `cc exited with status ${cc.status}`;
    throw new Error(`cannot build ${path.relative(process.cwd(), SOURCE)}: ${said.trim()}`);
  }
  fs.renameSync(partial, binary);
  return binary;
}

type Json = Record<string, number | null>;

/** One run of the program: its JSON lines as they come, and its end. */
class Run {
  private readonly child: ChildProcess;
  private readonly lines: Json[] = [];
  /** Set when the program has exited: undefined for status 0, else its one-line error. */
  private ended: { error?: Error } | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(binary: string, args: string[], limitMs: number) {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      for (let i = out.indexOf('\n'); i !== -1; i = out.indexOf('\n')) {
        try {
          this.lines.push(JSON.parse(out.slice(0, i)) as Json);
        } catch {
          err ||= `loadgen ${args[0]} printed ${JSON.stringify(out.slice(0, Math.min(i, 80)))}, not JSON`;
          this.kill();
        }
        out = out.slice(i + 1);
      }
      this.wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString('utf8'); });
    const timer = setTimeout(() => this.kill(), limitMs);
    const end = (error?: Error): void => {
      clearTimeout(timer);
      this.ended ??= { error };
      this.wake();
    };
    child.once('error', (e) => end(new Error(`cannot run ${binary}: ${e.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0 && !err) end();
      else end(new Error(err.trim().split('\n')[0] || `loadgen ${args[0]} ${signal ? `was killed (${signal})` : `exited with status ${code}`}`));
    });
  }

  /** The first line the program prints (the sink's port), or its error if it ends first. */
  firstLine(): Promise<Json> {
    return this.when(() => (this.lines.length > 0 ? this.lines[0] : undefined));
  }

  /** The last line, once the program has exited 0; its error otherwise. */
  lastLine(): Promise<Json> {
    return this.when(() => (this.ended && !this.ended.error && this.lines.length > 0 ? this.lines[this.lines.length - 1] : undefined));
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Resolves with what `ready` finds, checked at each line and at the end; rejects if it ends without. */
  private when(ready: () => Json | undefined): Promise<Json> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = ready();
        if (found !== undefined) resolve(found);
        else if (this.ended) reject(this.ended.error ?? new Error('loadgen ended without printing its result'));
        else this.waiters.push(check);
      };
      check();
    });
  }

  private wake(): void {
    for (const check of this.waiters.splice(0)) check();
  }
}

export interface EchoOptions {
  port: number;
  connections: number;
  size: number;
  warmupS: number;
  seconds: number;
  /** The server's process, whose CPU time the client reads at the window's start and end. */
  serverPid?: number;
}

export interface EchoResult {
  requests: number;
  seconds: number;
  bytesChecked: number;
  cpuSeconds: number;
  serverCpuSeconds: number | null;
}

/** The echo client against 127.0.0.1:port: resolves when its window is over, rejects on a wrong byte or a lost connection. */
export async function echoClient(binary: string, o: EchoOptions): Promise<EchoResult> {
  const args = ['echo', '127.0.0.1', String(o.port), '--connections', String(o.connections), '--size', String(o.size),
    '--warmup', String(o.warmupS), '--seconds', String(o.seconds)];
  if (o.serverPid !== undefined) args.push('--server-pid', String(o.serverPid));
  const run = new Run(binary, args, (o.warmupS + o.seconds) * 1000 + SLACK_MS);
  const r = await run.lastLine();
  return { requests: r.requests!, seconds: r.seconds!, bytesChecked: r.bytes_checked!, cpuSeconds: r.cpu_seconds!, serverCpuSeconds: r.server_cpu_seconds };
}

/** A sink listening on 127.0.0.1: one connection, read and discarded; `received` is its byte count. */
export interface Sink {
  port: number;
  /** The bytes the connection carried, once the sender has closed it. */
  received(): Promise<number>;
  kill(): void;
}

export async function startSink(binary: string): Promise<Sink> {
  const run = new Run(binary, ['sink'], SLACK_MS * 10);
  try {
    const { port } = await run.firstLine();
    return {
      port: port!,
      received: async () => (await run.lastLine()).bytes!,
      kill: () => run.kill(),
    };
  } catch (err) {
    run.kill();
    throw err;
  }
}

/** The raw syscall's figure: `file` sent with a blocking sendfile(2) loop to 127.0.0.1:port. */
export async function rawSendfile(binary: string, port: number, file: string): Promise<{ bytes: number; seconds: number }> {
  const r = await new Run(binary, ['rawsendfile', '127.0.0.1', String(port), file], SLACK_MS).lastLine();
  return { bytes: r.bytes!, seconds: r.seconds! };
}
