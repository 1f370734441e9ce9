/**
 * `npm start`: runs the callback microservice offline on this machine. Ctrl-C or SIGTERM stops it
 * cleanly (sockets closed with `$disconnect`, servers closed) and exits 0.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWebPage } from "@awsomepets/web/build";
import { readConfig } from "./runtime/config";
import { banner } from "./runtime/banner";
import { createLog } from "./runtime/log";
import { PortInUseError } from "@awsomepets/aws-local/http/listen";
import { startLocalRuntime } from "./runtime/start-runtime";
import { defaultStateFile } from "./runtime/state-file";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function main() {
  const config = readConfig(process.argv.slice(2), process.env);
  const log = createLog({ json: config.json });
  // The order tracker page, built for this origin (its API is on the same HTTP port).
  const webRoot = path.join(root, ".build", "web");
  await buildWebPage({ outDir: webRoot, apiUrl: "" });
  const runtime = await startLocalRuntime({ config, log, root, stateFile: defaultStateFile(root), webRoot });
  process.stdout.write(banner(runtime.state, config));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ component: "runtime", message: `${signal}: shutting down` });
    await runtime.close();
    log({ component: "runtime", message: "stopped" });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  if (error instanceof PortInUseError || (error instanceof Error && /must be a port|Unknown option|Unexpected argument/.test(error.message))) {
    process.stderr.write(`npm start: ${error.message}\n`);
  } else {
    process.stderr.write(`npm start failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
