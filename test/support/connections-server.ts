/**
 * A real HTTP stand-in for API Gateway's `@connections` endpoint, for handler tests: records every
 * post, answers 410 GoneException for ids it does not know (also to GetConnection), and can be told
 * to throttle or fail.
 * (The full local gateway in packages/local is tested on its own.)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedPost = { connectionId: string; frame: any };

const ERROR_TYPES: Record<number, string> = {
  403: "ForbiddenException",
  410: "GoneException",
  429: "LimitExceededException",
  500: "InternalServerErrorException",
};

export async function startConnectionsServer(stage = "test") {
  const open = new Set<string>();
  const failures = new Map<string, number>();
  const posts: RecordedPost[] = [];
  /** Connection ids asked about with GET (GetConnection). */
  const gets: string[] = [];

  const fail = (res: ServerResponse, status: number) => {
    res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": ERROR_TYPES[status] ?? "UnknownError" });
    res.end(JSON.stringify({ message: ERROR_TYPES[status] ?? "error" }));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/([^/]+)\/@connections\/([^/?]+)$/.exec(req.url ?? "");
    if (!match || match[1] !== stage || !["POST", "GET"].includes(req.method ?? "")) return fail(res, 403);
    const connectionId = decodeURIComponent(match[2]!);
    if (req.method === "GET") {
      gets.push(connectionId);
      if (!open.has(connectionId)) return fail(res, 410);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ connectedAt: new Date().toISOString(), identity: { sourceIp: "127.0.0.1" } }));
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const failure = failures.get(connectionId);
      if (failure) return fail(res, failure);
      if (!open.has(connectionId)) return fail(res, 410);
      posts.push({ connectionId, frame: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}/${stage}`,
    posts,
    gets,
    open: (...ids: string[]) => ids.forEach((id) => open.add(id)),
    close: (...ids: string[]) => ids.forEach((id) => open.delete(id)),
    /** Every post to this id answers `status` until `failWith(id, undefined)`. */
    failWith: (id: string, status: number | undefined) => (status ? failures.set(id, status) : failures.delete(id)),
    framesFor: (id: string) => posts.filter((p) => p.connectionId === id).map((p) => p.frame),
    reset: () => {
      posts.length = 0;
      gets.length = 0;
      failures.clear();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type ConnectionsServer = Awaited<ReturnType<typeof startConnectionsServer>>;
