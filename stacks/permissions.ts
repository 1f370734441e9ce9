/**
 * Each function's PolicyStatements, built from core's declaration (Permissions.FUNCTION_GRANTS): the
 * stack names the resources, the declaration the actions. A resource the declaration names but the
 * stack does not give fails the synth, so a grant cannot be dropped silently.
 */
import { PolicyStatement, type Conditions } from "aws-cdk-lib/aws-iam";
import type { DestinationConfig, IDestination, IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { Config } from "sst/constructs";
import * as Permissions from "@awsomepets/core/platform/permissions";
import type * as Topology from "@awsomepets/core/platform/topology";

type Name = Topology.FunctionName | Topology.DeployFunctionName;
type StatementResource = Exclude<Permissions.Resource, "@connections" | "CallbackTokenSecrets">;

export type GrantTargets = {
  [R in StatementResource]?: { arn: string; conditions?: Conditions };
} & {
  /** The ARN of `execute-api:ManageConnections` on one method, `{api}/{stage}/{method}/@connections/*`. */
  connections?: (method: Permissions.ConnectionsMethod) => string;
};

export function policyStatementsOf(name: Name, targets: GrantTargets): PolicyStatement[] {
  const grants = Permissions.FUNCTION_GRANTS[name] as Permissions.Grants;
  const statements: PolicyStatement[] = [];
  for (const resource of Object.keys(grants) as Permissions.Resource[]) {
    if (resource === "CallbackTokenSecrets") continue; // SST's `bind` grants it: see secretsToBind
    if (resource === "@connections") {
      const connections = targets.connections;
      if (!connections) throw new Error(`${name} is declared to call @connections, and the stack gives no API`);
      for (const method of Permissions.connectionsMethods(name)) {
        statements.push(
          new PolicyStatement({ actions: ["execute-api:ManageConnections"], resources: [connections(method)] }),
        );
      }
      continue;
    }
    const target = targets[resource];
    if (!target) throw new Error(`${name} is declared to act on ${resource}, and the stack gives no such resource`);
    statements.push(
      new PolicyStatement({
        actions: Permissions.actionsOn(name, resource),
        resources: [target.arn],
        conditions: target.conditions,
      }),
    );
  }
  return statements;
}

/** The token secrets to bind (SST then grants `ssm:GetParameters` on their paths), if the function reads them. */
export function secretsToBind(name: Name, tokenSecrets: Config.Secret[]): Config.Secret[] {
  return Permissions.actionsOn(name, "CallbackTokenSecrets").length > 0 ? tokenSecrets : [];
}

/**
 * The on-failure destination of a function's asynchronous invocations: Lambda sends the failed event
 * to the queue with the function's role, which needs `sqs:SendMessage` and nothing else. CDK's
 * SqsDestination grants GetQueueAttributes and GetQueueUrl too, which nothing calls.
 */
export class DeadLetterDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}
  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}
