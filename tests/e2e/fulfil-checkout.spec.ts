import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { e2eBaseUrl, e2eEmulatorUrl } from "../../playwright.config";
import { demo, demoPassword, signIn, signInApi } from "./support/auth";

const event = "/events/northwind-jazz-night";

/** Picks tickets on the event page and presses Buy: the browser lands on the emulator's Checkout. */
async function startCheckout(page: Page, quantity: number) {
  await signIn(page, demo.attendee, demoPassword, event);
  await page.goto(event);
  const row = page.getByRole("listitem", { name: "General Admission" });
  await row.getByLabel("Quantity").selectOption(String(quantity));
  await row.getByRole("button", { name: "Buy General Admission tickets" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${e2eEmulatorUrl}/c/pay/`));
}

async function payByCard(page: Page, number: string) {
  await page.getByLabel("Card", { exact: true }).check();
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Ada Attendee");
  await page.getByRole("button", { name: /^Pay / }).click();
}

async function paymentIdOnSuccessPage(page: Page): Promise<string> {
  const href = await page.getByRole("link", { name: "View receipt" }).getAttribute("href");
  return href!.split("/").pop()!;
}

test("pay with 4242: the success page shows the tickets and the receipt number; receipt page, My tickets and the receipt API follow", async ({ page }) => {
  await startCheckout(page, 2);
  await payByCard(page, "4242 4242 4242 4242");
  await page.waitForURL((url) => url.pathname === "/checkout/success");
  await expect(page.getByRole("heading", { name: /Payment received/ })).toBeVisible();
  const receiptNumber = (await page.getByTestId("receipt-number").textContent())!;
  expect(receiptNumber).toMatch(/^RCP-\d{4}-\d{4}-[0-9A-F]{8}$/);
  const codes = await page.getByTestId("ticket-code").allTextContents();
  expect(codes).toHaveLength(2);
  const paymentId = await paymentIdOnSuccessPage(page);

  await page.getByRole("link", { name: "View receipt" }).click();
  await expect(page.getByRole("heading", { name: "Receipt" })).toBeVisible();
  await expect(page.getByTestId("receipt-number")).toHaveText(receiptNumber);
  await expect(page.getByText("visa ending in 4242")).toBeVisible();

  await page.goto("/tickets");
  const tickets = page.getByRole("list", { name: "Tickets for Northwind Jazz Night" });
  for (const code of codes) await expect(tickets.getByText(code)).toBeVisible();

  // The receipt API: the buyer and the organizer see it; the other organization and strangers do not.
  const asBuyer = await page.request.get(`/api/payments/${paymentId}/receipt`);
  expect(asBuyer.status()).toBe(200);
  expect(await asBuyer.json()).toMatchObject({ receiptNumber, paymentId, status: "succeeded", items: [{ quantity: 2 }] });
  const northwind = await playwrightRequest.newContext({ baseURL: e2eBaseUrl });
  await signInApi(northwind, demo.northwind);
  expect((await northwind.get(`/api/payments/${paymentId}/receipt`)).status()).toBe(200);
  const contoso = await playwrightRequest.newContext({ baseURL: e2eBaseUrl });
  await signInApi(contoso, demo.contoso);
  const refused = await contoso.get(`/api/payments/${paymentId}/receipt`);
  expect(refused.status()).toBe(404);
  expect((await refused.json()).error.code).toBe("not_found");
  const signedOut = await playwrightRequest.newContext({ baseURL: e2eBaseUrl });
  expect((await signedOut.get(`/api/payments/${paymentId}/receipt`)).status()).toBe(401);
  await Promise.all([northwind.dispose(), contoso.dispose(), signedOut.dispose()]);
});

test("a declined card, then 4242: one payment, one receipt", async ({ page }) => {
  await startCheckout(page, 1);
  await payByCard(page, "4000 0000 0000 0002");
  await expect(page.getByRole("alert")).toContainText(/declined/i);
  await payByCard(page, "4242 4242 4242 4242");
  await page.waitForURL((url) => url.pathname === "/checkout/success");
  await expect(page.getByRole("heading", { name: /Payment received/ })).toBeVisible();
  await expect(page.getByTestId("ticket-code")).toHaveCount(1);
  const paymentId = await paymentIdOnSuccessPage(page);
  const receipt = await (await page.request.get(`/api/payments/${paymentId}/receipt`)).json();
  expect(receipt).toMatchObject({ status: "succeeded", items: [{ quantity: 1 }] });
  expect(receipt.tickets).toHaveLength(1);
  // Reloading the success page (the buyer comes back) issues nothing more.
  await page.reload();
  await expect(page.getByTestId("ticket-code")).toHaveCount(1);
});

test("bank debit: payment processing, then paid once the emulator settles it", async ({ page }) => {
  await startCheckout(page, 1);
  await page.getByLabel("Bank debit (SEPA)").check();
  await page.getByLabel("IBAN").fill("DE89370400440532013000");
  await page.getByLabel("Account holder name").fill("Ada Attendee");
  await page.getByRole("button", { name: /^Pay / }).click();
  await page.waitForURL((url) => url.pathname === "/checkout/success");
  await expect(page.getByRole("heading", { name: "Payment processing" })).toBeVisible();

  // Settlement happens 120 s later on the emulator's clock; its webhook fulfils, the page updates itself.
  const advanced = await page.request.post(`${e2eEmulatorUrl}/_emulator/clock/advance`, { data: { seconds: 121 } });
  expect(advanced.ok()).toBe(true);
  await expect(page.getByRole("heading", { name: /Payment received/ })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("ticket-code")).toHaveCount(1);
  await expect(page.getByTestId("receipt-number")).toHaveText(/^RCP-/);
});
