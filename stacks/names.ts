/**
 * Physical names within AWS's length limits for any stage name SST accepts (a letter, then letters,
 * digits and hyphens, of any length). Where nobody needs to type a name, the stacks leave it to
 * CloudFormation (`<stack>-<logicalId>-<random>`, always within limits); where a readable name helps
 * an operator, it is `<stage>-<app>-<name>`, shortened with a hash of the whole when too long.
 */
import { createHash } from "node:crypto";
import type { App } from "sst/constructs";

/** Limits of the names this app sets itself (AWS documentation of each resource). */
export const NAME_LIMITS = {
  stateMachine: 80,
  eventArchive: 48,
  httpApi: 128,
  webSocketApi: 128,
  eventBus: 256,
  stack: 128,
} as const;

const HASH_LENGTH = 8;

/** `name` if it fits in `maxLength`, else its head and an 8-hex-digit hash of the whole name. */
export function fitName(name: string, maxLength: number) {
  if (name.length <= maxLength) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, HASH_LENGTH);
  const head = name.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

/** `<stage>-<app>-<logicalName>`, fitted to `maxLength`. */
export const prefixedName = (app: App, logicalName: string, maxLength: number) =>
  fitName(app.logicalPrefixedName(logicalName), maxLength);
