/**
 * `npm start`: runs the callback microservice offline on this machine. SIGINT or SIGTERM (to node, or
 * to npm, which passes it on) stops it cleanly — sockets closed with `$disconnect`, every port freed —
 * and exits 0. See START_USAGE for options and exit codes.
 */
import inspector from "node:inspector";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PortInUseError } from "@awsomepets/aws-local/http/listen";
import { CommandError } from "./cli/cli-errors";
import { runCommand } from "./cli/run-command";
import { banner } from "./runtime/banner";
import { readConfig, START_USAGE } from "./runtime/config";
import { claimDataDir } from "./runtime/data-dir-lock";
import { createLog, type Log } from "./runtime/log";
import { preflight } from "./runtime/preflight";
import { startLocalRuntime, type LocalRuntime } from "./runtime/start-runtime";
import { defaultStateFile, StateFileTakenError } from "./runtime/state-file";
import { resolveTokenSecret } from "./runtime/token-secret";
import { webPage, webPageDir } from "./runtime/web-page";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** Past this, a shutdown that hangs is cut short (exit 1) rather than keep the ports. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
/**
 * With a debugger attached, each function may sit on a breakpoint this long: Lambda's longest
 * timeout (as `sst dev --increase-timeout` does), not its own few seconds, after which its
 * execution environment — the thread being debugged — would be discarded.
 */
const DEBUG_FUNCTION_TIMEOUT_MS = 900_000;

/**
 * The Node inspector on this process; the execution environments (worker threads) show through it as
 * workers, each with its handler's bundle and the bundle's inline source map.
 */
function openInspector(port: number, log: Log) {
  // Launched by a debugger (VS Code's launch configuration): its inspector is already open.
  const existing = inspector.url();
  if (existing)
    return log({
      component: "runtime",
      message: `already under a debugger (${existing}): --inspect opens no other port`,
    });
  try {
    inspector.open(port, "127.0.0.1");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_INSPECTOR_ALREADY_ACTIVATED") throw error;
  }
  // Node prints "address already in use" itself and opens nothing: then there is no URL.
  const url = inspector.url();
  if (!url)
    throw new CommandError(
      `--inspect: could not listen on 127.0.0.1:${port} (in use? pick another with --inspect=<port>)`,
    );
  log({
    component: "runtime",
    message: `debugger listening on ${url}: attach VS Code or open chrome://inspect`,
    inspectPort: Number(new URL(url).port),
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const config = resolveTokenSecret(readConfig(process.argv.slice(2), process.env));
  const stateFile = defaultStateFile(root);
  await preflight(config.ports, stateFile);
  if (config.dataDir) claimDataDir(config.dataDir);
  const log = createLog({ json: config.json });
  if (config.inspectPort !== undefined) openInspector(config.inspectPort, log);
  let runtime: LocalRuntime;
  try {
    // The page is built while the other endpoints start, once the gateway's URL (its port may be 0) is known.
    runtime = await startLocalRuntime({
      config,
      log,
      root,
      stateFile,
      webRoot: webPageDir(root),
      warm: "background",
      buildWebPage: (websocketUrl) => webPage(root, websocketUrl),
      ...(config.inspectPort !== undefined ? { functionTimeoutMs: DEBUG_FUNCTION_TIMEOUT_MS } : {}),
    });
  } catch (error) {
    // Lost a race with another process between the preflight and listen: still one line.
    if (error instanceof PortInUseError || error instanceof StateFileTakenError) throw new CommandError(error.message);
    throw error;
  }
  process.stdout.write(banner(runtime.state, config));
  // Since node started: loading the modules, then each phase of startLocalRuntime.
  log({
    component: "runtime",
    message: "ready",
    sinceProcessStartMs: Math.round(performance.now()),
    modulesMs: Math.round(started),
    phasesMs: runtime.startupMs,
  });
  return untilStopped(runtime, log);
}

/** Resolves with the exit code once a signal (or the parent's exit) has stopped everything. */
function untilStopped(runtime: LocalRuntime, log: Log) {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (reason: string) => {
      if (stopping) {
        log({ component: "runtime", message: `${reason} again: exiting without waiting` });
        return resolve(1);
      }
      stopping = true;
      log({ component: "runtime", message: `${reason}: shutting down` });
      const timeout = setTimeout(() => {
        log({ component: "runtime", message: `shutdown took over ${SHUTDOWN_TIMEOUT_MS / 1000}s: exiting` });
        resolve(1);
      }, SHUTDOWN_TIMEOUT_MS);
      timeout.unref();
      await runtime.close();
      log({ component: "runtime", message: "stopped" });
      resolve(0);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGHUP", () => void stop("SIGHUP"));
    // If whatever started us (npm, a shell, an IDE) dies without passing a signal on, we are
    // re-parented: stop rather than linger as an orphan holding every port.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void stop("parent process exited");
    }, 500).unref();
  });
}

void runCommand("npm start", START_USAGE, main).then((code) => process.exit(code));
