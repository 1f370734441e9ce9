/**
 * Every record in docs/decisions/ has one shape (issue 25, item 3): its first four `##` sections are
 * Context, Decision, Consequences and Re-measure, in that order (extra sections only after them), and
 * docs/decisions/README.md, the index, links to it. CONTRIBUTING.md ("A decision") says the same to people.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DECISIONS = path.resolve(import.meta.dirname, "../docs/decisions");
const SHAPE = ["Context", "Decision", "Consequences", "Re-measure"];

/** A record's `##` headings, in order; fenced code blocks are left out (a `## ` there is not a heading). */
function sections(markdown: string): string[] {
  const outsideCode = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
  return [...outsideCode.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1] ?? "");
}

/** What is wrong with a record's shape, or undefined when it has the four sections first, in order. */
function shapeFault(markdown: string): string | undefined {
  const first = sections(markdown).slice(0, SHAPE.length);
  if (first.join("|") === SHAPE.join("|")) return undefined;
  return `its first sections are [${first.join(", ")}], not [${SHAPE.join(", ")}]`;
}

const records = readdirSync(DECISIONS)
  .filter((file) => file.endsWith(".md") && file !== "README.md")
  .sort();

describe("docs/decisions/", () => {
  it("tells a record of the wrong shape", () => {
    // Prepare: a record missing a section, one with two in the wrong order, one with an extra in front.
    const good = "# T\n\n## Context\n\na\n\n## Decision\n\nb\n\n## Consequences\n\nc\n\n## Re-measure\n\nd\n";
    // Assess
    expect(shapeFault(good)).toBeUndefined();
    expect(shapeFault(`${good}\n## Evidence\n\ne\n`)).toBeUndefined();
    expect(shapeFault(good.replace("## Consequences", "**Consequences.**"))).toMatch(/Re-measure\]/);
    expect(shapeFault(good.replace("## Re-measure", "## How to re-measure"))).toBeDefined();
    expect(shapeFault(good.replace("## Decision", "## Decisions"))).toBeDefined();
    expect(shapeFault(good.replace("## Context", "## Evidence\n\n## Context"))).toBeDefined();
    expect(shapeFault("# T\n\n```md\n## Context\n## Decision\n## Consequences\n## Re-measure\n```\n")).toBeDefined();
  });

  it.each(records)("%s has Context, Decision, Consequences and Re-measure first, in that order", (file) => {
    // Act
    const fault = shapeFault(readFileSync(path.join(DECISIONS, file), "utf8"));
    // Assess
    expect(fault, `docs/decisions/${file}: ${fault}`).toBeUndefined();
  });

  it("indexes every record in README.md, and only records that exist", () => {
    // Prepare
    const index = readFileSync(path.join(DECISIONS, "README.md"), "utf8");
    // Act
    const linked = [...index.matchAll(/\]\(([a-z0-9-]+\.md)\)/g)].map((m) => m[1] ?? "");
    // Assess
    expect(records.length).toBeGreaterThan(20);
    expect(
      records.filter((file) => !linked.includes(file)),
      "records README.md does not index",
    ).toEqual([]);
    expect(
      linked.filter((file) => !records.includes(file)),
      "README.md links naming no record",
    ).toEqual([]);
  });
});
