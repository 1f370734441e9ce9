/**
 * The per-socket message limit across Lambda execution environments: each environment is a process
 * of its own that loads the `$default` handler module (its own module state), all against the run's
 * DynamoDB engine and one `@connections` stand-in, as Lambda runs concurrent invocations.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import * as Topology from "@awsomepets/core/platform/topology";
import { connectEvent, messageEvent } from "../support/events";
import { startHarness, type Harness } from "../support/harness";

const ENVIRONMENTS = 4;
const MESSAGES_PER_ENVIRONMENT = 15;
// The slowest refill the tunable allows (whole messages per second), so that the bound still means
// something if a loaded machine stretches the burst (4 in-memory buckets would answer 4 × the burst).
const { perSecond, burst } = { perSecond: 1, burst: SyncRateLimit.DEFAULT_SYNC_RATE.burst };

let h: Harness;
let environments: ChildProcess[] = [];

beforeAll(async () => {
  h = await startHarness();
  const env = {
    ...process.env,
    [Topology.ENV.syncRatePerSecond]: String(perSecond),
    [Topology.ENV.syncBurst]: String(burst),
  };
  const script = fileURLToPath(new URL("../support/execution-environment.ts", import.meta.url));
  environments = Array.from({ length: ENVIRONMENTS }, () =>
    fork(script, { env, execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] }),
  );
  await Promise.all(environments.map(async (child) => expect((await once(child, "message"))[0]).toBe("ready")));
  // Warm: each environment's clients made and its credentials resolved, as in a warm container.
  await Promise.all(environments.map((child, i) => invokeIn(child, [messageEvent(`warm-${i}=`, "{}")])));
}, 120_000);

afterAll(async () => {
  for (const child of environments) child.kill();
  await h?.stop();
});

async function invokeIn(child: ChildProcess, events: unknown[]) {
  const answer = once(child, "message");
  child.send({ events });
  return ((await answer)[0] as { results: unknown[] }).results;
}

describe("sync in several execution environments at once", () => {
  it(`answers a burst of syncs on one socket spread over ${ENVIRONMENTS} environments at most burst + rate times`, async () => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = `${randomUUID()}=`;
    expect(await h.handlers.connect(connectEvent(connectionId, { orderId, token: h.token(orderId) }))).toEqual({
      statusCode: 200,
    });
    h.connections.open(connectionId);
    const sync = () => messageEvent(connectionId, JSON.stringify({ action: "sync", orderId, after: 0 }), "sync");
    // Act: every environment gets its share at the same moment
    const started = Date.now();
    const results = await Promise.all(
      environments.map((child) => invokeIn(child, Array.from({ length: MESSAGES_PER_ENVIRONMENT }, sync))),
    );
    const seconds = (Date.now() - started) / 1000;
    // Assess: the burst, plus what the rate refilled while it lasted (≤ 1 s unless the machine is slow);
    // one module-memory bucket per environment would answer ENVIRONMENTS × burst
    const kinds = h.connections.framesFor(connectionId).map((f) => (f.type === "error" ? f.code : f.type));
    const answered = kinds.filter((k) => k === "synced").length;
    console.log(
      `${ENVIRONMENTS} environments: ${answered} of ${ENVIRONMENTS * MESSAGES_PER_ENVIRONMENT} syncs answered in ${seconds.toFixed(2)} s`,
    );
    expect(results.flat().every((r) => (r as { statusCode?: number }).statusCode === 200)).toBe(true);
    expect(answered).toBeGreaterThanOrEqual(burst);
    expect(answered).toBeLessThanOrEqual(burst + perSecond * Math.max(1, Math.ceil(seconds)));
    // Refusals are told once per streak, and an answered sync ends a streak (frames from different
    // environments interleave, so only the counts can be compared).
    const told = kinds.filter((k) => k === "rate_limited").length;
    expect(told).toBeGreaterThanOrEqual(1);
    expect(told).toBeLessThanOrEqual(answered);
  });
});
