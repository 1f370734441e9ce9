/**
 * StartReplay from an archive into its bus, then DescribeReplay until it ends (or, without `wait`,
 * for a few polls). The same code runs against AWS and the local EventBridge (packages/aws-local),
 * only the client's endpoint differs; `send` and `sleep` are injected for the unit tests.
 */
import {
  DescribeReplayCommand,
  StartReplayCommand,
  type DescribeReplayCommandOutput,
  type StartReplayCommandOutput,
} from "@aws-sdk/client-eventbridge";

/**
 * A client's `send`: replies are cast to the SDK's output types below (tests answer with stubs); the
 * command is `any` because `send`'s generic signature takes one command class, not a union of them.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Send = (command: any) => Promise<unknown>;

const ENDED = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
/** Without --wait: about ten seconds of polling, then the state as it is. */
export const POLLS_WITHOUT_WAIT = 5;
export const POLL_INTERVAL_MS = 2000;

export async function runReplay(options: {
  send: Send;
  name: string;
  archiveArn: string;
  eventBusArn: string;
  from: Date;
  to: Date;
  wait: boolean;
  out: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Said after "0 events", e.g. what the local archive holds. */
  emptyHint?: string;
}): Promise<number> {
  const { send, name, out } = options;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const started = (await send(
    new StartReplayCommand({
      ReplayName: name,
      EventSourceArn: options.archiveArn,
      EventStartTime: options.from,
      EventEndTime: options.to,
      Destination: { Arn: options.eventBusArn },
    }),
  )) as StartReplayCommandOutput;
  out(
    `replay ${name} started (${started.State}): events from ${options.from.toISOString()} to ${options.to.toISOString()} into ${options.eventBusArn}`,
  );
  let replay: DescribeReplayCommandOutput;
  for (let poll = 1; ; poll++) {
    replay = (await send(new DescribeReplayCommand({ ReplayName: name }))) as DescribeReplayCommandOutput;
    if (ENDED.has(replay.State ?? "") || (!options.wait && poll >= POLLS_WITHOUT_WAIT)) break;
    await sleep(POLL_INTERVAL_MS);
  }
  const reason = replay.StateReason ? ` (${replay.StateReason})` : "";
  out(`replay ${name}: ${replay.State}${reason}${replayedSoFar(replay, options)}`);
  if (!ENDED.has(replay.State ?? ""))
    out(`still going; see \`aws events describe-replay --replay-name ${name}\`, or run with --wait`);
  return replay.State === "FAILED" || replay.State === "CANCELLED" ? 1 : 0;
}

/**
 * How much was replayed. EventBridge reports no count, only when the last replayed event was
 * received: without that time, nothing in the window was replayed, which must not read as success.
 */
function replayedSoFar(replay: DescribeReplayCommandOutput, options: { from: Date; to: Date; emptyHint?: string }) {
  if (replay.EventLastReplayedTime)
    return `; events replayed up to ${replay.EventLastReplayedTime.toISOString()} (EventBridge reports no count)`;
  if (replay.State !== "COMPLETED") return "";
  return `; 0 events: the archive holds none received between ${options.from.toISOString()} and ${options.to.toISOString()}${options.emptyHint ? ` (${options.emptyHint})` : ""}`;
}
