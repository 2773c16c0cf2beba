import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { Executor, Transaction } from "@/db/client";
import { placeHold } from "@/db/queries/holds";
import { attachCheckoutSession } from "@/db/queries/payments-purchase";
import { runStatement } from "@/db/raw";
import * as schema from "@/db/schema";
import { createFreshDatabase } from "@/tests/setup/test-database";
import { createSellingEvent } from "../factories";
import { insertPayment } from "../factories/payment-row";
import { autoExplainToNotices, inRolledBackTransaction, plansInNotices, unkeyedReads, type PlanNode } from "./support/plans";
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
        const ticketType = await insertSellingType(db, "plans");
        for (let i = 0; i < 7; i++) {
          const outcome = await placeHold(db, holdRequest(ticketType, await insertUser(db, `plan-${i}@example.test`)));
          expect(outcome.created).not.toBeNull();
          await attachCheckoutSession(db, outcome.created!.id, `cs_test_plans_${i}`, `http://checkout.test/${i}`);
        }
      });
      expect(plans.filter((n) => n["Relation Name"] === "event_payments").length).toBeGreaterThan(7);
      expect(unkeyedReads(plans, "event_payments")).toEqual([]);
      // The id-prefix index (0009) is the hold's conflict arbiter — one insert per hold, no look-up
      // of its own — and never a way into event_payments for the hold's or the session's reads.
      const inserts = plans.filter((n) => n["Node Type"] === "ModifyTable" && n.Operation === "Insert" && n["Relation Name"] === "event_payments");
      expect(inserts.map((n) => [n["Conflict Resolution"], n["Conflict Arbiter Indexes"]])).toEqual(
        Array.from({ length: 7 }, () => ["NOTHING", ["event_payments_id_prefix_idx"]]),
      );
      expect(plans.filter((n) => n["Index Name"] === "event_payments_id_prefix_idx")).toEqual([]);
    } finally {
      await fresh.drop();
    }
  }, 60_000);

  /** An organization with a published event and one ticket type, written with plain SQL (a fresh database has no factories' pool). */
  async function insertSellingType(db: Executor, slug: string, capacity = 100) {
    const [org] = await runStatement(db, `insert into organizations (name, slug) values ('Plans', $1) returning id`, [slug]);
    const [event] = await runStatement(
      db,
      `insert into events (organization_id, slug, title, venue, starts_at, ends_at, time_zone, currency, status)
       values ($1::uuid, $2, 'Plans', 'Hall', now() + interval '30 days', now() + interval '31 days', 'Europe/Berlin', 'eur', 'published') returning id`,
      [org!.id, slug],
    );
    const [type] = await runStatement(
      db,
      `insert into ticket_types (event_id, organization_id, name, price, currency, capacity) values ($1::uuid, $2::uuid, 'GA', 2500, 'eur', $3::int) returning id`,
      [event!.id, org!.id, capacity],
    );
    return { id: String(type!.id), eventId: String(event!.id) };
  }

  async function insertUser(db: Executor, email: string) {
    const [user] = await runStatement(db, `insert into users (id, email, name) values (gen_random_uuid()::text, $1, 'Plan Buyer') returning id`, [email]);
    return String(user!.id);
  }

  /** `count` buyers, each with one open hold on each of the ticket types, in two statements. */
  async function insertCrowd(db: Executor, types: { id: string }[], count: number) {
    await runStatement(
      db,
      `insert into users (id, email, name) select gen_random_uuid()::text, 'crowd-' || n || '@example.test', 'Crowd' from generate_series(1, $1::int) n`,
      [count],
    );
    await runStatement(
      db,
      `insert into "event_payments" ("organization_id", "event_id", "user_id", "ticket_type_id", "quantity", "unit_amount", "amount_total", "currency", "request_key", "hold_expires_at")
       select t."organization_id", t."event_id", u."id", t."id", 1, t."price", t."price", t."currency", 'crowd-' || t."id", now() + interval '35 minutes'
       from "ticket_types" t, "users" u where t."id" = any($1::uuid[]) and u."email" like 'crowd-%'`,
      [types.map((t) => t.id)],
    );
  }

  // Regression: a generic plan cached while event_payments was young counted a buyer's open
  // checkouts by walking the active-holds index (the partial index's predicate was implied, and a
  // range on its second column made it look keyed): every purchase read every open hold of every
  // event — 7,761 rows and 7,546 buffers per hold in a bench run, Postgres CPU per purchase 0.5 → 1.9 ms.
  // The plans a long-lived connection keeps must read the buyer's own rows, never the crowd's,
  // as the table grows — before statistics, and after (analyzing replans).
  it("keep the plans made on a young database reading a handful of rows as the crowd grows", async () => {
    const fresh = await createFreshDatabase(process.env.DATABASE_URL!, "boxoffice_plans");
    try {
      const plans = await withNoticedPlans(
        fresh.url,
        async (db) => {
          const type = await insertSellingType(db, "grown", 1_000_000);
          const elsewhere = await insertSellingType(db, "elsewhere", 1_000_000);
          const buyer = await insertUser(db, "grown-buyer@example.test");
          // Planned now, on an empty table, and kept: generic, as after a connection's fifth call.
          for (const key of ["young-1", null]) {
            const outcome = await placeHold(db, holdRequest(type, buyer, { requestKey: key }));
            await attachCheckoutSession(db, outcome.created!.id, `cs_test_young_${key}`, "http://checkout.test/young");
          }
          await insertCrowd(db, [type, elsewhere], 3_000);
          for (const analyzed of [false, true]) {
            if (analyzed) await runStatement(db, `analyze "event_payments"`, []);
            await runStatement(db, `set auto_explain.log_analyze = on`, []);
            expect((await placeHold(db, holdRequest(type, buyer, { requestKey: "young-1" }))).existing).not.toBeNull();
            const newcomer = await insertUser(db, `grown-newcomer-${analyzed}@example.test`);
            const outcome = await placeHold(db, holdRequest(type, newcomer, { requestKey: "first" }));
            expect(outcome.created).not.toBeNull();
            await attachCheckoutSession(db, outcome.created!.id, `cs_test_grown_${analyzed}`, "http://checkout.test/grown");
            await runStatement(db, `set auto_explain.log_analyze = off`, []);
          }
        },
        ["set plan_cache_mode = force_generic_plan"],
      );
      const reads = plans.filter((n) => n["Relation Name"] === "event_payments" && n["Node Type"] !== "ModifyTable" && "Actual Rows" in n);
      expect(reads.length).toBeGreaterThan(6);
      const rowsRead = (n: PlanNode) => Number(n["Actual Rows"]) + Number(n["Rows Removed by Filter"] ?? 0) + Number(n["Rows Removed by Index Recheck"] ?? 0);
      expect(reads.filter((n) => rowsRead(n) > 3).map((n) => `${String(n["Index Name"] ?? n["Node Type"])} (${String(n["Index Cond"])}): ${rowsRead(n)} rows`)).toEqual([]);
      // Including the id default's look-ups (0009) for the 6,000 payments of the crowd, planned on a
      // young table too: each one keyed by the id-prefix index, never a scan of every payment.
      const idLookups = plans.filter((n) => n["Index Name"] === "event_payments_id_prefix_idx");
      expect(idLookups.length).toBeGreaterThanOrEqual(6_000);
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

