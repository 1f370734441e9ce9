/**
 * Crash chaos: the chaos run's scenario (orders in waves, every status published 1–3 times, shuffled
 * within its wave, clients churning) against `npm start --data-dir <dir>` as a child process that is
 * SIGKILLed CHAOS_CRASHES times at random moments mid-run (while publishing, or while deliveries are
 * still in flight once publishing is done) and started again on the same data dir and ports. The publisher retries what
 * a dead runtime refused; clients reconnect and resync. In the end every client must hold exactly its
 * order's statuses (none lost, none twice, in occurrence order) and nothing may be dead-lettered.
 *
 * Runs only with CHAOS_CRASHES=<n> (`npm run test:chaos:crash`); CHAOS_ORDERS and CHAOS_SEED as in
 * start-runtime.chaos.test.ts (the kill times are drawn from the seed too; thread timing is not replayable).
 */
import { writeFileSync } from "node:fs";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { SECRET } from "./support/process";
import { startCrashableRuntime } from "./support/chaos-process";
import { chaosScenario, churnInWaves, expectExactTimelines, sleep, type ChaosOrder } from "./support/chaos-scenario";
import { createPrng, seedFrom } from "./support/prng";

const CRASHES = Number(process.env.CHAOS_CRASHES ?? 0);
const ORDERS = Number(process.env.CHAOS_ORDERS ?? 40);
const SEED = seedFrom("CHAOS_SEED");
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const stop of cleanup.reverse()) await stop();
});

/** Puts a batch until the runtime accepts it: while it is down (or dies mid-request) the batch is sent again. */
async function putUntilAccepted(events: EventBridgeClient, batch: PutEventsRequestEntry[], giveUp: () => boolean) {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await events.send(new PutEventsCommand({ Entries: batch }));
      return { attempts: attempt, failedEntries: result.FailedEntryCount ?? 0 };
    } catch (error) {
      if (giveUp()) throw error;
      await sleep(100);
    }
  }
}

/** Each client syncs again until it holds all its order's statuses (redeliveries after a restart take a while). */
async function settle(orders: readonly ChaosOrder[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let pending = [...orders];
  while (pending.length > 0 && Date.now() < deadline) {
    for (let i = 0; i < pending.length; i += 10) {
      await Promise.all(pending.slice(i, i + 10).map((order) => order.client.syncToEnd(10_000).catch(() => {})));
    }
    pending = pending.filter((order) => order.client.timeline.statuses.length < order.details.length);
    if (pending.length > 0) await sleep(500);
  }
}

/** Resolves once the runtime has logged nothing for `quietMs`: every delivery done. */
async function quiet(output: () => string, quietMs: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let length = output().length;
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await sleep(200);
    if (output().length !== length) [length, since] = [output().length, Date.now()];
  }
}

