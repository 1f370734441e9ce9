import type { SSTConfig } from "sst";
import * as Topology from "@awsomepets/core/platform/topology";
import { Callbacks } from "./stacks/Callbacks";
import { Orders } from "./stacks/Orders";
import { Web } from "./stacks/Web";
import { stageKeepsData } from "./stacks/stage";
import { FUNCTION_NODEJS_PROPS } from "./sst.functions";
import { declareRuntimeOfEveryFunction } from "./stacks/function-runtime";

export default {
  config() {
    return { name: Topology.APP_NAME, region: "us-east-1" };
  },
  stacks(app) {
    // No default timeout or memory: each function gets its declared ones (stacks/function-runtime.ts).
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      nodejs: { ...FUNCTION_NODEJS_PROPS },
    });
    // A disposable stage (DISPOSABLE_STAGE=true at deploy) is destroyed with its data; any other keeps it.
    if (!stageKeepsData(process.env)) app.setDefaultRemovalPolicy("destroy");
    app.stack(Callbacks).stack(Orders).stack(Web);
    declareRuntimeOfEveryFunction(app);
  },
} satisfies SSTConfig;
