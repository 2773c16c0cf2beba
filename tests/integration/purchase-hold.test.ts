import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { availableExpression } from "@/db/queries/availability";
import { findPublishedEvent } from "@/db/queries/events";
import { placeHold, type HoldOutcome } from "@/db/queries/holds";
import { runStatement } from "@/db/raw";
import { createSellingEvent, createTicketType, createUser } from "../factories";
import { idSharingPrefix, withDrawnIds } from "../factories/payment-ids";
import { insertPayment } from "../factories/payment-row";
import {
  createBuyers,
  heldQuantity,
  holdRequest,
  issueTickets,
  onPostgres,
  pooledDb,
} from "./support/purchase";
import { inRolledBackTransaction, planNodes } from "./support/plans";

const minutes = (n: number) => n * 60_000;

describe("availability", () => {
  it("counts issued tickets and live holds, but not expired holds, ended payments or released places", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 10 } });
    const buyer = await createUser();
    await issueTickets(ticketType, buyer.id, 2);
    await issueTickets(ticketType, buyer.id, 1, true);
    await insertPayment(ticketType, buyer.id, { quantity: 2 });
    await insertPayment(ticketType, buyer.id, { quantity: 4, holdExpiresAt: new Date(Date.now() - 1000) });
    await insertPayment(ticketType, buyer.id, { quantity: 1, status: "failed" });
    await insertPayment(ticketType, buyer.id, { quantity: 1, status: "expired" });
    // Completed with a bank debit that has not settled: still holds its place.
    await insertPayment(ticketType, buyer.id, { quantity: 1, processingAt: new Date(), holdExpiresAt: new Date(Date.now() + minutes(60 * 24)) });

    const shown = await findPublishedEvent(await getDb(), { id: event.id });
    expect(shown?.ticketTypes[0]?.available).toBe(10 - 2 - 2 - 1);
    const outcome = await placeHold(await getDb(), holdRequest(ticketType, (await createUser()).id));
    expect(outcome.ticketType?.available).toBe(5);
    expect(outcome.created).not.toBeNull();
  });
});

