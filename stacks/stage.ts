/**
 * Whether the stage being deployed keeps its data (retained tables with point-in-time recovery and
 * deletion protection, longer log retention): a deploy setting (`DISPOSABLE_STAGE`, read by core's
 * `Topology.stageKeepsData`), never a guess from the stage's name — a stage named `live` holding real
 * orders keeps them unless it was declared disposable. SST prints a VisibleError without a stack trace.
 */
import { VisibleError } from "sst/error.js";
import * as Topology from "@awsomepets/core/platform/topology";

export function stageKeepsData(env: Record<string, string | undefined> = process.env): boolean {
  try {
    return Topology.stageKeepsData(env);
  } catch (error) {
    throw new VisibleError(`Deploy setting refused: ${(error as Error).message}`);
  }
}
