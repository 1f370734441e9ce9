import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { CommandError } from "../../src/cli/cli-errors";
import {
  isProcessAlive,
  localStateFile,
  NO_RUNTIME_MESSAGE,
  readRunningRuntime,
  REPO_ROOT,
} from "../../src/cli/local-runtime";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cli-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state = (pid: number) => ({
  pid,
  stage: "local",
  region: "us-east-1",
  endpoints: {
    http: "h",
    websocket: "ws://127.0.0.1:1/local",
    management: "m",
    events: "http://127.0.0.1:2",
    dynamodb: "d",
  },
  eventBusName: "local-awsomepets-callbacks-OrderEventBus",
  tokenSecret: "x".repeat(40),
});

it("finds the state file under the repository root unless LOCAL_RUNTIME_STATE_FILE moves it", () => {
  expect(localStateFile({})).toBe(path.join(REPO_ROOT, ".sst", "local", "runtime.json"));
  expect(localStateFile({ LOCAL_RUNTIME_STATE_FILE: "/elsewhere.json" })).toBe("/elsewhere.json");
});

it("reads the state of a running runtime", () => {
  // Prepare
  const file = path.join(dir, "runtime.json");
  writeFileSync(file, JSON.stringify(state(process.pid)));
  // Act
  const read = readRunningRuntime(file);
  // Assess
  expect(read.eventBusName).toBe("local-awsomepets-callbacks-OrderEventBus");
});

it("says no runtime is running for a missing file, an unreadable one, or one left by a dead process", () => {
  // Prepare
  const missing = path.join(dir, "missing.json");
  const garbage = path.join(dir, "garbage.json");
  const stale = path.join(dir, "stale.json");
  writeFileSync(garbage, "{");
  writeFileSync(stale, JSON.stringify(state(12345)));
  // Act / Assess
  for (const file of [missing, garbage])
    expect(() => readRunningRuntime(file)).toThrow(new CommandError(NO_RUNTIME_MESSAGE));
  expect(() => readRunningRuntime(stale, () => false)).toThrow(NO_RUNTIME_MESSAGE);
  expect(() => readRunningRuntime(stale, () => true)).not.toThrow();
});

it("tells a live process from a dead one", () => {
  expect(isProcessAlive(process.pid)).toBe(true);
  expect(isProcessAlive(2 ** 22 + 1)).toBe(false);
});
