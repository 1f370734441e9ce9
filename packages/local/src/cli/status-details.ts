/**
 * Turns what `publish-status` was given (flags, or a JSON file of details) into validated
 * "Order Status Changed" details. Every detail is checked with the contract's own zod schema, and a
 * problem is reported as the flag or file position and field that is wrong.
 */
import * as z from "zod/mini";
import { en } from "zod/locales";
import * as OrderStatus from "@awsomepets/core/status/event";

// The schemas are zod/mini (lean Lambda bundles), which carries no messages; a command's user reads them.
z.config(en());
import { UsageError } from "./cli-errors";

export type StatusFlags = {
  orderId?: string;
  status?: string;
  reason?: string;
  amountPaid?: string;
  occurredAt?: string;
};

const FLAG_OF_FIELD: Record<string, string> = {
  orderId: "--order-id",
  status: "--status",
  occurredAt: "--occurred-at",
  reason: "--reason",
  amountPaid: "--amount-paid",
};

/** One line per problem, e.g. `--status: Invalid option: expected one of "placed"|…`. */
function describeIssues(issues: z.core.$ZodIssue[], fieldName: (field: string) => string) {
  return issues.map((issue) => `${fieldName(issue.path.map(String).join("."))}: ${issue.message}`).join("; ");
}

/** A number flag: empty or non-numeric text becomes NaN, which the schema rejects by name. */
const toNumber = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));

export function detailFromFlags(flags: StatusFlags, now: Date): OrderStatus.StatusRecord {
  const input = {
    orderId: flags.orderId,
    status: flags.status,
    occurredAt: flags.occurredAt ?? now.toISOString(),
    ...(flags.reason !== undefined && { reason: flags.reason }),
    ...(flags.amountPaid !== undefined && { amountPaid: toNumber(flags.amountPaid) }),
  };
  const parsed = OrderStatus.StatusRecord.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(
      `invalid status event: ${describeIssues(parsed.error.issues, (field) => FLAG_OF_FIELD[field] ?? field)}`,
      false,
    );
  }
  return parsed.data;
}

/**
 * The file is a JSON array of details, published in its order. A detail without `occurredAt` gets
 * `now` plus its index in milliseconds, so that the timeline (sorted by `occurredAt`) keeps the
 * file's order even when events of one batch arrive in another order.
 */
export function detailsFromFile(text: string, fileName: string, now: Date): OrderStatus.StatusRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${fileName} is not valid JSON: ${(error as Error).message}`, false);
  }
  if (!Array.isArray(json) || json.length === 0)
    throw new UsageError(`${fileName} must hold a non-empty JSON array of status events`, false);
  return json.map((entry, index) => {
    const label = `${fileName}[${index}]`;
    const withTime =
      typeof entry === "object" && entry !== null && !Array.isArray(entry) && !("occurredAt" in entry)
        ? { ...entry, occurredAt: new Date(now.getTime() + index).toISOString() }
        : entry;
    const parsed = OrderStatus.StatusRecord.safeParse(withTime);
    if (!parsed.success) {
      throw new UsageError(
        `invalid status event: ${describeIssues(parsed.error.issues, (field) => (field ? `${label}.${field}` : label))}`,
        false,
      );
    }
    return parsed.data;
  });
}
