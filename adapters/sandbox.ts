// --sandbox: each driver in new user and PID namespaces, so that its death ends every process
// inside, whatever it did to escape (PROTOCOL.md, "Containment"). Unprivileged: util-linux's
// unshare maps the current user to itself. Where the machine forbids unprivileged namespaces,
// the kit says so once and runs without.
import { spawnSync } from 'node:child_process';

/** The unshare to use; a test points it elsewhere to play a machine that refuses. */
function unshare(): string {
  return process.env.LOOPSPEC_UNSHARE || 'unshare';
}

/**
 * --kill-child: if unshare dies, its child (the namespace's init) is SIGKILLed, and with it the
 * namespace. The init is a shell that runs the driver as its child rather than exec'ing it, so
 * that the driver is not PID 1, which the kernel shields from signals it has no handler for.
 */
const UNSHARE_ARGS = ['--user', '--map-current-user', '--pid', '--fork', '--mount-proc', '--kill-child'];
const INIT = ['/bin/sh', '-c', '"$@"; exit $?', 'loopspec-sandbox'];

/** The command that runs `command` in the sandbox. */
export function sandboxed(command: string[]): string[] {
  return [unshare(), ...UNSHARE_ARGS, '--', ...INIT, ...command];
}

/** Why this machine cannot run the sandbox, or undefined when it can. */
export function sandboxUnavailable(): string | undefined {
  const probe = spawnSync(unshare(), [...UNSHARE_ARGS, '--', '/bin/sh', '-c', 'exit 0'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `${unshare()} cannot be run: ${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}`;
  if (probe.status === 0) return undefined;
  const said = (probe.stderr ?? '').trim().split('\n').pop();
  return said ? `${unshare()}: ${said.replace(/^unshare: /, '')}` : `${unshare()} exited with status ${probe.status ?? probe.signal}`;
}
