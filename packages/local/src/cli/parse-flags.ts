/**
 * `node:util` parseArgs, strict, with its errors (unknown flag, missing value, stray argument)
 * turned into UsageError so that every command answers them with exit 2 and its usage.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./cli-errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseFlags<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
}
