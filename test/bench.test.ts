/**
 * The benchmark's own parts, without timing anything: the seed baseline really runs the seed's
 * algorithm in the local runtime (a status reaches its connection; one published before anyone
 * connects is kept pending and handed over at the client's first message), the goals are computed
 * from the figures, and the "what limits it" notes follow the figures they are given. The memory
 * metric runs for a few seconds against npm start's runtime, its environments within their bound.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublisher, orderStatuses } from "../bench/lib/publisher";
import { openSyncedSocket, type SyncedSocket } from "../bench/lib/order-socket";
import { markdownTable } from "../bench/lib/report";
import { MAX_SOCKETS } from "../bench/metrics/fanout";
import type { BenchResults } from "../bench/lib/results";
import { startBenchRuntime, type BenchRuntime } from "../bench/lib/runtime-handle";
import { computeTargets } from "../bench/lib/targets";
import { sdkClientPackages } from "../bench/metrics/bundles";
import { bounded, waitUntil } from "../bench/lib/wait";
import { fittedRise, measureMemory } from "../bench/metrics/memory";
import { DEFAULT_MAX_ENVIRONMENTS } from "../packages/local/src/runtime/config";

describe("the seed baseline in the local runtime", () => {
  let runtime: BenchRuntime;
  const sockets: SyncedSocket[] = [];
  beforeAll(async () => {
    runtime = await startBenchRuntime("seed");
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await runtime?.close();
  });

  it("delivers to a connection, and keeps a status published before the connection pending until the client's first message", async () => {
    const publisher = createPublisher(runtime.state.endpoints.events, runtime.state.eventBusName);
    try {
      const orderId = randomUUID();
      const [placed, reserved] = orderStatuses(orderId, 2, Date.UTC(2026, 10, 26));
      await publisher.publish([placed!]);
      await runtime.idle();
      const db = new DynamoDBClient({
        endpoint: runtime.state.endpoints.dynamodb,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      const rows = await db.send(new ScanCommand({ TableName: "bench-SeedClientCallbackTbl" }));
      db.destroy();
      expect(rows.Items?.map((i) => i.connectionId?.S)).toEqual([expect.stringMatching(/^pending#\d+$/)]);

      const received: string[] = [];
      sockets.push(
        await openSyncedSocket(
          runtime.state.endpoints.websocket,
          orderId,
          (frame) => void (frame.type === "status" && received.push(frame.status)),
          "seed",
        ),
      );
      await waitUntil(() => received.length === 1, 10_000, "the pending status");
      await publisher.publish([reserved!]);
      await waitUntil(() => received.length === 2, 10_000, "the second status");
      expect(received).toEqual([placed!.status, reserved!.status]);
    } finally {
      publisher.close();
    }
  });
});

const figures = (fanoutOurs: number, fanoutSeed: number): Omit<BenchResults, "targets" | "duration_s"> => ({
  date: "2026-11-26T00:00:00.000Z",
  machine: { cpu: "test", cores: 2, memory_gb: 1, node: "v22", platform: "test", load_average_1m: 0 },
  only: ["fanout", "dynamodb"],
  fanout_1000_ms: fanoutOurs,
  fanout_rounds: [{ first_ms: 10, last_ms: fanoutOurs }],
  dynamodb_requests_per_status: { "0": 2, "1": 3, max: 4 },
  seed: { fanout_1000_ms: fanoutSeed, fanout_rounds: [{ first_ms: 20, last_ms: fanoutSeed }] },
});

describe("goals and notes", () => {
  it("computes each goal as a ratio of the run's figures", () => {
    const targets = computeTargets(figures(1000, 2900));
    expect(targets.find((t) => t.metric.startsWith("fan-out"))).toMatchObject({ ratio: 2.9, pass: false });
    expect(computeTargets(figures(900, 2900)).find((t) => t.metric.startsWith("fan-out"))).toMatchObject({
      ratio: 3.22,
      pass: true,
    });
    expect(targets.filter((t) => t.metric.startsWith("DynamoDB")).map((t) => t.pass)).toEqual([true, true, false]);
  });

  it("writes the notes from the figures it is given", () => {
    const a = markdownTable({ ...figures(1000, 2900), targets: [], duration_s: 1 });
    const b = markdownTable({ ...figures(2000, 5000), targets: [], duration_s: 1 });
    expect(a).toContain("Ours: 1 ms per connection");
    expect(b).toContain("Ours: 2 ms per connection");
    expect(b).toContain("5 ms per connection");
    expect(a).toContain(`Ours: 1 more with ${MAX_SOCKETS} connections than with 1`);
  });

  it("finds the SDK clients whose code is in the output, not those merely parsed", () => {
    const inputs = {
      "node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js": { bytesInOutput: 1200 },
      "node_modules/@aws-sdk/client-sfn/dist-es/index.js": { bytesInOutput: 0 },
      "packages/functions/src/lib/callback-deps.ts": { bytesInOutput: 300 },
    };
    expect(sdkClientPackages(inputs)).toEqual(["@aws-sdk/client-dynamodb"]);
  });
});

describe("the harness's waiting", () => {
  it("names how far a wait got when it times out, not how far it was when it began", async () => {
    let got = 0;
    const counting = setInterval(() => got++, 5);
    try {
      await expect(
        waitUntil(
          () => false,
          60,
          () => `frames (got ${got})`,
        ),
      ).rejects.toThrow(/got [1-9]/);
    } finally {
      clearInterval(counting);
    }
  });

  it("runs a bounded function at most so many calls at once, each to its own result", async () => {
    let running = 0;
    let most = 0;
    const work = bounded(3, async (n: number) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (n === 4) throw new Error("four");
      return n * 2;
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, n) => work(n)));
    expect(most).toBe(3);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([
      0,
      2,
      4,
      6,
      "failed",
      10,
      12,
      14,
      16,
      18,
    ]);
  });
});

describe("the memory metric", () => {
  it("measures growth as the rise of a fitted line, not by one garbage collection", () => {
    const sawtooth = Array.from({ length: 100 }, (_, t) => [t, 500 + (t % 10 === 9 ? -40 : 0)] as const);
    const ramp = Array.from({ length: 100 }, (_, t) => [t, 500 + t * 0.5 + (t % 10 === 9 ? -40 : 0)] as const);
    expect(Math.abs(fittedRise(sawtooth))).toBeLessThan(5); // the last sample alone would say -40
    expect(Math.abs(fittedRise(ramp) - 49.5)).toBeLessThan(5);
  });

  it("samples npm start's runtime under orders watched to their end, its environments within their bound", async () => {
    const runtime = await startBenchRuntime("ours", { environments: true });
    try {
      const figures = await measureMemory(runtime, { minutes: 0.2 });
      expect(figures.orders).toBeGreaterThanOrEqual(55);
      expect(figures.errors).toBeLessThan(figures.orders);
      expect(figures.rss_mb.peak).toBeGreaterThanOrEqual(figures.rss_mb.ready);
      expect(figures.rss_mb.ready).toBeGreaterThan(50);
      expect(figures.environments.peak).toBeGreaterThan(1);
      expect(figures.environments.peak).toBeLessThanOrEqual(DEFAULT_MAX_ENVIRONMENTS);
    } finally {
      await runtime.close();
    }
  }, 120_000);
});
