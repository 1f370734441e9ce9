/**
 * The order tracker page, built into `.build/web` for this origin (its API is on the same HTTP port)
 * and for the local gateway's WebSocket URL: the only one its order links may point at.
 */
import path from "node:path";
import { buildWebPage } from "@awsomepets/web/build";

export const webPageDir = (root: string) => path.join(root, ".build", "web");

export async function webPage(root: string, websocketUrl: string) {
  const outDir = webPageDir(root);
  await buildWebPage({ outDir, apiUrl: "", websocketUrl });
  return outDir;
}
