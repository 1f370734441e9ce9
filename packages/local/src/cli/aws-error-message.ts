/**
 * One line that says what went wrong talking to AWS and what to do, instead of the SDK's stack:
 * missing or expired credentials, a stage that is not deployed, a local endpoint that is gone.
 */
export type AwsCallContext = {
  region?: string;
  stage?: string;
  stackName?: string;
  profile?: string;
  endpoint?: string;
};

const EXPIRED_CODES = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
]);

function errorName(error: unknown) {
  const e = error as { name?: string; Code?: string; code?: string };
  return e?.Code ?? e?.name ?? e?.code ?? "";
}

function causeCode(error: unknown): string | undefined {
  let current = error as { code?: string; cause?: unknown; errors?: unknown[] } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string" && /^E[A-Z]+$/.test(current.code)) return current.code;
    current = (current.cause ?? current.errors?.[0]) as typeof current;
  }
  return undefined;
}

const firstLine = (text: string) => text.split("\n")[0]!.trim();

export function explainAwsError(error: unknown, context: AwsCallContext = {}): string {
  const name = errorName(error);
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const region = context.region ? ` in ${context.region}` : "";

  if (
    name === "CredentialsProviderError" ||
    /Could not load credentials|Could not resolve credentials/i.test(message)
  ) {
    const profile = context.profile ? ` for profile "${context.profile}"` : "";
    return `No AWS credentials found${profile} (${message}). Set AWS_PROFILE or --profile, run \`aws sso login\`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  }
  if (EXPIRED_CODES.has(name) || /expired/i.test(message)) {
    return `The AWS credentials are expired or invalid (${name}: ${message}). Refresh them (e.g. \`aws sso login\`) and try again.`;
  }
  if (name === "ValidationError" && /does not exist/i.test(message)) {
    const stage = context.stage ? ` Is stage "${context.stage}" deployed${region}?` : "";
    return `${context.stackName ? `Stack ${context.stackName}` : "The stack"} does not exist${region}.${stage}`;
  }
  if (/AccessDenied/i.test(name)) return `Access denied by AWS${region} (${message})`;
  const code = causeCode(error);
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ENOTFOUND") {
    return `Cannot reach ${context.endpoint ?? "the AWS endpoint"} (${code})${context.endpoint?.startsWith("http://127.0.0.1") ? " — is `npm start` still running?" : ""}`;
  }
  return `${name || "Error"}${region}: ${message}`;
}
