/**
 * Checks an AWS Signature Version 4 the way API Gateway does, written from AWS's specification
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) with node:crypto and
 * no SDK code, so that a request signed by the SDK and one signed by our lean `@connections` post are
 * both judged by something that shares neither's implementation. Non-S3 rules: each path segment is
 * URI-encoded once more than it arrived; the payload is hashed.
 */
import { createHash, createHmac } from "node:crypto";

export type Credentials = { accessKeyId: string; secretAccessKey: string };
export type Received = {
  method: string;
  rawPath: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** `undefined` if the signature holds, else why not. */
export function sigv4Problem(
  request: Received,
  credentials: Credentials,
  expected: { region: string; service: string },
) {
  const authorization = header(request, "authorization");
  const match = AUTH.exec(authorization ?? "");
  if (!match) return `no SigV4 Authorization header (${authorization ?? "none"})`;
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) return `unknown access key ${accessKeyId}`;
  if (region !== expected.region || service !== expected.service)
    return `scope ${region}/${service}, expected ${expected.region}/${expected.service}`;
  const amzDate = header(request, "x-amz-date") ?? "";
  if (!amzDate.startsWith(day!)) return `x-amz-date ${amzDate} outside the scope's day ${day}`;
  const names = signedHeaders!.split(";");
  if (!names.includes("host")) return "host is not signed";
  const [path, query = ""] = request.rawPath.split("?");
  const canonicalRequest = [
    request.method,
    path!.split("/").map(escapeSegment).join("/"),
    canonicalQuery(query),
    names.map((name) => `${name}:${(header(request, name) ?? "").trim().replace(/\s+/g, " ")}\n`).join(""),
    signedHeaders,
    sha256(request.body),
  ].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day!);
  for (const part of [region!, service!, "aws4_request"]) key = hmac(key, part);
  const wanted = createHmac("sha256", key).update(stringToSign).digest("hex");
  return wanted === signature ? undefined : "signature does not match";
}

function header(request: Received, name: string) {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
function escapeSegment(segment: string) {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query: string) {
  if (!query) return "";
  return query
    .split("&")
    .map((pair) => pair.split("=").map((part) => escapeSegment(decodeURIComponent(part))))
    .sort(([a = "", b = ""], [c = "", d = ""]) => (a === c ? (b < d ? -1 : 1) : a < c ? -1 : 1))
    .map(([name, value = ""]) => `${name}=${value}`)
    .join("&");
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
