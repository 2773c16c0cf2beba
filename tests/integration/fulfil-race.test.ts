import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { eventPayments, tickets } from "@/db/schema";
import { fulfilSession, readCheckoutSession } from "@/lib/fulfilment/fulfil";
import { createUser } from "../factories";
import { createPendingPayment, payOnEmulator, reloadPayment } from "../factories/payments";
import { onPostgres, pooledDb } from "./support/purchase";

afterEach(() => {
  vi.useRealTimers();
});

describe("fulfilment racing a hold's expiry", () => {
  // A late payment (a bank debit settling days after its hold ran out) re-counts the places and may
  // take those of a hold that has just expired. That hold's own fulfilment may have decided a moment
  // earlier, while its hold was live, and be about to write. Taking the places must lapse the hold
  // (as place_hold does), so the slower write sees it and re-counts instead of issuing them twice.
  it.runIf(onPostgres())("never issues an expired hold's places twice when its own slow fulfilment and a late payment meet", async () => {
    const holdEnds = new Date(Date.now() + 10 * 60_000);
    const q = await createPendingPayment({ quantity: 2, ticketType: { capacity: 2 }, payment: { holdExpiresAt: holdEnds } });
    const late = await createPendingPayment({
      quantity: 2,
      on: { event: q.event, ticketType: q.ticketType },
      buyer: await createUser(),
      payment: { holdExpiresAt: new Date(Date.now() - 3600_000), holdLapsed: true },
    });
    await payOnEmulator(q.session.id);
    await payOnEmulator(late.session.id);
    const [qSession, lateSession] = [await readCheckoutSession(q.session.id), await readCheckoutSession(late.session.id)];

    const { db: other, close } = await pooledDb(2);
    try {
      // Hold Q's payment row, so that Q's fulfilment (deciding while its hold is live) waits to write.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const blocker = other.transaction(async (tx) => {
        await tx.select({ id: eventPayments.id }).from(eventPayments).where(eq(eventPayments.id, q.payment.id)).for("update");
        locked();
        await released;
      });
      await isLocked;
      const qFulfil = fulfilSession(qSession);
      await waitForLockWaiters(other, 1);

      // Q's hold is over by the late payment's clock: its places are free to take.
      vi.useFakeTimers({ toFake: ["Date"], now: holdEnds.getTime() + 1_000 });
      const lateFulfil = fulfilSession(lateSession);
      await waitForLockWaiters(other, 2).catch(() => undefined); // without the lapse it does not wait at all
      release();
      await blocker;
      const results = await Promise.all([qFulfil, lateFulfil]);
      vi.useRealTimers();

      const valid = await (await getDb())
        .select({ paymentId: tickets.paymentId })
        .from(tickets)
        .where(and(eq(tickets.ticketTypeId, q.ticketType.id), eq(tickets.status, "valid")));
      expect(valid).toHaveLength(2);
      expect(new Set(valid.map((t) => t.paymentId)).size).toBe(1);
      // The one that came second was paid after its places were gone: refunded, not ticketed.
      expect(results.map((r) => r.decision).sort()).toEqual(["fulfil", "sold_out"]);
      const loser = results.find((r) => r.decision === "sold_out")!.paymentId!;
      expect((await reloadPayment(loser)).failureReason).toBe("sold out while paying");
    } finally {
      await close();
    }
  });
});

/** Waits until `count` backends of this database wait for a lock (the test's way of ordering steps). */
async function waitForLockWaiters(db: Awaited<ReturnType<typeof pooledDb>>["db"], count: number) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [row] = await db.execute<{ waiting: number }>(
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(row?.waiting) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} backends ever waited for a lock`);
}
