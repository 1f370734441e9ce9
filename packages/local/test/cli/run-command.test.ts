import { expect, it } from "vitest";
import { CommandError, HelpRequested, UsageError } from "../../src/cli/cli-errors";
import { runCommand } from "../../src/cli/run-command";

async function run(main: Parameters<typeof runCommand>[2]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand("demo", "Usage: demo", main, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

it("exits 0 (or the returned code) when main succeeds", async () => {
  expect((await run(async () => {})).code).toBe(0);
  expect((await run(async () => 1)).code).toBe(1);
});

it("answers a wrong flag with exit 2, one line and the usage; a wrong value without the usage", async () => {
  expect(
    await run(async () => {
      throw new UsageError("Unknown option '--x'");
    }),
  ).toEqual({ code: 2, out: [], err: ["demo: Unknown option '--x'", "Usage: demo"] });
  expect(
    await run(async () => {
      throw new UsageError("--status: bad", false);
    }),
  ).toEqual({ code: 2, out: [], err: ["demo: --status: bad"] });
});

it("answers a failure with exit 1 and one line, no stack", async () => {
  expect(
    await run(async () => {
      throw new CommandError("No local runtime is running");
    }),
  ).toEqual({ code: 1, out: [], err: ["demo: No local runtime is running"] });
});

it("prints the usage on stdout for --help", async () => {
  expect(
    await run(async () => {
      throw new HelpRequested();
    }),
  ).toEqual({ code: 0, out: ["Usage: demo"], err: [] });
});

it("shows the stack of a bug", async () => {
  const result = await run(async () => {
    throw new TypeError("oops");
  });
  expect(result.code).toBe(1);
  expect(result.err[0]).toMatch(/^demo failed: TypeError: oops\n\s+at /);
});
