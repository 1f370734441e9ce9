import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

/** A conditional write lost: the expected, handled outcome of a race, not an error. */
export const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";
