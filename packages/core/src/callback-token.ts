/**
 * The callback token in `clientCallbackUrl`: proof that whoever opens the socket was given this order
 * by the order API. Format `<expiresAt epoch seconds>.<base64url HMAC-SHA256(secret, "<orderId>.<expiresAt>")>`.
 * Node's crypto does HMAC and constant-time comparison; no JWT library is needed for one claim.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
export const MIN_SECRET_LENGTH = 32;

/**
 * Exactly one accepted spelling per token: the expiry in decimal without leading zeros, the signature
 * as unpadded base64url of 32 bytes (43 characters, the last one canonical: checked in verify).
 */
const TOKEN = /^([1-9]\d{0,11})\.([A-Za-z0-9_-]{43})$/;

export type Verification =
  | { ok: true; expiresAt: number }
  | { ok: false; reason: "malformed" | "forged" | "expired" };

function signature(secret: string, orderId: string, expiresAt: number) {
  return createHmac("sha256", secret).update(`${orderId}.${expiresAt}`).digest("base64url");
}

function assertSecret(secret: string) {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The callback token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

export function sign(input: { orderId: string; secret: string; now?: Date; ttlSeconds?: number }) {
  assertSecret(input.secret);
  const now = input.now ?? new Date();
  const expiresAt = Math.floor(now.getTime() / 1000) + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  return `${expiresAt}.${signature(input.secret, input.orderId, expiresAt)}`;
}

export function verify(input: { orderId: string; token: string; secret: string; now?: Date }): Verification {
  assertSecret(input.secret);
  const match = TOKEN.exec(input.token);
  if (!match) return { ok: false, reason: "malformed" };
  const expiresAt = Number(match[1]);
  const given = Buffer.from(match[2]!, "base64url");
  // 43 characters carry 258 bits for a 256-bit signature: only the spelling with the last 2 bits
  // zero is the one sign() writes. Decoding ignores them, so compare the re-encoded string.
  if (given.toString("base64url") !== match[2]) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(signature(input.secret, input.orderId, expiresAt), "base64url");
  // Compare the signature before looking at the expiry so that timing says nothing about either.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "forged" };
  }
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt };
}

/** The URL the browser opens: the stage's WebSocket URL with the order id and its token. */
export function callbackUrl(input: { websocketUrl: string; orderId: string; token: string }) {
  const url = new URL(input.websocketUrl);
  url.searchParams.set("orderId", input.orderId);
  url.searchParams.set("token", input.token);
  return url.toString();
}
