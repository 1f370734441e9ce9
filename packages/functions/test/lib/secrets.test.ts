/**
 * The callback-token secrets read from SSM Parameter Store, against a real HTTP stand-in speaking
 * SSM's protocol: throttling (Parameter Store's ~40 reads a second per account) is retried with the
 * SDK's jittered backoff, a bounded number of times, and a read that cannot succeed fails with a
 * message that says why. A stage that keeps data never reads the app-wide fallback; the secrets are
 * cached for minutes, so a rotation reaches warm containers and keeps live links working.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Topology from "@awsomepets/core/platform/topology";
import { startParameterStore, type ParameterStore } from "../support/ssm-parameter-store";
import {
  callbackTokenKeys,
  callbackTokenKeysFor,
  forgetCallbackTokenKeys,
  KEYS_CACHE_MS,
  readCallbackTokenKeys,
  SSM_READ,
  UNKNOWN_KEY_REREAD_MS,
} from "../../src/lib/secrets";

const PREFIX = "/sst/awsomepets-callbacks/test/";
const STAGE_PATH = `${PREFIX}Secret/CallbackTokenSecret/value`;
const PREVIOUS_PATH = `${PREFIX}Secret/CallbackTokenPreviousSecret/value`;
const FALLBACK_PATH = "/sst/awsomepets-callbacks/.fallback/Secret/CallbackTokenSecret/value";
const PREVIOUS_FALLBACK_PATH = "/sst/awsomepets-callbacks/.fallback/Secret/CallbackTokenPreviousSecret/value";
const SECRET = "from-ssm-from-ssm-from-ssm-from-ssm-0123";
const ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  SST_APP: "awsomepets-callbacks",
  SST_STAGE: "test",
  SST_SSM_PREFIX: PREFIX,
  SST_Secret_value_CallbackTokenSecret: "__FETCH_FROM_SSM__",
  SST_Secret_value_CallbackTokenPreviousSecret: "__FETCH_FROM_SSM__",
  [Topology.ENV.stageKeepsData]: "true",
};

/** What SSM holds; the tests change it as an operator would with `sst secrets set/remove`. */
const stored: Record<string, string> = {};
const setStored = (values: Record<string, string>) => {
  for (const key of Object.keys(stored)) delete stored[key];
  Object.assign(stored, values);
};

let ssm: ParameterStore;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  ssm = await startParameterStore(stored);
  const env = { ...ENV, AWS_ENDPOINT_URL_SSM: ssm.endpoint, AWS_MAX_ATTEMPTS: undefined, AWS_RETRY_MODE: undefined };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
beforeEach(() => {
  setStored({ [STAGE_PATH]: SECRET });
  forgetCallbackTokenKeys();
});
afterEach(() => ssm.reset());
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await ssm.stop();
});

