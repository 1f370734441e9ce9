/**
 * The callback-token secret, an SST `Config.Secret` (`CallbackTokenSecret`). SST's `bind` sets
 * `SST_Secret_value_CallbackTokenSecret` on the function: the value itself (`npm start`, tests), or
 * `__FETCH_FROM_SSM__`, meaning the SecureString at `${SST_SSM_PREFIX}Secret/CallbackTokenSecret/value`
 * (or the app-wide fallback `/sst/{app}/.fallback/Secret/…` that `sst secrets set --fallback` writes).
 *
 * Read here rather than through `sst/node/config`, which pins an older AWS SDK (~500 KB minified with
 * its own credential chain) and awaits SSM at import time. Not through Powertools Parameters either:
 * it resolves `@aws-sdk/client-ssm` from the workspace root, where `sst` pins that same old version.
 * So: one GetParameters call with the SDK version every other client shares, on first use, cached
 * for the container's life.
 *
 * Parameter Store's limit: with standard throughput (the default, free) GetParameter(s) share ~40
 * transactions a second per account and region, and every new execution environment of `$connect`,
 * `POST /orders` and `GET /orders/{id}` makes one. A burst of cold starts past that is answered
 * ThrottlingException, so the read is retried by the SDK's standard retry mode (exponential backoff
 * with full jitter, which spreads the herd) with more attempts than its default 3, all within a
 * deadline that leaves the function time to answer. Chosen over
 * - higher throughput: thousands of transactions a second, but billed per call for every Parameter
 *   Store call of the whole account and region, and switched outside CloudFormation — the account
 *   owner's decision, and the next step for a shop whose cold starts outgrow the retries;
 * - the AWS Parameters and Secrets Lambda extension: it caches per execution environment, as this
 *   module already does, so each new environment still calls SSM once; it would add a layer, a local
 *   HTTP hop and init time without removing a single call that hits the limit.
 * The API throttles bound how fast those cold starts can come: `$connect` (Topology.API_THROTTLES)
 * and the HTTP API's each admit a few tens a second, and only new environments read the secret.
 */
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import * as CallbackToken from "@awsomepets/core/callback-token";

export const CALLBACK_TOKEN_SECRET = "CallbackTokenSecret";
const VALUE_VARIABLE = `SST_Secret_value_${CALLBACK_TOKEN_SECRET}`;
const FROM_SSM = "__FETCH_FROM_SSM__";

/**
 * How the read is bounded. The SDK's standard mode waits a random 0–1 s, 0–2 s, 0–4 s before retries
 * of a throttled call (3.5 s in all on average for 4 attempts, 7 s at most); the deadline (inside the
 * 10 s timeout of every function that reads the secret, Topology.FUNCTION_RUNTIME) cuts a slower run short.
 */
export type SsmReadLimits = { maxAttempts: number; deadlineMs: number; connectionTimeoutMs: number; requestTimeoutMs: number };
export const SSM_READ: SsmReadLimits = { maxAttempts: 4, deadlineMs: 6_000, connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000 };

let secret: Promise<string> | undefined;

async function fromSsm(bound: { stagePath: string; fallbackPath: string }, limits: SsmReadLimits) {
  // GetParameters is what SST's `bind` grants, on exactly these two paths.
  const ssm = new SSMClient({
    retryMode: "standard",
    maxAttempts: limits.maxAttempts,
    requestHandler: { connectionTimeout: limits.connectionTimeoutMs, requestTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true },
  });
  try {
    const { Parameters = [] } = await ssm.send(new GetParametersCommand({ Names: [bound.stagePath, bound.fallbackPath], WithDecryption: true }), {
      abortSignal: AbortSignal.timeout(limits.deadlineMs),
    });
    return new Map(Parameters.map((p) => [p.Name, p.Value]));
  } catch (error) {
    const e = error as Error & { $metadata?: { attempts?: number } };
    const when = e.name === "AbortError" ? `within its ${limits.deadlineMs} ms deadline` : `after ${e.$metadata?.attempts ?? "its"} attempts`;
    throw new Error(
      `Could not read ${CALLBACK_TOKEN_SECRET} from SSM Parameter Store ${when}: ` +
        `${e.name}: ${e.message}` +
        (e.name === "ThrottlingException" ? " (Parameter Store's standard throughput is ~40 reads a second per account and region)" : ""),
      { cause: error },
    );
  } finally {
    ssm.destroy();
  }
}

/** Reads the secret now, without the container's cache (the cached one is `callbackTokenSecret`). */
export async function readCallbackTokenSecret(limits: SsmReadLimits = SSM_READ): Promise<string> {
  const bound = process.env[VALUE_VARIABLE];
  let value = bound;
  if (bound === FROM_SSM) {
    const path = `Secret/${CALLBACK_TOKEN_SECRET}/value`;
    const stagePath = `${process.env.SST_SSM_PREFIX ?? ""}${path}`;
    const fallbackPath = `/sst/${process.env.SST_APP}/.fallback/${path}`;
    const found = await fromSsm({ stagePath, fallbackPath }, limits);
    value = found.get(stagePath) ?? found.get(fallbackPath);
    if (value === undefined) {
      throw new Error(`${CALLBACK_TOKEN_SECRET} is not set for stage ${process.env.SST_STAGE}: run \`npx sst secrets set ${CALLBACK_TOKEN_SECRET} … --stage ${process.env.SST_STAGE}\``);
    }
  }
  if (typeof value !== "string" || value.length < CallbackToken.MIN_SECRET_LENGTH) {
    throw new Error(`${CALLBACK_TOKEN_SECRET} must be set to at least ${CallbackToken.MIN_SECRET_LENGTH} characters`);
  }
  return value;
}

export function callbackTokenSecret(): Promise<string> {
  secret ??= readCallbackTokenSecret().catch((error: unknown) => {
    secret = undefined; // a transient SSM failure must not poison the container
    throw error;
  });
  return secret;
}
