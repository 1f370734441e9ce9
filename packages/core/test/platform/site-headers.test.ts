/** The site's security headers: the one definition the stack's CloudFront policy and `npm start` both send. */
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, originOf, siteHeaders } from "../../src/platform/site-headers";

describe("siteHeaders", () => {
  const origins = {
    api: "https://abc.execute-api.eu-west-1.amazonaws.com",
    websocket: "wss://def.execute-api.eu-west-1.amazonaws.com",
  };

  it("lets the page load its own files and a data: icon, talk to the two APIs only, and be framed by no one", () => {
    expect(contentSecurityPolicy(origins)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src https://abc.execute-api.eu-west-1.amazonaws.com wss://def.execute-api.eu-west-1.amazonaws.com; " +
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it("says 'self' for an API on the page's own origin (npm start)", () => {
    expect(contentSecurityPolicy({ api: "self", websocket: "ws://127.0.0.1:3001" })).toContain(
      "connect-src 'self' ws://127.0.0.1:3001;",
    );
  });

  it("adds HSTS for two years, nosniff, DENY framing and no referrer", () => {
    expect(siteHeaders(origins)).toEqual({
      "content-security-policy": contentSecurityPolicy(origins),
      "strict-transport-security": "max-age=63072000; includeSubDomains",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    });
  });

  it("keeps CloudFormation tokens whole in the policy (the stack's origins are tokens at synth)", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CDK token as it reads at synth, not a template.
    const token = "${Token[TOKEN.123]}";
    expect(contentSecurityPolicy({ api: `https://${token}`, websocket: `wss://${token}` })).toContain(
      `connect-src https://${token} wss://${token};`,
    );
  });

  it("reads the origin of a stage's WebSocket URL", () => {
    expect(originOf("ws://127.0.0.1:3001/local")).toBe("ws://127.0.0.1:3001");
    expect(originOf("wss://def.execute-api.eu-west-1.amazonaws.com/prod")).toBe(
      "wss://def.execute-api.eu-west-1.amazonaws.com",
    );
  });
});
