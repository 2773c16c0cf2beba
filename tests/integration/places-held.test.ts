import { readFileSync } from "node:fs";
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { availableExpression } from "@/db/queries/availability";
import { placeHold } from "@/db/queries/holds";
import { attachCheckoutSession, expirePendingPayment, failPaymentBeforeCheckout } from "@/db/queries/payments-purchase";
import { runStatement } from "@/db/raw";
import { eventPayments, ticketTypes } from "@/db/schema";
import { createSellingEvent, createTicketType, createUser } from "../factories";
import { insertPayment } from "../factories/payment-row";
import { inRolledBackTransaction } from "./support/plans";
import { holdRequest, onPostgres, pooledDb } from "./support/purchase";

const minutes = (n: number) => n * 60_000;

/** What the triggers keep (the sum of a ticket type's `held` slots) next to what it stands for. */
async function placesHeld(ticketTypeId: string) {
  const [row] = await runStatement(
    await getDb(),
    `select (select coalesce(sum(held), 0)::int from ticket_type_places where ticket_type_id = $1::uuid) as kept,
            (select coalesce(sum(quantity), 0)::int from event_payments
              where ticket_type_id = $1::uuid and status = 'pending' and not hold_lapsed) as counted`,
    [ticketTypeId],
  );
  return { kept: Number(row!.kept), counted: Number(row!.counted) };
}

async function availableAt(ticketTypeId: string, now: Date) {
  const [row] = await (await getDb())
    .select({ left: availableExpression(now) })
    .from(ticketTypes)
    .where(eq(ticketTypes.id, ticketTypeId));
  return Number(row!.left);
}

async function heldPayment(ticketType: { id: string; eventId: string }, quantity: number, now = new Date()) {
  const outcome = await placeHold(await getDb(), holdRequest(ticketType, (await createUser()).id, { quantity, now }));
  expect(outcome.created).not.toBeNull();
  return outcome.created!.id;
}

