/**
 * The two ways a local command fails on purpose, each with its exit code: the caller asked for
 * something invalid (2, with usage), or the world is not as needed (1: no runtime, no credentials).
 * Both are shown as one line, never as a stack trace.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode = 2;

  /** The usage helps with a wrong flag, not with a wrong value (the message names the field). */
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

export class CommandError extends Error {
  override readonly name = "CommandError";
  readonly exitCode = 1;
}

/** `--help`: the usage on stdout and exit 0. */
export class HelpRequested extends Error {
  override readonly name = "HelpRequested";
}
