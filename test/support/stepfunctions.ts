/** Helpers for the Step Functions endpoint tests: a real SFNClient and a cleanup list. */
import { SFNClient } from "@aws-sdk/client-sfn";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
/** Milliseconds ISO-8601, as `$$.State.EnteredTime` is on AWS. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function sfnClient(url: string) {
  return new SFNClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

/** Everything a test starts, stopped after it whatever the outcome. */
export function cleanupList() {
  const cleanups: Array<() => Promise<void> | void> = [];
  return {
    add: (cleanup: () => Promise<void> | void) => void cleanups.push(cleanup),
    run: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
}