describe("places held by open checkouts (ticket_type_places.held, kept by triggers)", () => {
  it("follows every way a payment holds places and gives them back", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 100 } });
    const other = await createTicketType(event, { name: "Other", capacity: 100 });
    const db = await getDb();

    const first = await heldPayment(ticketType, 2);
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 2, counted: 2 });
    // Storing the Checkout Session changes nothing.
    await attachCheckoutSession(db, first, "cs_test_held_1", "http://checkout.test/1");
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 2, counted: 2 });

    // Stripe unreachable: the payment fails and gives its places back at once.
    const failed = await heldPayment(ticketType, 3);
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 5, counted: 5 });
    await failPaymentBeforeCheckout(db, failed, "stripe api_error 500");
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 2, counted: 2 });

    // The buyer cancels.
    await expirePendingPayment(db, first);
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 0, counted: 0 });

    // Rows written by other parts of the app: pending ones hold, others do not.
    const buyer = await createUser();
    const row = await insertPayment(ticketType, buyer.id, { quantity: 1 });
    await insertPayment(ticketType, buyer.id, { quantity: 4, status: "succeeded", paidAt: new Date() });
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 1, counted: 1 });
    await db.update(eventPayments).set({ quantity: 4 }).where(eq(eventPayments.id, row.id));
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 4, counted: 4 });
    await db.update(eventPayments).set({ ticketTypeId: other.id }).where(eq(eventPayments.id, row.id));
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 0, counted: 0 });
    expect(await placesHeld(other.id)).toEqual({ kept: 4, counted: 4 });

    // Paid: the places move from held to taken (the tickets' own triggers count those).
    await db.update(eventPayments).set({ status: "succeeded", paidAt: new Date() }).where(eq(eventPayments.id, row.id));
    expect(await placesHeld(other.id)).toEqual({ kept: 0, counted: 0 });

    // One statement across two ticket types, and a pending payment deleted.
    const a = await heldPayment(ticketType, 1);
    const b = await heldPayment(other, 2);
    const c = await heldPayment(other, 5);
    await db.update(eventPayments).set({ status: "expired" }).where(inArray(eventPayments.id, [a, b]));
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 0, counted: 0 });
    expect(await placesHeld(other.id)).toEqual({ kept: 5, counted: 5 });
    await db.delete(eventPayments).where(eq(eventPayments.id, c));
    expect(await placesHeld(other.id)).toEqual({ kept: 0, counted: 0 });

    // Deleting a ticket type with open holds takes its counts with it (no foreign key error).
    await heldPayment(other, 2);
    await db.delete(ticketTypes).where(eq(ticketTypes.id, other.id));
    const [left] = await runStatement(db, `select count(*)::int as n from ticket_type_places where ticket_type_id = $1::uuid`, [other.id]);
    expect(Number(left!.n)).toBe(0);
  });

  it("lets an expired hold stop counting by itself, and the next hold gives its places back for good", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 3 } });
    const now = new Date();
    const first = await heldPayment(ticketType, 3, now);
    expect(await availableAt(ticketType.id, now)).toBe(0);
    // Past its expiry the hold no longer counts, before anything has written a thing.
    const later = new Date(now.getTime() + minutes(36));
    expect(await availableAt(ticketType.id, later)).toBe(3);
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 3, counted: 3 });

    // The next hold on the type marks it lapsed (its places leave the counter) and takes them.
    const outcome = await placeHold(await getDb(), holdRequest(ticketType, (await createUser()).id, { quantity: 3, now: later }));
    expect(outcome.ticketType?.available).toBe(3);
    expect(outcome.created).not.toBeNull();
    const [lapsed] = await (await getDb()).select().from(eventPayments).where(eq(eventPayments.id, first));
    expect(lapsed).toMatchObject({ status: "pending", holdLapsed: true });
    expect(await placesHeld(ticketType.id)).toEqual({ kept: 3, counted: 3 });

    // Lapsed is final: by an earlier clock (another server's, say) the first hold has not expired,
    // yet its places are the second buyer's now — nothing is counted twice.
    expect(await availableAt(ticketType.id, now)).toBe(0);
    const refused = await placeHold(await getDb(), holdRequest(ticketType, (await createUser()).id, { quantity: 1, now }));
    expect(refused.created).toBeNull();
    expect(refused.ticketType?.available).toBe(0);
  });

  it("starts from the holds already open when migration 0007 is applied to a live database", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 100 } });
    await heldPayment(ticketType, 2);
    await heldPayment(ticketType, 5);
    const buyer = await createUser();
    await insertPayment(ticketType, buyer.id, { quantity: 4, status: "expired" });
    const migration = readFileSync("drizzle/0007_held_places_counter.sql", "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((part) => part.trim().startsWith("INSERT INTO ticket_type_places"));
    expect(backfill).toBeDefined();
    let kept: unknown;
    // As before 0007 (holds open, nothing kept), then the migration's own backfill; rolled back.
    await inRolledBackTransaction(await getDb(), async (tx) => {
      await runStatement(tx, `update ticket_type_places set held = 0`, []);
      await runStatement(tx, backfill!, []);
      kept = (await runStatement(tx, `select sum(held)::int as kept from ticket_type_places where ticket_type_id = $1::uuid`, [ticketType.id]))[0]?.kept;
    });
    expect(Number(kept)).toBe(7);
  });

  it("is cleared with the payments, and kept when only the tickets are emptied", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 100 } });
    await heldPayment(ticketType, 2);
    let afterTickets: unknown;
    let afterPayments: unknown;
    await inRolledBackTransaction(await getDb(), async (tx) => {
      const heldNow = `select coalesce(sum(held), 0)::int as held from ticket_type_places where ticket_type_id = $1::uuid`;
      await runStatement(tx, `truncate tickets cascade`, []);
      afterTickets = (await runStatement(tx, heldNow, [ticketType.id]))[0]?.held;
      await runStatement(tx, `truncate event_payments cascade`, []);
      afterPayments = (await runStatement(tx, heldNow, [ticketType.id]))[0]?.held;
    });
    expect([Number(afterTickets), Number(afterPayments)]).toEqual([2, 0]);
  });

  it.runIf(onPostgres())("stays exact when many connections hold, give back and roll back on one type at once", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 10_000 } });
    const earlier = await Promise.all(Array.from({ length: 40 }, () => heldPayment(ticketType, 1)));
    const buyers = await Promise.all(Array.from({ length: 40 }, () => createUser()));
    const pool = await pooledDb(12);
    try {
      // 40 transactions at once, on up to 12 connections: each holds 3 places, fails one earlier
      // hold, and half of them roll back.
      const outcomes = await Promise.allSettled(
        earlier.map((paymentId, i) =>
          pool.db.transaction(async (tx) => {
            expect((await placeHold(tx, holdRequest(ticketType, buyers[i]!.id, { quantity: 3 }))).created).not.toBeNull();
            await tx.update(eventPayments).set({ status: "failed" }).where(eq(eventPayments.id, paymentId));
            if (i % 2 === 1) throw new Error("rolled back on purpose");
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(20);
      expect(await placesHeld(ticketType.id)).toEqual({ kept: 40 - 20 + 20 * 3, counted: 40 - 20 + 20 * 3 });
      expect(await availableAt(ticketType.id, new Date())).toBe(10_000 - 80);
    } finally {
      await pool.close();
    }
  });

  it("agrees with a count of the live holds at any moment", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 50 } });
    const now = new Date();
    const buyer = await createUser();
    await insertPayment(ticketType, buyer.id, { quantity: 2, holdExpiresAt: new Date(now.getTime() + minutes(5)) });
    await insertPayment(ticketType, buyer.id, { quantity: 3, holdExpiresAt: new Date(now.getTime() + minutes(20)) });
    await insertPayment(ticketType, buyer.id, { quantity: 7, holdExpiresAt: new Date(now.getTime() - minutes(1)) });
    await insertPayment(ticketType, buyer.id, { quantity: 11, holdExpiresAt: new Date(now.getTime() + minutes(20)), holdLapsed: true });
    const db = await getDb();
    for (const offset of [-10, 0, 10, 30]) {
      const at = new Date(now.getTime() + minutes(offset));
      const [row] = await db
        .select({
          counted: sql<number>`(50 - (select coalesce(sum(quantity), 0) from event_payments
            where ticket_type_id = ${ticketType.id}::uuid and status = 'pending' and not hold_lapsed
              and hold_expires_at > ${at.toISOString()}::timestamptz))::int`,
        })
        .from(ticketTypes)
        .where(eq(ticketTypes.id, ticketType.id));
      expect(await availableAt(ticketType.id, at), `at ${offset} minutes`).toBe(Number(row!.counted));
    }
    expect(await availableAt(ticketType.id, now)).toBe(45);
  });
});
