import type { EmulatorContext } from "../context";
import type { WebhookDelivery } from "../webhooks/delivery";

export function renderDashboard(_ctx: EmulatorContext, _delivery: WebhookDelivery, _notice: string | null): string {
  return "<!doctype html><title>Stripe emulator</title><h1>Stripe emulator</h1>";
}
