/** The order tracker page, built for this origin (its API is on the same HTTP port) into `.build/web`. */
import path from "node:path";
import { buildWebPage } from "@awsomepets/web/build";

export const webPageDir = (root: string) => path.join(root, ".build", "web");

export async function webPage(root: string) {
  const outDir = webPageDir(root);
  await buildWebPage({ outDir, apiUrl: "" });
  return outDir;
}
