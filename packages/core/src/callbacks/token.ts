/**
 * The callback token in `clientCallbackUrl`: proof that whoever opens the socket (or reads
 * `GET /orders/{orderId}`) was given this order by this stage's order API. Format
 * `v2.<keyId>.<expiresAt>.<signature>`, the signature an HMAC-SHA256 over the newline-joined version,
 * purpose, stage, orderId and expiresAt (no field may hold a newline), so a token of one stage or one
 * use opens nothing elsewhere; the key id is derived from the secret, so a rotation needs no
 * bookkeeping. Worked example: docs/protocol.md, "The callback token"; why this shape, and not a JWT:
 * docs/decisions/callback-token-v2.md. Node's crypto does HMAC and constant-time comparison.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { STAGE_NAME_PATTERN } from "../platform/stage-name";

export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
export const MIN_SECRET_LENGTH = 32;
/**
 * How far a token's expiry may lie beyond `now + DEFAULT_TTL_SECONDS` at verification: the signer's
 * clock may run ahead of the verifier's. Lambda hosts are synced to Amazon Time Sync (well under a
 * second apart), but a third party minting tokens (docs/protocol.md) may run on a laxer clock; 5
 * minutes is Kerberos' customary allowance and lengthens a token's life by at most 0.35 %.
 */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * The stage's two secrets, by their SST `Config.Secret` names: the stacks declare them, the deploy
 * checks them (stacks/secret-policy.ts), the functions read them (functions/lib/secrets.ts), and
 * `npm start` sets the current one. `current` signs; `previous` only verifies, during a rotation.
 */
export const SECRET_NAMES = { current: "CallbackTokenSecret", previous: "CallbackTokenPreviousSecret" } as const;

export const VERSION = "v2";
export const PURPOSE = "order-callback";
const KEY_ID_LABEL = "callback-token-key-id";
const KEY_ID_LENGTH = 8;

/**
 * Exactly one accepted spelling per token: the expiry in decimal without leading zeros, the signature
 * as unpadded base64url of 32 bytes (43 characters, the last one canonical: checked in verify).
 */
const TOKEN_V2 = /^v2\.([A-Za-z0-9_-]{8})\.([1-9]\d{0,11})\.([A-Za-z0-9_-]{43})$/;
/**
 * The shape issued before v2, `<expiresAt>.<signature of "<orderId>.<expiresAt>">`: no stage, no
 * version. Still accepted so that links handed out before the deploy (and stored ones that an
 * idempotent retry hands out again) keep working until they expire. Such a token lives at most
 * DEFAULT_TTL_SECONDS (24 h): once every stage has run v2 for a day (+ the clock skew), no legacy
 * token can verify any more and this path and `legacySignature` can be deleted.
 */
const TOKEN_LEGACY = /^([1-9]\d{0,11})\.([A-Za-z0-9_-]{43})$/;
/**
 * The last moment a legacy token verifies, whatever its expiry: its signature names no stage, so
 * while it is accepted, stages that share a secret can read each other's orders. A fixed date rather
 * than "a day after the deploy" because no function knows when v2 was deployed: deploying this
 * version later than this breaks only the links the older version issued in its last 24 hours.
 */
export const LEGACY_ACCEPTED_UNTIL = Date.parse("2027-01-31T00:00:00Z") / 1000;

/** Every spelling verify reads (v2 or legacy), as a regular expression's source: the contracts' pattern. */
export const TOKEN_PATTERN = `${TOKEN_V2.source}|${TOKEN_LEGACY.source}`;

/** The secrets a stage verifies with: `current` signs; `previous` (during a rotation) still verifies. */
export type Keys = { current: string; previous?: string };

export type Failure = "malformed" | "forged" | "expired" | "overlong" | "unknown_key";
export type Verification = { ok: true; expiresAt: number } | { ok: false; reason: Failure };