describe("placing a hold", () => {
  it("never holds more than is left: 200 buyers at once for 20 places", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 25 } });
    await issueTickets(ticketType, (await createUser()).id, 5);
    const buyers = await createBuyers(200);
    const { db, close } = await pooledDb(50);
    try {
      const results = await Promise.allSettled(buyers.map((id) => placeHold(db, holdRequest(ticketType, id))));
      const outcomes = results.map((r) => (r.status === "fulfilled" ? r.value : r.reason)) as HoldOutcome[];
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      expect(outcomes.filter((o) => o.created)).toHaveLength(20);
      expect(outcomes.filter((o) => !o.created).every((o) => o.ticketType?.available === 0)).toBe(true);
      expect(await heldQuantity(ticketType.id)).toBe(20);
    } finally {
      await close();
    }
  });

  it("keeps holds asked for together apart: one that fails leaves the others placed", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 10 } });
    const buyers = await createBuyers(6);
    const db = await getDb();
    // Asked for in one turn, so on Postgres the pool pipelines them on its connections; the third
    // fails (an event id that is no uuid) and must take only itself down.
    const results = await Promise.allSettled(
      buyers.map((id, i) => placeHold(db, holdRequest(ticketType, id, i === 2 ? { eventId: "not-a-uuid" } : {}))),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(results.filter((r) => r.status === "fulfilled").every((r) => (r as PromiseFulfilledResult<HoldOutcome>).value.created)).toBe(true);
    expect(await heldQuantity(ticketType.id)).toBe(5);
  });

  it("never holds more than is left across two app processes on one database", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 20 } });
    const buyers = await createBuyers(200);
    const halves = [buyers.slice(0, 100), buyers.slice(100)];
    let held: number[];
    if (onPostgres()) {
      const run = promisify(execFile);
      const outputs = await Promise.all(
        halves.map((ids) =>
          run("npx", ["tsx", "--conditions=react-server", "tests/integration/support/purchase-hold-worker.ts", event.id, ticketType.id, JSON.stringify(ids)], {
            env: process.env,
          }),
        ),
      );
      const reports = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").at(-1)!) as { held: number; refused: number; errors: string[] });
      for (const report of reports) expect(report.errors).toEqual([]);
      held = reports.map((r) => r.held);
    } else {
      // In-memory PGlite cannot be shared between processes: two concurrent batches in this one.
      const db = await getDb();
      held = await Promise.all(
        halves.map(async (ids) => (await Promise.all(ids.map((id) => placeHold(db, holdRequest(ticketType, id))))).filter((o) => o.created).length),
      );
    }
    expect(held[0]! + held[1]!).toBe(20);
    expect(await heldQuantity(ticketType.id)).toBe(20);
  }, 120_000);

  it("frees the places of expired holds by itself", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 2 } });
    const [a, b] = await createBuyers(2);
    const now = new Date();
    expect((await placeHold(await getDb(), holdRequest(ticketType, a!, { quantity: 2, now }))).created).not.toBeNull();
    const soldOut = await placeHold(await getDb(), holdRequest(ticketType, b!, { now }));
    expect(soldOut.created).toBeNull();
    expect(soldOut.ticketType?.available).toBe(0);
    const later = new Date(now.getTime() + minutes(36));
    const afterExpiry = await placeHold(await getDb(), holdRequest(ticketType, b!, { quantity: 2, now: later }));
    expect(afterExpiry.created).not.toBeNull();
  });

  it("limits a buyer to two open checkouts per event, not counting delayed-method payments", async () => {
    const { event, ticketType } = await createSellingEvent();
    const other = await createTicketType(event);
    const buyer = (await createBuyers(1))[0]!;
    const db = await getDb();
    await insertPayment(ticketType, buyer, { processingAt: new Date(), stripeCheckoutUrl: "http://checkout.test/processing" });
    await insertPayment(ticketType, buyer, { holdExpiresAt: new Date(Date.now() - 1000) });
    expect((await placeHold(db, holdRequest(ticketType, buyer))).created).not.toBeNull();
    expect((await placeHold(db, holdRequest(other, buyer))).created).not.toBeNull();
    const third = await placeHold(db, holdRequest(other, buyer));
    expect(third.created).toBeNull();
    expect(third.openCheckouts).toBe(2);
    // Another event is another limit.
    const elsewhere = await createSellingEvent();
    expect((await placeHold(db, holdRequest(elsewhere.ticketType, buyer))).created).not.toBeNull();
  });

  it("finds the earlier payment for a repeated request key instead of holding again", async () => {
    const { ticketType } = await createSellingEvent();
    const buyer = (await createBuyers(1))[0]!;
    const db = await getDb();
    const first = await placeHold(db, holdRequest(ticketType, buyer, { requestKey: "form:abc", quantity: 2 }));
    const again = await placeHold(db, holdRequest(ticketType, buyer, { requestKey: "form:abc", quantity: 2 }));
    expect(again.created).toBeNull();
    expect(again.existing).toEqual({ id: first.created!.id, ticketTypeId: ticketType.id, quantity: 2 });
    expect(await heldQuantity(ticketType.id)).toBe(2);
  });

  it("matches the ticket type by name case-insensitively and refuses what the rules forbid", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { name: "VIP", maxPerOrder: 2 } });
    const buyer = (await createBuyers(1))[0]!;
    const db = await getDb();
    const byName = await placeHold(db, { ...holdRequest(ticketType, buyer), ticketTypeId: undefined, ticketTypeName: "vip" });
    expect(byName.ticketType?.id).toBe(ticketType.id);
    expect(byName.created).not.toBeNull();
    expect((await placeHold(db, holdRequest(ticketType, buyer, { quantity: 3 }))).created).toBeNull();
    const later = await createTicketType(event, { salesStartAt: new Date(Date.now() + minutes(60)) });
    expect((await placeHold(db, holdRequest(later, buyer))).created).toBeNull();
    const unknown = await placeHold(db, { ...holdRequest(ticketType, buyer), ticketTypeId: undefined, ticketTypeName: "Balcony" });
    expect(unknown.eventFound).toBe(true);
    expect(unknown.ticketType).toBeNull();
  });

  // A receipt number keeps the first 8 characters of the payment id, so no two payments may share
  // them (0009, receipt-number.test.ts). place_hold draws its ids itself and draws again when the
  // index refuses one — without an error, so nothing is rolled back and nothing is counted twice.
  it("draws another payment id when the one drawn starts like an existing payment's, and holds once", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 10 } });
    const [buyer, other] = await createBuyers(2);
    const taken = await insertPayment(ticketType, other!, { quantity: 3 });
    await withDrawnIds(
      await getDb(),
      [idSharingPrefix(taken.id), idSharingPrefix(taken.id)],
      async (tx, drawsLeft) => {
        const outcome = await placeHold(tx, holdRequest(ticketType, buyer!, { requestKey: "form:drawn", quantity: 2 }));
        expect(await drawsLeft()).toBe(0);
        expect(outcome).toMatchObject({ canHold: true, openCheckouts: 0, existing: null, ticketType: { available: 7 } });
        expect(outcome.created!.id.slice(0, 8)).not.toBe(taken.id.slice(0, 8));
        const [mine] = await runStatement(tx, `select count(*)::int as n, sum(quantity)::int as q from event_payments where user_id = $1`, [buyer!]);
        expect(mine).toEqual({ n: 1, q: 2 });
        const again = await placeHold(tx, holdRequest(ticketType, buyer!, { requestKey: "form:drawn", quantity: 2 }));
        expect(again.existing?.id).toBe(outcome.created!.id);
        expect((await placeHold(tx, holdRequest(ticketType, other!, { quantity: 1 }))).ticketType?.available).toBe(5);
      },
      { commit: false },
    );
  });

  it("draws no id for a hold it refuses or only looks at, and gives up loudly rather than draw forever", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 1 } });
    const [buyer, other] = await createBuyers(2);
    const taken = await insertPayment(ticketType, other!);
    await withDrawnIds(
      await getDb(),
      [idSharingPrefix(taken.id)],
      async (tx, drawsLeft) => {
        expect((await placeHold(tx, holdRequest(ticketType, buyer!))).created).toBeNull();
        expect(await drawsLeft()).toBe(1);
      },
      { commit: false },
    );
    const { ticketType: roomy } = await createSellingEvent();
    const refused = await withDrawnIds(
      await getDb(),
      Array.from({ length: 10 }, () => idSharingPrefix(taken.id)),
      (tx) => placeHold(tx, holdRequest(roomy, buyer!)),
      { commit: false },
    ).catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(Error);
    expect(String((refused as Error & { cause?: unknown }).cause ?? refused)).toMatch(/10 payment ids drawn in a row/);
  });
});

