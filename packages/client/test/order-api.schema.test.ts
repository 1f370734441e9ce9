/**
 * src/order-api.schema.ts is committed exactly as openapi-typescript generates it from the order API's
 * contract document (itself generated from core by `npm run contracts`): `npm run contracts:client`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "@test-support/local-runtime";

it("is what openapi-typescript generates from docs/contracts/order-api.openapi.json", () => {
  const generated = execFileSync(
    path.join(ROOT, "node_modules", ".bin", "openapi-typescript"),
    ["docs/contracts/order-api.openapi.json"],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const committed = readFileSync(path.join(ROOT, "packages/client/src/order-api.schema.ts"), "utf8");
  expect(committed, "packages/client/src/order-api.schema.ts is stale: run npm run contracts:client").toBe(generated);
});