it.skipIf(CRASHES === 0)(
  `loses no status and shows none twice across ${ORDERS} orders while npm start is SIGKILLed ${CRASHES} times (seed ${SEED})`,
  async () => {
    // Prepare
    console.log(
      `chaos crash: seed=${SEED} orders=${ORDERS} crashes=${CRASHES} (replay with CHAOS_SEED=${SEED} CHAOS_ORDERS=${ORDERS} CHAOS_CRASHES=${CRASHES})`,
    );
    // As the in-process run: a cap and throttles far above what its churning clients need (they test
    // loss and duplication; the cap and the throttles have tests of their own), set as a deploy would.
    const unthrottled = Object.fromEntries(
      (["httpThrottle", "webSocketThrottle", "webSocketConnectThrottle"] as const).flatMap((name) => [
        [Topology.DEPLOY_ENV[`${name}Rate`], String(Tunables.ACCOUNT_RATE_LIMIT)],
        [Topology.DEPLOY_ENV[`${name}Burst`], String(Tunables.ACCOUNT_BURST_LIMIT)],
      ]),
    );
    // Every client here is one address: the edge's per-address rules raised to WAF's largest limit too.
    const noEdgeLimits = Object.fromEntries(
      (["edgeOrdersPerAddress", "edgeConnectsPerAddress", "edgeRequestsPerAddress"] as const).map((name) => [
        Topology.DEPLOY_ENV[name],
        String(Topology.WAF_MAX_RATE_LIMIT),
      ]),
    );
    const runtime = await startCrashableRuntime({
      env: {
        [Topology.ENV.maxConnectionsPerOrder]: String(Tunables.TUNABLES.maxConnectionsPerOrder.max),
        ...unthrottled,
        ...noEdgeLimits,
      },
    });
    cleanup.push(() => runtime.kill());
    const { state } = runtime;
    const scenario = chaosScenario({
      seed: SEED,
      orders: ORDERS,
      busName: state.eventBusName,
      callbackUrl: (orderId) =>
        CallbackToken.callbackUrl({
          websocketUrl: state.endpoints.websocket,
          orderId,
          token: CallbackToken.sign({ orderId, stage: state.stage, secret: SECRET }),
        }),
    });
    const { orders, entries, batches, pauses, published } = scenario;
    const events = new EventBridgeClient({
      endpoint: state.endpoints.events,
      region: "us-east-1",
      credentials,
      maxAttempts: 1, // putUntilAccepted retries, and counts
      requestHandler: { requestTimeout: 5_000, connectionTimeout: 1_000 },
    });
    cleanup.push(() => events.destroy());
    // The crashes are spread over the run's waves: crash k comes in wave ⌊(k+1)·waves/(crashes+1)⌋,
    // 1.5–6 s after that wave's first batch (and after the crash before it, with the runtime ready
    // again: each life does some work), the runtime down 0–1 s; all drawn from the seed. So orders
    // all through the run, not only its first minute's, are in flight through a crash; with fewer
    // waves than crashes (`npm test`'s 40 orders: one), they follow one another from the first.
    const crasher = createPrng(SEED ^ 0xc4a54);
    const lives = Array.from({ length: CRASHES }, (_, k) => ({
      wave: Math.floor(((k + 1) * scenario.waveStarts.length) / (CRASHES + 1)),
      uptimeMs: crasher.int(1_500, 6_000),
      downMs: crasher.int(0, 1_000),
    }));

    // Act: publish while clients churn and the runtime is killed and restarted.
    const churning = churnInWaves(scenario);
    let crashes = 0;
    let crashFailed = false;
    // Not awaited by the publisher: it runs into the dead runtime and must retry.
    let crashing = Promise.resolve();
    const crashesDueAt = (index: number) => {
      const wave = scenario.waveStarts.indexOf(index);
      for (const life of lives.filter((l) => wave >= 0 && l.wave === wave)) {
        crashing = crashing.then(async () => {
          await sleep(life.uptimeMs);
          await runtime.crash(life.downMs);
          crashes++;
        });
        crashing.catch(() => (crashFailed = true)); // a runtime that did not come back: stop publishing; `await crashing` throws why
      }
    };
    let putAttempts = 0;
    let failedEntries = 0;
    const putDeadline = Date.now() + 600_000;
    const stuck = () => {
      if (runtime.diedOnItsOwn) throw new Error(runtime.diedOnItsOwn);
      return crashFailed || Date.now() > putDeadline;
    };
    for (const [index, batch] of batches.entries()) {
      if (crashFailed) break;
      churning.beforeBatch(index);
      crashesDueAt(index);
      const put = await putUntilAccepted(events, batch, stuck);
      putAttempts += put.attempts;
      failedEntries += put.failedEntries;
      published(batch);
      await sleep(pauses[index]!);
    }
    await crashing;
    await churning.stop();
    await settle(orders, 120_000);
    // Anything still arriving (a late duplicate) arrives now; then one more sync each.
    await quiet(runtime.output, 3_000, 60_000);
    await settle(orders, 30_000);
    const deadLettersNow = (await (await fetch(`${state.endpoints.events}/dead-letters`)).json()) as unknown[];
    await runtime.stop();

    // CHAOS_LOG=<file>: every run's log lines, with each SIGKILL, for a failed run's post-mortem.
    if (process.env.CHAOS_LOG)
      writeFileSync(process.env.CHAOS_LOG, `${runtime.records.map((r) => JSON.stringify(r)).join("\n")}\n`);

    // Assess
    const clients = orders.map((o) => o.client);
    const byMessage = (message: string) =>
      runtime.records.filter((r) => r.component === "events" && r.message === message);
    const pickedUp = runtime.records.filter(
      (r) => r.component === "runtime" && String(r.message).startsWith("picking up unfinished work"),
    );
    const summary = {
      seed: SEED,
      orders: ORDERS,
      crashes,
      statuses: orders.reduce((n, o) => n + o.details.length, 0),
      published: entries.length,
      put_attempts_refused: putAttempts - batches.length,
      redelivered_after_restart: pickedUp.map((r) => Number(r.deliveries ?? 0)).join("/"),
      function_timeouts: runtime.records.filter(
        (r) => r.component === "lambda" && String(r.message).endsWith("timed out"),
      ).length,
      retries: byMessage("retry").length,
      dead_letters: byMessage("dead-letter").length, // every run's (GET /dead-letters lists only the last run's)
      delivered_frames: clients.reduce((n, c) => n + c.statusFrames, 0),
      duplicates_dropped: clients.reduce((n, c) => n + c.timeline.duplicatesDropped, 0),
      reconnects: clients.reduce((n, c) => n + c.sessions, 0),
      anomalies: clients.reduce((n, c) => n + c.anomalies.length, 0),
      startup_ms: runtime.startupsMs.join("/"),
    };
    console.log(
      `chaos crash summary: ${Object.entries(summary)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
    const retryCauses = new Map<string, number>();
    for (const record of byMessage("retry"))
      retryCauses.set(String(record.error), (retryCauses.get(String(record.error)) ?? 0) + 1);
    if (retryCauses.size > 0)
      console.log(`chaos crash: retries by cause: ${JSON.stringify(Object.fromEntries(retryCauses))}`);

    expect(crashes).toBe(CRASHES);
    expect(failedEntries).toBe(0);
    expectExactTimelines(orders);
    expect(byMessage("dead-letter")).toEqual([]);
    expect(deadLettersNow).toEqual([]);
  },
  120_000 + ORDERS * 1_000 + CRASHES * 30_000,
);