function assertSecret(secret: string) {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The callback token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function assertStage(stage: string) {
  if (!STAGE_NAME_PATTERN.test(stage)) throw new Error(`The callback token's stage "${stage}" is not a stage name`);
}

/**
 * The id of a secret in a v2 token: 8 base64url characters of an HMAC keyed with it, which says
 * nothing about the secret but tells a verifier which of its secrets to use.
 *
 * @example
 * CallbackToken.keyIdOf("0123456789abcdef0123456789abcdef"); // 8 characters, same for the same secret
 */
export function keyIdOf(secret: string): string {
  return createHmac("sha256", secret).update(KEY_ID_LABEL).digest("base64url").slice(0, KEY_ID_LENGTH);
}

/**
 * The key id a v2 token names (undefined for any other string): lets a verifier see that a token
 * was signed with a secret it does not hold yet, before verifying.
 *
 * @example
 * CallbackToken.keyIdOfToken("v2.AbCd_-12.1764151200.<43 characters>"); // "AbCd_-12"
 */
export function keyIdOfToken(token: string): string | undefined {
  return TOKEN_V2.exec(token)?.[1];
}

/** The exact bytes a v2 signature covers. */
export function signedInput(input: { stage: string; orderId: string; expiresAt: number }): string {
  return [VERSION, PURPOSE, input.stage, input.orderId, String(input.expiresAt)].join("\n");
}

function signature(secret: string, input: { stage: string; orderId: string; expiresAt: number }) {
  return createHmac("sha256", secret).update(signedInput(input)).digest("base64url");
}

function legacySignature(secret: string, orderId: string, expiresAt: number) {
  return createHmac("sha256", secret).update(`${orderId}.${expiresAt}`).digest("base64url");
}

/**
 * Signs a v2 token for one order of one stage with the stage's current secret, valid for
 * `ttlSeconds` (at most DEFAULT_TTL_SECONDS, which verify enforces) from `now`.
 *
 * @example
 * const token = CallbackToken.sign({ orderId, stage: "prod", secret: keys.current });
 * // "v2.<keyId>.<expiresAt>.<signature>"
 */
export function sign(input: {
  orderId: string;
  stage: string;
  secret: string;
  now?: Date;
  ttlSeconds?: number;
}): string {
  assertSecret(input.secret);
  assertStage(input.stage);
  if (input.orderId.includes("\n")) throw new Error("An order id cannot contain a newline");
  const ttlSeconds = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (ttlSeconds > DEFAULT_TTL_SECONDS)
    throw new Error(`A callback token lives at most ${DEFAULT_TTL_SECONDS} seconds`);
  const expiresAt = Math.floor((input.now ?? new Date()).getTime() / 1000) + ttlSeconds;
  const fields = { stage: input.stage, orderId: input.orderId, expiresAt };
  return `${VERSION}.${keyIdOf(input.secret)}.${expiresAt}.${signature(input.secret, fields)}`;
}

/** The signature's bytes, or undefined unless the string is the one canonical spelling of them. */
function canonicalBytes(encoded: string) {
  const bytes = Buffer.from(encoded, "base64url");
  // 43 characters carry 258 bits for a 256-bit signature: only the spelling with the last 2 bits
  // zero is the one sign() writes. Decoding ignores them, so compare the re-encoded string.
  return bytes.toString("base64url") === encoded ? bytes : undefined;
}

const matches = (given: Buffer, expected: string) => {
  const bytes = Buffer.from(expected, "base64url");
  return given.length === bytes.length && timingSafeEqual(given, bytes);
};

function checkExpiry(expiresAt: number, now: Date | undefined): Verification {
  const seconds = Math.floor((now ?? new Date()).getTime() / 1000);
  // Whoever holds a secret could otherwise mint a year-long token: no expiry beyond what sign() gives.
  if (expiresAt > seconds + DEFAULT_TTL_SECONDS + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: "overlong" };
  if (expiresAt <= seconds) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt };
}

/**
 * Checks a token for one order of one stage against the stage's current and previous secrets.
 * Refusals: `malformed` (not a token's spelling), `unknown_key` (signed with neither secret),
 * `forged` (wrong signature: another order, stage or secret, an edited field), `overlong` (expiry
 * beyond issue time + 24 h), `expired`.
 *
 * @example
 * const result = CallbackToken.verify({ orderId, stage: "prod", token, keys: { current, previous } });
 * if (!result.ok) console.log(`token is ${result.reason}`);
 */
export function verify(input: { orderId: string; stage: string; token: string; keys: Keys; now?: Date }): Verification {
  const secrets = [input.keys.current, ...(input.keys.previous === undefined ? [] : [input.keys.previous])];
  secrets.forEach(assertSecret);
  assertStage(input.stage);
  const v2 = TOKEN_V2.exec(input.token);
  if (v2) {
    const [, keyId, expiry, encoded] = v2 as unknown as [string, string, string, string];
    const given = canonicalBytes(encoded);
    if (!given || input.orderId.includes("\n")) return { ok: false, reason: "malformed" };
    const secret = secrets.find((s) => keyIdOf(s) === keyId);
    if (secret === undefined) return { ok: false, reason: "unknown_key" };
    const expiresAt = Number(expiry);
    // Compare the signature before looking at the expiry so that timing says nothing about either.
    if (!matches(given, signature(secret, { stage: input.stage, orderId: input.orderId, expiresAt })))
      return { ok: false, reason: "forged" };
    return checkExpiry(expiresAt, input.now);
  }
  const legacy = TOKEN_LEGACY.exec(input.token);
  if (!legacy) return { ok: false, reason: "malformed" };
  if (Math.floor((input.now ?? new Date()).getTime() / 1000) >= LEGACY_ACCEPTED_UNTIL)
    return { ok: false, reason: "expired" };
  const given = canonicalBytes(legacy[2]!);
  if (!given) return { ok: false, reason: "malformed" };
  const expiresAt = Number(legacy[1]);
  // No key id: the token was signed with what is now the current secret, or the previous one if a
  // rotation has happened since.
  if (!secrets.some((s) => matches(given, legacySignature(s, input.orderId, expiresAt))))
    return { ok: false, reason: "forged" };
  return checkExpiry(expiresAt, input.now);
}

/** The URL the browser opens: the stage's WebSocket URL with the order id and its token. */
export function callbackUrl(input: { websocketUrl: string; orderId: string; token: string }) {
  const url = new URL(input.websocketUrl);
  url.searchParams.set("orderId", input.orderId);
  url.searchParams.set("token", input.token);
  return url.toString();
}
