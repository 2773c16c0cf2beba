import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { inMinutes, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile({ webhookUrls: [] });

const bad = (overrides: Record<string, unknown>) => h.stripe.checkout.sessions.create({ ...sessionParams(), ...overrides } as Stripe.Checkout.SessionCreateParams);

describe("checkout session parameters, validated as Stripe validates them", () => {
  it.each([
    ["expires_at too soon", { expires_at: inMinutes(10) }, "expires_at", "parameter_invalid"],
    ["expires_at too late", { expires_at: inMinutes(25 * 60) }, "expires_at", "parameter_invalid"],
    ["unknown parameter", { payment_method_types: ["card"] }, "payment_method_types", "parameter_unknown"],
    ["missing mode", { mode: undefined }, "mode", "parameter_missing"],
    ["missing line items", { line_items: undefined }, "line_items", "parameter_missing"],
    ["bad success_url", { success_url: "not a url" }, "success_url", "url_invalid"],
    ["bad email", { customer_email: "nobody" }, "customer_email", "email_invalid"],
    ["unknown payment_intent_data field", { payment_intent_data: { capture_method: "manual" } }, "payment_intent_data[capture_method]", "parameter_unknown"],
    [
      "line item without a product name",
      { line_items: [{ price_data: { currency: "eur", unit_amount: 100, product_data: { name: "" } }, quantity: 1 }] },
      "line_items[0][price_data][product_data][name]",
      "parameter_missing",
    ],
    ["zero quantity", { line_items: [{ price_data: { currency: "eur", unit_amount: 100, product_data: { name: "x" } }, quantity: 0 }] }, "line_items[0][quantity]", "parameter_invalid"],
    [
      "mixed currencies",
      {
        line_items: [
          { price_data: { currency: "eur", unit_amount: 100, product_data: { name: "a" } }, quantity: 1 },
          { price_data: { currency: "usd", unit_amount: 100, product_data: { name: "b" } }, quantity: 1 },
        ],
      },
      "line_items[1][price_data][currency]",
      "parameter_invalid",
    ],
    ["too many metadata characters", { metadata: { note: "x".repeat(501) } }, "metadata[note]", "parameter_invalid"],
  ])("rejects %s", async (_name, overrides, param, code) => {
    const error = await bad(overrides).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param, code });
  });

  it("rejects a total under the currency's minimum charge", async () => {
    const error = await bad({ line_items: [{ price_data: { currency: "usd", unit_amount: 10, product_data: { name: "x" } }, quantity: 1 }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: "amount_too_small" });
  });

  it("accepts 30 minutes and 24 hours, and zero-decimal currencies", async () => {
    expect((await bad({ expires_at: inMinutes(30) })).status).toBe("open");
    expect((await bad({ expires_at: inMinutes(24 * 60) })).status).toBe("open");
    const yen = await bad({ line_items: [{ price_data: { currency: "jpy", unit_amount: 3000, product_data: { name: "席" } }, quantity: 2 }] });
    expect(yen).toMatchObject({ currency: "jpy", amount_total: 6000 });
  });

  it("measures expires_at from the real clock, not the emulator's advanced clock", async () => {
    await h.control("/_emulator/clock/advance", { seconds: 2 * 3600 });
    const session = await bad({ expires_at: inMinutes(45) });
    // The emulator clock is already past expires_at: the session expires at once.
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    await h.control("/_emulator/reset", {});
  });
});
