import type { KeyObject } from 'node:crypto';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { CheckpointSignatureCheck } from '../core/index.js';
import { FirewallError, describeError } from '../core/index.js';

/** The server's checkpoint signing key's file name in the home (PKCS8 PEM, mode 0600). */
export const AUDIT_SIGNING_KEY_FILE = 'audit-signing.key';

/** Signs audit checkpoints with the server's Ed25519 key; the private key never leaves it. */
export interface AuditSigner {
  readonly keyId: string;
  /** The public key as SPKI PEM, what `airlock audit public-key` prints. */
  readonly publicKeyPem: string;
  /** A base64 Ed25519 signature over the text's UTF-8 bytes. */
  sign(text: string): string;
}

/** A public key that audit checkpoints are checked with. */
export interface AuditPublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
  readonly check: CheckpointSignatureCheck;
}

/**
 * The signing key in `path`, created (Ed25519, PKCS8 PEM, mode 0600, never overwritten) when
 * there is none; `config.invalid` if the file holds something else.
 */
export function loadOrCreateAuditSigningKey(path: string): AuditSigner {
  const existing = readAuditSigningKey(path);
  if (existing !== undefined) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    // SECURITY: `wx` never replaces a key another process just wrote; 0600 from the first byte.
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return loadOrCreateAuditSigningKey(path);
    throw new FirewallError(
      'config.invalid',
      `while creating the audit signing key \`${path}\`: ${describeError(error)}`,
      { cause: error },
    );
  }
  return signerOf(privateKey);
}

/** The signing key in `path`, undefined when the file does not exist. */
export function readAuditSigningKey(path: string): AuditSigner | undefined {
  const pem = readIfExists(path);
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new FirewallError(
      'config.invalid',
      `\`${path}\` is not a PEM private key: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new FirewallError('config.invalid', `\`${path}\` is not an Ed25519 key`);
  return signerOf(key);
}

/** The public key in a PEM file (an exported public key, or the signing key itself). */
export function readAuditPublicKey(path: string): AuditPublicKey | undefined {
  const pem = readIfExists(path);
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = pem.includes('PRIVATE KEY')
      ? createPublicKey(createPrivateKey(pem))
      : createPublicKey(pem);
  } catch (error) {
    throw new FirewallError(
      'config.invalid',
      `\`${path}\` is not a PEM key: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new FirewallError('config.invalid', `\`${path}\` is not an Ed25519 key`);
  return publicKeyOf(key);
}

function signerOf(privateKey: KeyObject): AuditSigner {
  const { keyId, publicKeyPem } = publicKeyOf(createPublicKey(privateKey));
  return {
    keyId,
    publicKeyPem,
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
}

function publicKeyOf(publicKey: KeyObject): AuditPublicKey {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    // The first 16 hex digits of SHA-256 over the SPKI bytes: enough to tell keys apart in messages.
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    check: (text, signature) =>
      verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64')),
  };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FirewallError(
      'config.invalid',
      `while reading \`${path}\`: ${describeError(error)}`,
      { cause: error },
    );
  }
}
