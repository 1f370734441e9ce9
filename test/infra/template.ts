/** Synthesizes a stage's Callbacks stack offline and hands back its template for assertions. */
import { Template } from "aws-cdk-lib/assertions";
import { synthesize } from "../../stacks/synthesize";

export async function callbacksTemplate(stage: string) {
  const { assembly } = await synthesize(stage);
  const stack = assembly.stacks.find((s) => s.stackName.endsWith("-Callbacks"));
  if (!stack) throw new Error(`No Callbacks stack in ${assembly.stacks.map((s) => s.stackName)}`);
  return { template: Template.fromJSON(stack.template as Record<string, unknown>), raw: stack.template as any };
}

/** Logical id of the Lambda function whose construct id is `name` (CDK appends a hash). */
export function functionLogicalId(raw: any, name: string) {
  const ids = Object.keys(raw.Resources).filter(
    (id) => raw.Resources[id].Type === "AWS::Lambda::Function" && new RegExp(`^${name}[0-9A-F]{8}$`).test(id),
  );
  if (ids.length !== 1) throw new Error(`Expected one function ${name}, found ${ids}`);
  return ids[0]!;
}

export function resourcesOfType(raw: any, type: string): Array<[string, any]> {
  return Object.entries(raw.Resources).filter(([, r]: [string, any]) => r.Type === type) as Array<[string, any]>;
}
