import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { attachCheckoutSession, attachSessionsStatement } from "@/db/queries/payments-purchase";
import { runStatement } from "@/db/raw";
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

  // Regression: the batch was joined to event_payments, and against json_to_recordset's guess of 100
  // rows the planner preferred a sequential scan of every payment — on each purchase, growing with
  // the table (61 pages at 1,224 payments; Postgres CPU per purchase doubled at steady arrivals).
  it("finds the batch's payments by their ids, not by reading every payment", async () => {
    const { ticketType } = await createSellingEvent();
    const [buyer] = await createBuyers(1);
    const payment = await insertPayment(ticketType, buyer!);
    const db = await getDb();
    let plan: unknown;
    await db
      .transaction(async (tx) => {
        // Enough other payments that reading them all costs more than a few index lookups.
        await runStatement(
          tx,
          `insert into "event_payments" ("organization_id", "event_id", "user_id", "ticket_type_id", "quantity", "unit_amount", "amount_total", "currency", "hold_expires_at")
           select "organization_id", "event_id", "user_id", "ticket_type_id", 1, "unit_amount", "amount_total", "currency", "hold_expires_at"
           from "event_payments", generate_series(1, 5000) where "id" = $1::uuid`,
          [payment.id],
        );
        await runStatement(tx, `analyze "event_payments"`, []);
        // The plan a connection keeps once it stops planning per call.
        await runStatement(tx, `set local plan_cache_mode = force_generic_plan`, []);
        const batch = JSON.stringify([{ id: payment.id, session_id: "cs_test_plan", url: "http://checkout.test/plan" }]);
        plan = (await runStatement(tx, `explain (format json) ${attachSessionsStatement}`, [batch]))[0]?.["QUERY PLAN"];
        throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
    const scans = planNodes(typeof plan === "string" ? JSON.parse(plan) : plan).filter((n) => n["Relation Name"] === "event_payments" && n["Node Type"] !== "ModifyTable");
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect("Index Cond" in scan || "Recheck Cond" in scan, `${scan["Node Type"]} reads every payment`).toBe(true);
  });
});

const rolledBack = new Error("rolled back on purpose");

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };
function planNodes(explained: unknown): PlanNode[] {
  const all: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    all.push(node);
    node.Plans?.forEach(visit);
  };
  (explained as { Plan: PlanNode }[]).forEach((e) => visit(e.Plan));
  return all;
}
