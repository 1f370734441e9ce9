/**
 * The three commands as processes (through tsx, as `npm run` starts them) against the real local
 * runtime started in this test process: what they print, their exit codes, and what reaches a
 * socket. Kept few: each process start costs about a second.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import {
  cliEnv,
  newOrderId,
  openSocket,
  runCli,
  startCli,
  startRuntimeWithStateFile,
  TOKEN_SECRET,
} from "../support/cli";

let runtime: Awaited<ReturnType<typeof startRuntimeWithStateFile>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  runtime = await startRuntimeWithStateFile();
  env = cliEnv({ LOCAL_RUNTIME_STATE_FILE: runtime.stateFile });
});
afterAll(async () => {
  await runtime?.close();
});

const urlFor = (orderId: string) =>
  CallbackToken.callbackUrl({
    websocketUrl: runtime.state.endpoints.websocket,
    orderId,
    token: CallbackToken.sign({ orderId, stage: runtime.state.stage, secret: TOKEN_SECRET }),
  });

/** A synced socket for the order: statuses published from now on arrive as frames 2, 3, … */
async function syncedSocket(orderId: string) {
  const client = await openSocket(urlFor(orderId));
  client.send({ action: "sync", orderId, after: 0 });
  await client.next(1);
  return client;
}

const EVENT_LINE = /^[0-9a-f-]{36} [0-9a-f-]{36} [a-z]+$/;

describe("publish-status", () => {
  it("publishes a status to the local bus, which reaches the order's socket", async () => {
    // Prepare
    const orderId = newOrderId();
    const client = await syncedSocket(orderId);
    try {
      // Act
      const result = await runCli(
        "publish-status",
        [
          "--order-id",
          orderId,
          "--status",
          "paid",
          "--amount-paid",
          "42.5",
          "--occurred-at",
          "2026-11-26T10:00:00.000Z",
        ],
        env,
      );
      const frames = await client.next(2);
      // Assess
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout.trim()).toMatch(EVENT_LINE);
      expect(result.stdout.trim().split(" ").slice(1)).toEqual([orderId, "paid"]);
      expect(frames[1]).toEqual({
        type: "status",
        orderId,
        status: "paid",
        occurredAt: "2026-11-26T10:00:00.000Z",
        seq: 1,
        amountPaid: 42.5,
      });
    } finally {
      await client.close();
    }
  });

  it("publishes every event of --file in order, one line each", async () => {
    // Prepare
    const orderId = newOrderId();
    const file = path.join(runtime.dir, "events.json");
    const statuses = ["placed", "reserved", "paid", "completed"];
    writeFileSync(file, JSON.stringify(statuses.map((status) => ({ orderId, status }))));
    const client = await syncedSocket(orderId);
    try {
      // Act
      const result = await runCli("publish-status", ["--file", file], env);
      await client.next(1 + statuses.length);
      // Assess
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split("\n");
      expect(lines.every((line) => EVENT_LINE.test(line))).toBe(true);
      expect(lines.map((line) => line.split(" ")[2])).toEqual(statuses);
      const received = client.frames.filter((f) => f.type === "status").sort((a, b) => a.seq - b.seq);
      expect(new Set(received.map((f) => f.status))).toEqual(new Set(statuses));
      // Missing occurredAt: now + index ms, so the occurrence order is the file's.
      expect([...received].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)).map((f) => f.status)).toEqual(
        statuses,
      );
    } finally {
      await client.close();
    }
  });

  it("refuses an invalid status with exit 2, naming the field, and publishes nothing", async () => {
    // Prepare
    const orderId = newOrderId();
    const client = await syncedSocket(orderId);
    try {
      // Act
      const result = await runCli("publish-status", ["--order-id", orderId, "--status", "shipped"], env);
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a frame that must not come
      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^publish-status: invalid status event: --status: /);
      expect(client.frames).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("says in one line that no local runtime is running, exit 1 (publish-status and callback-url)", async () => {
    // Prepare
    const noRuntime = cliEnv({ LOCAL_RUNTIME_STATE_FILE: path.join(runtime.dir, "absent.json") });
    // Act
    const results = await Promise.all([
      runCli("publish-status", ["--order-id", newOrderId(), "--status", "placed"], noRuntime),
      runCli("callback-url", ["--order-id", newOrderId()], noRuntime),
    ]);
    // Assess
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [1, "", "publish-status: No local runtime is running (start it with `npm start`)\n"],
      [1, "", "callback-url: No local runtime is running (start it with `npm start`)\n"],
    ]);
  });

  it("explains missing AWS credentials for --stage in one line, exit 1, no stack trace", async () => {
    // Prepare: no credentials anywhere in the chain
    const empty = path.join(runtime.dir, "empty-aws-file");
    writeFileSync(empty, "");
    const noCredentials = cliEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    // Act
    const result = await runCli(
      "publish-status",
      ["--order-id", newOrderId(), "--status", "placed", "--stage", "x"],
      noCredentials,
    );
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^publish-status: No AWS credentials found/);
    expect(result.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});

describe("callback-url", () => {
  it("prints a URL on which a socket opens and syncs", async () => {
    // Prepare
    const orderId = newOrderId();
    // Act
    const result = await runCli("callback-url", ["--order-id", orderId, "--ttl-seconds", "120"], env);
    const client = await openSocket(result.stdout.trim());
    try {
      client.send({ action: "sync", orderId });
      // Assess
      expect(result.code).toBe(0);
      expect(await client.next(1)).toEqual([{ type: "synced", orderId, lastSeq: 0 }]);
    } finally {
      await client.close();
    }
  });
});

describe("watch-order", () => {
  it("prints each published status once and exits 0 after completed", async () => {
    // Prepare
    const orderId = newOrderId();
    const watcher = startCli("watch-order", ["--order-id", orderId], env);
    try {
      await watcher.waitFor("stderr", /connected; syncing after #0/);
      // Act: completed only after reserved is shown, so that the seqs are known (a batch is
      // delivered concurrently and seqs follow arrival)
      const file = path.join(runtime.dir, `watch-${orderId}.json`);
      writeFileSync(
        file,
        JSON.stringify([
          { orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
          { orderId, status: "reserved", occurredAt: "2026-11-26T10:00:01.000Z" },
        ]),
      );
      const first = await runCli("publish-status", ["--file", file], env);
      await watcher.waitFor("stdout", /placed[\s\S]*reserved|reserved[\s\S]*placed/);
      const last = await runCli(
        "publish-status",
        ["--order-id", orderId, "--status", "completed", "--occurred-at", "2026-11-26T10:00:02.000Z"],
        env,
      );
      const code = await Promise.race([
        watcher.exited,
        new Promise((resolve) => setTimeout(() => resolve("timeout"), 15_000)),
      ]);
      // Assess
      expect([first.code, last.code, code]).toEqual([0, 0, 0]);
      const printed = watcher
        .output()
        .stdout.trim()
        .split("\n")
        .filter((line) => !line.startsWith("("));
      const fields = printed.map((line) => line.split(/\s+/));
      expect(fields.map(([occurredAt, , status]) => `${occurredAt} ${status}`).sort()).toEqual([
        "2026-11-26T10:00:00.000Z placed",
        "2026-11-26T10:00:01.000Z reserved",
        "2026-11-26T10:00:02.000Z completed",
      ]);
      // placed and reserved arrive in either order (#1 and #2 between them); completed is #3
      expect(fields.map(([, seq]) => seq).sort()).toEqual(["#1", "#2", "#3"]);
      expect(fields.find(([, , status]) => status === "completed")?.[1]).toBe("#3");
    } finally {
      watcher.kill();
    }
  });
});
