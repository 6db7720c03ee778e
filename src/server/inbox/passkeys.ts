import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Approver, Clock, Result } from '../../core/index.js';
import { approverGeneration } from './approver-generation.js';
import { err, ok } from '../../core/index.js';
import type { PasskeyPurpose } from './passkey-challenges.js';
import { PASSKEY_CHALLENGE_TTL_MS, PasskeyChallenges } from './passkey-challenges.js';
import type { PasskeyCredentialV1, PasskeyStore } from './passkey-store.js';

/** Where approvers' browsers reach the inbox: the WebAuthn origin and relying party. */
export interface PasskeyOrigin {
  /** e.g. `https://airlock.example.com:8443`; exactly what the browser's address bar shows. */
  readonly origin: string;
  /** The host name, e.g. `airlock.example.com`; passkeys are bound to it. */
  readonly rpId: string;
}

/** The origin and relying party id of a public URL. */
export function toPasskeyOrigin(publicUrl: string): PasskeyOrigin {
  const url = new URL(publicUrl);
  return { origin: url.origin, rpId: url.hostname.replace(/^\[|\]$/g, '') };
}

/** Why a passkey ceremony failed: recorded in the audit log, never shown in detail to the page. */
export type PasskeyFailure =
  'no-passkey' | 'no-challenge' | 'unknown-credential' | 'malformed' | 'not-verified';

/**
 * WebAuthn for the inbox, with @simplewebauthn/server: enrolment (after the caller checked a
 * TOTP code) and one fresh assertion per vote. User verification is required, and the origin
 * and relying party id must be the configured ones, so an assertion made on any other page (a
 * listener on another port of the same host included) is refused.
 */
export class InboxPasskeys {
  readonly #store: PasskeyStore;
  readonly #clock: Clock;
  readonly #origin: PasskeyOrigin;
  readonly #challenges: PasskeyChallenges;

  constructor(options: { store: PasskeyStore; clock: Clock; origin: PasskeyOrigin }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#origin = options.origin;
    this.#challenges = new PasskeyChallenges(options.clock);
  }

  /** The approver's usable passkeys: enrolled for this generation of the approver. */
  async usableOf(approver: Approver): Promise<PasskeyCredentialV1[]> {
    const all = await this.#store.listOf(approver.name);
    // SECURITY: a removed and re-added approver, or one whose credentials changed, starts afresh.
    const generation = approverGeneration(approver);
    return all.filter((key) => key.approverGeneration === generation);
  }

  /** Registration options for a new passkey of `approver`, remembered for the session. */
  async enrolmentOptions(
    approver: Approver,
    sessionKey: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.usableOf(approver);
    const options = await generateRegistrationOptions({
      rpName: 'Airlock',
      rpID: this.#origin.rpId,
      userName: approver.name,
      attestationType: 'none',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      excludeCredentials: existing.map((key) => ({ id: key.id, transports: transportsOf(key) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    this.#challenges.remember(sessionKey, { kind: 'enrol' }, options.challenge);
    return options;
  }

  /** Verifies the browser's registration answer and keeps the passkey. */
  async finishEnrolment(
    approver: Approver,
    sessionKey: string,
    answer: string,
  ): Promise<Result<PasskeyCredentialV1, PasskeyFailure>> {
    const challenge = this.#challenges.take(sessionKey, { kind: 'enrol' });
    if (challenge === undefined) return err('no-challenge');
    const response = parseJson<RegistrationResponseJSON>(answer);
    if (response === undefined) return err('malformed');
    try {
      const verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.#origin.origin,
        expectedRPID: this.#origin.rpId,
        requireUserVerification: true,
      });
      if (!verified.verified) return err('not-verified');
      const { credential } = verified.registrationInfo;
      const key: PasskeyCredentialV1 = {
        approver: approver.name,
        approverGeneration: approverGeneration(approver),
        id: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        createdAt: this.#clock.now(),
      };
      await this.#store.add(key);
      return ok(key);
    } catch {
      return err('not-verified');
    }
  }

  /** Assertion options for one vote, remembered for the session; undefined without a passkey. */
  async voteOptions(
    approver: Approver,
    sessionKey: string,
    purpose: PasskeyPurpose,
  ): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
    const keys = await this.usableOf(approver);
    if (keys.length === 0) return undefined;
    const options = await generateAuthenticationOptions({
      rpID: this.#origin.rpId,
      allowCredentials: keys.map((key) => ({ id: key.id, transports: transportsOf(key) })),
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    this.#challenges.remember(sessionKey, purpose, options.challenge);
    return options;
  }

  /**
   * Verifies one assertion for the session and purpose (the challenge is used up either way);
   * returns when it was verified, for the approval service's freshness check.
   */
  async verifyVote(
    approver: Approver,
    sessionKey: string,
    purpose: PasskeyPurpose,
    answer: string,
  ): Promise<Result<number, PasskeyFailure>> {
    const challenge = this.#challenges.take(sessionKey, purpose);
    if (challenge === undefined) return err('no-challenge');
    const response = parseJson<AuthenticationResponseJSON>(answer);
    if (response === undefined || typeof response.id !== 'string') return err('malformed');
    const key = (await this.usableOf(approver)).find((known) => known.id === response.id);
    if (key === undefined) return err('unknown-credential');
    try {
      const verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.#origin.origin,
        expectedRPID: this.#origin.rpId,
        credential: {
          id: key.id,
          publicKey: new Uint8Array(Buffer.from(key.publicKey, 'base64url')),
          counter: key.counter,
          transports: transportsOf(key),
        },
        requireUserVerification: true,
      });
      if (!verified.verified) return err('not-verified');
      await this.#store.setCounter(key.id, verified.authenticationInfo.newCounter);
      return ok(this.#clock.now());
    } catch {
      // The library throws for every mismatch: origin, rpId, challenge, signature, counter, flags.
      return err('not-verified');
    }
  }
}

function transportsOf(key: PasskeyCredentialV1): AuthenticatorTransportFuture[] {
  return key.transports as AuthenticatorTransportFuture[];
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as T)
      : undefined;
  } catch {
    return undefined;
  }
}
