// GET /api/health – one `select 1` on the database; for load balancers and as the benchmarks' baseline
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/respond";

export const GET = route(async () => {
  await (await getDb()).execute(sql`select 1`);
  return json({ ok: true });
});
