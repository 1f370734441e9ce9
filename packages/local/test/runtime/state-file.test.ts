/**
 * The state file's owner check: a runtime killed with SIGKILL and not yet reaped by its parent (a
 * zombie: signal 0 still finds it) does not refuse the next `npm start` (issue 24, item 7).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  isAlive,
  isZombie,
  readState,
  StateFileTakenError,
  writeState,
  type RuntimeState,
} from "../../src/runtime/state-file";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "state-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state = (pid: number): RuntimeState => ({
  pid,
  stage: "local",
  region: "us-east-1",
  endpoints: { http: "h", websocket: "w", management: "m", events: "e", dynamodb: "d", stepfunctions: "s" },
  eventBusName: "bus",
  tables: [],
  tokenSecret: "x".repeat(40),
});

async function until(condition: () => boolean, what: string) {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 1000) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A process killed and never reaped: `sh` starts a background `sleep`, prints its pid and becomes
 * (exec) a `sleep` itself, which never waits for its child; the child, killed, stays a zombie until
 * its parent goes. Returns the zombie's pid and its parent, still running.
 */
async function zombie() {
  const parent = spawn("sh", ["-c", "sleep 1000 & echo $!; exec sleep 1000"], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once("data", (data) => resolve(Number(String(data).trim())));
    parent.once("error", reject);
  });
  // Killed before the exec, the child would be reaped by the shell (it reaps between commands).
  await until(
    () => readFileSync(`/proc/${parent.pid}/comm`, "utf8").trim() === "sleep",
    `pid ${parent.pid} to exec sleep`,
  );
  process.kill(pid, "SIGKILL");
  await until(() => isZombie(pid), `pid ${pid} to become a zombie`); // a kill is delivered asynchronously
  return { pid, parent };
}

describe.runIf(process.platform === "linux")("a runtime killed but not yet reaped", () => {
  it("is not alive, and its state file is taken over", async () => {
    // Prepare: a zombie owns the state file
    const { pid, parent } = await zombie();
    try {
      const file = path.join(dir, "runtime.json");
      writeFileSync(file, JSON.stringify(state(pid)));
      expect(() => process.kill(pid, 0)).not.toThrow(); // what made it look alive
      // Act
      writeState(file, state(process.pid));
      // Assess
      expect(isAlive(pid)).toBe(false);
      expect(readState(file)?.pid).toBe(process.pid);
      // …while a live owner (the zombie's parent, still sleeping) is refused as before
      writeFileSync(file, JSON.stringify(state(parent.pid!)));
      expect(isAlive(parent.pid!)).toBe(true);
      expect(() => writeState(file, state(process.pid))).toThrow(StateFileTakenError);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});

describe("isZombie", () => {
  const stat = (pid: number, text: string) => {
    mkdirSync(path.join(dir, String(pid)));
    writeFileSync(path.join(dir, String(pid), "stat"), text);
  };

  it("reads the state after the command's last parenthesis, and says no where there is no /proc entry", () => {
    stat(1, "1 (node) S 0 1 1 0 -1");
    stat(2, "2 (a) Z (b) R 1 2 2 0 -1"); // a command named `a) Z (b`
    stat(3, "3 (sleep) Z 1 3 3 0 -1");
    stat(4, "4 (sleep) X 1 4 4 0 -1");
    stat(5, "garbage");
    expect([1, 2, 3, 4, 5, 6].map((pid) => isZombie(pid, dir))).toEqual([false, false, true, true, false, false]);
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2 ** 22 + 1)).toBe(false);
  });
});
