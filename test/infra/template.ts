/** The templates of a stage, synthesized offline by ./synth-setup.ts, ready for assertions. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { inject } from "vitest";

export async function stageTemplates(stage: string) {
  const dir = path.join(inject("synthDir"), stage);
  const files = readdirSync(dir);
  const pick = (suffix: string) => {
    const file = files.find((f) => f.endsWith(`-${suffix}.json`));
    if (!file) throw new Error(`No ${suffix} stack among ${files}`);
    const raw = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    return { template: Template.fromJSON(raw), raw };
  };
  return { callbacks: pick("Callbacks"), orders: pick("Orders") };
}

export async function callbacksTemplate(stage: string) {
  return (await stageTemplates(stage)).callbacks;
}

/** Every IAM statement of a template, with the logical id of its policy. */
export function policyStatements(raw: any): Array<{ policy: string; Action: string | string[]; Resource: unknown }> {
  return resourcesOfType(raw, "AWS::IAM::Policy").flatMap(([id, p]) =>
    p.Properties.PolicyDocument.Statement.map((s: any) => ({ policy: id, ...s })),
  );
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
