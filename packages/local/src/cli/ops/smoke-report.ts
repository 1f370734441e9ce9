/**
 * How `npm run smoke` reports: one line per check, `PASS|FAIL|SKIP <name>: <the assumption> — <what it
 * saw>`, and the first FAIL ends the run (what follows would rest on it). A check passes by returning
 * what it saw, fails by throwing `Failed` with it; any other error is a FAIL with the error's message.
 */
import { explainAwsError } from "../aws-error-message";

export type Outcome = "PASS" | "FAIL" | "SKIP";

/** A check's own verdict: the assumption does not hold, and this is what was seen. */
export class Failed extends Error {
  override readonly name = "Failed";
}

/** Thrown after the first FAIL line: the run ends with exit 1. */
export class SmokeStopped extends Error {
  override readonly name = "SmokeStopped";
}

export const line = (outcome: Outcome, name: string, assumption: string, seen: string) =>
  `${outcome} ${name}: ${assumption} — ${seen}`;

export class SmokeReport {
  readonly outcomes: Outcome[] = [];
  constructor(private readonly out: (line: string) => void) {}

  /** Runs one check; returns what it returned beside its line (`value`), or stops the run on a FAIL. */
  async check<T = undefined>(
    name: string,
    assumption: string,
    run: () => Promise<{ seen: string; value?: T }>,
  ): Promise<T> {
    let result: { seen: string; value?: T };
    try {
      result = await run();
    } catch (error) {
      const seen = error instanceof Failed ? error.message : explainAwsError(error);
      this.write("FAIL", name, assumption, seen);
      throw new SmokeStopped(name);
    }
    this.write("PASS", name, assumption, result.seen);
    return result.value as T;
  }

  skip(name: string, assumption: string, reason: string) {
    this.write("SKIP", name, assumption, reason);
  }

  private write(outcome: Outcome, name: string, assumption: string, seen: string) {
    this.outcomes.push(outcome);
    this.out(line(outcome, name, assumption, seen));
  }
}
