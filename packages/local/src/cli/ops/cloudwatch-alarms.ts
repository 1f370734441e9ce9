/**
 * CloudWatch `DescribeAlarms` for `npm run smoke`: the stage's alarms are those that notify its alarm
 * topic (`ActionPrefix` = the `AlarmTopicArn` output: every alarm of both stacks notifies it).
 * No CloudWatch SDK client is installed (and the project adds no npm dependency), so this is the
 * API's Query protocol (form-encoded POST, XML answer; botocore 1.43's model lists it beside
 * smithy-rpc-v2-cbor and json), signed with the SDK's own SigV4 signer (@smithy/signature-v4, which
 * every installed client depends on; the signature checked equal to botocore's for one request) and
 * the credentials an installed client resolves from the standard chain.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

export type AlarmState = { name: string; state: string };
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === "string" ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** The hash SignatureV4 asks for, from node:crypto. */
class Sha256 {
  #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData) {
    this.#hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.#hash.digest());
  }
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeXml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]!);
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, "g"))].map((m) => unescapeXml(m[1]!));

/**
 * One page of a DescribeAlarms answer. Each metric alarm has exactly one `AlarmName` and one
 * `StateValue` (its nested lists, dimensions and actions, hold neither), so the two lists pair up.
 */
export function readDescribeAlarms(xml: string): { alarms: AlarmState[]; nextToken?: string } {
  const names = all(xml, "AlarmName");
  const states = all(xml, "StateValue");
  if (names.length !== states.length) throw new Error(`DescribeAlarms answered ${names.length} alarm names but ${states.length} states`);
  const nextToken = all(xml, "NextToken")[0];
  return { alarms: names.map((name, i) => ({ name, state: states[i]! })), ...(nextToken && { nextToken }) };
}

/** An error answer (`<Error><Code>…</Code><Message>…</Message>`) as an Error named by its code, as the SDK names its exceptions. */
function awsError(status: number, xml: string) {
  const error = new Error(all(xml, "Message")[0] ?? `CloudWatch answered HTTP ${status}`);
  error.name = all(xml, "Code")[0] ?? `HTTP${status}`;
  return error;
}

export async function describeAlarmsNotifying(options: {
  topicArn: string;
  region: string;
  credentials: () => Promise<Credentials>;
  /** `https://monitoring.<region>.amazonaws.com` unless given (tests: a stub of AWS). */
  endpoint?: string;
}): Promise<AlarmState[]> {
  const endpoint = new URL(options.endpoint ?? `https://monitoring.${options.region}.amazonaws.com`);
  const signer = new SignatureV4({ service: "monitoring", region: options.region, credentials: options.credentials, sha256: Sha256 });
  const alarms: AlarmState[] = [];
  let nextToken: string | undefined;
  do {
    const form = new URLSearchParams({ Action: "DescribeAlarms", Version: "2010-08-01", ActionPrefix: options.topicArn, MaxRecords: "100" });
    if (nextToken) form.set("NextToken", nextToken);
    const body = form.toString();
    const signed = await signer.sign({
      method: "POST",
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port && { port: Number(endpoint.port) }),
      path: "/",
      query: {},
      headers: { host: endpoint.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
    });
    // fetch sets Host itself (to the same value that was signed).
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(new URL("/", endpoint), { method: "POST", headers, body });
    const xml = await response.text();
    if (!response.ok) throw awsError(response.status, xml);
    const page = readDescribeAlarms(xml);
    alarms.push(...page.alarms);
    nextToken = page.nextToken;
  } while (nextToken);
  return alarms;
}
