/**
 * The templates of `dev` and `prod` pass AWS's CloudFormation linter (cfn-lint: errors fail, warnings
 * are listed) and cdk-nag's AwsSolutions and Serverless packs (every finding fixed or suppressed with a
 * reason in stacks/nag.ts). cfn-lint is a Python tool: on the machine image, or `pip install cfn-lint`
 * (`.ci/run` does it when it is missing); without it the lint is skipped with a notice, except
 * under CI=true (test/support/outside-tools.ts).
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, inject } from "vitest";
import { CFN_LINT, missingToolNotice } from "../support/outside-tools";
import { policyStatements } from "./template";

const cfnLintMissing = missingToolNotice(CFN_LINT, "cfn-lint of the templates (test/infra/lint.test.ts)");
if (cfnLintMissing) console.warn(cfnLintMissing);

const STAGES = ["dev", "prod"];
type LintFinding = {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
  Location: { Path: unknown[] };
};

/**
 * cfn-lint as a child process, awaited: a synchronous spawn would block the vitest worker for the
 * minutes cfn-lint takes here, and vitest then reports "Timeout calling onTaskUpdate" as a failure.
 */
function runCfnLint(
  args: string[],
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn("cfn-lint", args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => resolve({ status: null, stdout, stderr, error }));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

const templatesOf = (stage: string) =>
  readdirSync(path.join(inject("synthDir"), stage))
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.join(inject("synthDir"), stage, f));

describe.each(STAGES)("stage %s", (stage) => {
  let findings: LintFinding[];
  beforeAll(async () => {
    if (cfnLintMissing) return;
    const version = await runCfnLint(["--version"]);
    if (version.error || version.status !== 0)
      throw new Error(`cfn-lint is on PATH but does not run: ${version.error?.message ?? version.stderr}`);
    // Exit codes are a bit mask of the levels found (2 errors, 4 warnings, 8 informational).
    const run = await runCfnLint(["--format", "json", ...templatesOf(stage)]);
    if (run.status === null || run.status & 1) throw new Error(`cfn-lint failed to run: ${run.stderr}`);
    findings = JSON.parse(run.stdout || "[]");
    const warnings = findings.filter((f) => f.Level !== "Error");
    if (warnings.length) {
      console.log(
        `cfn-lint, stage ${stage}: ${warnings.length} warning(s)\n` +
          warnings.map((f) => `  ${f.Rule.Id} ${path.basename(f.Filename)} ${f.Message}`).join("\n"),
      );
    }
  }, 120_000);

  it("has templates for each stack", () => {
    expect(templatesOf(stage).map((f) => path.basename(f))).toHaveLength(3);
  });

  it.skipIf(cfnLintMissing)("passes cfn-lint without errors", () => {
    const errors = findings
      .filter((f) => f.Level === "Error")
      .map((f) => `${f.Rule.Id} ${path.basename(f.Filename)} ${f.Message}`);
    expect(errors).toEqual([]);
  });

  it("passes cdk-nag's AwsSolutions and Serverless packs: nothing unsuppressed", () => {
    const dir = path.join(inject("synthDir"), stage, "nag");
    const reports = readdirSync(dir).filter((f) => f.endsWith("NagReport.json"));
    expect(reports.map((f) => f.split("-")[0]).sort()).toEqual([
      ...Array(3).fill("AwsSolutions"),
      ...Array(3).fill("Serverless"),
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, "findings.json"), "utf8"))).toEqual([]);
    for (const report of reports) {
      const lines = JSON.parse(readFileSync(path.join(dir, report), "utf8")).lines as Array<{
        compliance: string;
        exceptionReason: string;
      }>;
      expect(lines.filter((l) => l.compliance === "Non-Compliant")).toEqual([]);
      for (const l of lines.filter((l) => l.compliance === "Suppressed"))
        expect(l.exceptionReason.length).toBeGreaterThan(30);
    }
  });

  it("grants '*' as a resource only for actions that take no narrower one (X-Ray, log delivery)", () => {
    const statements = templatesOf(stage).flatMap((f) => policyStatements(JSON.parse(readFileSync(f, "utf8"))));
    const onEverything = statements.filter(
      (s) => s.Resource === "*" || (Array.isArray(s.Resource) && s.Resource.includes("*")),
    );
    expect(onEverything.length).toBeGreaterThan(0);
    const actions = new Set(onEverything.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    for (const action of actions)
      expect(action).toMatch(
        /^(xray:|logs:(Create|Get|Update|Delete|List)LogDeliver|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$)/,
      );
  });
});

describe.skipIf(cfnLintMissing)("cfn-lint catches what it should", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test's name quotes the literal it is about.
  it("reports E1029 for a literal ${...} outside Fn::Sub (the mistake the ASL comment once made)", async () => {
    const definition = JSON.stringify({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal `${...}` cfn-lint must report.
      Comment: "a ${Placeholder}",
      StartAt: "A",
      States: { A: { Type: "Pass", End: true } },
    });
    const template = {
      Resources: {
        Machine: {
          Type: "AWS::StepFunctions::StateMachine",
          Properties: { RoleArn: "arn:aws:iam::123456789012:role/r", DefinitionString: definition },
        },
      },
    };
    const run = await runCfnLint(["--format", "json"], JSON.stringify(template));
    expect((JSON.parse(run.stdout) as LintFinding[]).map((f) => f.Rule.Id)).toContain("E1029");
  });
});
