/** `npm run callback-url`: prints a valid clientCallbackUrl for the running local stack. */
import { CALLBACK_URL_USAGE, readCallbackUrlOptions } from "./callback-url-options";
import { localCallbackUrl } from "./local-callback-url";
import { readRunningRuntime } from "./local-runtime";
import { processIo, runAsScript } from "./run-command";

runAsScript("callback-url", CALLBACK_URL_USAGE, async () => {
  const options = readCallbackUrlOptions(process.argv.slice(2));
  const state = readRunningRuntime();
  processIo.out(localCallbackUrl({ state, ...options }));
});
