import type { Database, Transaction } from "@/db/client";

// Reading query plans in tests: EXPLAIN (format json) output, and the plans auto_explain hands back
// as notices for statements run inside functions (Postgres only; PGlite has no auto_explain).

export type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Every node of one or more explained plans, parents before children. */
export function planNodes(explained: unknown): PlanNode[] {
  const roots = (explained as { Plan: PlanNode }[]).map((e) => e.Plan);
  const all: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    all.push(node);
    node.Plans?.forEach(visit);
  };
  roots.forEach(visit);
  return all;
}

/** The reads of `table` in these plans that are neither keyed by an index condition nor a heap fetch behind one. */
export function unkeyedReads(nodes: PlanNode[], table: string): PlanNode[] {
  return nodes.filter((n) => n["Relation Name"] === table && n["Node Type"] !== "ModifyTable" && !("Index Cond" in n) && !("Recheck Cond" in n));
}

/** Session settings that make auto_explain send the plan of every statement, nested ones too, as a JSON notice. */
export const autoExplainToNotices = [
  "load 'auto_explain'",
  "set auto_explain.log_min_duration = 0",
  "set auto_explain.log_nested_statements = on",
  "set auto_explain.log_level = 'notice'",
  "set auto_explain.log_format = 'json'",
];

/** The plans among notices collected from a connection set up with autoExplainToNotices. */
export function plansInNotices(notices: string[]): PlanNode[] {
  return notices.filter((n) => n.includes('"Plan"')).flatMap((n) => planNodes([JSON.parse(n.slice(n.indexOf("{")))]));
}

const rolledBack = new Error("rolled back on purpose");

/** Runs `work` in a transaction that is always rolled back. */
export async function inRolledBackTransaction(db: Database, work: (tx: Transaction) => Promise<void>) {
  await db
    .transaction(async (tx) => {
      await work(tx);
      throw rolledBack;
    })
    .catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
}
