import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

/**
 * Secrets for embedded (local) mode only: generated once, kept in `<dataDir>/dev-secrets.json`
 * (git-ignored), so the app, the seed and the Stripe emulator all agree on them across restarts.
 * Production supplies real values through the environment and never reaches this file.
 */
export interface DevSecrets {
  authSecret: string;
  stripeSecretKey: string;
  stripeWebhookSecret: string;
}

export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  const secrets: DevSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    // The emulator accepts any sk_test_ key; this one is clearly local.
    stripeSecretKey: `sk_test_emulator_${randomBytes(12).toString("hex")}`,
    stripeWebhookSecret: `whsec_${randomBytes(24).toString("base64url")}`,
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: everyone must use the same secrets, so take theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  }
  return secrets;
}
