// native/tls.cc: TLS over memory BIOs. Two of our sessions talk through the test (no socket),
// and one of ours talks to Node's own TLS server over 127.0.0.1.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as native from '../../native';
import { testCertificate } from '../../step_definitions/support/certificate';

const cert = testCertificate();
const keyPath = path.join(path.dirname(cert.certPath), 'key.pem');

function server(): native.TlsSessionHandle {
  const ctx = native.tlsContext(true);
  native.tlsLoadCertChain(ctx, cert.certPath, keyPath);
  return native.tlsSession(ctx, true);
}

function client(hostname: string | null, trust = true): native.TlsSessionHandle {
  const ctx = native.tlsContext(false);
  if (trust) native.tlsLoadVerifyLocations(ctx, cert.certPath);
  native.tlsSetVerify(ctx, true);
  return native.tlsSession(ctx, false, hostname);
}

/** Runs both handshakes to the end, moving each side's bytes to the other (at most 20 rounds). */
function handshake(a: native.TlsSessionHandle, b: native.TlsSessionHandle): void {
  let doneA = false;
  let doneB = false;
  for (let round = 0; round < 20 && !(doneA && doneB); round++) {
    doneA = native.tlsHandshake(a) === native.TLS_DONE;
    native.tlsFeed(b, native.tlsDrainAll(a));
    doneB = native.tlsHandshake(b) === native.TLS_DONE;
    native.tlsFeed(a, native.tlsDrainAll(b));
  }
  assert.ok(doneA && doneB, 'the handshake did not end');
}

/** Everything `from` sends, as `to` reads it. */
function transfer(from: native.TlsSessionHandle, to: native.TlsSessionHandle, data: Buffer): Buffer {
  let at = 0;
  const got: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  while (at < data.length) {
    const n = native.tlsWrite(from, data, at);
    assert.ok(n > 0, `tlsWrite answered ${n}`);
    at += n;
    native.tlsFeed(to, native.tlsDrainAll(from));
    for (let r = native.tlsRead(to, buf); r > 0; r = native.tlsRead(to, buf)) got.push(Buffer.from(buf.subarray(0, r)));
  }
  return Buffer.concat(got);
}

test('two sessions shake hands in memory and carry data both ways, intact', () => {
  const c = client('localhost');
  const s = server();
  handshake(c, s);
  const info = native.tlsInfo(c);
  assert.match(info.version, /^TLSv1\.[23]$/);
  assert.ok(info.cipher && info.cipher[0].length > 0 && info.cipher[2] >= 128, JSON.stringify(info.cipher));
  assert.ok(Buffer.isBuffer(info.peerCertificate) && info.peerCertificate.length > 100, 'the client has the server\'s certificate');
  assert.equal(info.verifyCode, 0);
  const big = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32BE(i / 4, i);
  assert.ok(transfer(c, s, big).equals(big), 'client to server');
  assert.equal(transfer(s, c, Buffer.from('pong')).toString(), 'pong');
});

test('the certificate is matched against an IP address as one', () => {
  const c = client('127.0.0.1');
  handshake(c, server());
  assert.equal(native.tlsInfo(c).verifyCode, 0);
});

test('a certificate the context does not trust fails the handshake with its verification code', () => {
  const c = client('localhost', false);
  const s = server();
  assert.throws(() => handshake(c, s), (err: unknown) => {
    assert.ok(native.isTlsError(err), String(err));
    assert.equal(err.code, 'SSL_ERROR_SSL');
    assert.equal(err.verifyCode, 18, err.verifyMessage); // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    return true;
  });
});

test('a host name the certificate does not carry fails the handshake', () => {
  assert.throws(() => handshake(client('example.com'), server()), (err: unknown) => {
    assert.ok(native.isTlsError(err), String(err));
    assert.equal(err.verifyCode, 62, err.verifyMessage); // X509_V_ERR_HOSTNAME_MISMATCH
    return true;
  });
});

test('a shutdown reaches the peer as the end of the session', () => {
  const c = client('localhost');
  const s = server();
  handshake(c, s);
  assert.equal(native.tlsShutdown(c), 0);
  native.tlsFeed(s, native.tlsDrainAll(c));
  assert.equal(native.tlsRead(s, Buffer.alloc(16)), 0);
});

test('a session of ours talks to Node\'s own TLS server over 127.0.0.1', async () => {
  const srv = tls.createServer({ cert: cert.cert, key: testCertificate().key }, (sock) => sock.on('data', (d) => sock.write(d)));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const c = client('localhost');
    const sock = net.connect(port, '127.0.0.1');
    const echoed = await new Promise<string>((resolve, reject) => {
      let sent = false;
      const buf = Buffer.alloc(1024);
      const pump = (): void => {
        if (native.tlsHandshake(c) === native.TLS_DONE && !sent) {
          sent = true;
          native.tlsWrite(c, Buffer.from('hello through OpenSSL'));
        }
        const out = native.tlsDrainAll(c);
        if (out.length) sock.write(out);
        if (sent) {
          const n = native.tlsRead(c, buf);
          if (n > 0) resolve(buf.subarray(0, n).toString());
        }
      };
      sock.on('connect', pump);
      sock.on('data', (d: Buffer) => {
        native.tlsFeed(c, d);
        try {
          pump();
        } catch (err) {
          reject(err);
        }
      });
      sock.on('error', reject);
    });
    sock.destroy();
    assert.equal(echoed, 'hello through OpenSSL');
  } finally {
    srv.close();
  }
});
