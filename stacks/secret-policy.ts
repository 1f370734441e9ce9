/**
 * The deploy's check of the callback-token secrets (`npm run deploy` runs it before `sst deploy`):
 * without it, a missing or short secret only shows once deployed, as a 500 on every `$connect`,
 * `POST /orders` and `GET /orders/{id}` (the functions refuse to sign or verify with it).
 *
 * A stage that keeps data (`DISPOSABLE_STAGE` unset, Topology.stageKeepsData) must have its own
 * `CallbackTokenSecret`: the app-wide fallback (`sst secrets set --fallback`) is readable by every
 * stage's functions and operators, so a dev stage sharing it could mint this stage's tokens. The
 * functions refuse it at run time too (packages/functions/src/lib/secrets.ts).
 */
import * as CallbackToken from "@awsomepets/core/callbacks/token";

const { current: TOKEN_SECRET_NAME, previous: TOKEN_PREVIOUS_SECRET_NAME } = CallbackToken.SECRET_NAMES;

type StoredSecrets = Record<string, { value?: string; fallback?: string }>;

/**
 * What is wrong with the stage's secrets, as a sentence with the fix, or undefined if nothing.
 *
 * @example
 * tokenSecretProblem("prod", await Config.secrets(), Topology.stageKeepsData(process.env));
 */
export function tokenSecretProblem(stage: string, secrets: StoredSecrets, keepsData: boolean): string | undefined {
  const stored = secrets[TOKEN_SECRET_NAME];
  const fix = `set one with: npx sst secrets set ${TOKEN_SECRET_NAME} "$(openssl rand -base64 48)" --stage ${stage}`;
  if (keepsData && stored?.value === undefined && stored?.fallback !== undefined) {
    return (
      `The secret ${TOKEN_SECRET_NAME} of stage ${stage} is only the app-wide fallback, which a stage that keeps data refuses ` +
      `(every stage could mint its tokens); ${fix} (or deploy a throwaway stage with DISPOSABLE_STAGE=true)`
    );
  }
  // A stage secret copied from the fallback is the fallback under another name: every stage reads it.
  const fallbacks = new Set(
    [stored?.fallback, secrets[TOKEN_PREVIOUS_SECRET_NAME]?.fallback].filter((v) => v !== undefined),
  );
  if (keepsData) {
    const copied = [TOKEN_SECRET_NAME, TOKEN_PREVIOUS_SECRET_NAME].find((name) => {
      const own = secrets[name]?.value;
      return own !== undefined && fallbacks.has(own);
    });
    if (copied)
      return `The secret ${copied} of stage ${stage} is the same as an app-wide fallback, which every stage can read; ${fix.replace(TOKEN_SECRET_NAME, copied)}`;
  }
  const value = stored?.value ?? stored?.fallback;
  if (value === undefined) return `The secret ${TOKEN_SECRET_NAME} is not set for stage ${stage}; ${fix}`;
  if (value.length < CallbackToken.MIN_SECRET_LENGTH) {
    return `The secret ${TOKEN_SECRET_NAME} of stage ${stage} has ${value.length} characters; at least ${CallbackToken.MIN_SECRET_LENGTH} are needed; ${fix}`;
  }
  // The previous secret is optional; a keeps-data stage ignores a fallback one, as at run time.
  const previousStored = secrets[TOKEN_PREVIOUS_SECRET_NAME];
  const previous = previousStored?.value ?? (keepsData ? undefined : previousStored?.fallback);
  if (previous !== undefined && previous.length < CallbackToken.MIN_SECRET_LENGTH) {
    return (
      `The secret ${TOKEN_PREVIOUS_SECRET_NAME} of stage ${stage} has ${previous.length} characters; at least ${CallbackToken.MIN_SECRET_LENGTH} are needed; ` +
      `set it to the secret it replaced, or remove it: npx sst secrets remove ${TOKEN_PREVIOUS_SECRET_NAME} --stage ${stage}`
    );
  }
  return undefined;
}
