/**
 * Synthesizes every stack of a stage offline — no AWS credentials, no network — the way SST v2's
 * testing guide does (`initProject` + `App` in deploy mode), including the esbuild bundling of
 * every function. Used by `npm run synth` and the infrastructure tests.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Aspects } from "aws-cdk-lib";
import { AwsSolutionsChecks, NagReportFormat, ServerlessChecks } from "cdk-nag";
import { App } from "sst/constructs";
import { initProject, useProject } from "sst/project.js";
import config from "../sst.config";

/** A placeholder account: synthesis needs one, and no lookup is made with it. */
export const SYNTH_ACCOUNT = "123456789012";

export async function synthesize(stage = "dev", outdir = mkdtempSync(path.join(tmpdir(), "sst-synth-"))) {
  // SST skips its sourcemap uploader under NODE_ENV=test; that one resource needs the account's
  // bootstrap bucket (a network lookup). The template is otherwise what `sst deploy` sends.
  process.env.NODE_ENV ??= "test";
  await initProject({ stage });
  const project = useProject();
  const app = new App(
    { mode: "deploy", stage, name: project.config.name, region: project.config.region, account: SYNTH_ACCOUNT },
    { outdir },
  );
  // initProject loads the config without its stacks; they are added here as `sst deploy` would.
  await config.stacks(app);
  // cdk-nag's AwsSolutions and Serverless packs: each finding that is not fixed carries a suppression
  // with its reason in the stack code. Reports (JSON, one per pack and stack) land in `outdir`.
  const nag = { reports: true, reportFormats: [NagReportFormat.JSON], verbose: true };
  Aspects.of(app).add(new AwsSolutionsChecks(nag));
  Aspects.of(app).add(new ServerlessChecks(nag));
  await app.finish();
  return { app, assembly: app.synth(), outdir };
}
