/**
 * The contract documents: the committed files are a fresh generation from core's schemas, and each
 * passes its own ecosystem's parser (AsyncAPI's, an OpenAPI validator) — offline.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Parser } from "@asyncapi/parser";
import SwaggerParser from "@apidevtools/swagger-parser";
import { CONTRACTS_DIR, generateContracts, statusEventSchema } from "../scripts/contracts/index";
import { DOCUMENTED_ROUTES } from "../scripts/contracts/openapi";
import { GATEWAY_MESSAGES } from "../packages/client/src/order-timeline";
import * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as Topology from "@awsomepets/core/platform/topology";

const dir = path.resolve(import.meta.dirname, "..", CONTRACTS_DIR);
const generated = generateContracts();
const committed = (name: string) => readFileSync(path.join(dir, name), "utf8");

describe("contract documents", () => {
  it("are committed exactly as `npm run contracts` generates them", () => {
    expect(readdirSync(dir).sort(), `${CONTRACTS_DIR}/ holds other files: run npm run contracts`).toEqual(
      Object.keys(generated).sort(),
    );
    for (const [name, content] of Object.entries(generated)) {
      expect(committed(name), `${CONTRACTS_DIR}/${name} differs from a fresh generation: run npm run contracts`).toBe(
        content,
      );
    }
  });

  it("the AsyncAPI document passes @asyncapi/parser with no error and names every error code and refusal", async () => {
    const text = committed("order-websocket.asyncapi.json");
    const { document, diagnostics } = await new Parser().parse(text);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join(".")}: ${e.message}`)).toEqual([]);
    expect(document?.version()).toBe("3.0.0");
    const error = document!.messages().get("error")!;
    expect(error.payload()!.properties()!.code!.enum()).toEqual([...Protocol.ERROR_CODES]);
    for (const code of Protocol.ERROR_CODES) expect(error.description()).toContain(`\`${code}\``);
    const channel = document!.channels().get("order")!;
    for (const status of [400, 401, 403, 429]) expect(channel.description()).toContain(`**${status}**`);
    const sync = document!.operations().get("sync")!;
    expect(sync.action()).toBe("receive");
    expect(
      sync
        .reply()!
        .messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(["status", "synced", "error", "gatewayError"]);
    const gatewayError = document!.messages().get("gatewayError")!;
    expect(gatewayError.payload()!.properties()!.message!.enum()).toEqual([...GATEWAY_MESSAGES]);
  });

  it("the OpenAPI document passes swagger-parser's validation and documents every route of the stack", async () => {
    const document = JSON.parse(committed("order-api.openapi.json"));
    const api = (await SwaggerParser.validate(document)) as unknown as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(api.openapi).toBe("3.1.0");
    const routes = Object.entries(api.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(routes.sort()).toEqual(Object.keys(Topology.HTTP_ROUTES).sort());
    expect([...DOCUMENTED_ROUTES].sort()).toEqual(Object.keys(Topology.HTTP_ROUTES).sort());
    expect(Object.keys(api.paths["/orders"]!.post!.responses)).toEqual([
      "202",
      "400",
      "413",
      "415",
      "422",
      "429",
      "500",
    ]);
  });

  it("the event's schema is JSON Schema draft-04 of the event as the bus delivers it", () => {
    const schema = JSON.parse(committed("order-status-event.schema.json"));
    expect(schema).toEqual(statusEventSchema());
    expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
    expect(schema.properties["detail-type"]).toEqual({ type: "string", enum: ["Order Status Changed"] });
    expect(schema.properties.detail.required).toEqual(["orderId", "status", "occurredAt"]);
  });
});
