import { describe, expect, it } from "vitest";
import { absent, and, clause, conditionInput, exists, or } from "../../src/platform/condition-expression";

describe("condition expressions from named clauses", () => {
  const fresh = clause("#ttl > :now", { "#ttl": "expiresAt" }, { ":now": 5 });

  it("joins clauses with AND, bracketing an OR it takes in, and merges their names and values", () => {
    const live = and(exists("pk"), or(absent("#ttl", { "#ttl": "expiresAt" }), fresh));
    expect(live).toEqual({
      expression: "attribute_exists(pk) AND (attribute_not_exists(#ttl) OR #ttl > :now)",
      names: { "#ttl": "expiresAt" },
      values: { ":now": 5 },
    });
    expect(and(live, absent("payment")).expression).toBe(`${live.expression} AND attribute_not_exists(payment)`);
    expect(or(absent("pk"), fresh).expression).toBe("attribute_not_exists(pk) OR #ttl > :now");
  });

  it("keeps an OR bracketed when it reaches an AND through an AND of one clause", () => {
    const either = or(absent("a"), absent("b"));
    expect(and(exists("x"), and(either)).expression).toBe(
      "attribute_exists(x) AND (attribute_not_exists(a) OR attribute_not_exists(b))",
    );
    expect(and(either)).toBe(either);
  });

  it("refuses two clauses that give one placeholder different meanings", () => {
    expect(() => and(fresh, clause("#ttl < :now", { "#ttl": "other" }))).toThrow(/the name #ttl/);
    expect(() => conditionInput(fresh, { values: { ":now": 6 } })).toThrow(/the value :now/);
  });

  it("gives a command its condition with the command's own names and values, leaving out empty maps", () => {
    expect(conditionInput(exists("history"))).toEqual({ ConditionExpression: "attribute_exists(history)" });
    expect(conditionInput(fresh, { names: { "#s": "placed" }, values: { ":entry": 1 } })).toEqual({
      ConditionExpression: "#ttl > :now",
      ExpressionAttributeNames: { "#s": "placed", "#ttl": "expiresAt" },
      ExpressionAttributeValues: { ":entry": 1, ":now": 5 },
    });
  });
});
