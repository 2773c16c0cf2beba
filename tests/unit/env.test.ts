import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "@/lib/env/schema";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "boxoffice-env-"));

describe("configuration", () => {
  it("runs on embedded defaults with nothing set, generating dev secrets once", () => {
    const dir = dataDir();
    const env = loadEnv({ BOXOFFICE_DATA_DIR: dir });
    expect(env.database).toEqual({ kind: "pglite", dir: path.join(dir, "pglite") });
    expect(env.stripe.emulated).toBe(true);
    expect(env.stripe.apiUrl).toBe("http://127.0.0.1:12111");
    expect(env.stripe.secretKey).toMatch(/^sk_test_/);
    expect(env.stripe.webhookSecret).toMatch(/^whsec_/);
    expect(env.appUrl).toBe("http://localhost:3000");
    const stored = JSON.parse(readFileSync(path.join(dir, "dev-secrets.json"), "utf8"));
    expect(stored.authSecret).toBe(env.authSecret);
    // A second start (or the emulator, or the seed) gets the same secrets.
    expect(loadEnv({ BOXOFFICE_DATA_DIR: dir }).stripe.webhookSecret).toBe(env.stripe.webhookSecret);
  });

  it.each([
    [{ DATABASE_URL: "nonsense" }, "DATABASE_URL: must be a postgres:// or postgresql:// URL"],
    [{ PORT: "http" }, "PORT:"],
    [{ STRIPE_SECRET_KEY: "pk_test_123" }, "STRIPE_SECRET_KEY: must look like sk_test_"],
    [{ CHECKOUT_SESSION_MINUTES: "10" }, "CHECKOUT_SESSION_MINUTES: must be at least 30"],
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET: must be at least 32 characters"],
  ])("stops on %o with a message naming the variable", (vars, message) => {
    expect(() => loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), ...vars })).toThrowError(ConfigError);
    expect(() => loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), ...vars })).toThrowError(message);
  });

  it("requires the webhook secret whenever a real Stripe key is configured", () => {
    expect(() => loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), STRIPE_SECRET_KEY: "sk_test_abc" })).toThrowError(
      "STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set",
    );
  });

  it("refuses generated secrets and disabled rate limits in production", () => {
    expect(() => loadEnv({ NODE_ENV: "production", BOXOFFICE_DATA_DIR: dataDir() })).toThrowError("is required in production");
    const complete = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db.example/boxoffice",
      STRIPE_SECRET_KEY: "sk_live_abc",
      STRIPE_WEBHOOK_SECRET: "whsec_abc",
      AUTH_SECRET: "x".repeat(40),
      APP_URL: "https://tickets.example.com",
    };
    expect(loadEnv(complete).stripe.apiUrl).toBeUndefined();
    expect(() => loadEnv({ ...complete, RATE_LIMITS: "off" })).toThrowError("RATE_LIMITS: cannot be off in production");
  });

  it("selects in-memory PGlite for pglite:memory and Postgres for a postgres URL", () => {
    expect(loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), DATABASE_URL: "pglite:memory" }).database).toEqual({ kind: "pglite", dir: "memory://" });
    expect(loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), DATABASE_URL: "postgresql://u@h/db" }).database).toEqual({
      kind: "postgres",
      url: "postgresql://u@h/db",
      poolSize: 3,
    });
  });
});
