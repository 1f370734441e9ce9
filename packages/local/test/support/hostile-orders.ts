/** Hostile `POST /orders` requests, each with the status the order API must answer. */
export type HostileOrder = { name: string; body: string; contentType: string; expect: number };

export const validOrder = () => ({
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
});

export function hostileOrders(): HostileOrder[] {
  const json = (name: string, body: unknown, expect = 400): HostileOrder => ({
    name,
    body: JSON.stringify(body),
    contentType: "application/json",
    expect,
  });
  const order = validOrder();
  return [
    json("array", [order]),
    json("null", null),
    json("number", 42),
    json("basket a string", { ...order, basket: "DOG-LAB" }),
    json("quantity a string", { ...order, basket: [{ sku: "DOG-LAB", quantity: "1" }] }),
    json("quantity huge", { ...order, basket: [{ sku: "DOG-LAB", quantity: 1e308 }] }),
    json("paymentDetail null", { ...order, paymentDetail: null }),
    json("huge strings (under 64 KB)", {
      ...order,
      shippingAddress: { ...order.shippingAddress, name: "n".repeat(30_000), line1: "l".repeat(30_000) },
    }),
    json("extra field", { ...order, admin: true }),
    {
      name: "__proto__ key",
      body: JSON.stringify(order).replace(/}$/, ',"__proto__":{"admin":true}}'),
      contentType: "application/json",
      expect: 400,
    },
    json("constructor.prototype", { ...order, constructor: { prototype: { polluted: true } } }),
    { name: "not JSON", body: "{basket:", contentType: "application/json", expect: 400 },
    { name: "empty body", body: "", contentType: "application/json", expect: 400 },
    { name: "wrong content type", body: JSON.stringify(order), contentType: "text/plain", expect: 415 },
    {
      name: "form content type",
      body: "basket=DOG-LAB",
      contentType: "application/x-www-form-urlencoded",
      expect: 415,
    },
    {
      name: "over 64 KB",
      body: JSON.stringify({ ...order, pad: "x".repeat(70_000) }),
      contentType: "application/json",
      expect: 413,
    },
  ];
}
