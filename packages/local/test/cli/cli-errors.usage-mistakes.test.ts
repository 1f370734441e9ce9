/**
 * The mistakes a newcomer makes first, each run as a process: one sentence on stderr (what is
 * wrong and what to do), no stack trace, and the documented exit code (2 usage, 1 the world is not
 * as needed). Also: with --json, stdout holds JSON lines only.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DATA_DIR_LOCK } from "../../src/runtime/data-dir-lock";
import { startProcess } from "../support/process";
import { ROOT } from "../support/cli";

const NODE = path.join(ROOT, "node_modules", ".bin", "node");
const BRANCH = "feature/jira-1234-add-order-status-cb-v2";
const NO_STACK = /\n\s+at /;

/** A script as `npm run` starts it (through tsx, in one process so that a timeout kills all of it), to its end. */
function run(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(NODE, ["--import", "tsx", script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function startAndWait(options: Parameters<typeof startProcess>[0]) {
  const started = startProcess(options);
  const code = await started.exited;
  return { code, ...started.output() };
}

function expectOneLine(result: { code: number | null; stderr: string }, code: number, line: RegExp) {
  expect(result.stderr).not.toMatch(NO_STACK);
  expect(result.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(line)]);
  expect(result.code).toBe(code);
}

describe("a stage name that AWS cannot take", () => {
  it.each([
    [
      "npm start",
      ["--stage", BRANCH],
      /^npm start: --stage "feature\/jira-1234-add-order-status-cb-v2" is not a stage name: .* Try --stage feature-jira-1234-add-order-status-cb-v2$/,
    ],
    [
      "npm start",
      ["--stage", "s".repeat(104)],
      /^npm start: --stage is 104 characters long; at most 97 fit, as CloudFormation limits the stack name .* Try --stage s{97}$/,
    ],
  ])(
    "%s %j: exit 2 and the name to try",
    async (_command, args, line) => {
      expectOneLine(await startAndWait({ args }), 2, line);
    },
    60_000,
  );

  it("npm start with LOCAL_STAGE=feature/x: exit 2, the suggestion as a variable", async () => {
    expectOneLine(
      await startAndWait({ env: { LOCAL_STAGE: "feature/x" } }),
      2,
      /^npm start: LOCAL_STAGE "feature\/x" is not a stage name: .* Try LOCAL_STAGE=feature-x$/,
    );
  }, 60_000);

  it.each([
    [
      "scripts/synth.ts",
      ["--stage", "feature/x"],
      /^synth: --stage "feature\/x" is not a stage name: .* Try --stage feature-x$/,
    ],
    ["scripts/synth.ts", ["--stage", "s".repeat(100)], /^synth: --stage is 100 characters long; at most 97 fit/],
    [
      "scripts/deploy.ts",
      ["--stage", BRANCH],
      /^deploy: --stage "feature\/jira-1234-add-order-status-cb-v2" is not a stage name: .* Try --stage feature-jira-1234-add-order-status-cb-v2$/,
    ],
    [
      "packages/local/src/cli/ops/pending.ts",
      ["--stage", BRANCH],
      /^pending: --stage "feature\/jira-1234-add-order-status-cb-v2" is not a stage name/,
    ],
    [
      "packages/local/src/cli/ops/erase-order.ts",
      ["--stage", BRANCH, "--order-id", "3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f"],
      /^erase-order: --stage "feature\/jira-1234-add-order-status-cb-v2" is not a stage name/,
    ],
    [
      "packages/local/src/cli/publish-status.ts",
      ["--stage", "a_b", "--order-id", "3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f", "--status", "placed"],
      /^publish-status: --stage "a_b" is not a stage name: .* Try --stage a-b$/,
    ],
  ])(
    "%s %j: exit 2 before anything is built or called",
    async (script, args, line) => {
      expectOneLine(await run(script, args), 2, line);
    },
    60_000,
  );
});

it("npm start --step-delay 2: exit 2, asking for the unit", async () => {
  expectOneLine(
    await startAndWait({ args: ["--step-delay", "2"] }),
    2,
    /^npm start: --step-delay must be a duration .*got "2" \(a unit is required: 2ms or 2s\?\)$/,
  );
}, 60_000);

it.each([
  ["--inspect=abc", "abc"],
  ["--inspect=70000", "70000"],
])(
  "npm start %s: exit 2, one line naming the port wanted",
  async (arg, value) => {
    expectOneLine(
      await startAndWait({ args: [arg] }),
      2,
      new RegExp(`^npm start: --inspect must be a port number \\(0-65535\\), as in --inspect=9230, got "${value}"$`),
    );
  },
  60_000,
);

it("npm start with a tunable out of range (SYNC_BURST=1000): exit 2, the variable, its value and what is allowed", async () => {
  expectOneLine(
    await startAndWait({ env: { SYNC_BURST: "1000" } }),
    2,
    /^npm start: SYNC_BURST="1000" is not allowed: it must be a whole number of messages per socket from 2 to 100 \(default 5\); the message bucket needs room for two messages to tell a streak of refusals apart$/,
  );
}, 60_000);

it("a second npm start on the same --data-dir: exit 1, naming the one that has it; the first runs on", async () => {
  // Prepare
  const dataDir = mkdtempSync(path.join(tmpdir(), "data-dir-lock-"));
  const first = startProcess({ args: ["--data-dir", dataDir] });
  try {
    const state = await first.ready();
    expect(existsSync(path.join(dataDir, DATA_DIR_LOCK))).toBe(true);
    // Act
    const second = await startAndWait({ args: ["--data-dir", dataDir] });
    // Assess
    expectOneLine(
      second,
      1,
      new RegExp(
        `^npm start: Another npm start \\(pid ${state.pid}\\) is using --data-dir ${dataDir}\\. Stop it first .*another --data-dir\\.$`,
      ),
    );
    expect((await fetch(`${state.endpoints.http}/health`)).status).toBe(200);
  } finally {
    first.child.kill("SIGTERM");
    await first.exited;
  }
  // The first one, stopped, released the folder.
  expect(existsSync(path.join(dataDir, DATA_DIR_LOCK))).toBe(false);
  rmSync(dataDir, { recursive: true, force: true });
}, 90_000);

it("npm start --json: stdout holds JSON lines only, the banner one of them, without the token secret", async () => {
  // Prepare
  const started = startProcess({ args: ["--json"] });
  try {
    // Act
    await started.waitFor(/"message":"ready"/);
    const lines = started.output().stdout.trimEnd().split("\n");
    // Assess
    const records = lines.map((line) => JSON.parse(line));
    expect(records.find((r) => r.message === "endpoints")).toMatchObject({
      component: "runtime",
      stage: "local",
      endpoints: { http: expect.stringMatching(/^http:/) },
    });
    expect(started.output().stdout).not.toContain("process-test-secret");
  } finally {
    started.child.kill("SIGTERM");
    await started.exited;
  }
}, 60_000);

it("watch-order --url where nothing listens: a few tries, then exit 1 with what is wrong", async () => {
  // Prepare
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // Act
  const result = await run("packages/local/src/cli/watch-order.ts", [
    "--url",
    `ws://127.0.0.1:${port}/local?orderId=3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f&token=t`,
  ]);
  // Assess: the retries' notes, then one sentence
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(NO_STACK);
  expect(result.stderr.trimEnd().split("\n").at(-1)).toMatch(
    new RegExp(
      `^watch-order: cannot connect to ws://127\\.0\\.0\\.1:${port}/local \\(connect ECONNREFUSED .*; 5 tries over .* s\\): is \`npm start\` running, and is the URL right\\?$`,
    ),
  );
}, 60_000);
