/**
 * `npm start`'s stand-in for the edge (CloudFront with its AWS WAF web ACL, stacks/edge.ts): one set
 * of per-address counts in front of both the order API and the WebSocket upgrades, as one web ACL
 * serves both distributions, with the rules and the refusal core declares (`Topology.EDGE_RULES`,
 * `Topology.EDGE_REFUSAL`), adding the edge's origin header to what it admits (core's platform/origin-verify.ts).
 * Where the model differs from WAF: packages/aws-local/src/edge-rate-limit.ts.
 */
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as Topology from "@awsomepets/core/platform/topology";
import type * as Tunables from "@awsomepets/core/platform/tunables";
import { edgeRateLimiter, type EdgeOptions } from "@awsomepets/aws-local/edge-rate-limit";

export function localEdge(rules: Tunables.EdgeRules = Topology.EDGE_RULES, originVerify?: string): EdgeOptions {
  const admit = edgeRateLimiter(
    Object.entries(rules).map(([name, rule]) => ({
      name,
      limit: rule.limit,
      windowSeconds: rule.windowSeconds,
      matches: (request) => Topology.edgeScopeMatches(rule.scope, request),
    })),
  );
  // The header CloudFront adds to what it passes on (stacks/edge.ts): the functions behind refuse a
  // request without it, so the runtime's origins reached around this edge refuse as a stage does.
  return {
    admit,
    refusal: Topology.EDGE_REFUSAL,
    ...(originVerify && { originHeaders: { [OriginVerify.HEADER]: originVerify } }),
  };
}
