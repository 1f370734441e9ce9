/**
 * What `npm run smoke` needs of the stage it checks, the same way on AWS and locally: the URLs
 * customers use, the @connections API, the callback table, the dead-letter counts, the alarms.
 * On a stage everything comes from the stacks' outputs (as the operator commands read them); locally
 * from the running `npm start`'s state file, through its edge (its HTTP port and WebSocket URL).
 */
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { UsageError } from "../cli-errors";
import { describeAlarmsNotifying, type AlarmState } from "./cloudwatch-alarms";
import { localRuntime } from "./local-resources";
import type { OpsTarget } from "./ops-target";
import { readStageOutputs, STACK_OUTPUTS, stageClientConfig } from "./stack-outputs";

type StageTarget = Extract<OpsTarget, { kind: "stage" }>;

export type SmokeTarget = {
  /** For the first line: what is checked. */
  describe: string;
  /** The order API as customers reach it (no trailing slash). */
  apiUrl: string;
  /** The WebSocket API as customers reach it: every clientCallbackUrl starts with it. */
  websocketUrl: string;
  clientCallbackTable: string;
  /** SDK client configurations: DynamoDB (the callback table), the stage's @connections API. */
  dynamodbConfig: object;
  managementConfig: { endpoint: string };
  /** Messages in each dead-letter queue (visible, in flight and delayed). */
  deadLetters(): Promise<Array<{ queue: string; messages: number }>>;
  /** The stage's alarms, or why they cannot be read here (a SKIP line). */
  alarms: (() => Promise<AlarmState[]>) | { skip: string };
  /** Refuses (UsageError) when the stage was deployed keeping data: probes that disturb customers are not run there. */
  refuseIfKeepsData(why: string): Promise<void>;
  close(): void;
};

export function localTarget(): SmokeTarget {
  const runtime = localRuntime();
  const { endpoints } = runtime.state;
  return {
    describe: `the running npm start (stage ${runtime.state.stage}, ${endpoints.http})`,
    apiUrl: endpoints.http,
    websocketUrl: endpoints.websocket,
    clientCallbackTable: runtime.clientCallbackTable(),
    dynamodbConfig: runtime.clientConfig(endpoints.dynamodb),
    managementConfig: runtime.clientConfig(endpoints.management),
    // One dead-letter log for both rules: what `npm run redrive` reads locally (GET /dead-letters).
    async deadLetters() {
      const response = await fetch(`${endpoints.events}/dead-letters`);
      if (!response.ok) throw new Error(`GET ${endpoints.events}/dead-letters answered ${response.status}`);
      return [
        { queue: "the local EventBridge's dead-letter log", messages: ((await response.json()) as unknown[]).length },
      ];
    },
    alarms: { skip: "npm start models no CloudWatch alarms (its log shows every failed invocation instead)" },
    // npm start is a developer's: nothing a customer sees.
    refuseIfKeepsData: async () => {},
    close: () => {},
  };
}

export async function stageTarget(target: StageTarget): Promise<SmokeTarget> {
  const { Callbacks, Orders } = STACK_OUTPUTS;
  const callbacks = await readStageOutputs(target, "Callbacks", [
    Callbacks.clientCallbackTable,
    Callbacks.callbackDeadLetterQueueUrl,
    Callbacks.managementEndpoint,
    Callbacks.alarmTopicArn,
  ]);
  const orders = await readStageOutputs(target, "Orders", [
    Orders.projectionDeadLetterQueueUrl,
    Orders.edgeApiUrl,
    Orders.edgeWebSocketUrl,
  ]);
  const config = stageClientConfig(target);
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  const queues = [callbacks.DeadLetterQueueUrl, orders.ProjectionDeadLetterQueueUrl];
  return {
    describe: `stage ${target.stage} in ${target.region}`,
    apiUrl: orders.EdgeApiUrl.replace(/\/$/, ""),
    websocketUrl: orders.EdgeWebSocketUrl,
    clientCallbackTable: callbacks.ClientCallbackTable,
    dynamodbConfig: config,
    managementConfig: { ...config, endpoint: callbacks.ManagementEndpoint },
    async deadLetters() {
      return Promise.all(
        queues.map(async (queueUrl) => {
          const names = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ] as const;
          const { Attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
          );
          return {
            queue: queueUrl.split("/").at(-1)!,
            messages: names.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0),
          };
        }),
      );
    },
    alarms: () => describeAlarmsNotifying({ topicArn: callbacks.AlarmTopicArn, config }),
    refuseIfKeepsData: (why) =>
      refuseIfDeployedKeepingData(
        async (table) => (await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table,
        { table: callbacks.ClientCallbackTable, stage: target.stage, why },
      ),
    close() {
      sqs.destroy();
      dynamodb.destroy();
    },
  };
}

/**
 * The operator's shell may call disposable a stage that was not deployed so: the stage's table says
 * how it was (a stage that keeps data has deletion protection on, stacks/tables.ts).
 */
export async function refuseIfDeployedKeepingData(
  describeTable: (table: string) => Promise<{ DeletionProtectionEnabled?: boolean } | undefined>,
  { table, stage, why }: { table: string; stage: string; why: string },
) {
  const description = await describeTable(table);
  if (description?.DeletionProtectionEnabled !== false) {
    throw new UsageError(
      `${why}: refused, stage ${stage} was deployed keeping its data (its ClientCallbackTbl has deletion protection on)`,
      false,
    );
  }
}
