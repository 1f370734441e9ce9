/**
 * A suite whose outside tool (Java, cfn-lint) is absent is skipped with one line saying what is
 * missing and how to install it; under CI=true the tool is required. Checked on the helper and on
 * vitest.config.ts itself, loaded in a process whose PATH holds no java.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CFN_LINT, JAVA, MissingToolError, missingToolNotice } from "./support/outside-tools";

const ROOT = path.resolve(import.meta.dirname, "..");
const NODE = path.join(ROOT, "node_modules", ".bin", "node");
const emptyDir = mkdtempSync(path.join(tmpdir(), "no-tools-"));
const fakeDir = mkdtempSync(path.join(tmpdir(), "fake-tools-"));
afterAll(() => {
  rmSync(emptyDir, { recursive: true, force: true });
  rmSync(fakeDir, { recursive: true, force: true });
});

describe("missingToolNotice", () => {
  it("is one line naming the tool and its install command when the tool is not on PATH", () => {
    expect(missingToolNotice(JAVA, "project dynamodb-local", { PATH: emptyDir })).toBe(
      "[skipped] project dynamodb-local: Java 17 (runs AWS's DynamoDB Local) is not on PATH (apt-get install -y openjdk-17-jre-headless; CI=true requires it)",
    );
    expect(missingToolNotice(CFN_LINT, "lint", { PATH: emptyDir })).toMatch(
      /^\[skipped\] lint: cfn-lint .* \(pip install cfn-lint; CI=true requires it\)$/,
    );
  });

  it("is nothing when an executable of that name is on PATH", () => {
    const java = path.join(fakeDir, "java");
    writeFileSync(java, "#!/bin/sh\n");
    chmodSync(java, 0o755);
    expect(missingToolNotice(JAVA, "x", { PATH: `${emptyDir}${path.delimiter}${fakeDir}` })).toBeUndefined();
  });

  it("throws under CI=true: CI must run every suite", () => {
    expect(() => missingToolNotice(JAVA, "project dynamodb-local", { PATH: emptyDir, CI: "true" })).toThrow(
      MissingToolError,
    );
    expect(() => missingToolNotice(JAVA, "project dynamodb-local", { PATH: emptyDir, CI: "true" })).toThrow(
      /CI=true requires every suite: apt-get install/,
    );
  });
});

describe("vitest.config.ts on a machine without Java", () => {
  const loadConfig = (env: Record<string, string>) =>
    spawnSync(
      NODE,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        "const c = (await import('./vitest.config.ts')).default; console.log(JSON.stringify(c.test.projects.map((p) => p.test.name)))",
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { HOME: process.env.HOME ?? "/tmp", PATH: emptyDir, ...env },
        timeout: 30_000,
      },
    );

  it("leaves the dynamodb-local project out, with one line saying why", () => {
    const result = loadConfig({});
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(["unit-and-e2e", "infra"]);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^\[skipped\] project dynamodb-local .*: Java 17 .* is not on PATH \(apt-get install -y openjdk-17-jre-headless; CI=true requires it\)$/,
      ),
    ]);
  }, 30_000);

  it("refuses to load under CI=true", () => {
    const result = loadConfig({ CI: "true" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/needs Java 17 .* CI=true requires every suite/);
  }, 30_000);

  it("keeps the project where a DynamoDB API is given by hand (no Java needed)", () => {
    expect(JSON.parse(loadConfig({ TEST_DYNAMODB_ENDPOINT: "http://127.0.0.1:1" }).stdout)).toEqual(
      ["unit-and-e2e", "infra"].toSpliced(1, 0, "dynamodb-local"),
    );
  }, 30_000);
});
