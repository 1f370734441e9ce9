/**
 * Posting frames to WebSocket connections through API Gateway's `@connections` API, with bounded
 * concurrency, sorting each failure into what the caller must do about it.
 */
import { GetConnectionCommand, type ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import pLimit from "p-limit";
import { partsOf, postSigned, type RetryStrategy, type RetryToken } from "./signed-post";
import { MIN_ATTEMPT_MS, msLeft } from "../platform/deadline";
import { DEFAULT_FANOUT_CONCURRENCY } from "../platform/runtime-tunables";

/** Posts in flight at once per invocation: `FANOUT_CONCURRENCY`'s default (platform/runtime-tunables.ts). */
export const DEFAULT_CONCURRENCY = DEFAULT_FANOUT_CONCURRENCY;

/** `signal` bounds every request and every backoff: once it aborts, nothing new starts and nothing waits. */
export type PostOptions = { signal?: AbortSignal };

export type PostOutcome =
  | { connectionId: string; result: "delivered" }
  /** 410: the connection is closed (or, during `$connect`, not open yet). */
  | { connectionId: string; result: "gone" }
  /** Throttling, a 5xx, a network error or a post cut by its signal: worth retrying the whole event. */
  | { connectionId: string; result: "retryable"; error: unknown }
  /** Any other 4xx (403: the grant, the endpoint's stage or the signature; 413, …): retrying cannot help. */
  | { connectionId: string; result: "rejected"; error: unknown };

type SdkError = { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };

export function classify(error: unknown): Exclude<PostOutcome["result"], "delivered"> {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === "GoneException" || status === 410) return "gone";
  if (status === 429 || e.name === "LimitExceededException" || e.name === "ThrottlingException") return "retryable";
  if (status === undefined || status >= 500 || e.$retryable) return "retryable"; // network errors have no status
  return "rejected";
}

const encoder = new TextEncoder();

/**
 * One post, retried as the SDK retries a command, by the client's own retry strategy: up to its
 * `maxAttempts` (3 unless configured), throttling and transient errors only, full-jitter backoff from
 * the SDK's base (a longer one for throttling), while its retry quota lasts — the quota the client's
 * other calls share. With a `signal`, an aborted post ends as retryable at once, and no retry starts
 * without `MIN_ATTEMPT_MS` left before the signal's deadline. Never throws.
 */
export async function postToConnection(
  client: ApiGatewayManagementApiClient,
  connectionId: string,
  data: string | Uint8Array,
  { signal }: PostOptions = {},
): Promise<PostOutcome> {
  const body = typeof data === "string" ? encoder.encode(data) : data;
  let error: unknown;
  try {
    const parts = await partsOf(client);
    let token = await parts.retryStrategy.acquireInitialRetryToken("");
    for (let attempt = 1; ; attempt++) {
      try {
        await postSigned(parts, connectionId, body, signal);
        parts.retryStrategy.recordSuccess(token);
        return { connectionId, result: "delivered" };
      } catch (caught) {
        error = caught;
      }
      if (classify(error) !== "retryable" || attempt >= parts.maxAttempts || msLeft(signal) < MIN_ATTEMPT_MS) break;
      const next = await nextAttempt(parts.retryStrategy, token, error, signal);
      if (!next || msLeft(signal) < MIN_ATTEMPT_MS) break;
      token = next;
    }
  } catch (caught) {
    error = caught; // the client's credentials or endpoint could not be resolved
  }
  return { connectionId, result: classify(error), error } as PostOutcome;
}

/**
 * The strategy's token for one more attempt, after its backoff (the strategy waits inside, or hands
 * the delay back, depending on the SDK's version), or undefined: no retry (not retryable by the
 * SDK's rules, attempts or quota spent) or the signal aborted while waiting.
 */
async function nextAttempt(strategy: RetryStrategy, token: RetryToken, error: unknown, signal?: AbortSignal) {
  try {
    const next = await abortable(
      strategy.refreshRetryTokenForRetry(token, { error, errorType: retryErrorType(error) }),
      signal,
    );
    const delay = next.getRetryDelay();
    if (delay > 0) await abortable(new Promise((resolve) => setTimeout(resolve, delay)), signal);
    return next;
  } catch {
    return undefined;
  }
}

/** The SDK retry middleware's sorting of an error, from its own classifiers. */
function retryErrorType(error: unknown) {
  const e = (error ?? {}) as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(e)) return "THROTTLING";
  if (isTransientError(e)) return "TRANSIENT";
  if (isServerError(e)) return "SERVER_ERROR";
  return "CLIENT_ERROR";
}

/** `promise`, or a rejection as soon as `signal` aborts (the promise itself runs on, unobserved). */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", onAbort));
}

/** Posts the same frame to every connection, at most `concurrency` at a time. Never throws. */
export async function postToAll(
  client: ApiGatewayManagementApiClient,
  connectionIds: readonly string[],
  data: string,
  concurrency = DEFAULT_CONCURRENCY,
  options: PostOptions = {},
): Promise<PostOutcome[]> {
  const limit = pLimit(concurrency);
  const bytes = encoder.encode(data); // once for every connection
  return Promise.all(connectionIds.map((id) => limit(() => postToConnection(client, id, bytes, options))));
}

/** Asks API Gateway whether a socket is open: true, false (410 Gone), or undefined (could not tell). */
export async function isConnectionOpen(
  client: ApiGatewayManagementApiClient,
  connectionId: string,
  { signal }: PostOptions = {},
): Promise<boolean | undefined> {
  try {
    await client.send(new GetConnectionCommand({ ConnectionId: connectionId }), { abortSignal: signal });
    return true;
  } catch (error) {
    return classify(error) === "gone" ? false : undefined;
  }
}
