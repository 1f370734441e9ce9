/** `--help` on every npm command prints its usage on stdout and exits 0; a stray option exits 2 without a stack trace. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli";

const COMMANDS = [
  ["publish-status", /^Usage:\s+npm run publish-status/m],
  ["callback-url", /^Usage: npm run callback-url/m],
  ["watch-order", /^Usage: npm run watch-order/m],
  ["pending", /^Usage: npm run pending/m],
  ["redrive", /^Usage: npm run redrive/m],
  ["replay", /^Usage: npm run replay/m],
  ["erase-order", /^Usage: npm run erase-order/m],
  ["smoke", /^Usage: npm run smoke/m],
  ["synth", /^Usage: npm run synth/m],
  ["build:web", /^Usage: npm run build:web/m],
] as const;

const npmRun = (script: string, args: string[]) =>
  spawnSync("npm", ["run", "--silent", script, "--", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

describe.each(COMMANDS)("npm run %s", (script, usage) => {
  it("--help prints the usage and exits 0", () => {
    // Act
    const result = npmRun(script, ["--help"]);
    // Assess
    expect(result.stdout).toMatch(usage);
    expect(result.status).toBe(0);
  }, 60_000);

  it("an unknown option exits 2 with the usage, no stack trace", () => {
    // Act
    const result = npmRun(script, ["--no-such-option"]);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--no-such-option'/);
    expect(result.stderr).toMatch(usage);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

it("build:web --help lists every option it accepts, --hash-names included", () => {
  const result = npmRun("build:web", ["--help"]);
  // Each on a line of its own that says what it does, not only in the synopsis.
  for (const option of ["--out", "--api-url", "--hash-names", "--help"])
    expect(result.stdout).toMatch(new RegExp(`^\\s+(-h, )?${option}\\b.*\\S`, "m"));
}, 60_000);

it("npm start --help lists --watch and --inspect, each with what it does", () => {
  const result = spawnSync("npm", ["start", "--silent", "--", "--help"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.status).toBe(0);
  for (const option of ["--watch", "--inspect\\[=<port>\\]"])
    expect(result.stdout).toMatch(new RegExp(`^\\s+${option}\\s+\\S.*`, "m"));
}, 60_000);
