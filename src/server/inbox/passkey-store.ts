import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** One approver's registered passkey, as kept by the server. */
export interface PasskeyCredentialV1 {
  /** The approver's name. */
  readonly approver: string;
  /**
   * The approver's generation at enrolment (a digest, see `approverGeneration`): a removed and
   * re-added approver, or one with new credentials, has no passkey until enrolling again.
   */
  readonly approverGeneration: string;
  /** The credential id, base64url, as the authenticator reports it. */
  readonly id: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  /** The authenticator's signature counter at the last use (0 when it keeps none). */
  readonly counter: number;
  readonly transports: readonly string[];
  readonly createdAt: number;
}

/**
 * Where the inbox keeps passkeys. Its own port, not the `Store`'s: passkeys are the inbox's
 * business alone, and they must survive restarts, which the in-memory sessions need not.
 */
export interface PasskeyStore {
  /** The passkeys of one approver, oldest first. */
  listOf(approver: string): Promise<PasskeyCredentialV1[]>;
  /** Adds one; an existing id is replaced. */
  add(credential: PasskeyCredentialV1): Promise<void>;
  /** Records a use: the new signature counter. */
  setCounter(id: string, counter: number): Promise<void>;
}

/** Passkeys in memory: tests, and `demo`. */
export class MemoryPasskeyStore implements PasskeyStore {
  protected credentials: PasskeyCredentialV1[] = [];

  async listOf(approver: string): Promise<PasskeyCredentialV1[]> {
    return this.credentials.filter((credential) => credential.approver === approver);
  }

  async add(credential: PasskeyCredentialV1): Promise<void> {
    this.credentials = [
      ...this.credentials.filter((known) => known.id !== credential.id),
      credential,
    ];
    this.changed();
  }

  async setCounter(id: string, counter: number): Promise<void> {
    this.credentials = this.credentials.map((known) =>
      known.id === id ? { ...known, counter } : known,
    );
    this.changed();
  }

  /** Called after every change; the file store writes there. */
  protected changed(): void {}
}

const fileSchema = z.strictObject({
  version: z.literal(1),
  passkeys: z.array(
    z.strictObject({
      approver: z.string(),
      approverGeneration: z.string(),
      id: z.string(),
      publicKey: z.string(),
      counter: z.number().int().min(0),
      transports: z.array(z.string()),
      createdAt: z.number(),
    }),
  ),
});

/**
 * Passkeys in one JSON file in the server's home (`HOME/passkeys.json`), written whole to a
 * temporary file (mode 0600) and renamed over the old one, so a crash leaves the old file or the
 * new one, never half of either. The server is its only writer (the home belongs to the service
 * user); a public key is no secret, and a planted one would need the owner of the home, who can
 * already do anything. Until the `Store` port has a passkeys table, this is the simplest thing
 * that survives a restart without touching the store's schema. Few writes: enrolments and uses.
 */
export class FilePasskeyStore extends MemoryPasskeyStore {
  readonly #path: string;

  /** Reads `path` when it exists; throws when it exists but is not a passkey file. */
  constructor(path: string) {
    super();
    this.#path = path;
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) this.credentials = fileSchema.parse(JSON.parse(text)).passkeys;
  }

  protected override changed(): void {
    const temporary = `${this.#path}.${randomBytes(6).toString('hex')}.tmp`;
    // SECURITY: created 0600 (flag `wx`: never through an existing file or link), then renamed.
    writeFileSync(
      temporary,
      `${JSON.stringify({ version: 1, passkeys: this.credentials }, null, 2)}\n`,
      { mode: 0o600, flag: 'wx' },
    );
    renameSync(temporary, this.#path);
  }
}
