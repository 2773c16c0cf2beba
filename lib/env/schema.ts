import path from "node:path";
import { z } from "zod";
import { loadOrCreateDevSecrets } from "./dev-secrets";

/**
 * Postgres connections per app process, unless DATABASE_POOL_SIZE says otherwise. Small on purpose:
 * postgres.js pipelines queries on busy connections, and every query here is short (keyed lookups,
 * one-statement holds, batched exports), so 3 connections carry ~1,000 purchases/s. More connections
 * only add backends that, under a backlog, all run at once and take the cores from the app's one
 * thread. On 2 shared cores, 3 against 10 (the old default): p99 at 35 % of health 84–148 ms in six
 * 10-second runs against 160 ms–2.0 s, closed-loop purchases 1,013–1,043/s against 944/s, webhook
 * deliveries 25.4 % of health against 21.6 %. A database on its own larger machine, or with slow
 * commits (each synchronous commit holds its connection for a WAL flush), wants more.
 */
export const defaultDatabasePoolSize = 3;

/**
 * The one place that reads process.env (scripts and the Next server both call it). Unset values
 * fall back to embedded defaults: PGlite under .data/, the local Stripe emulator and generated dev
 * secrets. Production (NODE_ENV=production without the launcher's embedded flag) must set them.
 */
const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v) || /^pglite:.+/.test(v), {
    message: "must be a postgres:// or postgresql:// URL (or unset for the embedded database)",
  });

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  BOXOFFICE_DATA_DIR: z.string().trim().min(1).default(".data"),
  // Set by `npm start` for the processes it launches: dev defaults are allowed even though
  // `next start` runs with NODE_ENV=production.
  BOXOFFICE_EMBEDDED: z.enum(["0", "1"]).optional(),
  DATABASE_URL: databaseUrl.optional().or(z.literal("").transform(() => undefined)),
  STRIPE_SECRET_KEY: optionalString.pipe(
    z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "must look like sk_test_… or sk_live_…").optional(),
  ),
  STRIPE_WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith("whsec_", "must start with whsec_").optional()),
  STRIPE_API_URL: optionalString.pipe(z.url("must be a URL such as http://127.0.0.1:12111").optional()),
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(12111),
  // Where the emulator delivers events; several (comma-separated) are used round-robin.
  STRIPE_WEBHOOK_URL: optionalString.pipe(
    z
      .string()
      .refine((v) => v.split(",").every((u) => z.url().safeParse(u.trim()).success), "must be a URL or a comma-separated list of URLs")
      .optional(),
  ),
  APP_URL: optionalString.pipe(z.url("must be the public URL of the app, e.g. https://tickets.example.com").optional()),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  PORT: z.coerce.number().int().min(1, "must be a port number").max(65535, "must be a port number").default(3000),
  CHECKOUT_SESSION_MINUTES: z.coerce
    .number()
    .int()
    .min(30, "must be at least 30 (Stripe's minimum session lifetime)")
    .max(1440, "must be at most 1440 (Stripe's maximum, 24 hours)")
    .default(30),
  RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: z.coerce.number().int().min(1, "must be at least 1").default(5),
  RATE_LIMIT_SIGN_IN_PER_IP: z.coerce.number().int().min(1, "must be at least 1").default(20),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1, "must be at least 1 second").max(86_400, "must be at most 86400 (a day)").default(900),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(defaultDatabasePoolSize),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
});

export type Env = ReturnType<typeof loadEnv>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function loadEnv(source: Record<string, string | undefined>) {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.BOXOFFICE_DATA_DIR);
  const production = raw.NODE_ENV === "production" && raw.BOXOFFICE_EMBEDDED !== "1";
  const needDevSecrets = !raw.STRIPE_SECRET_KEY || !raw.AUTH_SECRET || !raw.STRIPE_WEBHOOK_SECRET;
  if (production) {
    for (const name of ["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "AUTH_SECRET", "APP_URL"] as const) {
      if (!raw[name]) throw new ConfigError(`Invalid configuration:\n  ${name}: is required in production`);
    }
    if (raw.RATE_LIMITS === "off") {
      throw new ConfigError("Invalid configuration:\n  RATE_LIMITS: cannot be off in production");
    }
  }
  if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET) {
    // With a real key, webhooks come from real Stripe: their secret cannot be invented locally.
    throw new ConfigError(
      "Invalid configuration:\n  STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set (copy it from the Stripe dashboard or `stripe listen`)",
    );
  }
  const dev = needDevSecrets && !production ? loadOrCreateDevSecrets(dataDir) : undefined;
  const emulated = !raw.STRIPE_SECRET_KEY;
  const appUrl = (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, "");

  return {
    nodeEnv: raw.NODE_ENV,
    production,
    dataDir,
    database: raw.DATABASE_URL?.startsWith("pglite:")
      ? ({ kind: "pglite", dir: pgliteDir(raw.DATABASE_URL.slice("pglite:".length)) } as const)
      : raw.DATABASE_URL
        ? ({ kind: "postgres", url: raw.DATABASE_URL, poolSize: raw.DATABASE_POOL_SIZE } as const)
        : ({ kind: "pglite", dir: path.join(dataDir, "pglite") } as const),
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY ?? dev!.stripeSecretKey,
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? dev!.stripeWebhookSecret,
      apiUrl: raw.STRIPE_API_URL ?? (emulated ? `http://127.0.0.1:${raw.STRIPE_EMULATOR_PORT}` : undefined),
      emulated,
      emulatorPort: raw.STRIPE_EMULATOR_PORT,
      webhookUrls: (raw.STRIPE_WEBHOOK_URL ?? `${appUrl}/api/webhooks/stripe/events`)
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean),
    },
    appUrl,
    authSecret: raw.AUTH_SECRET ?? dev!.authSecret,
    port: raw.PORT,
    checkoutSessionMinutes: raw.CHECKOUT_SESSION_MINUTES,
    rateLimits: raw.RATE_LIMITS === "on",
    // Failed sign-ins allowed per account and per client IP within one window (lib/auth/rate-limit.ts).
    signInLimits: {
      perAccount: raw.RATE_LIMIT_SIGN_IN_PER_ACCOUNT,
      perIp: raw.RATE_LIMIT_SIGN_IN_PER_IP,
      windowSeconds: raw.RATE_LIMIT_WINDOW_SECONDS,
    },
    oauth: {
      github:
        raw.AUTH_GITHUB_ID && raw.AUTH_GITHUB_SECRET
          ? { clientId: raw.AUTH_GITHUB_ID, clientSecret: raw.AUTH_GITHUB_SECRET }
          : undefined,
      google:
        raw.AUTH_GOOGLE_ID && raw.AUTH_GOOGLE_SECRET
          ? { clientId: raw.AUTH_GOOGLE_ID, clientSecret: raw.AUTH_GOOGLE_SECRET }
          : undefined,
    },
  };
}

/** `pglite:memory` is an in-memory database (tests); `pglite:<dir>` a folder. */
function pgliteDir(spec: string): string {
  return spec === "memory" ? "memory://" : path.resolve(spec);
}
