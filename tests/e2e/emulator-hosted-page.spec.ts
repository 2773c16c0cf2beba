import { expect, test, type Page } from "@playwright/test";
import Stripe from "stripe";
import { e2eBaseUrl, e2eEmulatorUrl } from "../../playwright.config";

// The hosted checkout page of the e2e Stripe emulator (started by `npm start` for the e2e app),
// driven directly: sessions are created with stripe-node, as the app creates them.
const api = new URL(e2eEmulatorUrl);
const stripe = new Stripe("sk_test_e2e_emulator", { host: api.hostname, port: Number(api.port), protocol: "http" });

async function createSession(label: string) {
  return stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [
      { price_data: { currency: "eur", unit_amount: 2500, product_data: { name: `${label} — Standing` } }, quantity: 2 },
      { price_data: { currency: "eur", unit_amount: 1000, product_data: { name: `${label} — Cloakroom` } }, quantity: 1 },
    ],
    success_url: `${e2eBaseUrl}/?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${e2eBaseUrl}/?checkout=cancelled`,
    expires_at: Math.floor(Date.now() / 1000) + 30 * 60,
    customer_email: "e2e-buyer@example.com",
    metadata: { e2e: label },
  });
}

async function payByCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
}

test("a buyer pays by card and lands on the success URL with the session id", async ({ page }) => {
  const session = await createSession("Card success");
  await page.goto(session.url!);
  await expect(page.getByRole("row", { name: /Card success — Standing/ })).toContainText("€50.00");
  await expect(page.getByRole("row", { name: /Total due/ })).toContainText("€60.00");
  await expect(page.getByLabel("Email")).toHaveValue("e2e-buyer@example.com");
  await payByCard(page, "4242 4242 4242 4242");
  await page.waitForURL((url) => url.searchParams.get("session_id") === session.id);
  expect(page.url()).toContain("checkout=success");
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
});

test("a declined card shows Stripe's message and the buyer can try another card", async ({ page }) => {
  const session = await createSession("Decline then pay");
  await page.goto(session.url!);
  await payByCard(page, "4000 0000 0000 0002");
  await expect(page.getByRole("alert")).toHaveText("Your card was declined.");
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  await payByCard(page, "4000 0000 0000 9995");
  await expect(page.getByRole("alert")).toHaveText("Your card has insufficient funds.");
  await payByCard(page, "4242 4242 4242 4242");
  await page.waitForURL((url) => url.searchParams.get("session_id") === session.id);
  const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
  expect(paid.payment_status).toBe("paid");
  expect((paid.payment_intent as Stripe.PaymentIntent).status).toBe("succeeded");
});

test("a bank debit completes unpaid, settles later, and the page then says the session is complete", async ({ page }) => {
  const session = await createSession("Bank debit");
  await page.goto(session.url!);
  await page.getByRole("radio", { name: "Bank debit (SEPA)" }).check();
  await expect(page.getByLabel("Card number")).toBeHidden();
  await page.getByLabel("IBAN").fill("DE89 3704 0044 0532 0130 00");
  await page.getByLabel("Account holder name").fill("Erika Mustermann");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  await page.waitForURL((url) => url.searchParams.get("session_id") === session.id);
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "unpaid" });

  // Small advance: the e2e emulator is shared with the other specs.
  await fetch(`${e2eEmulatorUrl}/_emulator/clock/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"seconds": 121}' });
  expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
  await page.goto(session.url ?? `${e2eEmulatorUrl}/c/pay/${session.id}`);
  await expect(page.getByRole("heading", { name: "This checkout session is complete" })).toBeVisible();
});

test("the back link returns to the cancel URL and the session stays open", async ({ page }) => {
  const session = await createSession("Cancel");
  await page.goto(session.url!);
  await page.getByRole("link", { name: /Back to/ }).click();
  await page.waitForURL(/checkout=cancelled/);
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
});
