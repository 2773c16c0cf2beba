import { beforeAll, inject } from "vitest";

// Configuration for code under test, set before anything reads lib/env.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.STRIPE_SECRET_KEY = "sk_test_vitest";
process.env.STRIPE_WEBHOOK_SECRET = inject("stripeWebhookSecret");
process.env.STRIPE_API_URL = inject("stripeApiUrl");
process.env.AUTH_SECRET = "vitest-auth-secret-not-for-production-use-000";
process.env.APP_URL = "http://localhost:3999";
process.env.BOXOFFICE_DATA_DIR = ".data/vitest";

beforeAll(async () => {
  // In-memory PGlite starts empty in each worker; Postgres was migrated once by the global setup.
  if (process.env.DATABASE_URL === "pglite:memory") {
    const state = globalThis as unknown as { __migrated?: Promise<void> };
    state.__migrated ??= (async () => {
      const [{ getDb }, { migrateDatabase }] = await Promise.all([import("@/db/client"), import("@/db/migrate")]);
      await migrateDatabase(await getDb());
    })();
    await state.__migrated;
  }
});
