// An echo server of the kit's own: the far end of a connection a loop opens, independent of the
// loop under test (a loop whose servers are broken still has its connections checked). It
// listens on 127.0.0.1, ::1, a Unix path or an abstract name, writes back every byte (or, as a
// sink, keeps every byte and writes nothing back), and notes where each connection came from.
import * as net from 'node:net';

export class EchoPeer {
  /** The remote address of each connection accepted, in order. */
  readonly remotes: Array<{ address: string | undefined; port: number | undefined }> = [];
  /** As a sink: every byte received, over all connections, in arrival order. */
  readonly kept: Buffer[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  /** Listens on host (port 0: the kernel picks) or on a Unix path / abstract name ("\0name"). */
  static async listen(where: { host: string } | { path: string }, mode: 'echo' | 'sink' = 'echo'): Promise<EchoPeer> {
    const server = net.createServer();
    const peer = new EchoPeer(server);
    server.on('connection', (sock) => {
      peer.sockets.add(sock);
      peer.remotes.push({ address: sock.remoteAddress, port: sock.remotePort });
      sock.on('data', mode === 'echo' ? (d) => sock.write(d) : (d) => peer.kept.push(d)).on('error', () => undefined).on('close', () => peer.sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if ('path' in where) server.listen(where.path, resolve);
      else server.listen(0, where.host, resolve);
    });
    return peer;
  }

  /** Ends every connection it accepted (FIN): the loop's side reads end of file. */
  endConnections(): void {
    for (const s of this.sockets) s.end();
  }

  /** How many of the connections it accepted are still open. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** How many bytes the sink has kept. */
  get keptLength(): number {
    return this.kept.reduce((n, b) => n + b.length, 0);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
