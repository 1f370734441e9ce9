/** Handlers for the pool tests: each reports what its execution environment holds. */
import { appendFileSync, existsSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { state } from "./module-state";

/** `startedFile` gets a line when the invocation starts; it then runs until `untilFile` exists. */
type Event = { waitMs?: number; startedFile?: string; untilFile?: string };
type Context = {
  functionName: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
};

export async function handler(event: Event, context: Context) {
  state.invocations++;
  if (event.startedFile) appendFileSync(event.startedFile, `${threadId}\n`);
  while (event.untilFile && !existsSync(event.untilFile)) await new Promise((resolve) => setTimeout(resolve, 10));
  if (event.waitMs) await new Promise((resolve) => setTimeout(resolve, event.waitMs));
  return {
    invocations: state.invocations,
    threadId,
    greeting: process.env.GREETING ?? null,
    hostOnly: process.env.POOL_TEST_HOST_ONLY ?? null,
    functionNameVariable: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionName: context.functionName,
    memoryLimitInMB: context.memoryLimitInMB,
    awsRequestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
  };
}

export const hang = () => new Promise(() => {});

class PaymentDeclined extends Error {
  override name = "PaymentDeclined";
}
export async function fail() {
  throw new PaymentDeclined("card expired");
}

export async function crash() {
  process.exit(3);
}

export async function chatty(event: { text: string }) {
  console.log("plain %s", event.text);
  console.error(JSON.stringify({ level: "ERROR", message: event.text }));
  return "said";
}

/** Holds `mb` MB of its heap until it returns, then drops it: garbage for its environment to collect. */
export async function litter(event: { mb: number }) {
  const held = Array.from({ length: event.mb }, () => new Array<number>(131_072).fill(1.5));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { held: held.length };
}
