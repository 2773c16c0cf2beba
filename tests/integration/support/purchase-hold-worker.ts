// A second app process for the concurrency test: places one-ticket holds for every given buyer at
// once, on its own connection pool against the same database, then prints how many it got.
// Run with `tsx --conditions=react-server` (so `server-only` resolves to nothing).
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { placeHold } from "@/db/queries/holds";
import * as schema from "@/db/schema";
import { holdRequest } from "./purchase";

async function main() {
  const [eventId, ticketTypeId, usersJson] = process.argv.slice(2);
  const userIds = JSON.parse(usersJson!) as string[];
  const client = postgres(process.env.DATABASE_URL!, { max: 20, onnotice: () => {} });
  const db = drizzle(client, { schema });
  const now = new Date();
  const type = { id: ticketTypeId!, eventId: eventId! };
  const results = await Promise.allSettled(userIds.map((userId) => placeHold(db, holdRequest(type, userId, { now }))));
  await client.end();
  const held = results.filter((r) => r.status === "fulfilled" && r.value.created).length;
  const refused = results.filter((r) => r.status === "fulfilled" && !r.value.created).length;
  const errors = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
  console.log(JSON.stringify({ held, refused, errors }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
