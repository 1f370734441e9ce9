/** The order tracker page, built for this origin (its API is on the same HTTP port) into `.build/web`. */
import path from "node:path";
import { buildWebPage } from "@awsomepets/web/build";

export async function webPage(root: string) {
  const outDir = path.join(root, ".build", "web");
  await buildWebPage({ outDir, apiUrl: "" });
  return outDir;
}
