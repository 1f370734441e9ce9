/**
 * The entry point shared by the local commands: runs `main`, maps its failures to one line on
 * stderr and an exit code (2 usage, 1 failure). Only a bug (any other error) prints a stack.
 */
import { CommandError, HelpRequested, UsageError } from "./cli-errors";

export type CommandIo = {
  out: (line: string) => void;
  err: (line: string) => void;
};

export const processIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Returns the exit code instead of exiting, so that tests can run a command's logic in-process. */
export async function runCommand(
  name: string,
  usage: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: a command's main may end without an exit code (0)
  main: () => Promise<number | void>,
  io: CommandIo = processIo,
) {
  try {
    return (await main()) ?? 0;
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.out(usage);
      return 0;
    }
    if (error instanceof UsageError) {
      io.err(`${name}: ${error.message}`);
      if (error.showUsage) io.err(usage);
      return error.exitCode;
    }
    if (error instanceof CommandError) {
      io.err(`${name}: ${error.message}`);
      return error.exitCode;
    }
    io.err(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

/** For the command files: runs the command, then exits with its code once stdout/stderr are flushed. */
// biome-ignore lint/suspicious/noConfusingVoidType: as above
export function runAsScript(name: string, usage: string, main: () => Promise<number | void>) {
  void runCommand(name, usage, main).then((code) => {
    process.exitCode = code;
  });
}
