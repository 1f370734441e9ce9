/** An order id given on the command line must be a UUID, as the contracts require. */
import { z } from "zod";
import { UsageError } from "./cli-errors";

const OrderId = z.uuid();

export function parseOrderId(value: string | undefined, flag = "--order-id") {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  if (!OrderId.safeParse(value).success)
    throw new UsageError(`${flag} must be a UUID, got ${JSON.stringify(value)}`, false);
  return value;
}
