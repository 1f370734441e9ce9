/**
 * The callback-link signing secret: LOCAL_CALLBACK_TOKEN_SECRET when set; else, with `--data-dir`,
 * the one kept in `<dir>/token-secret` (created on first run), so links handed out survive restarts;
 * else a new one per run.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RuntimeConfig } from "./config";

export const TOKEN_SECRET_FILE = "token-secret";

export function resolveTokenSecret(config: RuntimeConfig): RuntimeConfig {
  if (config.tokenSecret) return { ...config, tokenSecretOrigin: config.tokenSecretOrigin ?? "configuration" };
  if (!config.dataDir) {
    return {
      ...config,
      tokenSecret: randomBytes(32).toString("base64url"),
      tokenSecretGenerated: true,
      tokenSecretOrigin: "generated",
    };
  }
  const file = path.join(config.dataDir, TOKEN_SECRET_FILE);
  let secret: string | undefined;
  try {
    secret = readFileSync(file, "utf8").trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!secret) {
    secret = randomBytes(32).toString("base64url");
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  }
  return { ...config, tokenSecret: secret, tokenSecretGenerated: false, tokenSecretOrigin: "data-dir" };
}
