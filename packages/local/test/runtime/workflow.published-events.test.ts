/**
 * Property: every event the saga can publish passes the consumer's schema. Seeded random orders run
 * the real workflow and the real saga steps, with a step failing by any error name and any message
 * (empty, whitespace, 5,000 characters, emoji cut at the limit), and EventBridge refusing some
 * statuses; each entry a Publish state sends must parse with `OrderStatus.Event` as the callback
 * and the projection parse it. `WORKFLOW_SEED=<n>` replays a run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as Saga from "@awsomepets/core/orders/saga";
import * as OrderStatus from "@awsomepets/core/status/event";
import { createPrng, seedFrom, type Prng } from "../support/prng";
import { cleanupList, orderInput, startScriptedSaga, type Script } from "../support/workflow";

const RUNS = 120;
const seed = seedFrom("WORKFLOW_SEED");
const cleanups = cleanupList();
let saga: Awaited<ReturnType<typeof startScriptedSaga>>;
beforeAll(async () => {
  saga = await startScriptedSaga(cleanups);
});
afterAll(() => cleanups.run());

const ERROR_NAMES = [
  ...Saga.OUTCOME_ERRORS,
  "Error",
  "TypeError",
  "States.Timeout",
  "Lambda.Unknown",
  "Sandbox.Timedout",
];
const PIECES = ["a", "Z", " ", "\n", "\t", "é", "🐕", "🐈‍⬛", '"', "\\", "<b>", "{", "SOLD-OUT", "\u0000", "\u200b"];
const LENGTHS = [
  0,
  1,
  40,
  Saga.OUTCOME_ERRORS.length,
  OrderStatus.REASON_MAX_LENGTH - 1,
  OrderStatus.REASON_MAX_LENGTH,
  OrderStatus.REASON_MAX_LENGTH + 1,
  5000,
];

function message(prng: Prng) {
  const length = prng.chance(0.8) ? prng.pick(LENGTHS) : prng.int(0, 6000);
  let text = "";
  while (text.length < length) text += prng.chance(0.7) ? prng.pick(PIECES.slice(0, 2)) : prng.pick(PIECES);
  return text.slice(0, length);
}

function scenario(prng: Prng) {
  const basket = Array.from({ length: prng.int(1, 4) }, () => ({
    sku: prng.pick(Catalogue.PETS).sku,
    quantity: prng.int(1, 9),
  }));
  const input = orderInput({ orderId: prng.uuid(), basket });
  const failing = prng.pick([undefined, "ReserveInventory", "ProcessPayment", "CompleteOrder"] as const);
  const script: Script = {
    ...(failing ? { failStep: { state: failing, name: prng.pick(ERROR_NAMES), message: message(prng) } } : {}),
  };
  const refused = new Set(
    prng.chance(0.3)
      ? [
          prng.pick([
            "PublishReserved",
            "PublishPaid",
            "PublishCompleted",
            "PublishRefunded",
            "PublishReleased",
            "PublishCancelled",
          ]),
        ]
      : [],
  );
  if (refused.size > 0) script.failPublish = (state) => refused.has(state);
  return { input, script, refused };
}

describe(`every event the saga publishes (seed ${seed}, WORKFLOW_SEED replays)`, () => {
  it(`passes the consumer's schema, over ${RUNS} random orders, step failures and refused statuses`, async () => {
    // Prepare
    const prng = createPrng(seed);
    const publishedBy = new Map<string, number>();
    const reasons = new Set<string>();

    for (let run = 0; run < RUNS; run++) {
      const { input, script, refused } = scenario(prng);

      // Act
      const result = await saga.run(input, script);

      // Assess: the entry as the consumer receives it parses; a cancelled order says why, within the limit.
      const what = `run ${run} (seed ${seed}): ${JSON.stringify({ failStep: script.failStep && { ...script.failStep, message: `${script.failStep.message.length} chars` }, refused: [...refused] })}`;
      for (const detail of result.details) {
        const parsed = OrderStatus.Event.safeParse({
          source: OrderStatus.EVENT_SOURCE,
          "detail-type": OrderStatus.DETAIL_TYPE,
          detail,
        });
        expect(parsed.success ? [] : OrderStatus.describeIssues(parsed.error.issues), what).toEqual([]);
        publishedBy.set(detail.status as string, (publishedBy.get(detail.status as string) ?? 0) + 1);
        if (detail.reason !== undefined) reasons.add(detail.reason as string);
      }
      if (!result.ran.some((state) => refused.has(state))) {
        expect(result.described.status, what).toBe("SUCCEEDED");
        expect(OrderStatus.isTerminal(result.details.at(-1)!.status as OrderStatus.Status), what).toBe(true);
      } else {
        expect(result.described, what).toMatchObject({ status: "FAILED", error: "StatusesNotPublished" });
      }
    }

    // Every Publish state was exercised, and long messages were cut to the limit.
    expect([...publishedBy.keys()].sort()).toEqual([
      "cancelled",
      "completed",
      "paid",
      "refunded",
      "released",
      "reserved",
    ]);
    expect([...reasons].some((reason) => reason.length === OrderStatus.REASON_MAX_LENGTH)).toBe(true);
    expect(reasons).toContain(Saga.UNEXPECTED_FAILURE_REASON);
  });
});

describe("Saga.reasonOf", () => {
  it("answers a reason within 1..REASON_MAX_LENGTH for any caught error, written for the customer", () => {
    const prng = createPrng(seed);
    const causes = (text: string) => [
      text,
      JSON.stringify({ errorType: "X", errorMessage: text, trace: [] }),
      JSON.stringify({ errorMessage: text }).slice(0, -1),
      "null",
      "5",
      '{"errorMessage":5}',
    ];
    for (let i = 0; i < 300; i++) {
      for (const Cause of [undefined, ...causes(message(prng))]) {
        const errorName = prng.pick([...ERROR_NAMES, undefined]);
        const reason = Saga.reasonOf({ ...orderInput(), error: { Error: errorName, Cause } });
        const parsed = OrderStatus.StatusRecord.shape.reason.safeParse(reason);
        expect(parsed.success, JSON.stringify({ Error: errorName, Cause: Cause?.slice(0, 80) })).toBe(true);
        if (!Saga.OUTCOME_ERRORS.includes(errorName as Saga.OutcomeError))
          expect(reason).toBe(Saga.UNEXPECTED_FAILURE_REASON);
      }
    }
  });

  it("keeps a business outcome's message, cut with an ellipsis at the limit and never inside a surrogate pair", () => {
    const cause = (errorMessage: string) => JSON.stringify({ errorType: "PaymentDeclined", errorMessage, trace: [] });
    const reasonFor = (text: string) =>
      Saga.reasonOf({ ...orderInput(), error: { Error: "PaymentDeclined", Cause: cause(text) } });
    expect(reasonFor("The card was declined")).toBe("The card was declined");
    const long = reasonFor("x".repeat(5000));
    expect([long.length, long.endsWith("…")]).toEqual([OrderStatus.REASON_MAX_LENGTH, true]);
    const emoji = reasonFor(`${"x".repeat(OrderStatus.REASON_MAX_LENGTH - 2)}🐕🐕`);
    expect(emoji).toBe(`${"x".repeat(OrderStatus.REASON_MAX_LENGTH - 2)}…`);
    expect(reasonFor("   ")).toBe(Saga.UNEXPECTED_FAILURE_REASON);
    expect(reasonFor("x".repeat(OrderStatus.REASON_MAX_LENGTH))).toHaveLength(OrderStatus.REASON_MAX_LENGTH);
  });
});