describe("the availability count's plan", () => {
  // Regression: the open-checkouts index used to be partial on status = 'pending' only, which the
  // availability count implies, so the planner could serve the count by scanning that whole index —
  // and a generic plan cached while the table was empty did, reading every pending payment of every
  // event on each purchase. Here, without the right index and with sequential scans priced out,
  // the planner shows every other way it could read event_payments: each must be keyed.
  it("can read event_payments only by an index condition or a sequential scan", async () => {
    const { ticketType } = await createSellingEvent();
    const db = await getDb();
    const count = new PgDialect().sqlToQuery(
      sql`explain (format json) select ${availableExpression(new Date())} as available from "ticket_types" where "ticket_types"."id" = ${ticketType.id}::uuid`,
    );
    let plan: unknown;
    await inRolledBackTransaction(db, async (tx) => {
      await runStatement(tx, `drop index "event_payments_active_holds_idx"`, []);
      await runStatement(tx, `set local enable_seqscan = off`, []);
      plan = (await runStatement(tx, count.sql, count.params))[0]?.["QUERY PLAN"];
    });
    const scans = planNodes(typeof plan === "string" ? JSON.parse(plan) : plan).filter((n) => n["Relation Name"] === "event_payments");
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      expect(scan["Node Type"] === "Seq Scan" || "Index Cond" in scan, `unkeyed ${scan["Node Type"]} on ${scan["Index Name"]}`).toBe(true);
    }
  });
});
