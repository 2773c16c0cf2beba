import type { TestProject } from "vitest/node";
import { startStripeEmulator } from "@/scripts/stripe-emulator/server";
import { createFreshDatabase } from "./test-database";

export const testWebhookSecret = "whsec_vitest_only_not_a_real_secret";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    stripeApiUrl: string;
    stripeWebhookSecret: string;
  }
}

/**
 * One database and one Stripe emulator for the whole run. With DATABASE_URL set (CI), a fresh
 * Postgres database on that server; without it, each worker uses an in-memory PGlite.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  const database = serverUrl ? await createFreshDatabase(serverUrl, "boxoffice_test") : undefined;
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: testWebhookSecret, webhookUrls: [] });
  project.provide("databaseUrl", database?.url ?? "pglite:memory");
  project.provide("stripeApiUrl", emulator.url);
  project.provide("stripeWebhookSecret", testWebhookSecret);
  return async () => {
    await emulator.close();
    await database?.drop();
  };
}
