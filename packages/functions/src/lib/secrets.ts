/**
 * The callback-token secret. Deployed, it is the SST `Config.Secret` `CallbackTokenSecret` (SSM,
 * fetched by `sst/node/config` at cold start); locally, `npm start` sets its value in the variable
 * that SST uses for it, `SST_Secret_value_CallbackTokenSecret`.
 */
import { Config } from "sst/node/config";
import { CallbackToken } from "@awsomepets/core/index";

export const CALLBACK_TOKEN_SECRET = "CallbackTokenSecret";

let secret: string | undefined;

export function callbackTokenSecret(): string {
  if (secret === undefined) {
    // Config's keys are typed by files `sst dev`/`sst deploy` generate; a fresh clone has none.
    const value = (Config as unknown as Record<string, unknown>)[CALLBACK_TOKEN_SECRET];
    if (typeof value !== "string" || value.length < CallbackToken.MIN_SECRET_LENGTH) {
      throw new Error(`${CALLBACK_TOKEN_SECRET} must be set to at least ${CallbackToken.MIN_SECRET_LENGTH} characters`);
    }
    secret = value;
  }
  return secret;
}
