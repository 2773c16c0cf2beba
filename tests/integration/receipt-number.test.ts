import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getDb, type Transaction } from "@/db/client";
import { placeHold } from "@/db/queries/holds";
import { runStatement } from "@/db/raw";
import { createUser } from "../factories";
import { idSharingPrefix, violatedConstraint, withDrawnIds } from "../factories/payment-ids";
import { insertPayment } from "../factories/payment-row";
import { createPaidPayment, createPendingPayment, openCheckoutSession, payOnEmulator, paymentState, reloadPayment, retrieveSession, sendEvent } from "../factories/payments";
import { inRolledBackTransaction } from "./support/plans";
import { holdRequest } from "./support/purchase";

// A receipt number is RCP-YYYY-MMDD-XXXXXXXX: the payment's success day (UTC) and the first 8
// characters of its id (DESIGN.md, invariant 6). Two payments whose ids shared those 8 characters
// and succeeded on the same day got the same number: the receipt insert failed the whole
// fulfilment, the webhook answered 500 on every retry, and a paid buyer got nothing. Since 0009 no
// two payments share the first 8 characters of their ids, so no two receipts can share a number.

const prefixOf = (id: string) => id.slice(0, 8);

async function paymentsWithPrefix(prefix: string): Promise<number> {
  const [row] = await runStatement(await getDb(), `select count(*)::int as n from event_payments where left(id::text, 8) = $1`, [prefix]);
  return Number(row!.n);
}

describe("receipt numbers", () => {
  it("refuses a payment whose id starts like another payment's, so the same-day collision cannot arise", async () => {
    const a = await createPaidPayment({ quantity: 1 });
    // The reviewer's reproduction: this payment used to be created, paid, and then never fulfilled.
    const refused = await createPendingPayment({
      quantity: 1,
      payment: { id: `${prefixOf(a.payment.id)}-0000-4000-8000-000000000000` },
    }).catch((error: unknown) => error);
    expect(violatedConstraint(refused)).toBe("event_payments_id_prefix_idx");
    expect(await paymentsWithPrefix(prefixOf(a.payment.id))).toBe(1);
  });

  it("fulfils a payment whose first drawn id started like a paid one's, on the same day, with its own receipt number", async () => {
    const a = await createPaidPayment({ quantity: 1 });
    const buyer = await createUser({ name: "Second Buyer" });
    // The purchase path: place_hold draws an id that is taken (a's first 8 characters) and draws again.
    const outcome = await withDrawnIds(
      await getDb(),
      [idSharingPrefix(a.payment.id)],
      async (tx, drawsLeft) => {
        const placed = await placeHold(tx, holdRequest(a.ticketType, buyer.id));
        expect(await drawsLeft()).toBe(0);
        return placed;
      },
      { commit: true },
    );
    expect(outcome.canHold).toBe(true);
    expect(outcome.created).not.toBeNull();
    expect(prefixOf(outcome.created!.id)).not.toBe(prefixOf(a.payment.id));

    const b = await openCheckoutSession(await reloadPayment(outcome.created!.id), { event: a.event, ticketType: a.ticketType, buyer });
    expect((await payOnEmulator(b.session.id)).status).toBe(200);
    const response = await sendEvent("checkout.session.completed", await retrieveSession(b.session.id));
    expect(response.status).toBe(200);

    const [first, second] = [await paymentState(a.payment.id), await paymentState(b.payment.id)];
    expect(second).toMatchObject({ status: "succeeded", tickets: ["valid"] });
    expect(first.receipts).toHaveLength(1);
    expect(second.receipts).toHaveLength(1);
    expect(second.receipts[0]).toMatch(/^RCP-\d{4}-\d{4}-[0-9A-F]{8}$/);
    expect(second.receipts[0]!.slice(-8)).toBe(prefixOf(b.payment.id).toUpperCase());
    expect(second.receipts[0]!.slice(-8)).not.toBe(first.receipts[0]!.slice(-8));
  });

  it("gives a payment inserted without an id (factories, scripts) one whose prefix is free, within one statement too", async () => {
    const { ticketType, buyer, payment: taken } = await createPendingPayment({ quantity: 1 });
    const free = crypto.randomUUID();
    const inserted = await withDrawnIds(
      await getDb(),
      // Row 1 draws two taken ids, then a free one; row 2 then draws an id starting like row 1's.
      [idSharingPrefix(taken.id), idSharingPrefix(taken.id), free, idSharingPrefix(free)],
      async (tx, drawsLeft) => {
        const rows = await runStatement(
          tx,
          `insert into event_payments (organization_id, event_id, user_id, ticket_type_id, quantity, unit_amount, amount_total, currency, hold_expires_at)
           select organization_id, event_id, $2, id, 1, price, price, currency, now() + interval '35 minutes'
           from ticket_types, generate_series(1, 2) where id = $1::uuid
           returning id`,
          [ticketType.id, buyer.id],
        );
        expect(await drawsLeft()).toBe(0);
        return rows;
      },
      { commit: false },
    );
    const ids = inserted.map((r) => String(r.id));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(free);
    expect(new Set([...ids, taken.id].map(prefixOf)).size).toBe(3);
    // And the factory, which leaves the id to the database, keeps working.
    const another = await insertPayment(ticketType, buyer.id);
    expect(prefixOf(another.id)).not.toBe(prefixOf(taken.id));
  });

  it("stops migration 0009 with a message naming the payments when existing ones already share a prefix", async () => {
    const migration = readFileSync("drizzle/0009_payment_id_prefix_unique.sql", "utf8");
    const check = migration.split("--> statement-breakpoint").find((part) => part.includes("DO $$"));
    expect(check).toBeDefined();
    const { ticketType, buyer, payment: first } = await createPendingPayment({ quantity: 1 });
    let checked = false;
    await inRolledBackTransaction(await getDb(), async (tx) => {
      // As before 0009: nothing stopped two payments from sharing the first 8 characters of their ids.
      await runStatement(tx, `drop index "event_payments_id_prefix_idx"`, []);
      const second = await insertPaymentIn(tx, ticketType.id, buyer.id, idSharingPrefix(first.id));
      const error = await runStatement(tx, check!, []).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/share the first 8 characters/);
      expect(error?.message).toContain(prefixOf(first.id));
      expect(error?.message).toContain(first.id);
      expect(error?.message).toContain(second);
      checked = true;
    });
    expect(checked).toBe(true);
  });
});

async function insertPaymentIn(tx: Transaction, ticketTypeId: string, userId: string, id: string) {
  const [row] = await runStatement(
    tx,
    `insert into event_payments (id, organization_id, event_id, user_id, ticket_type_id, quantity, unit_amount, amount_total, currency, hold_expires_at)
     select $3::uuid, organization_id, event_id, $2, id, 1, price, price, currency, now() + interval '35 minutes'
     from ticket_types where id = $1::uuid returning id`,
    [ticketTypeId, userId, id],
  );
  return String(row!.id);
}
