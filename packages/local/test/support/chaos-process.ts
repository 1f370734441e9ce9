/**
 * `npm start --data-dir <dir> --json` as a child process, for the crash chaos run: `crash()` SIGKILLs
 * the runtime (node itself, not npm, so nothing gets to shut down cleanly) and starts it again on the
 * same data dir and ports, as a developer's machine would be after a crash. Every JSON log line of
 * every run is kept, so dead letters and redeliveries are counted across crashes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { LogRecord } from "../../src/runtime/log";
import { readState, type RuntimeState } from "../../src/runtime/state-file";
import { gone, isAlive, startProcess } from "./process";

/** Ports that were free a moment ago, so that every restart binds the same ones. */
async function freePorts(count: number) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const READY = /"component":"runtime","message":"ready"/;

export async function startCrashableRuntime(options: { env?: Record<string, string> } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "chaos-data-"));
  const [http, websocket, events, dynamodb, stepfunctions] = await freePorts(5);
  const env = {
    LOCAL_HTTP_PORT: String(http),
    LOCAL_WS_PORT: String(websocket),
    LOCAL_EVENTS_PORT: String(events),
    LOCAL_DYNAMODB_PORT: String(dynamodb),
    LOCAL_SFN_PORT: String(stepfunctions),
    // Only the runtime's own lines: the handlers' would multiply the output to parse.
    POWERTOOLS_LOG_LEVEL: "WARN",
    ...options.env,
  };
  const records: LogRecord[] = [];
  const startupsMs: number[] = [];
  let child: ReturnType<typeof startProcess>;
  let state: RuntimeState;
  /** Set when the runtime exits without being killed or stopped here: why the run cannot go on. */
  let diedOnItsOwn: string | undefined;
  let killing = false;

  const start = async () => {
    const began = Date.now();
    const started = startProcess({ via: "npm", args: ["--data-dir", dataDir, "--json"], env });
    child = started;
    void started.exited.then((code) => {
      if (killing || child !== started) return;
      const { stderr, stdout } = started.output();
      diedOnItsOwn = `npm start exited by itself (code ${code}); its last output:\n${(stderr || stdout).slice(-2_000)}`;
    });
    await child.waitFor(READY, 60_000);
    state = readState(child.stateFile)!;
    startupsMs.push(Date.now() - began);
  };
  /** Keeps the finished run's JSON lines. */
  const collect = () => {
    for (const line of child.output().stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        records.push(JSON.parse(line) as LogRecord);
      } catch {
        // a line cut by the kill
      }
    }
  };
  await start();

  return {
    dataDir,
    get state() {
      return state;
    },
    records,
    startupsMs,
    /** The running process's output so far (its length tells whether it is still working). */
    output: () => child.output().stdout,
    /** Why the runtime is gone, if it died without a SIGKILL from here (then nothing will restart it). */
    get diedOnItsOwn() {
      return diedOnItsOwn;
    },
    /** SIGKILL the runtime, wait `downMs`, start it again on the same data dir and ports. */
    async crash(downMs: number) {
      records.push({ component: "chaos", message: "SIGKILL", time: new Date().toISOString(), pid: state.pid });
      killing = true;
      process.kill(state.pid, "SIGKILL");
      await child.exited;
      killing = false;
      if (!(await gone(state.pid))) throw new Error(`npm start (pid ${state.pid}) survived SIGKILL`);
      collect();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async stop() {
      killing = true;
      if (isAlive(state.pid)) process.kill(state.pid, "SIGTERM");
      await child.exited;
      collect();
      rmSync(dataDir, { recursive: true, force: true });
    },
    /** Last resort for a failed test: nothing of this run may outlive it. */
    kill() {
      killing = true;
      if (isAlive(state.pid)) process.kill(state.pid, "SIGKILL");
      child.kill();
    },
  };
}
