/**
 * IAM exactly what the code calls (issue 24): core's declaration (Permissions.FUNCTION_GRANTS) is
 * compared both ways with the AWS calls each handler can reach, found from its code by
 * ./reachable-actions.ts (rare paths included, nothing recorded from a run), and with what the
 * synthesized templates grant each function's role. Logs and X-Ray actions are the Lambda runtime's
 * (SST's role), not the handler's, and are left out.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as Permissions from "@awsomepets/core/platform/permissions";
import * as Topology from "@awsomepets/core/platform/topology";
import { createAnalyzer, REVIEWED_SIGNATURES, type Reach } from "./reachable-actions";
import { policyStatements, stageTemplates } from "./template";
import { SYNTH_STAGES } from "./synth-setup";

const HANDLERS: Record<string, string> = { ...Topology.FUNCTIONS, ...Topology.DEPLOY_FUNCTIONS };
type Name = Topology.FunctionName | Topology.DeployFunctionName;
const NAMES = Object.keys(HANDLERS) as Name[];
/** `packages/…/connect.handler` → the module's file and its export. */
const entryOf = (handler: string) => {
  const dot = handler.lastIndexOf(".");
  return [`${handler.slice(0, dot)}.ts`, handler.slice(dot + 1)] as const;
};

describe("each function's declared actions are those its code can reach", () => {
  const reached = {} as Record<Name, Reach>;
  beforeAll(() => {
    const reach = createAnalyzer(NAMES.map((name) => entryOf(HANDLERS[name]!)[0]));
    for (const name of NAMES) reached[name] = reach(...entryOf(HANDLERS[name]!));
  }, 120_000);

  it.each(NAMES)("%s: declared == reachable", (name) => {
    expect({ name, actions: [...reached[name].actions].sort() }).toEqual({
      name,
      actions: Permissions.allActions(name),
    });
  });

  it.each(NAMES)("%s: every command it builds is known, every call through a signature looked at", (name) => {
    expect([...reached[name].unknownCommands]).toEqual([]);
    expect([...reached[name].unresolved].filter((key) => !(key in REVIEWED_SIGNATURES))).toEqual([]);
  });
});

/**
 * Actions the role holds for the platform, not for the handler: Lambda sends a failed asynchronous
 * invocation to the on-failure destination (the dead-letter queue of an event rule's target) with
 * the function's own role (stacks/permissions.ts DeadLetterDestination: only this action).
 */
const platformActions = (name: Name): string[] =>
  Object.values(Topology.EVENT_RULES).some((rule) => rule.target === name) ? ["sqs:SendMessage"] : [];

describe.each(SYNTH_STAGES)("stage %s grants each function's role exactly its declaration", (stage) => {
  let templates: any[] = [];
  beforeAll(async () => {
    const { callbacks, orders } = await stageTemplates(stage);
    templates = [callbacks.raw, orders.raw];
  });
  const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
  /** The function's role, as its resource names it, in whichever stack holds the function. */
  const roleOf = (name: Name) => {
    for (const raw of templates) {
      const ids = Object.keys(raw.Resources).filter(
        (id) => raw.Resources[id].Type === "AWS::Lambda::Function" && new RegExp(`^${name}[0-9A-F]{8}$`).test(id),
      );
      if (ids.length === 1) return { raw, roleId: raw.Resources[ids[0]!].Properties.Role["Fn::GetAtt"][0] as string };
    }
    throw new Error(`No function ${name} in stage ${stage}`);
  };
  /** Every statement attached to the function's role: its policies (by their Roles), and the role's inline ones. */
  const statementsOf = (name: Name) => {
    const { raw, roleId } = roleOf(name);
    const attached = policyStatements(raw).filter((s) =>
      list(raw.Resources[s.policy].Properties.Roles).some((r: any) => r?.Ref === roleId),
    );
    const inline = (raw.Resources[roleId].Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
    return [...attached, ...inline];
  };
  /** `@connections` methods are told apart by the resource, `{stage}/{METHOD}/@connections/*`. */
  const granted = (name: Name) =>
    statementsOf(name)
      .flatMap((s: any) =>
        list(s.Action).map((action: string) => {
          if (action !== "execute-api:ManageConnections") return action;
          const method = /\/(GET|POST|DELETE)\/@connections\/\*/.exec(JSON.stringify(s.Resource))?.[1];
          return `${action} ${method ?? "any method"}`;
        }),
      )
      .filter((action: string) => !/^(logs|xray):/.test(action));

  it.each(NAMES)("%s", (name) => {
    const expected = [...Permissions.allActions(name), ...platformActions(name)].sort();
    expect({ name, actions: [...new Set(granted(name))].sort() }).toEqual({ name, actions: expected });
  });

  it.each(NAMES)("%s's role has no managed policy but Lambda's basic execution (logs)", (name) => {
    const { raw, roleId } = roleOf(name);
    const managed = (raw.Resources[roleId].Properties.ManagedPolicyArns ?? []).map((arn: unknown) =>
      JSON.stringify(arn),
    );
    expect(managed.filter((arn: string) => !arn.includes("service-role/AWSLambdaBasicExecutionRole"))).toEqual([]);
  });
});
