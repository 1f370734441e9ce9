/** Identifiers in the formats API Gateway uses, so code that logs or parses them sees familiar values. */
import { randomBytes, randomUUID } from "node:crypto";

/**
 * Connection, request and message ids look like `Zeq_kfsBIAMCIEA=`: 11 random bytes in URL-safe base64,
 * 16 characters ending in `=`. The `=` makes handlers that forget to URL-encode the id fail locally too.
 */
function apiGatewayToken() {
  return randomBytes(11).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

export const newConnectionId = apiGatewayToken;
export const newRequestId = apiGatewayToken;
export const newMessageId = apiGatewayToken;

/** API ids are 10 lower-case alphanumerics, e.g. `a1b2c3d4e5`. */
export function newApiId() {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join("");
}

/** Lambda's `awsRequestId` is a UUID. */
export const newAwsRequestId = randomUUID;
