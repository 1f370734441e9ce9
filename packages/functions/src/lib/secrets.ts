/**
 * The callback-token secrets, two SST `Config.Secret`s: `CallbackTokenSecret` (signs and verifies) and
 * `CallbackTokenPreviousSecret` (optional, only during a rotation: verifies links signed before it;
 * docs/deploy-and-operate.md, "Rotating the callback-token secret"). SST's `bind` sets
 * `SST_Secret_value_<name>`: the value itself (`npm start`, tests), or `__FETCH_FROM_SSM__`, meaning
 * the SecureString at `${SST_SSM_PREFIX}Secret/<name>/value` or the app-wide `.fallback` one. A stage
 * that keeps data never reads the fallback. Read with one GetParameters call, retried within a
 * deadline, kept KEYS_CACHE_MS; why, and why not the fallback: docs/decisions/reading-the-token-secrets.md.
 */
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Topology from "@awsomepets/core/platform/topology";

const { current: CALLBACK_TOKEN_SECRET, previous: CALLBACK_TOKEN_PREVIOUS_SECRET } = CallbackToken.SECRET_NAMES;
const valueVariable = (name: string) => `SST_Secret_value_${name}`;
const FROM_SSM = "__FETCH_FROM_SSM__";

/**
 * How long a container keeps the secrets it read: minutes, not its life, so that a rotation reaches
 * every warm container soon without a redeploy (`sst secrets set` also restarts the bound functions,
 * but only those it finds, and a container mid-invocation finishes on the old value). At one
 * GetParameters per warm container per 5 minutes, a hundred warm containers make 0.3 reads a
 * second, against Parameter Store's ~40.
 */
export const KEYS_CACHE_MS = 5 * 60_000;
/**
 * A token naming a key id this container does not hold (signed by a container that saw a rotation
 * first) makes it re-read the secrets at once — but at most this often, so forged key ids cannot
 * drive SSM reads.
 */
export const UNKNOWN_KEY_REREAD_MS = 30_000;
/** After a failed re-read a container keeps its last secrets and tries again after this long. */
export const FAILED_REREAD_RETRY_MS = 30_000;

/**
 * How the read is bounded. The SDK's standard mode waits a random 0–1 s, 0–2 s, 0–4 s before retries
 * of a throttled call (3.5 s in all on average for 4 attempts, 7 s at most); the deadline (inside the
 * 10 s timeout of every function that reads the secret, Topology.FUNCTION_RUNTIME) cuts a slower run short.
 */
export type SsmReadLimits = {
  maxAttempts: number;
  deadlineMs: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
};
export const SSM_READ: SsmReadLimits = {
  maxAttempts: 4,
  deadlineMs: 6_000,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
};

async function fromSsm(names: string[], limits: SsmReadLimits) {
  // GetParameters is what SST's `bind` grants, on each secret's stage path and fallback path.
  const ssm = new SSMClient({
    retryMode: "standard",
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  try {
    const { Parameters = [] } = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }), {
      abortSignal: AbortSignal.timeout(limits.deadlineMs),
    });
    return new Map(Parameters.map((p) => [p.Name, p.Value]));
  } catch (error) {
    const e = error as Error & { $metadata?: { attempts?: number } };
    const when =
      e.name === "AbortError"
        ? `within its ${limits.deadlineMs} ms deadline`
        : `after ${e.$metadata?.attempts ?? "its"} attempts`;
    throw new Error(
      `Could not read ${CALLBACK_TOKEN_SECRET} from SSM Parameter Store ${when}: ` +
        `${e.name}: ${e.message}` +
        (e.name === "ThrottlingException"
          ? " (Parameter Store's standard throughput is ~40 reads a second per account and region)"
          : ""),
      { cause: error },
    );
  } finally {
    ssm.destroy();
  }
}

type Env = Record<string, string | undefined>;

/** `STAGE_KEEPS_DATA` as the stack sets it: exactly "true" or "false"; missing or other is a wiring mistake. */
function keepsData(env: Env) {
  const raw = env[Topology.ENV.stageKeepsData];
  if (raw === "true" || raw === "false") return raw === "true";
  throw new Error(
    `${Topology.ENV.stageKeepsData} must be "true" or "false" (got ${raw === undefined ? "nothing" : `"${raw}"`})`,
  );
}

/**
 * Reads both secrets now, without the cache (the cached read is `callbackTokenKeys`): one
 * GetParameters for whichever of them SST left to fetch from SSM.
 */
