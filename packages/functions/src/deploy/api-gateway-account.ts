/**
 * Custom resource `Custom::ApiGatewayAccountLogsRole` (stacks/api-gateway-account.ts): makes sure API
 * Gateway's account settings of this account and region name a CloudWatch role, which WebSocket
 * stages need before they may log. A role already set (another team's, another stage's) is kept; only
 * when none is set does it create `Topology.API_GATEWAY_LOGS_ROLE_NAME` (or reuse it: IAM is global)
 * and set it, retrying while the new role propagates (aws/aws-cdk#2194). Delete does nothing: the
 * setting and the role are account-wide, other APIs may rely on them, so no stage removes them.
 *
 * The API Gateway and IAM clients are not installed in this repository: the bundle leaves them out
 * and the Lambda Node.js runtime's own AWS SDK v3 provides them (docs/decisions/api-gateway-account-role.md).
 */
import { createRequire } from "node:module";
import * as Topology from "@awsomepets/core/platform/topology";

/** What the resource needs from AWS; the handler below binds it to the SDK. */
export type AccountApi = {
  /** The account settings' `cloudwatchRoleArn`, or undefined when none is set. */
  cloudWatchRoleArn(): Promise<string | undefined>;
  setCloudWatchRoleArn(roleArn: string): Promise<void>;
  /** The ARN of `roleName`, created (trusting API Gateway, with AWS's push-to-CloudWatch policy) if missing. */
  ensureRole(roleName: string): Promise<string>;
};

export type Outcome = { roleArn: string; action: "kept" | "set" };

/** API Gateway's answer while a new role is not yet usable by it (IAM is eventually consistent). */
export const PROPAGATING = /role ARN does not have required permissions|not authorized to perform: sts:AssumeRole/i;

export async function ensureAccountLogsRole(
  api: AccountApi,
  options: { roleName: string; deadline: number; now?: () => number; sleep?: (ms: number) => Promise<void> },
): Promise<Outcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const current = await api.cloudWatchRoleArn();
  if (current) return { roleArn: current, action: "kept" };
  const roleArn = await api.ensureRole(options.roleName);
  for (let wait = 2_000; ; wait = Math.min(wait * 2, 15_000)) {
    try {
      await api.setCloudWatchRoleArn(roleArn);
      return { roleArn, action: "set" };
    } catch (error) {
      if (!PROPAGATING.test((error as Error).message ?? "") || now() + wait > options.deadline) throw error;
      await sleep(wait);
    }
  }
}

export type CustomResourceEvent = {
  RequestType: "Create" | "Update" | "Delete";
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
};

/** What CloudFormation is told: the same physical id always (one setting per account and region). */
export async function respond(
  event: CustomResourceEvent,
  run: () => Promise<Outcome | undefined>,
  put: (url: string, body: string) => Promise<void>,
) {
  const base = {
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    PhysicalResourceId: "api-gateway-account-cloudwatch-role",
  };
  let body: Record<string, unknown>;
  try {
    const outcome = await run();
    console.log(JSON.stringify({ requestType: event.RequestType, ...outcome }));
    body = { ...base, Status: "SUCCESS", Data: outcome ? { RoleArn: outcome.roleArn, Action: outcome.action } : {} };
  } catch (error) {
    console.error(error);
    body = {
      ...base,
      Status: "FAILED",
      Reason: `API Gateway's CloudWatch role: ${(error as Error).message}`.slice(0, 1000),
    };
  }
  await put(event.ResponseURL, JSON.stringify(body));
}

/** The SDK clients the Lambda runtime provides (typed here only as far as they are used). */
// The runtime's SDK replies: client-api-gateway is not installed to type them.
// biome-ignore lint/suspicious/noExplicitAny: untyped runtime SDK reply
type Sdk = { send(command: unknown): Promise<any> };
// require, not import: CommonJS resolution follows NODE_PATH, where Lambda puts the runtime's SDK.
// A module resolved at run time in Lambda, untyped here for the same reason.
// biome-ignore lint/suspicious/noExplicitAny: untyped runtime module
const runtimeModule = (name: string) => createRequire(import.meta.url)(name) as Record<string, any>;

async function sdkAccountApi(): Promise<AccountApi> {
  const apigw = runtimeModule("@aws-sdk/client-api-gateway");
  const iam = runtimeModule("@aws-sdk/client-iam");
  const gateway: Sdk = new apigw.APIGatewayClient({});
  const identity: Sdk = new iam.IAMClient({});
  const policyArn = (roleArn: string) =>
    `arn:${roleArn.split(":")[1]}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`;
  return {
    async cloudWatchRoleArn() {
      return (await gateway.send(new apigw.GetAccountCommand({}))).cloudwatchRoleArn || undefined;
    },
    async setCloudWatchRoleArn(roleArn) {
      await gateway.send(
        new apigw.UpdateAccountCommand({
          patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: roleArn }],
        }),
      );
    },
    async ensureRole(roleName) {
      let arn: string;
      try {
        arn = (await identity.send(new iam.GetRoleCommand({ RoleName: roleName }))).Role.Arn;
      } catch (error) {
        if ((error as Error).name !== "NoSuchEntityException") throw error;
        const trust = {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        };
        try {
          arn = (
            await identity.send(
              new iam.CreateRoleCommand({
                RoleName: roleName,
                AssumeRolePolicyDocument: JSON.stringify(trust),
                Description:
                  "API Gateway's account-wide CloudWatch Logs role (set once per region by awsomepets stages; no stage removes it)",
              }),
            )
          ).Role.Arn;
        } catch (createError) {
          // Another stage deploying at the same moment created it first.
          if ((createError as Error).name !== "EntityAlreadyExistsException") throw createError;
          arn = (await identity.send(new iam.GetRoleCommand({ RoleName: roleName }))).Role.Arn;
        }
      }
      // Idempotent: also repairs a role of this name whose policy was detached.
      await identity.send(new iam.AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn(arn) }));
      return arn;
    },
  };
}

async function put(url: string, body: string) {
  // CloudFormation's pre-signed S3 URL: no content type is signed, so none is sent.
  const response = await fetch(url, { method: "PUT", body, headers: { "content-type": "" } });
  if (!response.ok) throw new Error(`CloudFormation's response URL answered ${response.status}`);
}

export async function handler(event: CustomResourceEvent, context: { getRemainingTimeInMillis(): number }) {
  // Answer CloudFormation with time to spare: a function that times out leaves the stack waiting an hour.
  const deadline = Date.now() + context.getRemainingTimeInMillis() - 20_000;
  await respond(
    event,
    async () =>
      event.RequestType === "Delete"
        ? undefined
        : ensureAccountLogsRole(await sdkAccountApi(), { roleName: Topology.API_GATEWAY_LOGS_ROLE_NAME, deadline }),
    put,
  );
}
