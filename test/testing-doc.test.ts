/**
 * docs/testing.md's "Module → tests" table stays true: every src module of the packages it covers has a
 * row, every test file a row names exists, and every test file of those packages is named in a row.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const PACKAGES = ["core", "functions", "client", "web"];

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .map((file) => path.posix.join(dir, file.split(path.sep).join("/")))
    .filter(keep)
    .sort();
}

/** The table's rows: module path → the test files it names (as paths from the repository's root). */
function tableRows(markdown: string) {
  const section = markdown.split(/^## Module → tests$/m)[1] ?? "";
  const rows = new Map<string, string[]>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const module = /^`(packages\/[a-z-]+\/src\/[^`]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!module) continue;
    const pkg = module.split("/")[1];
    const tests = [...(cells[2] ?? "").matchAll(/`([^`]+)`/g)].map((m) => `packages/${pkg}/test/${m[1]}`);
    expect(rows.has(module), `${module} has two rows`).toBe(false);
    rows.set(module, tests);
  }
  return rows;
}

describe("docs/testing.md's module → tests table", () => {
  const rows = tableRows(readFileSync(path.join(ROOT, "docs/testing.md"), "utf8"));

  it("has a row for every src module of core, functions, client and web", () => {
    // Prepare
    const modules = PACKAGES.flatMap((pkg) => filesUnder(`packages/${pkg}/src`, (f) => f.endsWith(".ts")));
    // Act
    const missing = modules.filter((module) => !rows.has(module));
    const stale = [...rows.keys()].filter((module) => !modules.includes(module));
    // Assess
    expect(modules.length).toBeGreaterThan(50);
    expect(missing, "modules without a row").toEqual([]);
    expect(stale, "rows naming no module").toEqual([]);
  });

  it("names only test files that exist", () => {
    // Act
    const named = [...rows.values()].flat();
    const absent = named.filter((file) => !existsSync(path.join(ROOT, file)));
    // Assess
    expect(named.length).toBeGreaterThan(40);
    expect(absent, "named test files that do not exist").toEqual([]);
  });

  it("names every test file of those packages", () => {
    // Prepare
    const named = new Set([...rows.values()].flat());
    const tests = PACKAGES.flatMap((pkg) => filesUnder(`packages/${pkg}/test`, (f) => f.endsWith(".test.ts")));
    // Act
    const unnamed = tests.filter((file) => !named.has(file));
    // Assess
    expect(unnamed, "test files in no row").toEqual([]);
  });
});
