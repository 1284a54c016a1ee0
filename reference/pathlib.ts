/**
 * pathlib.Path, as far as asyncio takes one: "Abstract Unix sockets, str, bytes, and Path paths
 * are supported" (create_unix_server, create_unix_connection). A path-like object: os.fspath()
 * gives its text (unix_paths.ts fsPath()).
 * https://docs.python.org/3/library/pathlib.html#pathlib.Path
 */
export class Path {
  private readonly text: string;

  /** pathlib.Path(*pathsegments): the segments joined with "/" (an absolute one restarts). */
  constructor(...segments: string[]) {
    let text = '';
    for (const s of segments) text = s.startsWith('/') || text === '' ? s : `${text.replace(/\/$/, '')}/${s}`;
    this.text = text === '' ? '.' : text;
  }

  /** os.PathLike's __fspath__(). */
  fspath(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}
