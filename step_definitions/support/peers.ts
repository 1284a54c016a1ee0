// The kit's own peers on 127.0.0.1: servers that record every byte a loop sends them, so
// what arrived is compared with what was meant to, independently of the loop under test.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { testCertificate } from './certificate';

export interface PeerOptions {
  tls?: boolean;
  /** Reset the connection (TCP RST) once this many bytes have arrived. */
  resetAfterBytes?: number;
}

export class Peer {
  readonly port: number;
  readonly tls: boolean;
  private server: net.Server;
  private chunks: Buffer[] = [];
  private bytes = 0;
  private ended = false;
  private endWaiters: Array<() => void> = [];
  private sockets = new Set<net.Socket>();

  private constructor(server: net.Server, port: number, isTls: boolean) {
    this.server = server;
    this.port = port;
    this.tls = isTls;
  }

  static async listen(opts: PeerOptions = {}): Promise<Peer> {
    let peer: Peer | undefined;
    const onConnection = (sock: net.Socket) => peer!.accept(sock, opts);
    const server = opts.tls
      ? tls.createServer({ key: testCertificate().key, cert: testCertificate().cert }, onConnection)
      : net.createServer(onConnection);
    // A server binds port 0 on loopback only: parallel runs never collide, nothing leaves the host.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    peer = new Peer(server, (server.address() as net.AddressInfo).port, Boolean(opts.tls));
    return peer;
  }

  private accept(sock: net.Socket, opts: PeerOptions): void {
    this.sockets.add(sock);
    sock.on('data', (data: Buffer) => {
      this.chunks.push(data);
      this.bytes += data.length;
      if (opts.resetAfterBytes !== undefined && this.bytes >= opts.resetAfterBytes && !sock.destroyed) {
        // Stop reading and reset: the sender's next write fails with ECONNRESET or EPIPE.
        sock.pause();
        const raw = sock as net.Socket & { resetAndDestroy?: () => void };
        if (raw.resetAndDestroy) raw.resetAndDestroy(); else sock.destroy();
        this.finish();
      }
    });
    sock.on('error', () => this.finish());
    sock.on('end', () => { sock.end(); this.finish(); });
    sock.on('close', () => { this.sockets.delete(sock); this.finish(); });
  }

  private finish(): void {
    this.ended = true;
    for (const w of this.endWaiters.splice(0)) w();
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get receivedBytes(): number {
    return this.bytes;
  }

  /** Waits until the sender closed (or the peer reset) its connection. */
  async waitForEnd(timeoutMs: number): Promise<boolean> {
    if (this.ended) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.endWaiters.push(() => { clearTimeout(timer); resolve(true); });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
