// Values as the driver protocol carries them (adapters/PROTOCOL.md, "Values"): what a step
// passes to a documented method, built from data, never from code. JSON has one kind of
// number, so a float is tagged; so are bytes, tuples, references to the scenario's objects,
// and the specs from which the driver builds callbacks and coroutines.
import type { CallbackSpec } from './world';

export type Value = unknown;

/** A coroutine step (PROTOCOL.md, "Coroutine specs"). */
export type CoroutineStep =
  | { do: 'sleep'; seconds: number }
  | { do: 'block'; seconds: number }
  | { do: 'await'; value: Value }
  | { do: 'call'; target: string; name: string; args?: Value[]; kwargs?: Record<string, Value> }
  | { do: 'return'; value?: Value }
  | { do: 'raise'; exception: string }
  | { do: 'anext'; value: Value };

export interface CoroutineSpec { name: string; steps: CoroutineStep[]; on_cancel?: 'raise' | 'return' }

export const py = {
  float: (n: number): Value => ({ float: n }),
  bytes: (b: Buffer): Value => ({ bytes: b.toString('base64') }),
  /** N bytes of consecutive 32-bit big-endian counters from 0, made by the driver (nothing crosses but N). */
  countedBytes: (n: number): Value => ({ counted_bytes: n }),
  tuple: (items: Value[]): Value => ({ tuple: items }),
  dict: (entries: Record<string, Value>): Value => ({ dict: entries }),
  ref: (id: string): Value => ({ ref: id }),
  callback: (spec: CallbackSpec): Value => ({ callback: spec }),
  coroutine: (spec: CoroutineSpec): Value => ({ coroutine: spec }),
  exception: (cls: string, ...args: Value[]): Value => ({ exception: cls, args }),
  /** loop.time() + seconds, evaluated by the driver when the call is made. */
  loopTimePlus: (seconds: number, as: 'int' | 'float' = 'float'): Value => ({ loop_time_plus: seconds, as }),
};

/** The bytes a `{"bytes": base64}` value carries (py.bytes' inverse); undefined for any other value. */
export function bytesOf(value: unknown): Buffer | undefined {
  const b64 = (value as { bytes?: unknown } | null)?.bytes;
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64') : undefined;
}

/** An object of the driver's, as a value comes back: `{"ref": "o3", "type": ..., "bases": [...]}`. */
export interface Ref { ref: string; type: string; bases: string[] }

export function isRef(v: unknown): v is Ref {
  return typeof v === 'object' && v !== null && typeof (v as Ref).ref === 'string';
}

/** What a call answers: the value, its Python type and bases, loop.time() around the call. */
export interface CallResult {
  value: unknown;
  type: string;
  bases: string[];
  time_before: number | null;
  time_after: number | null;
  resolved_times?: number[];
  /** The warnings the call raised, each its category and the category's bases. */
  warnings?: Array<{ type: string; bases: string[] }>;
}

/** The value's Python class and its bases, for `is a ...` checks. */
export function classesOf(r: { type: string; bases: string[] }): string[] {
  return [r.type, ...r.bases];
}
