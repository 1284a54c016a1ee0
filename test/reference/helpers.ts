// Shared by the reference loop's unit tests.
import { Worker } from 'node:worker_threads';
import * as native from '../../native';
import { pushThreadsafeToken, ThreadsafeTicket } from '../../reference/threadsafe';

/** Starts a worker that waits `delayS` seconds, then pushes the ticket (call_soon_threadsafe from another thread). */
export function pushFromWorker(ticket: ThreadsafeTicket, delayS: number): Promise<boolean> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('worker_threads');
     const n = require(workerData.addonPath);
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.delayMs);
     const push = (${pushThreadsafeToken.toString()});
     const t = workerData.ticket;
     parentPort.postMessage(push(t.buffer, t.wakeupFd, t.token, n.eventfdWrite));`,
    { eval: true, execArgv: [], workerData: { addonPath: native.addonPath, delayMs: delayS * 1000, ticket } },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
