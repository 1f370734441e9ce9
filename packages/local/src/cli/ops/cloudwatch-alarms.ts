/**
 * CloudWatch `DescribeAlarms` for `npm run smoke`: the stage's alarms are those that notify its alarm
 * topic (`ActionPrefix` = the `AlarmTopicArn` output: every alarm of both stacks notifies it), every
 * page of them through the SDK's paginator. @aws-sdk/client-cloudwatch 3.1164 speaks AWS's JSON 1.0
 * protocol to CloudWatch (`X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms`; errors keep
 * their Query names through `x-amzn-query-error`).
 */
import { CloudWatchClient, paginateDescribeAlarms, type CloudWatchClientConfig } from "@aws-sdk/client-cloudwatch";

export type AlarmState = { name: string; state: string };

/** A page of 100 alarms answers well within a second; a stalled connection must not hang the smoke. */
const REQUEST_TIMEOUT_MS = 10_000;
const CONNECTION_TIMEOUT_MS = 5_000;

export async function describeAlarmsNotifying(options: {
  topicArn: string;
  /** Region and profile as the stage's other clients have them; tests add a stub's endpoint and credentials. */
  config: Pick<CloudWatchClientConfig, "region" | "profile" | "endpoint" | "credentials" | "maxAttempts">;
  /** How long one request may wait for its answer. */
  requestTimeoutMs?: number;
}): Promise<AlarmState[]> {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // throwOnRequestTimeout: without it the handler (@smithy/node-http-handler) only logs a warning.
  const requestHandler = { requestTimeout, connectionTimeout: CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true };
  const client = new CloudWatchClient({ ...options.config, requestHandler });
  try {
    const alarms: AlarmState[] = [];
    const tokens = new Set<string>();
    // Metric alarms only (DescribeAlarms' default): the stacks define no composite alarm.
    for await (const page of paginateDescribeAlarms({ client, pageSize: 100 }, { ActionPrefix: options.topicArn })) {
      for (const alarm of page.MetricAlarms ?? [])
        alarms.push({ name: alarm.AlarmName ?? "(unnamed)", state: alarm.StateValue ?? "(no state)" });
      // A token seen before would page forever (the paginator stops only on the same token twice in a row).
      if (page.NextToken !== undefined) {
        if (tokens.has(page.NextToken))
          throw new Error(
            `CloudWatch DescribeAlarms answered NextToken ${JSON.stringify(page.NextToken)} twice; stopped paging`,
          );
        tokens.add(page.NextToken);
      }
    }
    return alarms;
  } finally {
    client.destroy();
  }
}
