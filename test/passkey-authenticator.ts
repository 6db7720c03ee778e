import type { KeyObject } from 'node:crypto';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** What a browser passes to the authenticator; only the fields the tests use. */
interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string };
}
interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
}

/** How one ceremony is made: the browser's origin, and whether the user was verified. */
export interface CeremonyOptions {
  readonly origin?: string;
  readonly userVerified?: boolean;
}

const b64url = (bytes: Uint8Array | Buffer): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * A software passkey (ES256, 'none' attestation) that answers WebAuthn options as a browser and
 * platform authenticator would, with JSON in @simplewebauthn's shape: what the inbox tests post
 * instead of Chromium's virtual authenticator. One credential; a signature counter that grows.
 */
export class SoftPasskey {
  readonly #origin: string;
  readonly #credentialId = randomBytes(16);
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  #counter = 0;

  /** `origin`: the page the browser would be on, e.g. `http://127.0.0.1:PORT`. */
  constructor(origin: string) {
    this.#origin = origin;
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = pair.privateKey;
    this.#publicKey = pair.publicKey;
  }

  /** The credential id, base64url. */
  get id(): string {
    return b64url(this.#credentialId);
  }

  /** A registration answer (`RegistrationResponseJSON`) to creation options, as a JSON string. */
  register(options: CreationOptions, ceremony: CeremonyOptions = {}): string {
    const clientData = this.#clientData('webauthn.create', options.challenge, ceremony);
    const jwk = this.#publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.#credentialId.length);
    const attested = Buffer.concat([
      Buffer.alloc(16),
      idLength,
      this.#credentialId,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const authData = this.#authData(options.rp.id ?? '', 0x40, ceremony, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    });
  }

  /** An assertion (`AuthenticationResponseJSON`) to request options, as a JSON string. */
  assert(options: RequestOptions, ceremony: CeremonyOptions = {}): string {
    const clientData = this.#clientData('webauthn.get', options.challenge, ceremony);
    const authData = this.#authData(options.rpId ?? '', 0, ceremony);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientData)]),
      this.#privateKey,
    );
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
    });
  }

  #clientData(type: string, challenge: string, ceremony: CeremonyOptions): Buffer {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge,
        origin: ceremony.origin ?? this.#origin,
        crossOrigin: false,
      }),
    );
  }

  #authData(
    rpId: string,
    extraFlags: number,
    ceremony: CeremonyOptions,
    attested: Buffer = Buffer.alloc(0),
  ): Buffer {
    // User present, user verified unless told otherwise.
    const flags = 0x01 | (ceremony.userVerified === false ? 0 : 0x04) | extraFlags;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.#counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter, attested]);
  }
}
