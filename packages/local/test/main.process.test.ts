/**
 * `npm start` as a process, through npm and straight with node: on SIGINT or SIGTERM it closes
 * sockets with `$disconnect`, frees every port, leaves no process behind and exits 0; a failed start
 * names every taken port and a runtime already running, in lines without stack traces.
 */
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { canListen, gone, portsOf, SECRET, startProcess, type Via } from "./support/process";
import { callbackUrl, newOrderId, openSocket } from "@test-support/local-runtime";

const signals = [
  ["SIGINT", "npm"],
  ["SIGTERM", "npm"],
  ["SIGINT", "node"],
  ["SIGTERM", "node"],
] as const;

describe.each(signals)("%s sent to %s", (signal, target) => {
  it("closes sockets with $disconnect, frees every port, leaves no process and exits 0", async () => {
    // Prepare
    const started = startProcess({ via: "npm" });
    try {
      const state = await started.ready();
      const orderId = newOrderId();
      const client = await openSocket(
        callbackUrl(
          state.endpoints.websocket,
          orderId,
          CallbackToken.sign({ orderId, stage: state.stage, secret: SECRET }),
        ),
      );
      // Act
      process.kill(target === "npm" ? started.child.pid! : state.pid, signal);
      const code = await started.exited;
      // Assess
      expect(code).toBe(0);
      expect((await client.closed).code).toBeGreaterThan(0);
      expect(started.output().stdout).toMatch(/\$disconnect → OrderWSDisconnectFunction/);
      expect(started.output().stdout).toMatch(new RegExp(`${signal}: shutting down[\\s\\S]*stopped`));
      expect(await gone(state.pid)).toBe(true);
      expect(await Promise.all(portsOf(state).map(canListen))).toEqual(portsOf(state).map(() => true));
    } finally {
      started.kill();
    }
  }, 90_000);
});

it("stops, rather than linger as an orphan, when npm is killed outright", async () => {
  // Prepare
  const started = startProcess({ via: "npm" });
  try {
    const state = await started.ready();
    // Act
    started.child.kill("SIGKILL");
    // Assess
    expect(await gone(state.pid)).toBe(true);
    expect(await Promise.all(portsOf(state).map(canListen))).toEqual(portsOf(state).map(() => true));
  } finally {
    started.kill();
  }
}, 90_000);

async function blockPort(): Promise<[Server, number]> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  return [blocker, (blocker.address() as AddressInfo).port];
}

it("names every taken port at once, exits 1, no stack trace", async () => {
  // Prepare
  const [events, eventsPort] = await blockPort();
  const [dynamodb, dynamodbPort] = await blockPort();
  try {
    // Act
    const started = startProcess({
      env: { LOCAL_EVENTS_PORT: String(eventsPort), LOCAL_DYNAMODB_PORT: String(dynamodbPort) },
    });
    const code = await started.exited;
    // Assess
    expect(code).toBe(1);
    expect(started.output().stderr.trim()).toBe(
      `npm start: Ports already in use: ${eventsPort} (EventBridge endpoint: --events-port or LOCAL_EVENTS_PORT), ` +
        `${dynamodbPort} (DynamoDB API: --dynamodb-port or LOCAL_DYNAMODB_PORT). Choose free ports (0 picks any).`,
    );
  } finally {
    events.close();
    dynamodb.close();
  }
}, 60_000);

it("names a runtime already running and leaves its state file alone", async () => {
  // Prepare: a state file owned by a live process (this test's).
  const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "runtime-")), "runtime.json");
  const owner = {
    pid: process.pid,
    stage: "local",
    region: "us-east-1",
    endpoints: { http: "http://127.0.0.1:3999" },
    eventBusName: "b",
    tables: [],
    tokenSecret: "s",
  };
  writeFileSync(stateFile, JSON.stringify(owner));
  // Act
  const second = startProcess({ env: { LOCAL_RUNTIME_STATE_FILE: stateFile } });
  const code = await second.exited;
  // Assess
  expect(code).toBe(1);
  expect(second.output().stderr).toMatch(
    new RegExp(`^npm start: Another npm start is running \\(pid ${process.pid}, stage local, http://127.0.0.1:3999;`),
  );
  expect(second.output().stderr).not.toMatch(/\n\s+at /);
  expect(JSON.parse(readFileSync(stateFile, "utf8"))).toEqual(owner);
}, 60_000);

it.each<[string, Via]>([
  ["--help", "npm"],
  ["-h", "node"],
])(
  "%s through %s prints the usage and exits 0",
  async (flag, via) => {
    // Act
    const started = startProcess({ via, args: [flag] });
    const code = await started.exited;
    // Assess
    expect(code).toBe(0);
    expect(started.output().stdout).toMatch(/^Usage: npm start -- \[options\][\s\S]*--data-dir[\s\S]*Exit codes:/);
  },
  60_000,
);

it.each([
  [["--bogus"], /^npm start: Unknown option '--bogus'[\s\S]*Usage: npm start/],
  [
    ["--token-secret", "x"],
    /^npm start: --token-secret is not accepted: a secret on the command line is visible in `ps`/,
  ],
  [["--step-delay", "soon"], /^npm start: --step-delay must be a duration/],
])(
  "%j is a usage error (exit 2) that says what is valid",
  async (args, message) => {
    // Act
    const started = startProcess({ args });
    const code = await started.exited;
    // Assess
    expect(code).toBe(2);
    expect(started.output().stderr).toMatch(message);
    expect(started.output().stderr).not.toMatch(/\n\s+at /);
  },
  60_000,
);
