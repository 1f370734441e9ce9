/**
 * The callback-token secret read from SSM Parameter Store at cold start, against a real HTTP stand-in
 * speaking SSM's protocol: throttling (Parameter Store's ~40 reads a second per account) is retried
 * with the SDK's jittered backoff, a bounded number of times, and a read that cannot succeed fails
 * with a message that says why.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Topology } from "@awsomepets/core/index";
import { startParameterStore, type ParameterStore } from "../../../test/support/ssm-parameter-store";
import { callbackTokenSecret, readCallbackTokenSecret, SSM_READ } from "../src/lib/secrets";

const PREFIX = "/sst/awsomepets-callbacks/test/";
const STAGE_PATH = `${PREFIX}Secret/CallbackTokenSecret/value`;
const SECRET = "from-ssm-from-ssm-from-ssm-from-ssm-0123";
const ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  SST_APP: "awsomepets-callbacks",
  SST_STAGE: "test",
  SST_SSM_PREFIX: PREFIX,
  SST_Secret_value_CallbackTokenSecret: "__FETCH_FROM_SSM__",
};

let ssm: ParameterStore;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  ssm = await startParameterStore({ [STAGE_PATH]: SECRET });
  const env = { ...ENV, AWS_ENDPOINT_URL_SSM: ssm.endpoint, AWS_MAX_ATTEMPTS: undefined, AWS_RETRY_MODE: undefined };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
afterEach(() => ssm.reset());
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await ssm.stop();
});

describe("the callback-token secret from SSM", () => {
  it("is read with one signed GetParameters naming the stage's path and the app's fallback", async () => {
    expect(await readCallbackTokenSecret()).toBe(SECRET);
    expect(ssm.requests.map((r) => r.names)).toEqual([[STAGE_PATH, "/sst/awsomepets-callbacks/.fallback/Secret/CallbackTokenSecret/value"]]);
    expect(ssm.badSignatures).toEqual([]);
  });

  it("is read after two ThrottlingExceptions, retried after a jittered wait", async () => {
    ssm.throttle(2);
    expect(await readCallbackTokenSecret()).toBe(SECRET);
    expect(ssm.requests).toHaveLength(3);
    expect(ssm.badSignatures).toEqual([]);
  });

  it("fails after a bounded number of attempts when every one is throttled, saying why", async () => {
    ssm.throttle(Infinity);
    // A deadline the backoff cannot reach (its jitter can reach 7 s; the shipped deadline cuts that
    // rare run at 6 s, tested below): the attempts alone bound this read.
    await expect(readCallbackTokenSecret({ ...SSM_READ, deadlineMs: 30_000 })).rejects.toThrow(
      `Could not read CallbackTokenSecret from SSM Parameter Store after ${SSM_READ.maxAttempts} attempts: ThrottlingException: Rate exceeded ` +
        "(Parameter Store's standard throughput is ~40 reads a second per account and region)",
    );
    expect(ssm.requests).toHaveLength(SSM_READ.maxAttempts);
  });

  it("has a deadline that leaves every function reading the secret time to answer", () => {
    for (const name of ["OrderWSConnectFunction", "CreateOrderFunction", "GetOrderFunction"] as const) {
      expect(SSM_READ.deadlineMs).toBeLessThan(Topology.FUNCTION_RUNTIME[name].timeoutSeconds * 1000);
    }
  });

  it("gives up at its deadline when SSM does not answer", async () => {
    ssm.hang();
    const limits = { ...SSM_READ, deadlineMs: 300 };
    await expect(readCallbackTokenSecret(limits)).rejects.toThrow(/^Could not read CallbackTokenSecret from SSM Parameter Store within its 300 ms deadline: AbortError/);
  });

  it("is read again on the next call after a failed read, then kept for the container's life", async () => {
    ssm.throttle(Infinity);
    // After its attempts, or at its deadline if the jittered backoff runs long: either way it failed.
    await expect(callbackTokenSecret()).rejects.toThrow(/ThrottlingException|deadline/);
    ssm.reset();
    expect(await callbackTokenSecret()).toBe(SECRET);
    expect(await callbackTokenSecret()).toBe(SECRET);
    expect(ssm.requests).toHaveLength(1);
  });
});
