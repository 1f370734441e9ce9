/**
 * Stage names, checked once for every command that takes one (`npm start`, the local and operator
 * commands with `--stage`, `npm run synth`, `npm run deploy`): SST's rule (a letter, then letters,
 * digits and hyphens) and the longest stage whose names all fit AWS's limits. Where nobody types a
 * name, the stacks leave it to CloudFormation; the readable names this app sets itself are shortened
 * with a hash when too long (`fitName`); only the stack names carry the stage whole, so they set
 * the limit.
 */
import { createHash } from "node:crypto";
import { APP_NAME } from "./topology";

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

/** The app's stacks (sst.config.ts); SST names each `<stage>-<app>-<id>`. */
export const STACK_IDS = ["Callbacks", "Orders", "Web"] as const;
export const stackNameOf = (stage: string, id: (typeof STACK_IDS)[number]) => `${stage}-${APP_NAME}-${id}`;

/** SST's own rule for a stage name (sst/project.js, isValidStageName). */
export const STAGE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/** The longest stack name bounds the stage: CloudFormation allows 128 characters (97 for the stage). */
const longestStack = STACK_IDS.reduce((a, b) => (stackNameOf("", a).length >= stackNameOf("", b).length ? a : b));
export const MAX_STAGE_LENGTH = NAME_LIMITS.stack - stackNameOf("", longestStack).length;

/** The nearest valid name: what is not a letter, digit or hyphen becomes one hyphen; cut to the limit. */
export function sanitizeStageName(stage: string) {
  const name = stage
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^A-Za-z]+/, "")
    .slice(0, MAX_STAGE_LENGTH)
    .replace(/-+$/, "");
  return name || undefined;
}

/**
 * Why `stage` cannot be used, in one sentence with a valid name to try, or undefined when it is
 * fine. `source` is how the user gave it (`--stage`, `LOCAL_STAGE`), so the suggestion can be pasted.
 */
export function stageNameProblem(stage: string, source = "--stage"): string | undefined {
  const suggestion = sanitizeStageName(stage);
  const tryIt = suggestion
    ? ` Try ${source.startsWith("-") ? `${source} ${suggestion}` : `${source}=${suggestion}`}`
    : "";
  if (!STAGE_NAME_PATTERN.test(stage)) {
    return `${source} ${JSON.stringify(stage)} is not a stage name: it must start with a letter and hold only letters, digits and hyphens, as it goes into AWS resource names.${tryIt}`;
  }
  if (stage.length > MAX_STAGE_LENGTH) {
    return `${source} is ${stage.length} characters long; at most ${MAX_STAGE_LENGTH} fit, as CloudFormation limits the stack name ${stackNameOf("<stage>", longestStack)} to ${NAME_LIMITS.stack} characters.${tryIt}`;
  }
  return undefined;
}
