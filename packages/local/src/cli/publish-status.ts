/**
 * `npm run publish-status`: publishes "Order Status Changed" events to the local runtime's bus
 * (default) or a deployed stage's bus, with the real EventBridge client. See PUBLISH_STATUS_USAGE.
 */
import { readFileSync } from "node:fs";
import { explainAwsError } from "./aws-error-message";
import { CommandError } from "./cli-errors";
import { openEventBusTarget } from "./event-bus-target";
import { publishDetails } from "./publish-details";
import { PUBLISH_STATUS_USAGE, readPublishOptions } from "./publish-status-options";
import { processIo, runAsScript } from "./run-command";

runAsScript("publish-status", PUBLISH_STATUS_USAGE, async () => {
  const options = readPublishOptions(process.argv.slice(2), {
    env: process.env,
    now: new Date(),
    readFile: (file) => readFileSync(file, "utf8"),
  });
  const target = await openEventBusTarget(options.target);
  try {
    const ok = await publishDetails({
      details: options.details,
      eventBusName: target.eventBusName,
      send: (command) => target.client.send(command),
      ...processIo,
    });
    return ok ? 0 : 1;
  } catch (error) {
    throw new CommandError(explainAwsError(error, target.context));
  } finally {
    target.client.destroy();
  }
});
