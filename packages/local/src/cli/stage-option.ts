/** A stage given to a command (`--stage`, `LOCAL_STAGE`), checked by core's one rule: exit 2 and a name to try. */
import * as StageName from "@awsomepets/core/platform/stage-name";
import { UsageError } from "./cli-errors";

export function parseStage(stage: string, source = "--stage") {
  const problem = StageName.stageNameProblem(stage, source);
  if (problem) throw new UsageError(problem, false);
  return stage;
}
