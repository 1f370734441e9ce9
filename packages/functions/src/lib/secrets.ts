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
 */
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import * as CallbackToken from "@awsomepets/core/callback-token";

export const CALLBACK_TOKEN_SECRET = "CallbackTokenSecret";
const VALUE_VARIABLE = `SST_Secret_value_${CALLBACK_TOKEN_SECRET}`;
const FROM_SSM = "__FETCH_FROM_SSM__";

let secret: Promise<string> | undefined;

async function read(): Promise<string> {
  const bound = process.env[VALUE_VARIABLE];
  let value = bound;
  if (bound === FROM_SSM) {
    const path = `Secret/${CALLBACK_TOKEN_SECRET}/value`;
    const stagePath = `${process.env.SST_SSM_PREFIX ?? ""}${path}`;
    const fallbackPath = `/sst/${process.env.SST_APP}/.fallback/${path}`;
    // GetParameters is what SST's `bind` grants, on exactly these two paths.
    const ssm = new SSMClient({});
    const { Parameters = [] } = await ssm.send(new GetParametersCommand({ Names: [stagePath, fallbackPath], WithDecryption: true }));
    ssm.destroy();
    const found = new Map(Parameters.map((p) => [p.Name, p.Value]));
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
  secret ??= read().catch((error: unknown) => {
    secret = undefined; // a transient SSM failure must not poison the container
    throw error;
  });
  return secret;
}
