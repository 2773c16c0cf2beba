import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { attachCheckoutSession } from "@/db/queries/payments-purchase";
import { eventPayments } from "@/db/schema";
import { createSellingEvent } from "../factories";
import { insertPayment } from "../factories/payment-row";
import { createBuyers } from "./support/purchase";

describe("storing Checkout Sessions on payments", () => {
  it("gives each of many payments stored together its own session, and never replaces another session", async () => {
    const { ticketType } = await createSellingEvent();
    const buyers = await createBuyers(30);
    const payments = await Promise.all(buyers.map((id) => insertPayment(ticketType, id)));
    const taken = await insertPayment(ticketType, buyers[0]!, { stripeCheckoutSessionId: `cs_test_taken_${ticketType.id}`, stripeCheckoutUrl: "http://checkout.test/taken" });
    const db = await getDb();

    // Called together, as purchases whose Stripe calls return in the same turn: one batch.
    await Promise.all([
      ...payments.map((p) => attachCheckoutSession(db, p.id, `cs_test_${p.id}`, `http://checkout.test/${p.id}`)),
      attachCheckoutSession(db, taken.id, `cs_test_other_${taken.id}`, "http://checkout.test/other"),
    ]);
    // A replay storing the same session again changes nothing.
    await attachCheckoutSession(db, payments[0]!.id, `cs_test_${payments[0]!.id}`, `http://checkout.test/${payments[0]!.id}`);

    const rows = await db
      .select({ id: eventPayments.id, session: eventPayments.stripeCheckoutSessionId, url: eventPayments.stripeCheckoutUrl })
      .from(eventPayments)
      .where(inArray(eventPayments.id, [...payments.map((p) => p.id), taken.id]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const p of payments) expect(byId.get(p.id)).toEqual({ id: p.id, session: `cs_test_${p.id}`, url: `http://checkout.test/${p.id}` });
    expect(byId.get(taken.id)).toEqual({ id: taken.id, session: `cs_test_taken_${ticketType.id}`, url: "http://checkout.test/taken" });
  });

  it("fails every caller of a batch that cannot be stored", async () => {
    const db = await getDb();
    const results = await Promise.allSettled([
      attachCheckoutSession(db, "not-a-uuid", "cs_test_x", "http://checkout.test/x"),
      attachCheckoutSession(db, "also-not-a-uuid", "cs_test_y", "http://checkout.test/y"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});
