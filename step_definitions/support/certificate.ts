// The TLS test certificate, made at test time (once per process) with openssl: a self-signed
// certificate for localhost and 127.0.0.1, valid for a day, deleted when the process exits.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificate { certPath: string; cert: Buffer; key: Buffer }

let made: TestCertificate | undefined;

export function testCertificate(): TestCertificate {
  if (made) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-cert-'));
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  made = { certPath, cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return made;
}
