import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { Transaction } from "@/db/client";
import { placeHold } from "@/db/queries/holds";
import { attachCheckoutSession } from "@/db/queries/payments-purchase";
import { runStatement } from "@/db/raw";
import * as schema from "@/db/schema";
import { createFreshDatabase } from "@/tests/setup/test-database";
import { createSellingEvent } from "../factories";
import { insertPayment } from "../factories/payment-row";
import { autoExplainToNotices, inRolledBackTransaction, plansInNotices, unkeyedReads } from "./support/plans";
import { createBuyers, holdRequest, onPostgres } from "./support/purchase";

// The two statements every purchase runs live in PL/pgSQL functions (place_hold,
// attach_checkout_sessions), whose plans are cached per connection and turn generic after five
// calls. auto_explain hands back the plans of the statements inside them as notices, so these tests
// read the plans a connection actually keeps. Postgres only: PGlite has no auto_explain.
describe.runIf(onPostgres())("the purchase statements' plans", () => {
  async function withNoticedPlans(
    url: string,
    work: (db: ReturnType<typeof drizzle<typeof schema>>) => Promise<void>,
    extraSettings: string[] = [],
  ) {
    const notices: string[] = [];
    const client = postgres(url, { max: 1, onnotice: (notice) => notices.push(String(notice.message)) });
    try {
      for (const setting of [...autoExplainToNotices, ...extraSettings]) await client.unsafe(setting);
      await work(drizzle(client, { schema }));
    } finally {
      await client.end({ timeout: 5 });
    }
    return plansInNotices(notices);
  }

  /** `count` more pending payments like this one (same buyer, event and ticket type), in one statement. */
  async function copyPayment(tx: Transaction, paymentId: string, count: number) {
    await runStatement(
      tx,
      `insert into "event_payments" ("organization_id", "event_id", "user_id", "ticket_type_id", "quantity", "unit_amount", "amount_total", "currency", "hold_expires_at")
       select "organization_id", "event_id", "user_id", "ticket_type_id", 1, "unit_amount", "amount_total", "currency", "hold_expires_at"
       from "event_payments", generate_series(1, $2::int) where "id" = $1::uuid`,
      [paymentId, count],
    );
  }

  // Regression: a connection plans these the first time it runs them; on a new database that is
  // while event_payments is nearly empty and never analyzed, where a sequential scan is the cheapest
  // plan — kept while the table grows (a bench run: 2,034 sequential scans reading 4.9 million rows
  // for 3,900 purchases).
  it("read event_payments only by index on a young database", async () => {
    const fresh = await createFreshDatabase(process.env.DATABASE_URL!, "boxoffice_plans");
    try {
      const plans = await withNoticedPlans(fresh.url, async (db) => {
        const [org] = await runStatement(db, `insert into organizations (name, slug) values ('Plans', 'plans') returning id`, []);
        const [event] = await runStatement(
          db,
          `insert into events (organization_id, slug, title, venue, starts_at, ends_at, time_zone, currency, status)
           values ($1::uuid, 'plans', 'Plans', 'Hall', now() + interval '30 days', now() + interval '31 days', 'Europe/Berlin', 'eur', 'published') returning id`,
          [org!.id],
        );
        const [type] = await runStatement(
          db,
          `insert into ticket_types (event_id, organization_id, name, price, currency, capacity) values ($1::uuid, $2::uuid, 'GA', 2500, 'eur', 100) returning id`,
          [event!.id, org!.id],
        );
        const ticketType = { id: String(type!.id), eventId: String(event!.id) };
        for (let i = 0; i < 7; i++) {
          const [user] = await runStatement(db, `insert into users (id, email, name) values (gen_random_uuid()::text, $1, 'Plan Buyer') returning id`, [`plan-${i}@example.test`]);
          const outcome = await placeHold(db, holdRequest(ticketType, String(user!.id)));
          expect(outcome.created).not.toBeNull();
          await attachCheckoutSession(db, outcome.created!.id, `cs_test_plans_${i}`, `http://checkout.test/${i}`);
        }
      });
      expect(plans.filter((n) => n["Relation Name"] === "event_payments").length).toBeGreaterThan(7);
      expect(unkeyedReads(plans, "event_payments")).toEqual([]);
    } finally {
      await fresh.drop();
    }
  }, 60_000);

  // Regression: the batch update joined json_to_recordset (guessed at 100 rows) to event_payments
  // and, against 100 guessed lookups, hash-joined a read of every payment — on each purchase.
  it("store a Checkout Session without reading every payment of a grown table", async () => {
    const { ticketType } = await createSellingEvent();
    const [buyer] = await createBuyers(1);
    const payment = await insertPayment(ticketType, buyer!);
    const plans = await withNoticedPlans(process.env.DATABASE_URL!, async (db) =>
      inRolledBackTransaction(db, async (tx) => {
        await copyPayment(tx, payment.id, 5000);
        await runStatement(tx, `analyze "event_payments"`, []);
        for (let i = 0; i < 7; i++) {
          const batch = JSON.stringify([{ id: payment.id, session_id: "cs_test_grown", url: "http://checkout.test/grown" }]);
          await runStatement(tx, `select attach_checkout_sessions($1::json)`, [batch]);
        }
      }),
    );
    expect(plans.filter((n) => n["Relation Name"] === "event_payments").length).toBeGreaterThanOrEqual(7);
    expect(unkeyedReads(plans, "event_payments")).toEqual([]);
  });

  // Regression: place_hold summed every live hold of the ticket type under its lock, so each hold
  // cost more the more checkouts were open — in a bench run the server's CPU per purchase climbed
  // from 0.7 to 1.1–1.2 ms within a minute. The held places are counted by triggers now (0007).
  it("place a hold without reading the other open checkouts of the ticket type", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 10_000 } });
    const [buyer, newcomer] = await createBuyers(2);
    const open = await insertPayment(ticketType, buyer!);
    const plans = await withNoticedPlans(
      process.env.DATABASE_URL!,
      async (db) =>
        inRolledBackTransaction(db, async (tx) => {
          await copyPayment(tx, open.id, 300);
          expect((await placeHold(tx, holdRequest(ticketType, newcomer!))).ticketType?.available).toBe(10_000 - 301);
        }),
      ["set auto_explain.log_analyze = on"],
    );
    const reads = plans.filter((n) => n["Relation Name"] === "event_payments" && n["Node Type"] !== "ModifyTable");
    expect(reads.length).toBeGreaterThan(0);
    expect(Math.max(...reads.map((n) => Number(n["Actual Rows"])))).toBeLessThanOrEqual(1);
  });

  // The guard for the availability count (purchase-hold.test.ts) applied to place_hold's own copy:
  // without the right index, every other way to read event_payments must be keyed.
  it("count live holds in place_hold by index even without their own index", async () => {
    const { ticketType } = await createSellingEvent({ ticketType: { capacity: 100 } });
    const buyers = await createBuyers(7);
    const plans = await withNoticedPlans(process.env.DATABASE_URL!, async (db) =>
      inRolledBackTransaction(db, async (tx) => {
        await runStatement(tx, `drop index "event_payments_active_holds_idx"`, []);
        for (const buyer of buyers) expect((await placeHold(tx, holdRequest(ticketType, buyer))).created).not.toBeNull();
      }),
    );
    expect(plans.filter((n) => n["Relation Name"] === "event_payments").length).toBeGreaterThanOrEqual(buyers.length);
    // With no index on the ticket type left, a sequential scan is the honest way; what must not
    // appear is a walk through some other index from end to end.
    expect(unkeyedReads(plans, "event_payments").filter((n) => n["Node Type"] !== "Seq Scan")).toEqual([]);
  });
});

