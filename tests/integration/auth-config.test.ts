import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { buildAuthConfig, enabledOAuthProviders } from "@/lib/auth/config";
import { loadEnv } from "@/lib/env/schema";

const base = {
  NODE_ENV: "test",
  DATABASE_URL: "pglite:memory",
  STRIPE_SECRET_KEY: "sk_test_config",
  STRIPE_WEBHOOK_SECRET: "whsec_config",
  AUTH_SECRET: "config-test-secret-0123456789abcdef0123",
  APP_URL: "http://localhost:3999",
};

const providerIds = async (extra: Record<string, string>) => {
  const config = buildAuthConfig(loadEnv({ ...base, ...extra }), await getDb());
  return config.providers.map((p) => (typeof p === "function" ? p() : p).id);
};

describe("Auth.js configuration", () => {
  it("switches on no OAuth provider without client ids and secrets", async () => {
    expect(enabledOAuthProviders(loadEnv(base))).toEqual([]);
    expect(await providerIds({})).toEqual(["credentials"]);
  });

  it("switches on GitHub and Google only when both id and secret are set", async () => {
    expect(await providerIds({ AUTH_GITHUB_ID: "gh-id" })).toEqual(["credentials"]);
    expect(await providerIds({ AUTH_GITHUB_ID: "gh-id", AUTH_GITHUB_SECRET: "gh-secret" })).toEqual(["credentials", "github"]);
    expect(
      await providerIds({ AUTH_GITHUB_ID: "gh", AUTH_GITHUB_SECRET: "s", AUTH_GOOGLE_ID: "go", AUTH_GOOGLE_SECRET: "s" }),
    ).toEqual(["credentials", "github", "google"]);
    const [google] = enabledOAuthProviders(loadEnv({ ...base, AUTH_GOOGLE_ID: "go-id", AUTH_GOOGLE_SECRET: "go-secret" }));
    expect(google).toMatchObject({ id: "google", name: "Google" });
    expect(google!.provider.options).toMatchObject({ clientId: "go-id", clientSecret: "go-secret" });
  });

  it("uses JWT sessions and httpOnly, sameSite=lax cookies that are secure in production", async () => {
    const db = await getDb();
    const dev = buildAuthConfig(loadEnv(base), db);
    expect(dev.session?.strategy).toBe("jwt");
    expect(dev.cookies?.sessionToken).toEqual({
      name: "authjs.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: false },
    });
    const production = buildAuthConfig(
      loadEnv({ ...base, NODE_ENV: "production", DATABASE_URL: "postgres://db.example/boxoffice", APP_URL: "https://tickets.example" }),
      db,
    );
    expect(production.useSecureCookies).toBe(true);
    expect(production.cookies?.sessionToken).toMatchObject({ name: "__Secure-authjs.session-token", options: { secure: true } });
  });

  it("stores and finds OAuth users by their lower-cased email, one account per email", async () => {
    const adapter = buildAuthConfig(loadEnv(base), await getDb()).adapter!;
    const email = `OAuth-${crypto.randomUUID().slice(0, 8)}@Example.COM`;
    const created = await adapter.createUser!({ id: crypto.randomUUID(), email, emailVerified: null, name: "OAuth" });
    expect(created.email).toBe(email.toLowerCase());
    expect((await adapter.getUserByEmail!(email.toUpperCase()))?.id).toBe(created.id);
  });

  it("reads the sign-in limits from the environment and refuses RATE_LIMITS=off in production", () => {
    expect(loadEnv(base).signInLimits).toEqual({ perAccount: 5, perIp: 20, windowSeconds: 900 });
    expect(
      loadEnv({ ...base, RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "3", RATE_LIMIT_SIGN_IN_PER_IP: "50", RATE_LIMIT_WINDOW_SECONDS: "60" }).signInLimits,
    ).toEqual({ perAccount: 3, perIp: 50, windowSeconds: 60 });
    expect(() => loadEnv({ ...base, RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "0" })).toThrow(/RATE_LIMIT_SIGN_IN_PER_ACCOUNT: must be at least 1/);
    expect(() =>
      loadEnv({ ...base, NODE_ENV: "production", DATABASE_URL: "postgres://db.example/x", RATE_LIMITS: "off" }),
    ).toThrow(/RATE_LIMITS: cannot be off in production/);
  });
});
