/**
 * One `@connections` POST, made with the SDK client's own parts (its SigV4 signer, resolved endpoint
 * and HTTP handler) but without `client.send`'s per-command middleware, which costs ~3× the signed
 * request itself (docs/decisions/connections-post-without-middleware.md). Signing, credentials,
 * transport and the retry strategy stay the SDK's; an `abortSignal` reaches the HTTP handler.
 */
import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";

type Endpoint = { protocol: string; hostname: string; port?: number; path: string };
type Request = {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
};
type Response = {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: AsyncIterable<Uint8Array> & { resume?: () => void };
};
/** The SDK's retry strategy interface (`RetryStrategyV2`): standard or adaptive, as the client is configured. */
export type RetryToken = { getRetryCount(): number; getRetryDelay(): number };
export type RetryStrategy = {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(
    token: RetryToken,
    errorInfo: { error?: unknown; errorType: "THROTTLING" | "TRANSIENT" | "SERVER_ERROR" | "CLIENT_ERROR" },
  ): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
};
/** The members of the client's resolved config this module uses (typed in the SDK's resolved-config
 * interfaces: SigV4 auth, endpoint, retry); delivery/fan-out.test.ts breaks if an SDK upgrade changes them. */
type ClientParts = {
  signer: () => Promise<{ sign(request: Request, options?: { signingDate?: Date }): Promise<Request> }>;
  endpoint: () => Promise<Endpoint>;
  requestHandler: {
    handle(request: Request, options?: { abortSignal?: AbortSignal }): Promise<{ response: Response }>;
  };
  maxAttempts: () => Promise<number>;
  retryStrategy: () => Promise<RetryStrategy>;
  systemClockOffset?: number;
};
type Parts = Awaited<ReturnType<typeof resolveParts>>;

/** What `@connections` answered: the status, and for an error its type and message (as the SDK reads them). */
export class ConnectionsApiError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, statusCode: number, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: statusCode };
  }
}

const partsByClient = new WeakMap<ApiGatewayManagementApiClient, Promise<Parts>>();

async function resolveParts(client: ApiGatewayManagementApiClient) {
  const config = client.config as unknown as ClientParts;
  const [signer, endpoint, maxAttempts, retryStrategy] = await Promise.all([
    config.signer(),
    config.endpoint(),
    config.maxAttempts(),
    config.retryStrategy(),
  ]);
  return { config, signer, endpoint, maxAttempts, retryStrategy, basePath: endpoint.path.replace(/\/+$/, "") };
}

/** The client's parts, resolved once per client (a failed resolution is retried on the next post). */
export function partsOf(client: ApiGatewayManagementApiClient) {
  let parts = partsByClient.get(client);
  if (!parts) {
    parts = resolveParts(client);
    partsByClient.set(client, parts);
    parts.catch(() => partsByClient.delete(client));
  }
  return parts;
}

/** The SDK's path encoding of a label (`extendedEncodeURIComponent`), so the signed path is the same. */
function encodeLabel(value: string) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Resolves when the POST was answered 2xx; throws `ConnectionsApiError` for an error answer, or the
 * handler's network error (an `AbortError` once `signal` aborts, at once if it already has).
 */
export async function postSigned(
  parts: Parts,
  connectionId: string,
  body: Uint8Array,
  signal?: AbortSignal,
): Promise<void> {
  const { endpoint, signer, config, basePath } = parts;
  const request: Request = {
    method: "POST",
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port,
    path: `${basePath}/@connections/${encodeLabel(connectionId)}`,
    query: {},
    headers: {
      host: endpoint.port ? `${endpoint.hostname}:${endpoint.port}` : endpoint.hostname,
      "content-type": "application/octet-stream",
      "content-length": String(body.byteLength),
    },
    body,
  };
  const signed = await signer.sign(request, { signingDate: new Date(Date.now() + (config.systemClockOffset ?? 0)) });
  const { response } = await config.requestHandler.handle(signed, { abortSignal: signal });
  if (response.statusCode >= 200 && response.statusCode < 300) {
    response.body?.resume?.(); // frees the keep-alive socket
    return;
  }
  throw await errorOf(response);
}

/** Reads an error answer as the SDK does: the type from `x-amzn-errortype`, the message from the JSON body. */
async function errorOf(response: Response) {
  const text = await readText(response.body, 4096);
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown; Message?: unknown };
    message = String(parsed.message ?? parsed.Message ?? text);
  } catch {
    // not JSON: the raw text is the message
  }
  const type = response.headers["x-amzn-errortype"]?.split(":")[0] || `Http${response.statusCode}Error`;
  return new ConnectionsApiError(type, response.statusCode, message || type);
}

async function readText(body: Response["body"], limit: number) {
  if (!body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) chunks.push(chunk);
    size += chunk.byteLength;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
