/** Stages whose data must survive `sst remove` and stack replacement. */
export const PRODUCTION_STAGES = ["prod", "production"];
export const isProductionStage = (stage: string) => PRODUCTION_STAGES.includes(stage);
