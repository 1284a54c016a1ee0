// Which scenarios apply to an adapter: @since/@until/@except against the Python version the
// driver implements, @needs against its capabilities. A scenario that does not apply is
// skipped with the reason (a precondition, never a failure).
import { Hello } from '../../adapters/errors';
import { MACHINE_CAPABILITIES } from '../../adapters/machine-capabilities';

export type Version = number[];

export function parseVersion(text: string): Version {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) throw new Error(`not a version: "${text}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Why the scenario does not apply to this adapter, or undefined when it does. */
export function skipReason(tags: readonly string[], hello: Hello): string | undefined {
  const version = parseVersion(hello.language.version);
  const caps = new Set(hello.capabilities);
  for (const tag of tags) {
    const [key, value] = tag.replace(/^@/, '').split(':', 2);
    if (value === undefined) continue;
    if (key === 'since' && compareVersions(version, parseVersion(value)) < 0) {
      return `holds since Python ${value}; the adapter implements ${hello.language.version}`;
    }
    // "@until:3.6" holds for every 3.6.x; "@until:3.5.0" for 3.5.0 only of the 3.5 line.
    const upTo = value.split('.').length === 2 ? [...parseVersion(value).slice(0, 2), Infinity] : undefined;
    if (key === 'until' && compareVersions(version, upTo ?? parseVersion(value)) > 0) {
      return `holds until Python ${value}; the adapter implements ${hello.language.version}`;
    }
    if (key === 'except' && compareVersions(version, parseVersion(value)) === 0) {
      return `does not hold for Python ${value}, which the adapter implements`;
    }
    if (key === 'needs' && !caps.has(value)) {
      return MACHINE_CAPABILITIES.includes(value)
        ? `needs the capability "${value}", which this machine does not have`
        : `needs the capability "${value}", which the adapter does not announce`;
    }
  }
  return undefined;
}
