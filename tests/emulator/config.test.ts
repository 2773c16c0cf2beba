import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "@/lib/env/schema";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "boxoffice-emulator-env-"));

describe("emulator configuration", () => {
  it("delivers to the app's webhook route by default", () => {
    const env = loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), PORT: "4000" });
    expect(env.stripe.webhookUrls).toEqual(["http://localhost:4000/api/webhooks/stripe/events"]);
    expect(env.stripe.emulatorPort).toBe(12111);
  });

  it("takes a comma-separated list of webhook URLs (round-robin across app instances)", () => {
    const env = loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), STRIPE_WEBHOOK_URL: "http://a.test/hook, http://b.test/hook" });
    expect(env.stripe.webhookUrls).toEqual(["http://a.test/hook", "http://b.test/hook"]);
  });

  it("names STRIPE_WEBHOOK_URL when one of the URLs is not a URL", () => {
    expect(() => loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), STRIPE_WEBHOOK_URL: "http://a.test/hook,nope" })).toThrow(ConfigError);
    expect(() => loadEnv({ BOXOFFICE_DATA_DIR: dataDir(), STRIPE_WEBHOOK_URL: "nope" })).toThrow(/STRIPE_WEBHOOK_URL/);
  });
});
