// Unix socket addresses a scenario asks for in a call's arguments, in words: "a new socket path",
// "a new socket path as bytes", "a new socket path as a pathlib.Path", "a new abstract socket
// name". Each becomes a name (SOCKPATH1, ...) the arguments resolve: a path in a directory of the
// kit's own (removed with the scenario, so a socket file a loop leaves is not the driver's leak),
// or an abstract name (Linux: a leading NUL, nothing on disk).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoopWorld } from './world';
import { py } from './values';

const PHRASE = /a new (socket path(?: as bytes| as a pathlib\.Path)?|abstract socket name)/g;

/** A directory for the scenario's socket files; short, since sun_path holds 107 bytes. */
export function socketDir(world: LoopWorld): string {
  world.socketDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lsock-'));
  return world.socketDir;
}

/** The text with each phrase replaced by the name of a fresh address (see above). */
export async function expandSocketPaths(world: LoopWorld, text: string): Promise<string> {
  let out = text;
  for (const m of [...text.matchAll(PHRASE)]) {
    const name = `SOCKPATH${world.values.size + 1}`;
    const kind = m[1];
    if (kind === 'abstract socket name') {
      world.values.set(name, `\0loopspec-${crypto.randomBytes(6).toString('hex')}`);
    } else {
      const file = path.join(socketDir(world), `s${world.values.size + 1}.sock`);
      world.socketPaths.set(name, file);
      if (kind.endsWith('as bytes')) world.values.set(name, py.bytes(Buffer.from(file)));
      else if (kind.endsWith('pathlib.Path')) world.values.set(name, py.ref(world.refOf(await world.call('pathlib', 'Path', [file]))));
      else world.values.set(name, file);
    }
    out = out.replace(m[0], name);
  }
  return out;
}
