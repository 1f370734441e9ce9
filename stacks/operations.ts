/**
 * What an operator of a stage needs: settings read once at deploy (environment variables, with the
 * defaults a small shop would pick), log groups with a retention, and CloudWatch alarms that notify
 * one SNS topic (subscribe to it, or set ALARM_EMAIL at deploy).
 */
import { Aspects, CfnOutput, CfnResource, Duration, Fn, type Stack } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Topic, type ITopic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { Construct, IConstruct } from "constructs";
import * as Metrics from "@awsomepets/core/platform/metrics";
import * as Topology from "@awsomepets/core/platform/topology";

export type OperationsConfig = {
  /** Days every log group keeps its events (CloudWatch's allowed values only). */
  logRetentionDays: RetentionDays;
  /** Subscribed to the alarm topic when set (AWS e-mails a confirmation link first). */
  alarmEmail?: string;
};

/** The API throttles are tunables (stacks/deploy-settings.ts), sized in core's topology. */
export const DEFAULTS = {
  /** A stage that keeps data keeps its logs longer; a disposable one (DISPOSABLE_STAGE=true) a week. */
  logRetentionDays: { keepsData: 30, disposable: 7 },
} as const;

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

/** Reads the deploy-time settings; a bad value stops the deploy with a message naming the variable. */
export function operationsConfig(env: NodeJS.ProcessEnv, keepsData: boolean): OperationsConfig {
  const days = positiveInteger(
    env,
    Topology.DEPLOY_ENV.logRetentionDays,
    DEFAULTS.logRetentionDays[keepsData ? "keepsData" : "disposable"],
  );
  if (!Object.values(RetentionDays).includes(days)) {
    const allowed = Object.values(RetentionDays).filter((d) => typeof d === "number" && d > 0 && d < 10_000);
    throw new Error(
      `LOG_RETENTION_DAYS must be one of CloudWatch's retention periods (${allowed.join(", ")}), got ${days}`,
    );
  }
  const alarmEmail = env[Topology.DEPLOY_ENV.alarmEmail] || undefined;
  if (alarmEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail))
    throw new Error(`ALARM_EMAIL is not an e-mail address: "${alarmEmail}"`);
  return {
    logRetentionDays: days as RetentionDays,
    alarmEmail,
  };
}

/** A log group with the stage's retention; its name is CloudFormation's, so a redeploy never collides. */
export const logGroup = (scope: Construct, id: string, config: OperationsConfig) =>
  new LogGroup(scope, id, { retention: config.logRetentionDays });

/**
 * A log group under `/aws/vendedlogs/<service>/` for a service that delivers logs through CloudWatch
 * Logs' resource policy (Step Functions): under that prefix the service adds nothing to the account's
 * one 5,120-character policy per log group (Step Functions guide, "Avoiding CloudWatch Logs resource
 * policy size restrictions"). A name is needed for the prefix, so it ends with the stack's own id
 * (the UUID in `AWS::StackId`, new with each creation of the stack): a stage removed with its logs
 * retained and deployed again gets a new group instead of colliding with the old one.
 */
export function vendedLogGroup(stack: Stack, id: string, config: OperationsConfig, service: string, name: string) {
  const stackUuid = Fn.select(2, Fn.split("/", stack.stackId));
  return new LogGroup(stack, id, {
    retention: config.logRetentionDays,
    logGroupName: `/aws/vendedlogs/${service}/${name}-${stackUuid}`,
  });
}

/**
 * Gives every Lambda function of `stack` that has no log group of its own (SST's and CDK's deploy-time
 * helpers, created out of reach of the stack code) one with the stage's retention; without it, Lambda
 * creates `/aws/lambda/<name>` kept forever.
 */
export function retainLogsOfEveryFunction(stack: Stack, config: OperationsConfig) {
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (!(node instanceof CfnResource) || node.cfnResourceType !== "AWS::Lambda::Function") return;
      const props = (node as CfnResource & { loggingConfig?: { logGroup?: string } }).loggingConfig;
      const overridden = (node as unknown as { rawOverrides: { Properties?: { LoggingConfig?: unknown } } })
        .rawOverrides?.Properties?.LoggingConfig;
      if (props?.logGroup || overridden) return;
      const group = logGroup(node.node.scope!, `${node.node.id}Logs`, config);
      node.addPropertyOverride("LoggingConfig.LogGroup", group.logGroupName);
    },
  });
}

