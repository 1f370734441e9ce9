/** `npm run replay`: archive replay for a time range (see replay-options.ts and run-replay.ts). */
import { EventBridgeClient, type EventBridgeClientConfig } from "@aws-sdk/client-eventbridge";
import { type AwsCallContext, explainAwsError } from "../aws-error-message";
import { CommandError } from "../cli-errors";
import { processIo, runAsScript } from "../run-command";
import { localRuntime } from "./local-resources";
import { readReplayOptions, REPLAY_USAGE } from "./replay-options";
import { runReplay } from "./run-replay";
import { readStageOutputs, STACK_OUTPUTS, stageClientConfig, stageContext } from "./stack-outputs";

runAsScript("replay", REPLAY_USAGE, async () => {
  const options = readReplayOptions(process.argv.slice(2), { env: process.env, now: new Date() });
  const { target } = options;
  let where: { config: EventBridgeClientConfig; context: AwsCallContext; eventBusArn: string; eventArchiveArn: string };
  if (target.kind === "local") {
    const runtime = localRuntime();
    const endpoint = runtime.state.endpoints.events;
    where = { config: runtime.clientConfig(endpoint), context: runtime.context(endpoint), ...runtime.replayArns() };
  } else {
    const { Callbacks, Orders } = STACK_OUTPUTS;
    const { EventBusArn } = await readStageOutputs(target, "Callbacks", [Callbacks.eventBusArn]);
    const { EventArchiveArn } = await readStageOutputs(target, "Orders", [Orders.eventArchiveArn]);
    where = {
      config: stageClientConfig(target),
      context: stageContext(target, "EventBridge"),
      eventBusArn: EventBusArn,
      eventArchiveArn: EventArchiveArn,
    };
  }
  const client = new EventBridgeClient(where.config);
  try {
    return await runReplay({
      send: (command) => client.send(command),
      name: options.name,
      archiveArn: where.eventArchiveArn,
      eventBusArn: where.eventBusArn,
      from: options.from,
      to: options.to,
      wait: options.wait,
      out: processIo.out,
      ...(target.kind === "local" && {
        emptyHint: "the local archive holds the events received since `npm start` started; try a --from after that",
      }),
    });
  } catch (error) {
    throw new CommandError(explainAwsError(error, where.context));
  } finally {
    client.destroy();
  }
});
