/**
 * Posting frames to WebSocket connections through API Gateway's `@connections` API, with bounded
 * concurrency, sorting each failure into what the caller must do about it.
 */
import { GetConnectionCommand, type ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import pLimit from "p-limit";
import { partsOf, postSigned } from "./connection-post";

/** Posts in flight at once per invocation: enough to fan out to 1,000 sockets quickly, few enough to
 * stay under the account's `@connections` rate and the Lambda's sockets. */
export const DEFAULT_CONCURRENCY = 64;

export type PostOutcome =
  | { connectionId: string; result: "delivered" }
  /** 410: the connection is closed (or, during `$connect`, not open yet). */
  | { connectionId: string; result: "gone" }
  /** Throttling or a 5xx: worth retrying the whole event. */
  | { connectionId: string; result: "retryable"; error: unknown }
  /** Any other 4xx (403, 413, …): retrying cannot help. */
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
 * One post, retried as the SDK retries a command: up to the client's `maxAttempts` (3 unless
 * configured) while the failure is retryable, with jittered exponential backoff. Never throws.
 */
export async function postToConnection(client: ApiGatewayManagementApiClient, connectionId: string, data: string | Uint8Array): Promise<PostOutcome> {
  const body = typeof data === "string" ? encoder.encode(data) : data;
  let error: unknown;
  try {
    const parts = await partsOf(client);
    for (let attempt = 1; ; attempt++) {
      try {
        await postSigned(parts, connectionId, body);
        return { connectionId, result: "delivered" };
      } catch (caught) {
        error = caught;
      }
      if (classify(error) !== "retryable" || attempt >= parts.maxAttempts) break;
      await backoff(attempt);
    }
  } catch (caught) {
    error = caught; // the client's credentials or endpoint could not be resolved
  }
  return { connectionId, result: classify(error), error } as PostOutcome;
}

/** Full jitter over 100 ms × 2^(attempt-1), capped at 20 s: the SDK's standard retry delays. */
function backoff(attempt: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, 100 * 2 ** (attempt - 1))));
}

/** Posts the same frame to every connection, at most `concurrency` at a time. Never throws. */
export async function postToAll(
  client: ApiGatewayManagementApiClient,
  connectionIds: readonly string[],
  data: string,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<PostOutcome[]> {
  const limit = pLimit(concurrency);
  const bytes = encoder.encode(data); // once for every connection
  return Promise.all(connectionIds.map((id) => limit(() => postToConnection(client, id, bytes))));
}

/** Asks API Gateway whether a socket is open: true, false (410 Gone), or undefined (could not tell). */
export async function isConnectionOpen(client: ApiGatewayManagementApiClient, connectionId: string): Promise<boolean | undefined> {
  try {
    await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    return true;
  } catch (error) {
    return classify(error) === "gone" ? false : undefined;
  }
}
