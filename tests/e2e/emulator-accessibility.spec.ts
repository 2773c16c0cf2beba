import { expect, test, type Page } from "@playwright/test";
import Stripe from "stripe";
import { e2eBaseUrl, e2eEmulatorUrl } from "../../playwright.config";

// axe-core arrives with eslint-config-next (via eslint-plugin-jsx-a11y), so no extra dependency.
const axePath = require.resolve("axe-core/axe.min.js");
const api = new URL(e2eEmulatorUrl);
const stripe = new Stripe("sk_test_e2e_emulator", { host: api.hostname, port: Number(api.port), protocol: "http" });

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return result
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("the hosted checkout page has no serious accessibility violations, also when showing errors", async ({ page }) => {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "usd", unit_amount: 4500, product_data: { name: "Accessibility check — Seat" } }, quantity: 1 }],
    success_url: `${e2eBaseUrl}/?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${e2eBaseUrl}/`,
    expires_at: Math.floor(Date.now() / 1000) + 30 * 60,
  });
  await page.goto(session.url!);
  expect(await violations(page)).toEqual([]);

  // Without an email and with a short card number: field errors tied to their inputs.
  await page.getByLabel("Card number").fill("4242");
  await page.getByRole("button", { name: "Pay $45.00" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
