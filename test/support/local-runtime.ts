/** Starts the local runtime in this test process on free ports, and opens sockets to it. */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import type { RuntimeConfig } from "@awsomepets/local/runtime/config";
import type { LogRecord } from "@awsomepets/local/runtime/log";
import { startLocalRuntime } from "@awsomepets/local/runtime/start-runtime";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TOKEN_SECRET = "local-runtime-test-secret-0123456789abcdef";
/** The stage `startTestRuntime` runs as, which its tokens are signed for. */
export const TEST_STAGE = "test";
/** For runs about something else than API Gateway's throttles, which their clients would exceed. */
const UNLIMITED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };
export const NO_THROTTLES: NonNullable<RuntimeConfig["throttles"]> = {
  http: UNLIMITED,
  webSocket: { default: UNLIMITED, routes: { $connect: UNLIMITED } },
};
/**
 * The edge's per-address rules raised to WAF's largest limit. Every client of a test process is one
 * address (127.0.0.1) placing far more orders in 5 minutes than a customer would, so runtimes started
 * here have these unless a test passes its own: the edge's tests pass `Topology.EDGE_RULES`.
 */
export const NO_EDGE_LIMITS: NonNullable<RuntimeConfig["edgeRules"]> = Tunables.edgeRulesOf({
  edgeOrdersPerAddress: Topology.WAF_MAX_RATE_LIMIT,
  edgeConnectsPerAddress: Topology.WAF_MAX_RATE_LIMIT,
  edgeRequestsPerAddress: Topology.WAF_MAX_RATE_LIMIT,
});

type RuntimeOptions = Parameters<typeof startLocalRuntime>[0];

export async function startTestRuntime(
  overrides: Partial<RuntimeConfig> = {},
  options: Pick<
    RuntimeOptions,
    | "stateFile"
    | "webRoot"
    | "buildWebPage"
    | "interceptTarget"
    | "functionTimeoutMs"
    | "overrideHandlers"
    | "gatewayFaults"
  > & { root?: string } = {},
) {
  // The handlers' own logs would drown the test report; the runtime's records are asserted on.
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  const records: LogRecord[] = [];
  const config: RuntimeConfig = {
    stage: TEST_STAGE,
    region: "us-east-1",
    ports: { http: 0, websocket: 0, events: 0, stepfunctions: 0, dynamodb: 0 },
    json: false,
    tokenSecret: TOKEN_SECRET,
    tokenSecretGenerated: false,
    retryBaseDelayMs: 5,
    edgeRules: NO_EDGE_LIMITS,
    ...overrides,
  };
  const runtime = await startLocalRuntime({
    config,
    log: (record) => records.push(record),
    ...options,
    root: options.root ?? ROOT,
  });
  return { ...runtime, records };
}

export function callbackUrl(
  websocketUrl: string,
  orderId: string,
  token = CallbackToken.sign({ orderId, stage: TEST_STAGE, secret: TOKEN_SECRET }),
) {
  return CallbackToken.callbackUrl({ websocketUrl, orderId, token });
}

/** A socket that collects its frames; `next(n)` waits until n frames have arrived. */
export async function openSocket(url: string) {
  const socket = new WebSocket(url);
  const frames: any[] = [];
  const waiters: Array<() => void> = [];
  socket.on("message", (data) => {
    frames.push(JSON.parse(String(data)));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return {
    socket,
    frames,
    closed,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    next: async (count: number, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < count) {
        if (Date.now() > deadline)
          throw new Error(`Timed out waiting for ${count} frames; got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return frames.slice(0, count);
    },
    close: () => socket.close(),
  };
}

/** Waits until the server holds `count` statuses of the order (the callback records them asynchronously). */
export async function untilRecorded(url: string, count: number) {
  const probe = await openSocket(url);
  try {
    for (let asked = 1; !probe.frames.some((f) => f.type === "synced" && f.lastSeq >= count); asked++) {
      if (asked > 100) throw new Error(`The server never held ${count} statuses: ${JSON.stringify(probe.frames)}`);
      probe.send({ action: "sync" });
      await probe.next(probe.frames.length + 1);
      await new Promise((resolve) => setTimeout(resolve, 500)); // within the socket's 2 messages a second
    }
  } finally {
    probe.close();
  }
}

/** The HTTP status with which the server refused an upgrade. */
export function refusedStatus(url: string) {
  return new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("open", () => reject(new Error("the socket opened")));
    socket.once("error", () => {});
  });
}

export const newOrderId = () => randomUUID();

/**
 * Another socket that keeps the stage's message bucket (API Gateway's route throttle) empty, as a
 * reconnect wave of a few hundred sockets does on AWS: a sync every 5 ms until `stop()`. `admitted`
 * resolves once one of its syncs was answered with every status up to `lastSeq`: with a burst of 1
 * the bucket has just been emptied, and stays so while the flood goes on.
 */
export async function floodSyncs(url: string, lastSeq: number) {
  const socket = new WebSocket(url);
  let admit!: () => void;
  const admitted = new Promise<void>((resolve) => (admit = resolve));
  socket.on("message", (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === "synced" && frame.lastSeq >= lastSeq) admit();
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const timer = setInterval(() => socket.send(JSON.stringify({ action: "sync" })), 5);
  return {
    admitted,
    stop: () => {
      clearInterval(timer);
      socket.close();
    },
  };
}
