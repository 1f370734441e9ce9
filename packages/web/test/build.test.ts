/** The page build: the files it writes, and the API URL injected so that SST's deploy-time replacement works. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildWebPage } from "../build";
import { ROOT } from "./support/runtime";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "web-build-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("buildWebPage", () => {
  it("writes index.html, app.js and styles.css, and index.html loads the other two", async () => {
    // Prepare
    const outDir = tempDir();
    // Act
    await buildWebPage({ outDir, apiUrl: "", websocketUrl: "ws://127.0.0.1:3001/local" });
    // Assess
    expect(readdirSync(outDir).sort()).toEqual(["app.js", "index.html", "styles.css"]);
    const html = readFileSync(path.join(outDir, "index.html"), "utf8");
    expect(html).toContain('src="app.js"');
    expect(html).toContain('href="styles.css"');
  });

  it("leaves nothing inline that the site's Content-Security-Policy (script-src/style-src 'self') would block", async () => {
    const outDir = tempDir();
    await buildWebPage({ outDir, apiUrl: "", websocketUrl: "ws://127.0.0.1:3001/local" });
    const html = readFileSync(path.join(outDir, "index.html"), "utf8");
    expect(html.match(/<script\b[^>]*>/g)).toEqual([
      '<script type="module" src="app.js"></script>'.replace("</script>", ""),
    ]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
  });

  it("keeps SST's placeholder as one whole string literal through minification, so the deploy can replace it", async () => {
    // Prepare
    const outDir = tempDir();
    // Act
    await buildWebPage({ outDir, apiUrl: "{{ API_URL }}", websocketUrl: "{{ WEBSOCKET_URL }}" });
    // Assess
    const js = readFileSync(path.join(outDir, "app.js"), "utf8");
    for (const placeholder of ["{{ API_URL }}", "{{ WEBSOCKET_URL }}"]) {
      expect(js.split(`"${placeholder}"`)).toHaveLength(2);
      expect(js.split(placeholder)).toHaveLength(2); // nowhere else, e.g. folded into another string
    }
  });

  it("bundles only browser code: the timeline from core, without zod or node modules", async () => {
    const outDir = tempDir();
    await buildWebPage({ outDir, apiUrl: "https://api.example.com", websocketUrl: "wss://ws.example.com/prod" });
    const js = readFileSync(path.join(outDir, "app.js"), "utf8");
    expect(js).toContain('"https://api.example.com"');
    expect(js).toContain('"wss://ws.example.com/prod"');
    expect(js).not.toMatch(/ZodError|node:|require\(|@aws-sdk/);
    expect(js.length).toBeLessThan(60_000);
  });

  it("runs as a command with --out, taking the URLs from API_URL and WEBSOCKET_URL", () => {
    // Prepare
    const outDir = tempDir();
    // Act
    const output = execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["packages/web/build.ts", "--out", outDir], {
      cwd: ROOT,
      env: {
        ...process.env,
        API_URL: "https://abc.execute-api.us-east-1.amazonaws.com",
        WEBSOCKET_URL: "wss://def.execute-api.us-east-1.amazonaws.com/dev",
      },
      encoding: "utf8",
    });
    // Assess
    expect(output).toContain(outDir);
    const js = readFileSync(path.join(outDir, "app.js"), "utf8");
    expect(js).toContain('"https://abc.execute-api.us-east-1.amazonaws.com"');
    expect(js).toContain('"wss://def.execute-api.us-east-1.amazonaws.com/dev"');
  });
});
