// The Stripe emulator in a process of its own for benchmarks (Stripe is remote in production, so it
// should not share the load generator's event loop). Records events without delivering them.
import { startStripeEmulator } from "../../stripe-emulator/server";

const port = Number(process.argv[2]);
const webhookSecret = process.argv[3] ?? "whsec_bench_only_not_a_secret";
startStripeEmulator({ port, webhookSecret, webhookUrls: [] }).then(
  (emulator) => {
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
