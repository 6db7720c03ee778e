import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import type { FileRead, FileReader } from '../classify/index.js';

/** The largest script, package.json or Makefile the hook reads; anything larger is not looked into. */
export const MAX_SCRIPT_FILE_BYTES = 256 * 1024;
/** Where the start of a file is checked for a compiled program's header or a NUL byte. */
const SNIFF_BYTES = 8 * 1024;
/** Pseudo-file systems whose "files" are devices or another process's state, never a script. */
const NEVER_READ = ['/proc', '/dev', '/sys'];

/**
 * Compiled programs, by their first bytes; the classifier recognizes the `compiled program` why
 * and judges running one as `execute` (see catalog/script-files.ts).
 */
const PROGRAM_HEADERS: readonly { readonly bytes: readonly number[]; readonly kind: string }[] = [
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: 'ELF' },
  { bytes: [0xfe, 0xed, 0xfa, 0xce], kind: 'Mach-O' },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], kind: 'Mach-O' },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], kind: 'Mach-O' },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], kind: 'Mach-O' },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], kind: 'Mach-O universal' },
];

/**
 * The shell classifier's file reader on this machine (package.json, scripts, Makefiles): regular
 * files only, at most MAX_SCRIPT_FILE_BYTES, text only, never under /proc, /dev or /sys. A missing
 * file (ENOENT, ENOTDIR) is `missing`; everything else that cannot be read is `unreadable`, with why.
 */
export function nodeFileReader(): FileReader {
  // Synchronous on purpose: a read is a handful of system calls on a small local file (tens of
  // microseconds), where each await of node:fs/promises waits for the thread pool, which under load
  // cost milliseconds per step (measured: about 10 ms per read at load 15 on two CPUs).
  return { read: (path) => Promise.resolve(readScriptFile(path)) };
}

function readScriptFile(path: string): FileRead {
  if (!path.startsWith('/')) return { kind: 'unreadable', why: 'not an absolute path' };
  if (isUnder(path, NEVER_READ)) return { kind: 'unreadable', why: 'a device or process file' };
  let fd: number | undefined;
  try {
    // SECURITY: the real path decides, so a link inside the project cannot lead into /proc or /dev.
    if (isUnder(realpathSync.native(path), NEVER_READ))
      return { kind: 'unreadable', why: 'a link to a device or process file' };
    // O_NONBLOCK: opening a FIFO someone left in the project must not hang the hook.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'unreadable', why: 'not a regular file' };
    return readBounded(fd, stat.size);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    if (code === 'EACCES' || code === 'EPERM')
      return { kind: 'unreadable', why: 'permission denied' };
    if (code === 'ELOOP') return { kind: 'unreadable', why: 'too many symbolic links' };
    if (code === 'EISDIR') return { kind: 'unreadable', why: 'not a regular file' };
    return { kind: 'unreadable', why: `cannot read: ${code ?? 'error'}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readBounded(fd: number, size: number): FileRead {
  const buffer = Buffer.alloc(Math.min(size, MAX_SCRIPT_FILE_BYTES) + 1);
  let length = 0;
  while (length < buffer.length) {
    const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  const bytes = buffer.subarray(0, length);
  const program = PROGRAM_HEADERS.find((header) =>
    header.bytes.every((byte, index) => bytes[index] === byte),
  );
  if (program !== undefined)
    return { kind: 'unreadable', why: `compiled program (${program.kind})` };
  if (length > MAX_SCRIPT_FILE_BYTES)
    return { kind: 'unreadable', why: `larger than ${MAX_SCRIPT_FILE_BYTES} bytes` };
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { kind: 'unreadable', why: 'binary file' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return { kind: 'text', text };
}

function isUnder(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(`${root}/`));
}
