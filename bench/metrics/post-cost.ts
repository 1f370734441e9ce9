/**
 * post_cpu_us: the CPU one `@connections` post costs the process that makes it, ours
 * (core's `postToConnection`: the client's signer and HTTP handler, no command middleware) against
 * the SDK's `client.send(new PostToConnectionCommand(…))` — the figure behind delivery/signed-post.ts.
 * Both post to a trivial local HTTP server in this process (its share is the same for both), 64 in
 * flight as a fan-out does; rounds alternate between the two, and the median round is the figure.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import pLimit from "p-limit";
import * as Delivery from "@awsomepets/core/delivery/fan-out";
import * as Aws from "@awsomepets/core/platform/aws";
import { median, round } from "../lib/stats";

export type PostCost = { ours_us: number; sdk_command_us: number; posts_per_round: number; rounds: number };

export async function measurePostCost(options = { posts: 2000, rounds: 5 }): Promise<PostCost> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-length": "0" }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`;
  // Both clients exactly as the functions build them, with dummy credentials from the environment
  // (what Lambda gives them), restored afterwards: nothing here reaches AWS.
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench" });
  const ours = Aws.managementClient(endpoint, Delivery.DEFAULT_CONCURRENCY);
  const sdk = Aws.managementClient(endpoint, Delivery.DEFAULT_CONCURRENCY);
  const frame = new TextEncoder().encode(
    JSON.stringify({
      type: "status",
      orderId: "00000000-0000-4000-8000-000000000000",
      status: "paid",
      occurredAt: "2026-11-26T10:00:00.000Z",
      seq: 3,
    }),
  );

  const cpuPerPost = async (post: (connectionId: string) => Promise<unknown>) => {
    const limit = pLimit(Delivery.DEFAULT_CONCURRENCY);
    const before = process.cpuUsage();
    await Promise.all(Array.from({ length: options.posts }, (_, i) => limit(() => post(`bench-${i}=`))));
    const used = process.cpuUsage(before);
    return (used.user + used.system) / options.posts;
  };
  const oursPost = async (id: string) => {
    const outcome = await Delivery.postToConnection(ours, id, frame);
    if (outcome.result !== "delivered") throw new Error(`post answered ${outcome.result}`);
  };
  const sdkPost = (id: string) => sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: frame }));
  try {
    // One warm-up round each: the first posts pay for connections and lazy initialisation.
    await cpuPerPost(oursPost);
    await cpuPerPost(sdkPost);
    const oursRounds: number[] = [];
    const sdkRounds: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      oursRounds.push(await cpuPerPost(oursPost));
      sdkRounds.push(await cpuPerPost(sdkPost));
    }
    return {
      ours_us: round(median(oursRounds)),
      sdk_command_us: round(median(sdkRounds)),
      posts_per_round: options.posts,
      rounds: options.rounds,
    };
  } finally {
    process.env = saved;
    ours.destroy();
    sdk.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
}
