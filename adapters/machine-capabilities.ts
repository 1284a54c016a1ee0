// Capabilities of the machine rather than of the loop: what a scenario needs from the place it
// runs in, found by the kit once before a run and announced beside the driver's own (drivers run
// on the same machine, with the same resolver).
import { promises as dns } from 'node:dns';

/**
 * dual-stack-localhost: the resolver gives "localhost" both 127.0.0.1 and ::1 (Debian's default
 * /etc/hosts does; a hosts file with only the IPv4 line does not), so a name with more than one
 * address can be connected to without any address beyond the loopback ones.
 */
async function dualStackLocalhost(): Promise<boolean> {
  try {
    const addresses = new Set((await dns.lookup('localhost', { all: true })).map((a) => a.address));
    return addresses.has('127.0.0.1') && addresses.has('::1');
  } catch {
    return false;
  }
}

/** Every capability the kit finds on the machine itself (a scenario's skip reason says so). */
export const MACHINE_CAPABILITIES = ['dual-stack-localhost'];

export async function machineCapabilities(): Promise<string[]> {
  return (await dualStackLocalhost()) ? ['dual-stack-localhost'] : [];
}
