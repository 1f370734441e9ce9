/**
 * `npm start -- --watch`, in this process on a temporary copy of the handlers' sources: a saved edit
 * to a handler is served by the next invocation while an open socket keeps receiving its order's
 * statuses; a syntax error leaves the runtime answering on the last good code; fixing it reloads.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { followToTerminal } from "../support/follow-order";
import { NO_THROTTLES, ROOT, startTestRuntime } from "@test-support/local-runtime";

let copy: string;
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;

/** packages/core and packages/functions copied; node_modules links to the repository's, but @awsomepets/* to the copies. */
function copyHandlerSources() {
  const dir = mkdtempSync(path.join(tmpdir(), "watch-copy-"));
  for (const pkg of ["core", "functions"]) {
    mkdirSync(path.join(dir, "packages", pkg), { recursive: true });
    cpSync(path.join(ROOT, "packages", pkg, "src"), path.join(dir, "packages", pkg, "src"), { recursive: true });
    cpSync(path.join(ROOT, "packages", pkg, "package.json"), path.join(dir, "packages", pkg, "package.json"));
    symlinkSync(path.join(ROOT, "packages", pkg, "node_modules"), path.join(dir, "packages", pkg, "node_modules"));
  }
  cpSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  cpSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  mkdirSync(path.join(dir, "node_modules", "@awsomepets"), { recursive: true });
  for (const entry of readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry !== "@awsomepets")
      symlinkSync(path.join(ROOT, "node_modules", entry), path.join(dir, "node_modules", entry));
  }
  for (const pkg of ["core", "functions"])
    symlinkSync(path.join(dir, "packages", pkg), path.join(dir, "node_modules", "@awsomepets", pkg));
  return dir;
}

beforeAll(async () => {
  copy = copyHandlerSources();
  // Statuses a few hundred milliseconds apart: the order is mid-saga while the code changes.
  runtime = await startTestRuntime({ watch: true, stepDelayMs: 300, throttles: NO_THROTTLES }, { root: copy });
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  rmSync(copy, { recursive: true, force: true });
});

const catalogueFile = () => path.join(copy, "packages/functions/src/orders/get-catalogue.ts");
const catalogue = async () => {
  const response = await fetch(`${runtime.state.endpoints.http}/catalogue`);
  return { status: response.status, body: (await response.json()) as Array<Record<string, unknown>> };
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function placeOrder() {
  const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
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

it("serves a saved edit at the next invocation, keeps serving through a syntax error, and keeps sockets and orders", async () => {
  // Prepare: an order mid-saga, followed over a socket
  const before = await catalogue();
  expect(before.status).toBe(200);
  expect(before.body[0]).not.toHaveProperty("reloaded");
  const order = await placeOrder();
  const followed = followToTerminal(order.clientCallbackUrl);
  const original = readFileSync(catalogueFile(), "utf8");

  // Act 1: an edit to a handler
  const edited = original.replace("...pet }) => pet)", "...pet }) => ({ ...pet, reloaded: true }))");
  expect(edited).not.toBe(original);
  let savedAt = performance.now();
  writeFileSync(catalogueFile(), edited);
  await until("the edit to be served", async () => ((await catalogue()).body[0]?.reloaded === true ? true : undefined));
  const reloadMs = Math.round(performance.now() - savedAt);

  // Assert 1: one log line names the function reloaded, and only it
  const reloaded = await until("the reload's log line", async () =>
    runtime.records.find((record) => record.component === "watch" && record.message.startsWith("reloaded")),
  );
  expect(reloaded).toMatchObject({
    message: "reloaded GetCatalogueFunction",
    files: ["packages/functions/src/orders/get-catalogue.ts"],
    saveToReadyMs: expect.any(Number),
  });

  // Act 2: a syntax error
  writeFileSync(
    catalogueFile(),
    edited.replace("export async function handler() {", "export async function handler() {{"),
  );
  const failure = await until("the build failure", async () =>
    runtime.records.find((record) => record.component === "watch" && record.message.startsWith("build failed")),
  );

  // Assert 2: one readable block naming the file, and the runtime answers with the last good code
  expect(failure.message).toMatch(/get-catalogue\.ts:\d+:\d+/);
  const during = await catalogue();
  expect(during.status).toBe(200);
  expect(during.body[0]?.reloaded).toBe(true);

  // Act 3: the fix (back to the original code)
  savedAt = performance.now();
  writeFileSync(catalogueFile(), original);
  await until("the fix to be served", async () =>
    (await catalogue()).body[0]?.reloaded === undefined ? true : undefined,
  );
  const fixMs = Math.round(performance.now() - savedAt);
  const reloads = await until("the second reload", async () => {
    const lines = runtime.records.filter(
      (record) => record.component === "watch" && record.message.startsWith("reloaded"),
    );
    return lines.length === 2 ? lines : undefined;
  });

  // Assert 3: the socket received every status of its order, which ran to its end
  expect((await followed).statuses.map((entry) => entry.status)).toEqual(["placed", "reserved", "paid", "completed"]);
  console.info(
    `save → first invocation on the new code: ${reloadMs} ms (edit), ${fixMs} ms (fix); save → warm (log): ${reloads.map((line) => line.saveToReadyMs).join(", ")} ms`,
  );
}, 90_000);
