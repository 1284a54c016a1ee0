// A UDP endpoint of the kit's own (node:dgram): the far end of a datagram endpoint a loop
// makes, independent of the loop under test. Bound to 127.0.0.1 or ::1 on a port the kernel
// picks, it notes each datagram with its sender's address and sends it back to the sender.
import * as dgram from 'node:dgram';

export interface Datagram { data: Buffer; address: string; port: number }

export class UdpPeer {
  /** Every datagram received, in order. */
  readonly received: Datagram[] = [];

  private constructor(private readonly socket: dgram.Socket, readonly host: string) {}

  static async bind(host: string): Promise<UdpPeer> {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const peer = new UdpPeer(socket, host);
    socket.on('message', (data, from) => {
      peer.received.push({ data, address: from.address, port: from.port });
      socket.send(data, from.port, from.address);
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    return peer;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends one datagram to host:port (the loop's endpoint). */
  async send(text: string, port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => this.socket.send(Buffer.from(text, 'utf8'), port, host, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  /** A port of host that no socket holds: the kernel gave it and took it back. */
  static async freePort(host: string): Promise<number> {
    const peer = await UdpPeer.bind(host);
    const { port } = peer;
    await peer.close();
    return port;
  }
}