/** One JSON object per request (the `$context` variables API Gateway documents for each API type). */
export const accessLogFormat = (fields: Record<string, string>) => AccessLogFormat.custom(JSON.stringify(fields));

export const WEBSOCKET_ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  eventType: "$context.eventType",
  routeKey: "$context.routeKey",
  status: "$context.status",
  connectionId: "$context.connectionId",
  ip: "$context.identity.sourceIp",
  error: "$context.error.message",
  integrationError: "$context.integrationErrorMessage",
};

export const HTTP_ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLatency: "$context.responseLatency",
  ip: "$context.identity.sourceIp",
  integrationError: "$context.integrationErrorMessage",
};

/** The stage's one alarm topic (output `AlarmTopicArn`), with the operator's e-mail if configured. */
export function alarmTopic(stack: Stack, config: OperationsConfig) {
  const topic = new Topic(stack, "OperatorAlarmTopic", { enforceSSL: true });
  if (config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
  new CfnOutput(stack, "AlarmTopicArn", {
    value: topic.topicArn,
    description: "Subscribe here to be told of every alarm",
  });
  return topic;
}

/** Alarms of one stack, each notifying the alarm topic when it fires and when it clears. */
export class OperatorAlarms {
  constructor(
    private readonly stack: Stack,
    readonly topic: ITopic,
  ) {}

  private alarm(
    id: string,
    metric: IMetric,
    description: string,
    threshold = 1,
    comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ) {
    const alarm = new Alarm(this.stack, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    return alarm;
  }

  /** Any message waiting in a dead-letter queue is a status some part of the system never handled. */
  deadLetterQueue(id: string, queue: Queue, what: string) {
    return this.alarm(
      `${id}MessagesAlarm`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
      `${what} landed in ${id} after its retries: inspect and redrive it.`,
    );
  }

  /** Errors (a handler threw or timed out) and throttles (concurrency exhausted) of one function. */
  lambda(id: string, fn: IFunction, options: { errors: boolean } = { errors: true }) {
    const period = Duration.minutes(5);
    const throttles = this.alarm(
      `${id}ThrottlesAlarm`,
      fn.metricThrottles({ period, statistic: "Sum" }),
      `${id} was throttled at least once in 5 minutes.`,
    );
    if (!options.errors) return [throttles];
    return [
      this.alarm(
        `${id}ErrorsAlarm`,
        fn.metricErrors({ period, statistic: "Sum" }),
        `${id} failed at least once in 5 minutes.`,
      ),
      throttles,
    ];
  }

  metric(id: string, metric: IMetric, description: string) {
    return this.alarm(id, metric, description);
  }

  /** An alarm on a count past a threshold of its own (the bill guard's executions started). */
  threshold(id: string, metric: IMetric, threshold: number, comparison: ComparisonOperator, description: string) {
    return this.alarm(id, metric, description, threshold, comparison);
  }

  /**
   * Posts `@connections` refused (packages/functions: `PostsRejected`, EMF, under the `service`
   * dimension Powertools adds). Mostly 403: a broken ManageConnections grant, a wrong stage in the
   * management endpoint or a bad signature, which would stop every live push while each is only logged.
   */
  rejectedPosts(service: (typeof Topology.SERVICES)[keyof typeof Topology.SERVICES]) {
    const metric = new Metric({
      namespace: Topology.METRICS_NAMESPACE,
      metricName: Metrics.POSTS_REJECTED,
      dimensionsMap: { service },
      period: Duration.minutes(5),
      statistic: "Sum",
    });
    return this.alarm(
      `${Metrics.POSTS_REJECTED}Alarm`,
      metric,
      "@connections refused a post (403: the ManageConnections grant, the management endpoint's stage or the signature): clients are not told of statuses.",
    );
  }
}
