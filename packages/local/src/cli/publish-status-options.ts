/**
 * `publish-status` arguments → the details to publish and where to publish them. Pure apart from
 * the injected `readFile`, so that every argument rule is unit-tested without a process.
 */
import type * as OrderStatus from "@awsomepets/core/status/event";
import { HelpRequested, UsageError } from "./cli-errors";
import { parseFlags } from "./parse-flags";
import { parseStage } from "./stage-option";
import { detailFromFlags, detailsFromFile } from "./status-details";

export const PUBLISH_STATUS_USAGE = `Usage:
  npm run publish-status -- --order-id <uuid> --status <status> [--reason <text>] [--amount-paid <n>] [--occurred-at <ISO-8601>] [target]
  npm run publish-status -- --file <events.json> [target]
target (default --local):
  --local [--endpoint-url <url>] [--event-bus-name <name>]   the running \`npm start\` (.sst/local/runtime.json)
  --stage <name> [--region <region>] [--profile <profile>]   a deployed stage's bus (CloudFormation output EventBusName)
statuses: placed reserved paid completed released refunded cancelled`;

export type PublishTarget =
  | { kind: "local"; endpointUrl?: string; eventBusName?: string }
  | { kind: "stage"; stage: string; region: string; profile?: string };

export type PublishOptions = { details: OrderStatus.StatusRecord[]; target: PublishTarget };

const OPTIONS = {
  "order-id": { type: "string" },
  status: { type: "string" },
  reason: { type: "string" },
  "amount-paid": { type: "string" },
  "occurred-at": { type: "string" },
  file: { type: "string" },
  local: { type: "boolean" },
  "endpoint-url": { type: "string" },
  "event-bus-name": { type: "string" },
  stage: { type: "string" },
  region: { type: "string" },
  profile: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const DETAIL_FLAGS = ["order-id", "status", "reason", "amount-paid", "occurred-at"] as const;

function readTarget(values: ReturnType<typeof parseFlags<typeof OPTIONS>>, env: NodeJS.ProcessEnv): PublishTarget {
  const given = (names: readonly (keyof typeof OPTIONS)[]) =>
    names.filter((n) => values[n] !== undefined).map((n) => `--${n}`);
  if (values.stage !== undefined) {
    const localOnly = given(["local", "endpoint-url", "event-bus-name"]);
    if (localOnly.length) throw new UsageError(`${localOnly.join(", ")} cannot be combined with --stage`);
    return {
      kind: "stage",
      stage: parseStage(values.stage),
      region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
      ...(values.profile && { profile: values.profile }),
    };
  }
  const stageOnly = given(["region", "profile"]);
  if (stageOnly.length) throw new UsageError(`${stageOnly.join(", ")} only apply with --stage`);
  if (values["endpoint-url"] !== undefined && !URL.canParse(values["endpoint-url"])) {
    throw new UsageError(`--endpoint-url must be a URL, got ${JSON.stringify(values["endpoint-url"])}`, false);
  }
  return {
    kind: "local",
    ...(values["endpoint-url"] && { endpointUrl: values["endpoint-url"] }),
    ...(values["event-bus-name"] && { eventBusName: values["event-bus-name"] }),
  };
}

export function readPublishOptions(
  argv: string[],
  deps: { env: NodeJS.ProcessEnv; now: Date; readFile: (file: string) => string },
): PublishOptions {
  const values = parseFlags(argv, OPTIONS);
  if (values.help) throw new HelpRequested();
  const target = readTarget(values, deps.env);
  if (values.file !== undefined) {
    const mixed = DETAIL_FLAGS.filter((n) => values[n] !== undefined).map((n) => `--${n}`);
    if (mixed.length) throw new UsageError(`--file cannot be combined with ${mixed.join(", ")}`);
    let text: string;
    try {
      text = deps.readFile(values.file);
    } catch (error) {
      throw new UsageError(
        `cannot read ${values.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        false,
      );
    }
    return { details: detailsFromFile(text, values.file, deps.now), target };
  }
  if (values["order-id"] === undefined || values.status === undefined)
    throw new UsageError("give --order-id and --status, or --file");
  const detail = detailFromFlags(
    {
      orderId: values["order-id"],
      status: values.status,
      reason: values.reason,
      amountPaid: values["amount-paid"],
      occurredAt: values["occurred-at"],
    },
    deps.now,
  );
  return { details: [detail], target };
}
