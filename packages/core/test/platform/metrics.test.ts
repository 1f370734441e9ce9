/**
 * The metrics list operators read (docs/deploy-and-operate.md, "Metrics") is the one handlers emit
 * from: every name in `Metrics.METRICS`, in its order, with who emits it and what it counts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as Metrics from "../../src/platform/metrics";

const DOC = "docs/deploy-and-operate.md";

/** The "## Metrics" section's table rows, as written. */
function documentedRows() {
  const text = readFileSync(DOC, "utf8");
  const section = text.split(/^## /m).find((s) => s.startsWith("Metrics\n"));
  if (!section) throw new Error(`${DOC} has no "## Metrics" section`);
  return section.split("\n").filter((line) => line.startsWith("| `"));
}

const expectedRows = () =>
  Object.entries(Metrics.METRICS).map(([name, { by, counts }]) => `| \`${name}\` | ${by} | ${counts} |`);

describe("Metrics", () => {
  it(`are listed in ${DOC} ("Metrics") exactly as METRICS declares them`, () => {
    expect(documentedRows()).toEqual(expectedRows());
  });

  it("name the alarmed metric from the set", () => {
    expect(Object.keys(Metrics.METRICS)).toContain(Metrics.POSTS_REJECTED);
  });
});
