/**
 * Tools from outside npm that some suites need (Java for AWS's DynamoDB Local, cfn-lint for the
 * template lint). On a machine with only Node, `npm ci && npm test` must pass: a suite whose tool is
 * absent is skipped with one line saying what is missing and how to install it. With `CI=true`
 * every tool is required, so CI never skips silently into green.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";

export type OutsideTool = { command: string; what: string; install: string };

export const JAVA: OutsideTool = {
  command: "java",
  what: "Java 17 (runs AWS's DynamoDB Local)",
  install: "apt-get install -y openjdk-17-jre-headless",
};

export const CFN_LINT: OutsideTool = {
  command: "cfn-lint",
  what: "cfn-lint (AWS's CloudFormation linter)",
  install: "pip install cfn-lint",
};

export const isCI = (env: NodeJS.ProcessEnv = process.env) => ["true", "1"].includes((env.CI ?? "").toLowerCase());

/** Whether `command` is an executable file in one of PATH's folders (the tool itself is not run). */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env) {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export class MissingToolError extends Error {
  override readonly name = "MissingToolError";
}

/**
 * undefined when the tool is there; else the one-line notice of the skipped suite. Throws under
 * CI=true instead: there, a missing tool is a broken machine, not a reason to skip.
 */
export function missingToolNotice(tool: OutsideTool, suite: string, env: NodeJS.ProcessEnv = process.env) {
  if (onPath(tool.command, env)) return undefined;
  if (isCI(env))
    throw new MissingToolError(
      `${suite} needs ${tool.what}, which is not on PATH, and CI=true requires every suite: ${tool.install}`,
    );
  return `[skipped] ${suite}: ${tool.what} is not on PATH (${tool.install}; CI=true requires it)`;
}
