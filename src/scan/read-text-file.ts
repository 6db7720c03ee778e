import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Files larger than this are not opened by the scan (reported as skipped). */
export const MAX_SCANNED_FILE_BYTES = 2 * 1024 * 1024;
/** Where a NUL byte marks a binary file. */
const SNIFF_BYTES = 8 * 1024;

/** What opening one file gave: its text, or why it was not read. */
export type TextRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly why: string }
  | { readonly kind: 'missing' };

/**
 * A regular file's text, following links (the caller decided the path is worth reading), never
 * blocking on a FIFO, at most `maxBytes`; binary files and anything else are skipped with why.
 */
export function readTextFile(path: string, maxBytes = MAX_SCANNED_FILE_BYTES): TextRead {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'skipped', why: 'not a regular file' };
    if (stat.size > maxBytes) return { kind: 'skipped', why: `larger than ${maxBytes} bytes` };
    const buffer = Buffer.alloc(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { kind: 'skipped', why: 'binary file' };
    return { kind: 'text', text: bytes.toString('utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return {
      kind: 'skipped',
      why:
        code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : `cannot read: ${code ?? 'error'}`,
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
