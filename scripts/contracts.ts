/**
 * `npm run contracts [-- --check]`: writes the contract documents (AsyncAPI, OpenAPI, the event's
 * JSON Schema) generated from core's schemas to docs/contracts/, or with --check only says which
 * differ from the committed ones (exit 1).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { CONTRACTS_DIR, generateContracts } from "./contracts/index";

const USAGE = `Usage: npm run contracts [-- --check]
  Writes the contract documents generated from packages/core to ${CONTRACTS_DIR}/.
  --check     write nothing; exit 1 if a committed document differs from a fresh generation
  -h, --help  this help`;

const values = (() => {
  try {
    return parseArgs({ options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (error) {
    console.error(`contracts: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const dir = path.resolve(import.meta.dirname, "..", CONTRACTS_DIR);
const generated = generateContracts();
const present = existsSync(dir) ? readdirSync(dir) : [];
const stale = present.filter((name) => !(name in generated));
const changed = Object.entries(generated)
  .filter(
    ([name, content]) => !existsSync(path.join(dir, name)) || readFileSync(path.join(dir, name), "utf8") !== content,
  )
  .map(([name]) => name);

if (values.check) {
  for (const name of [...changed, ...stale])
    console.error(`contracts: ${CONTRACTS_DIR}/${name} is out of date; run npm run contracts`);
  process.exit(changed.length + stale.length ? 1 : 0);
}
mkdirSync(dir, { recursive: true });
for (const name of changed) writeFileSync(path.join(dir, name), generated[name]!);
for (const name of stale) rmSync(path.join(dir, name));
console.log(
  changed.length + stale.length
    ? `contracts: wrote ${changed.map((n) => `${CONTRACTS_DIR}/${n}`).join(", ") || "nothing"}${stale.length ? `; removed ${stale.join(", ")}` : ""}`
    : `contracts: ${CONTRACTS_DIR}/ is up to date`,
);
