/**
 * `npm start --data-dir` as a process: links handed out before a restart still work after it (the
 * token secret is kept), the history is kept, and after a `kill -9` mid-saga a restart finishes
 * every order: each reaches its terminal status, and each status is shown once.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { OrderTimeline } from "@awsomepets/client";
import { followToTerminal } from "../support/follow-order";
import { startProcess } from "../support/process";

const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const newDataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "runtime-data-"));
  dataDirs.push(dir);
  return dir;
};

/** No secret from the environment: the runtime must keep its own in the data dir. */
const start = (dataDir: string, args: string[] = []) =>
  startProcess({ via: "node", args: ["--data-dir", dataDir, ...args], env: { LOCAL_CALLBACK_TOKEN_SECRET: "" } });

async function placeOrder(http: string, sku = "DOG-LAB") {
  const response = await fetch(`${http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      basket: [{ sku, quantity: 1 }],
      paymentDetail: { cardToken: "tok_visa" },
      shippingAddress: {
        name: "Ana Silva",
        line1: "1 Rua Augusta",
        city: "Lisboa",
        postalCode: "1100-048",
        country: "PT",
      },
    }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { orderId: string; clientCallbackUrl: string };
}

/** The link handed out before, pointed at the (restarted) runtime's WebSocket URL: same order and token. */
const relink = (clientCallbackUrl: string, websocket: string) => {
  const url = new URL(websocket);
  url.search = new URL(clientCallbackUrl).search;
  return url.toString();
};

const statusNames = (timeline: OrderTimeline) => timeline.statuses.map((entry) => entry.status);

it("keeps links and history across a restart on --data-dir", async () => {
  // Prepare: an order placed and completed in a first run
  const dataDir = newDataDir();
  const first = start(dataDir);
  let placed: { orderId: string; clientCallbackUrl: string };
  try {
    const state = await first.ready();
    placed = await placeOrder(state.endpoints.http);
    await followToTerminal(placed.clientCallbackUrl);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  } finally {
    first.kill();
  }
  // Act: a second run on the same folder, on other ports
  const second = start(dataDir);
  try {
    const state = await second.ready();
    const timeline = await followToTerminal(relink(placed.clientCallbackUrl, state.endpoints.websocket));
    // Assess: the old link is accepted and the whole history is there
    expect(statusNames(timeline)).toEqual(["placed", "reserved", "paid", "completed"]);
    expect(second.output().stdout).toMatch(/Token secret\s+kept in the data dir/);
  } finally {
    second.child.kill("SIGTERM");
    await second.exited;
  }
}, 120_000);

it("finishes every order after a kill -9 mid-saga, each status shown once", async () => {
  // Prepare: orders placed on a paced saga, killed while they are under way
  const dataDir = newDataDir();
  const first = start(dataDir, ["--step-delay", "400ms"]);
  const orders: Array<{ orderId: string; clientCallbackUrl: string }> = [];
  try {
    const state = await first.ready();
    for (const sku of ["DOG-LAB", "FSH-BET", "DOG-LAB", "SOLD-OUT"])
      orders.push(await placeOrder(state.endpoints.http, sku));
    await first.waitFor(/state=ProcessPayment/);
    first.child.kill("SIGKILL");
    await first.exited;
  } finally {
    first.kill();
  }
  const journaled = readdirSync(path.join(dataDir, "executions")).length;

  // Act: a restart on the same folder
  const second = start(dataDir);
  try {
    const state = await second.ready();
    const timelines = await Promise.all(
      orders.map((order) => followToTerminal(relink(order.clientCallbackUrl, state.endpoints.websocket))),
    );
    // Assess
    expect(journaled).toBeGreaterThan(0);
    expect(second.output().stdout).toMatch(/picking up unfinished work from the data dir/);
    for (const timeline of timelines) {
      const names = statusNames(timeline);
      expect(new Set(names).size).toBe(names.length);
      expect(timeline.statuses.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual(names.map((_, i) => i + 1));
    }
    expect(timelines.map((timeline) => statusNames(timeline).at(-1))).toEqual([
      "completed",
      "completed",
      "completed",
      "cancelled",
    ]);
    expect(readdirSync(path.join(dataDir, "executions"))).toEqual([]);
  } finally {
    second.child.kill("SIGTERM");
    await second.exited;
  }
}, 180_000);
