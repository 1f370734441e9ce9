/**
 * `npm start -- --inspect`: the Node inspector on the runtime process lists the execution environments
 * (worker threads) as workers, and each handler's bundle is parsed with an inline source map whose
 * sources are the TypeScript files under packages/functions/src and packages/core/src; an invocation
 * paused on a breakpoint may outlast its function's own timeout.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { afterEach, expect, it } from "vitest";
import { startProcess } from "./support/process";
import { ROOT } from "@test-support/local-runtime";

let started: ReturnType<typeof startProcess> | undefined;
let inspectorClient: { close(): void } | undefined;
afterEach(async () => {
  inspectorClient?.close();
  inspectorClient = undefined;
  started?.child.kill("SIGTERM");
  await started?.exited;
  started = undefined;
});

type ScriptParsed = { url: string; sourceMapURL?: string; sessionId: string };

/** A minimal CDP client over the inspector's WebSocket: requests by id, events to a listener. */
async function connect(url: string, onEvent: (method: string, params: any) => void) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
    else onEvent(message.method, message.params);
  });
  const send = (method: string, params: object = {}) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

it("lists the handlers' bundles in the workers, with source maps to the TypeScript sources; a breakpoint may hold past the timeout", async () => {
  // Prepare: the runtime with an inspector on a free port, and one invocation of GetCatalogueFunction
  started = startProcess({ via: "node", args: ["--inspect=0"] });
  const [, port] = await started.waitFor(/debugger listening on .* inspectPort=(\d+)/);
  const state = await started.ready();
  expect((await fetch(`${state.endpoints.http}/catalogue`)).status).toBe(200);

  // Act: attach to the process, then to each worker, with the debugger enabled in it
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const scripts: ScriptParsed[] = [];
  const paused: string[] = [];
  let client: Awaited<ReturnType<typeof connect>> | undefined;
  let workerMessageId = 1;
  const toWorker = (sessionId: string, method: string, params: object = {}) =>
    client!.send("NodeWorker.sendMessageToWorker", {
      sessionId,
      message: JSON.stringify({ id: workerMessageId++, method, params }),
    });
  client = await connect(targets[0]!.webSocketDebuggerUrl, (method, params) => {
    if (method === "NodeWorker.attachedToWorker") void toWorker(params.sessionId, "Debugger.enable");
    else if (method === "NodeWorker.receivedMessageFromWorker") {
      const inner = JSON.parse(params.message);
      if (inner.method === "Debugger.scriptParsed") scripts.push({ ...inner.params, sessionId: params.sessionId });
      if (inner.method === "Debugger.paused") paused.push(params.sessionId);
    }
  });
  inspectorClient = client;
  await client.send("NodeWorker.enable", { waitForDebuggerOnStart: false });
  const deadline = Date.now() + 15_000;
  const catalogueScript = () => scripts.find((script) => script.url.endsWith("/orders/get-catalogue.mjs"));
  while (!catalogueScript() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

  // Assert: the handler's bundle is there, its source map inline, naming the repository's sources
  const script = catalogueScript();
  expect(script, `scripts seen: ${scripts.map((s) => s.url).join(", ")}`).toBeDefined();
  expect(script!.sourceMapURL).toMatch(/^data:application\/json;base64,/);
  const map = JSON.parse(Buffer.from(script!.sourceMapURL!.split(",")[1]!, "base64").toString()) as {
    sources: string[];
    sourcesContent: string[];
  };
  const bundleDir = path.dirname(fileURLToPath(script!.url));
  const sources = map.sources.map((source) => path.resolve(bundleDir, source));
  expect(sources).toContain(path.join(ROOT, "packages/functions/src/orders/get-catalogue.ts"));
  expect(sources).toContain(path.join(ROOT, "packages/core/src/orders/catalogue.ts"));
  expect(map.sourcesContent).toHaveLength(map.sources.length);

  // Act 2: a breakpoint on the handler's return, held past the function's own 5 s timeout
  const bundleLines = readFileSync(fileURLToPath(script!.url), "utf8").split("\n");
  const lineNumber = bundleLines.findIndex((line) => line.includes("return json("));
  expect(lineNumber).toBeGreaterThan(0);
  await toWorker(script!.sessionId, "Debugger.setBreakpointByUrl", { url: script!.url, lineNumber });
  const request = fetch(`${state.endpoints.http}/catalogue`);
  while (paused.length === 0 && Date.now() < deadline + 15_000) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(paused).toEqual([script!.sessionId]);
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  await toWorker(script!.sessionId, "Debugger.resume");

  // Assert 2: with --inspect the invocation outlives its declared timeout and answers
  expect((await request).status).toBe(200);
}, 60_000);
