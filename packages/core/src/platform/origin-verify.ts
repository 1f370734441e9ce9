/**
 * The edge's proof that a request came through it: CloudFront adds `HEADER: <the stage's value>` to
 * every request it sends to either API (an origin custom header, stacks/edge.ts), after its WAF web
 * ACL admitted it; the APIs refuse a request without it before anything costly runs. A request that
 * goes around the edge (the execute-api URL, the `*-origin.<domain>` names) then gets nothing but a
 * refusal, whatever it sends: it cannot know the value (docs/decisions/per-client-limits-at-the-edge.md).
 *
 * `npm start`'s edge adds the same header to what it admits (packages/local/src/runtime/edge.ts).
 */
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Lower-case: CloudFront sends the name as configured, HTTP APIs lower-case header names, and an
 * identity source written the way the header is sent matches whether or not API Gateway compares
 * names without case.
 */
export const HEADER = "x-origin-verify";

/** The shortest expected value taken: a stack's UUID is 36 characters, a guessable short one is a mistake. */
export const MIN_VALUE_LENGTH = 16;

export type Verdict = { ok: true } | { ok: false; statusCode: 401 | 403; reason: "missing" | "wrong" };

/** The header's value, its name compared without case (API Gateway's WebSocket events keep the sender's spelling). */
export function headerOf(headers: Readonly<Record<string, string | undefined>> | null | undefined): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() === HEADER) return value;
  return undefined;
}

/**
 * Whether a request carries the edge's value: missing or empty is 401 (as API Gateway answers a
 * missing identity source), anything else but the value is 403. Compared in constant time (through
 * digests, so the lengths need not match); an expected value that is too short refuses everything
 * rather than admit by a guessable value.
 */
export function verify(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  expected: string,
): Verdict {
  const given = headerOf(headers);
  if (!given) return { ok: false, statusCode: 401, reason: "missing" };
  if (expected.length < MIN_VALUE_LENGTH) return { ok: false, statusCode: 403, reason: "wrong" };
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected))
    ? { ok: true }
    : { ok: false, statusCode: 403, reason: "wrong" };
}
