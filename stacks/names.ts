/**
 * Physical names within AWS's length limits for any stage name the commands accept (a letter, then
 * letters, digits and hyphens, at most MAX_STAGE_LENGTH: packages/core/src/platform/stage-name.ts). Where nobody
 * needs to type a name, the stacks leave it to CloudFormation (`<stack>-<logicalId>-<random>`, always
 * within limits); where a readable name helps an operator, it is `<stage>-<app>-<name>`, shortened
 * with a hash of the whole when too long.
 */
import type { App } from "sst/constructs";

import * as StageName from "@awsomepets/core/platform/stage-name";

export const { fitName, NAME_LIMITS } = StageName;

/** `<stage>-<app>-<logicalName>`, fitted to `maxLength`. */
export const prefixedName = (app: App, logicalName: string, maxLength: number) =>
  fitName(app.logicalPrefixedName(logicalName), maxLength);
