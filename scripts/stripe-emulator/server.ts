// PLACEHOLDER until the emulator branch lands (it replaces this file): lets the rest type-check and
// run tests that do not talk to Stripe. Any Stripe call against it fails to connect.
export interface StripeEmulatorOptions {
  port?: number;
  host?: string;
  publicUrl?: string;
  webhookSecret: string;
  webhookUrls: string[];
  stateFile?: string;
  retrySchedule?: number[];
  log?: (line: string) => void;
}
export interface StripeEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
}
export async function startStripeEmulator(_options: StripeEmulatorOptions): Promise<StripeEmulator> {
  return { url: "http://127.0.0.1:9", port: 9, close: async () => {} };
}