export async function readCallbackTokenKeys(
  limits: SsmReadLimits = SSM_READ,
  env: Env = process.env,
): Promise<CallbackToken.Keys> {
  const stage = env.SST_STAGE;
  const keeps = keepsData(env);
  const paths = (name: string) => {
    const path = `Secret/${name}/value`;
    // A stage that keeps data does not even ask for the fallback (see the file's comment).
    return {
      stage: `${env.SST_SSM_PREFIX ?? ""}${path}`,
      fallback: keeps ? undefined : `/sst/${env.SST_APP}/.fallback/${path}`,
    };
  };
  const names = [CALLBACK_TOKEN_SECRET, CALLBACK_TOKEN_PREVIOUS_SECRET];
  const toFetch = names.filter((name) => env[valueVariable(name)] === FROM_SSM);
  const found =
    toFetch.length === 0
      ? new Map<string | undefined, string | undefined>()
      : await fromSsm(
          toFetch.flatMap((name) => Object.values(paths(name)).filter((p) => p !== undefined)),
          limits,
        );
  const secretValue = (name: string) => {
    const bound = env[valueVariable(name)];
    if (bound !== FROM_SSM) return bound;
    const { stage: stagePath, fallback } = paths(name);
    return found.get(stagePath) ?? (fallback === undefined ? undefined : found.get(fallback));
  };
  const current = secretValue(CALLBACK_TOKEN_SECRET);
  if (current === undefined) {
    throw new Error(
      `${CALLBACK_TOKEN_SECRET} is not set for stage ${stage}` +
        (keeps ? " (a stage that keeps data refuses the app-wide fallback secret)" : "") +
        `: run \`npx sst secrets set ${CALLBACK_TOKEN_SECRET} "$(openssl rand -base64 48)" --stage ${stage}\``,
    );
  }
  const previous = secretValue(CALLBACK_TOKEN_PREVIOUS_SECRET);
  for (const [name, value] of [
    [CALLBACK_TOKEN_SECRET, current],
    [CALLBACK_TOKEN_PREVIOUS_SECRET, previous],
  ] as const) {
    if (value !== undefined && value.length < CallbackToken.MIN_SECRET_LENGTH) {
      throw new Error(`${name} must be set to at least ${CallbackToken.MIN_SECRET_LENGTH} characters`);
    }
  }
  return previous === undefined || previous === current ? { current } : { current, previous };
}

let cache: { keys: Promise<CallbackToken.Keys>; until: number } | undefined;
let lastGood: CallbackToken.Keys | undefined;
let lastUnknownKeyReread = -Infinity;

function reread(now: number) {
  const keys = readCallbackTokenKeys().then(
    (read) => (lastGood = read),
    (error: unknown) => {
      // A throttled re-read must not turn a warm container's answers into 500s: keep the last
      // secrets a little longer. Without any, fail this call and read again on the next one.
      if (lastGood) {
        cache = { keys: Promise.resolve(lastGood), until: now + FAILED_REREAD_RETRY_MS };
        return lastGood;
      }
      cache = undefined;
      throw error;
    },
  );
  cache = { keys, until: now + KEYS_CACHE_MS };
  return keys;
}

/** The stage's current and previous secrets, read at most every KEYS_CACHE_MS per container. */
export function callbackTokenKeys(now = Date.now()): Promise<CallbackToken.Keys> {
  return cache && now < cache.until ? cache.keys : reread(now);
}

/**
 * The secrets to verify `token` with: the cached ones, re-read first when the token names a key
 * id they lack and the last such re-read is UNKNOWN_KEY_REREAD_MS old (a container that has not
 * seen a rotation yet then accepts the links signed by one that has).
 */
export async function callbackTokenKeysFor(token: string | undefined, now = Date.now()): Promise<CallbackToken.Keys> {
  const keys = await callbackTokenKeys(now);
  const keyId = token === undefined ? undefined : CallbackToken.keyIdOfToken(token);
  if (
    keyId === undefined ||
    [keys.current, keys.previous].some((s) => s !== undefined && CallbackToken.keyIdOf(s) === keyId)
  )
    return keys;
  if (now - lastUnknownKeyReread < UNKNOWN_KEY_REREAD_MS) return keys;
  lastUnknownKeyReread = now;
  return reread(now);
}

/** Forgets the cached secrets (tests). */
export function forgetCallbackTokenKeys() {
  cache = undefined;
  lastGood = undefined;
  lastUnknownKeyReread = -Infinity;
}
