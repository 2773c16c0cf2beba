import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { placeHold } from "@/db/queries/holds";
import { runStatement } from "@/db/raw";
import { eventPayments, ticketTypes, tickets } from "@/db/schema";
import { createSellingEvent, createTicketType, createUser } from "../factories";
import { inRolledBackTransaction } from "./support/plans";
import { holdRequest, issueTickets, onPostgres, pooledDb } from "./support/purchase";

/** What the triggers keep (the sum of a ticket type's slots) next to what it stands for (the count). */
async function placesTaken(ticketTypeId: string) {
  const [row] = await runStatement(
    await getDb(),
    `select (select coalesce(sum(taken), 0)::int from ticket_type_places where ticket_type_id = $1::uuid) as kept,
            (select count(*)::int from tickets where ticket_type_id = $1::uuid and not place_released) as counted`,
    [ticketTypeId],
  );
  return { kept: Number(row!.kept), counted: Number(row!.counted) };
}

describe("places taken by issued tickets (ticket_type_places, kept by triggers)", () => {
  it("follows every way tickets are issued, voided, released, restored and deleted", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 100 } });
    const other = await createTicketType(event, { name: "Other", capacity: 100 });
    const buyer = await createUser();
    const db = await getDb();

    const first = await issueTickets(ticketType, buyer.id, 3);
    await issueTickets(ticketType, buyer.id, 2, true); // issued with their places already released
    await issueTickets(other, buyer.id, 4);
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 3, counted: 3 });
    expect(await placesTaken(other.id)).toEqual({ kept: 4, counted: 4 });

    // Voiding keeps the places; releasing frees them; restoring takes them again.
    const firstTickets = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.paymentId, first.id));
    const twoOfThem = firstTickets.slice(0, 2).map((t) => t.id);
    await db.update(tickets).set({ status: "void" }).where(inArray(tickets.id, twoOfThem));
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 3, counted: 3 });
    await db.update(tickets).set({ placeReleased: true }).where(inArray(tickets.id, twoOfThem));
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 1, counted: 1 });
    await db.update(tickets).set({ status: "valid", placeReleased: false }).where(inArray(tickets.id, twoOfThem));
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 3, counted: 3 });

    // One statement across two ticket types.
    await db
      .update(tickets)
      .set({ placeReleased: sql`not ${tickets.placeReleased}` })
      .where(inArray(tickets.ticketTypeId, [ticketType.id, other.id]));
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 2, counted: 2 });
    expect(await placesTaken(other.id)).toEqual({ kept: 0, counted: 0 });

    // Deleting a payment deletes its tickets (cascade) and their places.
    await db.delete(eventPayments).where(eq(eventPayments.id, first.id));
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 2, counted: 2 });
    await db.delete(tickets).where(eq(tickets.ticketTypeId, ticketType.id));
    expect(await placesTaken(ticketType.id)).toEqual({ kept: 0, counted: 0 });

    // Deleting a ticket type with tickets takes its counts with it (no foreign key error).
    await issueTickets(other, buyer.id, 2);
    await db.delete(ticketTypes).where(eq(ticketTypes.id, other.id));
    const [left] = await runStatement(db, `select count(*)::int as n from ticket_type_places where ticket_type_id = $1::uuid`, [other.id]);
    expect(Number(left!.n)).toBe(0);
  });

  it("starts from the tickets already sold when migration 0006 is applied to a live database", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 100 } });
    const buyer = await createUser();
    await issueTickets(ticketType, buyer.id, 5);
    await issueTickets(ticketType, buyer.id, 2, true);
    const migration = readFileSync("drizzle/0006_places_taken_counter.sql", "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((part) => part.trim().startsWith("INSERT INTO ticket_type_places"));
    expect(backfill).toBeDefined();
    let kept: unknown;
    // As before 0006 (tickets sold, nothing kept), then the migration's own backfill; rolled back.
    await inRolledBackTransaction(await getDb(), async (tx) => {
      await runStatement(tx, `delete from ticket_type_places`, []);
      await runStatement(tx, backfill!, []);
      kept = (await runStatement(tx, `select sum(taken)::int as kept from ticket_type_places where ticket_type_id = $1::uuid`, [ticketType.id]))[0]?.kept;
    });
    expect(Number(kept)).toBe(5);
  });

  it("is what the hold counts: sold tickets up to capacity refuse the next buyer", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 5 } });
    const buyer = await createUser();
    await issueTickets(ticketType, buyer.id, 4);
    const db = await getDb();
    const fits = await placeHold(db, holdRequest(ticketType, (await createUser()).id));
    expect(fits.created).not.toBeNull();
    const full = await placeHold(db, holdRequest(ticketType, (await createUser()).id));
    expect(full.created).toBeNull();
    expect(full.ticketType?.available).toBe(0);
    // A refund frees a place: the next buyer gets it.
    const [one] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.ticketTypeId, ticketType.id)).limit(1);
    await db.update(tickets).set({ status: "void", placeReleased: true }).where(eq(tickets.id, one!.id));
    const freed = await placeHold(db, holdRequest(ticketType, (await createUser()).id));
    expect(freed.created).not.toBeNull();
  });

  it.runIf(onPostgres())("stays exact when many connections issue and release tickets of one type at once", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 10_000 } });
    const buyer = await createUser();
    const pool = await pooledDb(12);
    try {
      const payments = await Promise.all(Array.from({ length: 40 }, () => issueTickets(ticketType, buyer.id, 1)));
      // 40 transactions at once, on up to 12 connections: each issues 3 tickets, releases one of
      // the first payments' places, and half of them roll back.
      const outcomes = await Promise.allSettled(
        payments.map((payment, i) =>
          pool.db.transaction(async (tx) => {
            await tx.insert(tickets).values(
              Array.from({ length: 3 }, () => ({
                paymentId: payment.id,
                eventId: ticketType.eventId,
                ticketTypeId: ticketType.id,
                organizationId: ticketType.organizationId,
                ownerUserId: buyer.id,
                code: randomUUID(),
              })),
            );
            await tx
              .update(tickets)
              .set({ status: "void", placeReleased: true })
              .where(and(eq(tickets.paymentId, payment.id), eq(tickets.placeReleased, false), sql`${tickets.id} = (
                select min(id::text)::uuid from tickets where payment_id = ${payment.id})`));
            if (i % 2 === 1) throw new Error("rolled back on purpose");
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(20);
      expect(await placesTaken(ticketType.id)).toEqual({ kept: 40 + 20 * 2, counted: 40 + 20 * 2 });
    } finally {
      await pool.close();
    }
  });
});
