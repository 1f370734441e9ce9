/** The edge's rate-based rules as `npm start` models WAF's: per address, over a sliding window, in order. */
import { expect, it } from "vitest";
import { edgeRateLimiter, type EdgeRequest } from "../src/edge-rate-limit";

const post = (sourceIp: string): EdgeRequest => ({ sourceIp, method: "POST", path: "/orders" });
const get = (sourceIp: string): EdgeRequest => ({ sourceIp, method: "GET", path: "/catalogue" });
const rules = [
  { name: "Orders", limit: 3, windowSeconds: 10, matches: (r: EdgeRequest) => r.method === "POST" },
  { name: "All", limit: 5, windowSeconds: 10, matches: () => true },
];

it("refuses an address past its limit in the window, and only that address", () => {
  // Prepare
  const now = 0;
  const admit = edgeRateLimiter(rules, () => now);

  // Act + Assess
  expect([1, 2, 3, 4].map(() => admit(post("10.0.0.1")).allowed)).toEqual([true, true, true, false]);
  expect(admit(post("10.0.0.1"))).toEqual({ allowed: false, rule: "Orders" });
  expect(admit(post("10.0.0.2")).allowed).toBe(true);
});

it("lets an address in again once its requests leave the window, and keeps a flooder out while it floods", () => {
  // Prepare
  let now = 0;
  const admit = edgeRateLimiter(rules, () => now);
  for (let i = 0; i < 3; i++) admit(post("10.0.0.1"));

  // Act + Assess: refused requests count, so one more every second keeps the address refused
  for (now = 1_000; now < 10_000; now += 1_000) expect(admit(post("10.0.0.1")).allowed).toBe(false);
  now = 19_000; // every request above is out of the 10-second window by now
  expect(admit(post("10.0.0.1")).allowed).toBe(true);
});

it("evaluates the rules in order: a request the first rule blocks is not counted by the next", () => {
  // Prepare
  const admit = edgeRateLimiter(rules, () => 0);

  // Act: 3 posts pass both rules, 10 more are blocked by the first and never counted by "All"
  for (let i = 0; i < 13; i++) admit(post("10.0.0.1"));

  // Assess: "All" has counted 3, so 2 GETs pass, the third is its sixth request
  expect([get("10.0.0.1"), get("10.0.0.1"), get("10.0.0.1")].map((r) => admit(r))).toEqual([
    { allowed: true },
    { allowed: true },
    { allowed: false, rule: "All" },
  ]);
});
