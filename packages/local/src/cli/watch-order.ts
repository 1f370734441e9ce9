/**
 * `npm run watch-order`: prints an order's statuses as they arrive (stdout: one line per new status;
 * stderr: connection notes). Exits 0 once the order completed or
 * was cancelled with no status missing, or on Ctrl-C; 1 when the upgrade is refused, the link has
 * expired, or no connection opened in FIRST_CONNECT_ATTEMPTS tries (nothing listens at the URL).
 */
import { CommandError } from "./cli-errors";
import { localCallbackUrl } from "./local-callback-url";
import { readRunningRuntime } from "./local-runtime";
import { followOrderInTerminal } from "./order-watcher";
import { processIo, runAsScript } from "./run-command";
import { readWatchOrderOptions, WATCH_ORDER_USAGE } from "./watch-order-options";

runAsScript("watch-order", WATCH_ORDER_USAGE, async () => {
  const options = readWatchOrderOptions(process.argv.slice(2));
  const url = options.url ?? localCallbackUrl({ state: readRunningRuntime(), orderId: options.orderId });
  const watcher = followOrderInTerminal({ url, orderId: options.orderId, ...processIo });
  const stop = () => watcher.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const outcome = await watcher.done;
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (outcome.kind === "refused" || outcome.kind === "unreachable" || outcome.kind === "expired")
    throw new CommandError(outcome.message);
  if (outcome.kind === "finished")
    processIo.err(
      `order ${watcher.timeline.terminal?.status}; ${watcher.timeline.duplicatesDropped} duplicate(s) dropped`,
    );
});
