// What the native tests share: descriptors closed when the test ends, whatever happened.
import { after } from 'node:test';
import * as native from '../../native';

/** A keeper: each fd it is given is closed (last first) when the test ends. */
export function closer(): (fd: number) => number {
  const fds: number[] = [];
  after(() => {
    for (const fd of fds.reverse()) native.close(fd);
  });
  return (fd: number) => {
    fds.push(fd);
    return fd;
  };
}
