import { execFile } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { describeError } from '../core/index.js';

/** Somewhere a signed checkpoint line is appended: the home's file, or a witness off the host. */
export interface CheckpointSink {
  /** For messages: `file /mnt/audit/airlock.jsonl`, `syslog`, `http https://…`. */
  readonly name: string;
  /** Appends one line (no newline); resolves once it is durable there, rejects otherwise. */
  append(line: string): Promise<void>;
}

/** A witness as configured under `audit.checkpoint.witnesses`. */
export type WitnessConfig =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'syslog'; readonly socket?: string | undefined; readonly tag: string }
  | { readonly kind: 'http'; readonly url: string };

/** How long one witness delivery may take. */
export const WITNESS_TIMEOUT_MS = 5_000;

/**
 * Appends each line to a file and fsyncs it before answering. The file is opened for every
 * line, so a rotated or remounted file is picked up, and created 0600.
 */
export function fileSink(path: string): CheckpointSink {
  return {
    name: `file ${path}`,
    append: async (line) => {
      const handle = await open(path, 'a', 0o600);
      try {
        await handle.appendFile(`${line}\n`, 'utf8');
        // INVARIANT: a checkpoint counts as written only once it survives a crash.
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/** One line per checkpoint to syslog through the `logger` command (to `socket`, default /dev/log). */
export function syslogSink(options: {
  readonly socket?: string | undefined;
  readonly tag: string;
}): CheckpointSink {
  const socketArgs = options.socket === undefined ? [] : ['--socket', options.socket];
  return {
    name: `syslog${options.socket === undefined ? '' : ` ${options.socket}`}`,
    append: (line) =>
      new Promise<void>((resolve, reject) => {
        const args = ['--tag', options.tag, '--socket-errors=on', ...socketArgs, '--', line];
        execFile('logger', args, { timeout: WITNESS_TIMEOUT_MS }, (error, _stdout, stderr) => {
          if (error === null) resolve();
          else reject(new Error(`logger failed: ${stderr.trim() || describeError(error)}`));
        });
      }),
  };
}

/** POSTs each line as a JSON body; any answer but 2xx is a failure, retried by the checkpointer. */
export function httpSink(url: string): CheckpointSink {
  return {
    name: `http ${new URL(url).origin}`,
    append: async (line) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: line,
        signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`answered ${response.status}`);
    },
  };
}

/** The sink for one configured witness. */
export function witnessSink(config: WitnessConfig): CheckpointSink {
  switch (config.kind) {
    case 'file':
      return fileSink(config.path);
    case 'syslog':
      return syslogSink(config);
    case 'http':
      return httpSink(config.url);
  }
}

/** The lines of a checkpoint file; undefined when there is no such file. */
export async function readCheckpointLines(path: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n');
  // A file ends with a newline after its last line; what follows it is not a line.
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
