// npm run db:seed — demo organizations, accounts and events; safe to run twice; refused in production.
import { closeDb, getDb } from "@/db/client";
import { demoAccounts, demoPassword, seedDemoData } from "@/lib/demo/seed";
import { getEnv } from "@/lib/env";
import { runScript } from "./lib/run-script";

runScript(async () => {
  if (getEnv().nodeEnv === "production") {
    throw new Error("Refusing to seed demo data with NODE_ENV=production.");
  }
  await seedDemoData(await getDb());
  await closeDb();
  console.log(`Demo data ready. Sign in with any of (password "${demoPassword}"):`);
  for (const a of demoAccounts) console.log(`  ${a.email}  (${a.role})`);
});
