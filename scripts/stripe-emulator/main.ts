// `npm run stripe:emulator`: the Stripe emulator on its own (npm start runs it for you).
// Options: --state-file <path> keeps state across restarts.
import { getEnv } from "@/lib/env";
import { runScriptForever } from "../lib/run-script";
import { startStripeEmulator } from "./server";

runScriptForever(async () => {
  const env = getEnv();
  const stateIndex = process.argv.indexOf("--state-file");
  const stateFile = stateIndex > 0 ? process.argv[stateIndex + 1] : undefined;
  const emulator = await startStripeEmulator({
    port: env.stripe.emulatorPort,
    webhookSecret: env.stripe.webhookSecret,
    webhookUrls: env.stripe.webhookUrls,
    stateFile,
    log: (line) => console.log(`[stripe-emulator] ${line}`),
  });
  console.log(`[stripe-emulator] ready: ${emulator.url} (dashboard ${emulator.url}/_emulator/)`);
  console.log(`[stripe-emulator] signing events with the webhook secret from ${env.dataDir}/dev-secrets.json (or STRIPE_WEBHOOK_SECRET)`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