describe("the callback-token secrets from SSM", () => {
  it("are read with one signed GetParameters naming both secrets' stage paths, and no fallback for a stage that keeps data", async () => {
    expect(await readCallbackTokenKeys()).toEqual({ current: SECRET });
    expect(ssm.requests.map((r) => r.names)).toEqual([[STAGE_PATH, PREVIOUS_PATH]]);
    expect(ssm.badSignatures).toEqual([]);
  });

  it("read the previous secret too when it is set", async () => {
    setStored({ [STAGE_PATH]: SECRET, [PREVIOUS_PATH]: "p".repeat(40) });
    expect(await readCallbackTokenKeys()).toEqual({ current: SECRET, previous: "p".repeat(40) });
  });

  it("refuse the app-wide fallback for a stage that keeps data, saying what to run", async () => {
    setStored({ [FALLBACK_PATH]: SECRET });
    await expect(readCallbackTokenKeys()).rejects.toThrow(
      /^CallbackTokenSecret is not set for stage test \(a stage that keeps data refuses the app-wide fallback secret\): run `npx sst secrets set CallbackTokenSecret .* --stage test`$/,
    );
    expect(ssm.requests.flatMap((r) => r.names)).not.toContain(FALLBACK_PATH);
  });

  it("fall back to the app-wide secrets on a disposable stage, the stage's own winning", async () => {
    const env = { ...process.env, [Topology.ENV.stageKeepsData]: "false" };
    setStored({ [FALLBACK_PATH]: SECRET, [PREVIOUS_FALLBACK_PATH]: "p".repeat(40) });
    expect(await readCallbackTokenKeys(SSM_READ, env)).toEqual({ current: SECRET, previous: "p".repeat(40) });
    expect(ssm.requests.at(-1)?.names).toEqual([STAGE_PATH, FALLBACK_PATH, PREVIOUS_PATH, PREVIOUS_FALLBACK_PATH]);
    setStored({ [STAGE_PATH]: "o".repeat(40), [FALLBACK_PATH]: SECRET });
    expect(await readCallbackTokenKeys(SSM_READ, env)).toEqual({ current: "o".repeat(40) });
  });

  it.each([undefined, "", "yes"])("refuse to guess when STAGE_KEEPS_DATA is %j", async (value) => {
    const env = { ...process.env, [Topology.ENV.stageKeepsData]: value };
    await expect(readCallbackTokenKeys(SSM_READ, env)).rejects.toThrow(/^STAGE_KEEPS_DATA must be "true" or "false"/);
  });

  it("refuse a previous secret under 32 characters", async () => {
    setStored({ [STAGE_PATH]: SECRET, [PREVIOUS_PATH]: "short" });
    await expect(readCallbackTokenKeys()).rejects.toThrow(
      /^CallbackTokenPreviousSecret must be set to at least 32 characters/,
    );
  });

  it("is read after two ThrottlingExceptions, retried after a jittered wait", async () => {
    ssm.throttle(2);
    expect(await readCallbackTokenKeys()).toEqual({ current: SECRET });
    expect(ssm.requests).toHaveLength(3);
    expect(ssm.badSignatures).toEqual([]);
  });

  it("fails after a bounded number of attempts when every one is throttled, saying why", async () => {
    ssm.throttle(Infinity);
    // A deadline the backoff cannot reach (its jitter can reach 7 s; the shipped deadline cuts that
    // rare run at 6 s, tested below): the attempts alone bound this read.
    await expect(readCallbackTokenKeys({ ...SSM_READ, deadlineMs: 30_000 })).rejects.toThrow(
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
    await expect(readCallbackTokenKeys(limits)).rejects.toThrow(
      /^Could not read CallbackTokenSecret from SSM Parameter Store within its 300 ms deadline: AbortError/,
    );
  });

  it("are read again on the next call after a failed first read, then kept KEYS_CACHE_MS", async () => {
    ssm.throttle(Infinity);
    // After its attempts, or at its deadline if the jittered backoff runs long: either way it failed.
    await expect(callbackTokenKeys()).rejects.toThrow(/ThrottlingException|deadline/);
    ssm.reset();
    const t = Date.now();
    expect(await callbackTokenKeys(t)).toEqual({ current: SECRET });
    expect(await callbackTokenKeys(t + KEYS_CACHE_MS - 1)).toEqual({ current: SECRET });
    expect(ssm.requests).toHaveLength(1);
    await callbackTokenKeys(t + KEYS_CACHE_MS);
    expect(ssm.requests).toHaveLength(2);
  });

  it("keep the last secrets read when a later re-read fails, rather than failing warm containers", async () => {
    const t = Date.now();
    await callbackTokenKeys(t);
    ssm.hang();
    // The hanging re-read gives up at its deadline (6 s); then the secrets already read answer.
    expect(await callbackTokenKeys(t + KEYS_CACHE_MS)).toEqual({ current: SECRET });
  }, 15_000);

  describe("a rotation (docs/deploy-and-operate.md)", () => {
    const OLD = SECRET;
    const NEW = "n".repeat(40);
    const orderId = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
    const verify = (token: string, keys: CallbackToken.Keys) =>
      CallbackToken.verify({ orderId, stage: "test", token, keys });

    it("keeps a live link signed with the old secret working once a container reads the rotated secrets", async () => {
      // Prepare: a link handed out before the rotation
      const t = Date.now();
      const live = CallbackToken.sign({ orderId, stage: "test", secret: (await callbackTokenKeys(t)).current });
      // Act: previous = the old secret, current = a new one; the cache runs out
      setStored({ [STAGE_PATH]: NEW, [PREVIOUS_PATH]: OLD });
      const rotated = await callbackTokenKeys(t + KEYS_CACHE_MS);
      // Assess
      expect(rotated).toEqual({ current: NEW, previous: OLD });
      expect(verify(live, rotated).ok).toBe(true);
      expect(CallbackToken.keyIdOfToken(CallbackToken.sign({ orderId, stage: "test", secret: rotated.current }))).toBe(
        CallbackToken.keyIdOf(NEW),
      );
    });

    it("lets a container that has not seen the rotation yet re-read at once for a link signed with the new secret, at most every 30 s", async () => {
      // Prepare: this container cached the old secret; another one already signs with the new
      const t = Date.now();
      await callbackTokenKeys(t);
      setStored({ [STAGE_PATH]: NEW, [PREVIOUS_PATH]: OLD });
      const fresh = CallbackToken.sign({ orderId, stage: "test", secret: NEW });
      const unknownKey = fresh.replace(/^v2\.[^.]+/, "v2.AAAAAAAA");
      // Act
      const keys = await callbackTokenKeysFor(fresh, t + 1000);
      const again = await callbackTokenKeysFor(unknownKey, t + 2000);
      const later = await callbackTokenKeysFor(unknownKey, t + 1000 + UNKNOWN_KEY_REREAD_MS);
      // Assess: one re-read for the new key; a second unknown key within 30 s reads nothing
      expect(verify(fresh, keys).ok).toBe(true);
      expect(again).toEqual(keys);
      expect(later).toEqual(keys);
      expect(ssm.requests).toHaveLength(3);
    });

    it("reads nothing for a token whose key it holds, or a token of the legacy shape", async () => {
      const t = Date.now();
      await callbackTokenKeys(t);
      await callbackTokenKeysFor(CallbackToken.sign({ orderId, stage: "test", secret: OLD }), t + 1);
      await callbackTokenKeysFor("1764151200.AAAA", t + 2);
      await callbackTokenKeysFor(undefined, t + 3);
      expect(ssm.requests).toHaveLength(1);
    });
  });
});
