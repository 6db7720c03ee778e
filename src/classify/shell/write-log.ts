import type { Finding } from './types.js';
import { isInside } from './paths.js';

/** The paths a command line writes, in order, so that a later command reading one of them is not judged by its old text. */
export class WriteLog {
  readonly #paths = new Set<string>();

  record(findings: readonly Finding[]): void {
    for (const finding of findings) {
      if (finding.effect === 'read') continue;
      for (const target of finding.targets) if (target.type === 'path') this.#paths.add(target.id);
    }
  }

  /** True when `path`, a folder above it, or a glob that could match it was written. */
  mayHaveWritten(path: string): boolean {
    for (const written of this.#paths) {
      if (written === path || isInside(path, written)) return true;
      const globAt = written.search(/[*?[{]/);
      if (globAt >= 0) {
        const folder = written.slice(0, written.lastIndexOf('/', globAt));
        if (folder === '' || isInside(path, folder)) return true;
      }
    }
    return false;
  }
}
