/**
 * No comment block in source is longer than 12 lines (issue 25): a decision with its evidence goes
 * to docs/decisions/<name>.md, an explanation to docs/, and the file keeps a header of a few lines
 * that links to it. Counts a block comment from its `/*` line to its closing line, and a run of
 * consecutive `//` lines; source is packages/<pkg>/src, stacks/, scripts/ and bench/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const MAX_LINES = 12;
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

/** Every comment block or run of `//` lines over `max` lines, as `line: length`. */
function longComments(text: string, max = MAX_LINES): { line: number; lines: number }[] {
  const source = text.split("\n");
  const lines = { length: source.length, at: (k: number) => source[k] ?? "" };
  const found: { line: number; lines: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    const line = lines.at(i).trim();
    if (line.startsWith("/*")) {
      const closes = (k: number) => lines.at(k).includes("*/", k === start ? lines.at(k).indexOf("/*") + 2 : 0);
      while (i < lines.length - 1 && !closes(i)) i++;
    } else if (line.startsWith("//")) {
      while (
        i < lines.length - 1 &&
        lines
          .at(i + 1)
          .trim()
          .startsWith("//")
      )
        i++;
    } else continue;
    if (i - start + 1 > max) found.push({ line: start + 1, lines: i - start + 1 });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  const entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  return entries.flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(relative);
    return SOURCE.test(entry.name) ? [relative] : [];
  });
}

const packageSources = readdirSync(path.join(ROOT, "packages"))
  .map((name) => `packages/${name}/src`)
  .filter((dir) => existsSync(path.join(ROOT, dir)));

describe("comment blocks in source", () => {
  it("finds a block or a run of // lines over the limit, and nothing at the limit", () => {
    const block = (n: number) => ["/**", ...Array(n - 2).fill(" * why"), " */"].join("\n");
    const run = (n: number) => Array(n).fill("// why").join("\n");
    expect(longComments(`const a = 1;\n${block(13)}\nexport {};`)).toEqual([{ line: 2, lines: 13 }]);
    expect(longComments(`${run(13)}\n\n${run(12)}`)).toEqual([{ line: 1, lines: 13 }]);
    expect(longComments(`${block(12)}\n${run(12)}\n  /* one line */\nconst x = "/*";`)).toEqual([]);
    expect(longComments(`/*\n${Array(11).fill("text").join("\n")}\n*/`)).toEqual([{ line: 1, lines: 13 }]);
  });

  it(`keeps every block in packages/*/src, stacks, scripts and bench to ${MAX_LINES} lines`, () => {
    const files = [...packageSources, "stacks", "scripts", "bench"].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const over = files.flatMap((file) =>
      longComments(readFileSync(path.join(ROOT, file), "utf8")).map((c) => `${file}:${c.line} (${c.lines} lines)`),
    );
    expect(over).toEqual([]);
  });
});
