/**
 * A real HTTP stand-in for API Gateway's `@connections` endpoint, for handler tests: records every
 * post, answers 410 GoneException for ids it does not know (also to GetConnection), and can be told
 * to throttle or fail. Like API Gateway it checks every request's SigV4 signature (403
 * InvalidSignatureException otherwise) against the tests' dummy credentials, so handler tests also
 * prove that our posts are signed as AWS verifies them.
 * (The full local gateway in packages/aws-local is tested on its own and checks no signature.)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sigv4Problem, type Credentials } from "./sigv4-verifier";

export type RecordedPost = { connectionId: string; frame: any };

const ERROR_TYPES: Record<number, string> = {
  403: "ForbiddenException",
  410: "GoneException",
  429: "LimitExceededException",
  500: "InternalServerErrorException",
};

/** The credentials and region the test harnesses put in the environment. */
export const TEST_SIGNING = {
  credentials: { accessKeyId: "local", secretAccessKey: "local" } as Credentials,
  region: "us-east-1",
};

export async function startConnectionsServer(stage = "test", signing = TEST_SIGNING) {
  const open = new Set<string>();
  const failures = new Map<string, { status: number; times: number }>();
  /** Every POST received, by connection id (also those answered with an error). */
  const attempts = new Map<string, number>();
  /** Every request's method, path and headers, in arrival order. */
  const requests: Array<{ method: string; url: string; headers: IncomingMessage["headers"] }> = [];
  /** Ids whose posts are never answered (a gateway that hangs). */
  const hanging = new Set<string>();
  const posts: RecordedPost[] = [];
  /** Connection ids asked about with GET (GetConnection). */
  const gets: string[] = [];
  /** Requests refused for their signature, with the reason. */
  const badSignatures: string[] = [];

  const fail = (res: ServerResponse, status: number) => {
    res.writeHead(status, {
      "content-type": "application/json",
      "x-amzn-errortype": ERROR_TYPES[status] ?? "UnknownError",
    });
    res.end(JSON.stringify({ message: ERROR_TYPES[status] ?? "error" }));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      const problem = sigv4Problem(
        { method: req.method ?? "", rawPath: req.url ?? "", headers: req.headers, body },
        signing.credentials,
        {
          region: signing.region,
          service: "execute-api",
        },
      );
      if (problem) {
        badSignatures.push(`${req.method} ${req.url}: ${problem}`);
        res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException" });
        return res.end(JSON.stringify({ message: problem }));
      }
      const match = /^\/([^/]+)\/@connections\/([^/?]+)$/.exec(req.url ?? "");
      if (!match || match[1] !== stage || !["POST", "GET"].includes(req.method ?? "")) return fail(res, 403);
      const connectionId = decodeURIComponent(match[2]!);
      if (req.method === "GET") {
        gets.push(connectionId);
        if (!open.has(connectionId)) return fail(res, 410);
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ connectedAt: new Date().toISOString(), identity: { sourceIp: "127.0.0.1" } }));
      }
      attempts.set(connectionId, (attempts.get(connectionId) ?? 0) + 1);
      if (hanging.has(connectionId)) return;
      const failure = failures.get(connectionId);
      if (failure) {
        if (--failure.times <= 0) failures.delete(connectionId);
        return fail(res, failure.status);
      }
      if (!open.has(connectionId)) return fail(res, 410);
      posts.push({ connectionId, frame: JSON.parse(body.toString("utf8")) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}/${stage}`,
    posts,
    gets,
    badSignatures,
    requests,
    open: (...ids: string[]) => {
      for (const id of ids) open.add(id);
    },
    close: (...ids: string[]) => {
      for (const id of ids) open.delete(id);
    },
    /** Posts to this id answer `status` (`times` times, or until `failWith(id, undefined)`). */
    failWith: (id: string, status: number | undefined, { times = Infinity } = {}) =>
      status ? failures.set(id, { status, times }) : failures.delete(id),
    attemptsFor: (id: string) => attempts.get(id) ?? 0,
    /** Posts to these ids get no answer at all until the server stops. */
    hang: (...ids: string[]) => {
      for (const id of ids) hanging.add(id);
    },
    framesFor: (id: string) => posts.filter((p) => p.connectionId === id).map((p) => p.frame),
    reset: () => {
      posts.length = 0;
      gets.length = 0;
      badSignatures.length = 0;
      requests.length = 0;
      failures.clear();
      attempts.clear();
      hanging.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // also the requests left hanging
      }),
  };
}
export type ConnectionsServer = Awaited<ReturnType<typeof startConnectionsServer>>;
