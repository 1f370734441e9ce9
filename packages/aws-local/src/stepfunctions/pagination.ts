/** `maxResults` / `nextToken` paging over a list that only grows at one end. */
import { StepFunctionsError } from "./aws-json";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `maxResults` 0 or absent means the default page size, as on AWS. */
export function page<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  const size = maxResults || DEFAULT_PAGE_SIZE;
  const offset = nextToken === undefined ? 0 : offsetOf(nextToken);
  const end = offset + size;
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: tokenFor(end) } : {}) };
}

const tokenFor = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");

function offsetOf(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the error below.
  }
  throw new StepFunctionsError("InvalidToken", `Invalid Token: '${token}'`);
}
