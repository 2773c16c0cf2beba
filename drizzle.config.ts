import { defineConfig } from "drizzle-kit";

// Only generates SQL from db/schema; migrations are applied by `npm run db:migrate` (scripts/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./drizzle",
});
