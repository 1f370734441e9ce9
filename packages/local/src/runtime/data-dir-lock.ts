/**
 * One `npm start` per `--data-dir`. dynalite's LevelDB locks its folder only when it opens, and a
 * second runtime failed there outside any handler ("Database is closed", a stack trace) after its
 * ports were up. So the folder is claimed first, with a pid file: a live owner is named in one
 * line; a dead one's file (after `kill -9`) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CommandError } from "../cli/cli-errors";
import { isAlive } from "./state-file";

export const DATA_DIR_LOCK = "runtime.pid";

function owner(file: string) {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Claims `dataDir` for this process until it exits; throws a CommandError if a live runtime holds it. */
export function claimDataDir(dataDir: string, pid = process.pid) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATA_DIR_LOCK);
  try {
    writeFileSync(file, `${pid}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = owner(file);
    if (holder !== undefined && holder !== pid && isAlive(holder)) {
      throw new CommandError(
        `Another npm start (pid ${holder}) is using --data-dir ${dataDir}. Stop it first (Ctrl-C in its terminal, or kill ${holder}), or give this one another --data-dir.`,
      );
    }
    writeFileSync(file, `${pid}\n`);
  }
  const release = () => {
    if (owner(file) === pid) rmSync(file, { force: true });
  };
  process.once("exit", release);
  return release;
}
