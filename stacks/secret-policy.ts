/**
 * The deploy's check of the callback-token secret (`npm run deploy` runs it before `sst deploy`):
 * without it, a missing or short secret only shows once deployed, as a 500 on every `$connect`,
 * `POST /orders` and `GET /orders/{id}` (the functions refuse to sign or verify with it).
 */
import { CallbackToken } from "@awsomepets/core/index";

export const TOKEN_SECRET_NAME = "CallbackTokenSecret";

type StoredSecrets = Record<string, { value?: string; fallback?: string }>;

/** What is wrong with the stage's secret, as a sentence with the fix, or undefined if nothing. */
export function tokenSecretProblem(stage: string, secrets: StoredSecrets): string | undefined {
  const stored = secrets[TOKEN_SECRET_NAME];
  const value = stored?.value ?? stored?.fallback;
  const fix = `set one with: npx sst secrets set ${TOKEN_SECRET_NAME} "$(openssl rand -base64 48)" --stage ${stage}`;
  if (value === undefined) return `The secret ${TOKEN_SECRET_NAME} is not set for stage ${stage}; ${fix}`;
  if (value.length < CallbackToken.MIN_SECRET_LENGTH) {
    return `The secret ${TOKEN_SECRET_NAME} of stage ${stage} has ${value.length} characters; at least ${CallbackToken.MIN_SECRET_LENGTH} are needed; ${fix}`;
  }
  return undefined;
}
