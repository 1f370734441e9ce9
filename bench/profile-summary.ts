/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile>…`: where a CPU profile's time went — self time
 * by package (node_modules/<pkg>, our packages/<name>, node internals), largest first. For the
 * profiles `npm run bench -- --cpu-prof` writes to bench/results/profiles.
 */
import { readFileSync } from "node:fs";

type Node = { id: number; callFrame: { url: string; functionName: string } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function bucket(url: string, functionName: string) {
  if (!url)
    return functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)"
      ? functionName
      : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = /\/(packages\/[^/]+|bench)\//.exec(url)?.[1];
  if (ours) return ours;
  return url.startsWith("node:") ? "node internals" : url;
}

const files = process.argv.slice(2);
if (files.length === 0 || files.includes("--help") || files.includes("-h")) {
  process.stdout.write("Usage: npx tsx bench/profile-summary.ts <file.cpuprofile>...\n");
  process.exit(files.length === 0 ? 2 : 0);
}
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const key = bucket(node.callFrame.url, node.callFrame.functionName);
    const dt = profile.timeDeltas[i] ?? 0;
    totals.set(key, (totals.get(key) ?? 0) + dt);
    all += dt;
  });
  const busy = all - (totals.get("(idle)") ?? 0);
  process.stdout.write(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy\n`);
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    if (key === "(idle)") continue;
    process.stdout.write(`  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${key}\n`);
  }
}
