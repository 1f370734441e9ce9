/** API Gateway's token bucket: the burst at once, then the rate per second. */
import { expect, it } from "vitest";
import { routeThrottles, TokenBucket } from "../src/throttle";

it("lets the burst through at once, then one request per 1/rate seconds", () => {
  // Prepare
  let now = 0;
  const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, () => now);

  // Act + Assess
  expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  now = 499;
  expect(bucket.take()).toBe(false);
  now = 500;
  expect(bucket.take()).toBe(true);
  now = 10_000;
  expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
});

it("gives each route its own bucket, its own settings before the default, and leaves unconfigured routes alone", () => {
  // Prepare
  const admit = routeThrottles(
    { default: { rateLimit: 1, burstLimit: 1 }, routes: { $connect: { rateLimit: 1, burstLimit: 2 } } },
    () => 0,
  );
  const unthrottled = routeThrottles({}, () => 0);

  // Act + Assess
  expect([admit("$connect"), admit("$connect"), admit("$connect")]).toEqual([true, true, false]);
  expect([admit("sync"), admit("sync")]).toEqual([true, false]);
  expect(admit("$default")).toBe(true);
  expect(Array.from({ length: 100 }, () => unthrottled("sync")).every(Boolean)).toBe(true);
});
