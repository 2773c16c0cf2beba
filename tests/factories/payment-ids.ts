import { randomUUID } from "node:crypto";
import type { Database, Transaction } from "@/db/client";
import { runStatement } from "@/db/raw";

/** An id that starts with the same 8 characters as `id` (what a receipt number keeps of it), otherwise new. */
export function idSharingPrefix(id: string): string {
  return `${id.slice(0, 8)}${randomUUID().slice(8)}`;
}

/** The unique constraint (or index) a failed insert ran into, from the driver's error under Drizzle's wrapper. */
export function violatedConstraint(error: unknown): string | undefined {
  for (let e = error as Record<string, unknown> | undefined; e; e = e.cause as Record<string, unknown> | undefined) {
    if (e.code === "23505") return (e.constraint_name ?? e.constraint) as string | undefined;
  }
  return undefined;
}

const rolledBack = new Error("rolled back on purpose");

/**
 * Runs `work` in one transaction in which `gen_random_uuid()` — as the database's own code calls it,
 * unqualified (place_hold, the payment id default) — returns `draws` first, in order, and random ids
 * after them: so a test can make the database draw an id that is already taken. A schema of the
 * transaction's own, first on its search_path, shadows the built-in function; it is dropped before
 * the transaction ends, so nothing of it outlives `work`. `commit: false` rolls everything back.
 * `drawsLeft()` tells how many of `draws` were not taken yet.
 */
export async function withDrawnIds<T>(
  db: Database,
  draws: string[],
  work: (tx: Transaction, drawsLeft: () => Promise<number>) => Promise<T>,
  { commit }: { commit: boolean },
): Promise<T> {
  const schema = `test_draws_${randomUUID().replaceAll("-", "")}`;
  let result: T | undefined;
  await db
    .transaction(async (tx) => {
      await runStatement(tx, `create schema "${schema}"`, []);
      await runStatement(tx, `create table "${schema}".queue (n serial primary key, id uuid not null)`, []);
      await runStatement(tx, `insert into "${schema}".queue (id) select unnest($1::uuid[])`, [draws]);
      await runStatement(
        tx,
        `create function "${schema}".gen_random_uuid() returns uuid language plpgsql volatile as $$
         declare v uuid;
         begin
           delete from "${schema}".queue where n = (select min(n) from "${schema}".queue) returning id into v;
           return coalesce(v, pg_catalog.gen_random_uuid());
         end $$`,
        [],
      );
      await runStatement(tx, `select set_config('search_path', $1 || ', pg_catalog, ' || current_setting('search_path'), true)`, [
        `"${schema}"`,
      ]);
      const drawsLeft = async () => Number((await runStatement(tx, `select count(*)::int as n from "${schema}".queue`, []))[0]!.n);
      result = await work(tx, drawsLeft);
      await runStatement(tx, `drop schema "${schema}" cascade`, []);
      if (!commit) throw rolledBack;
    })
    .catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
  return result as T;
}
