import { expect, test, type APIRequestContext } from "@playwright/test";
import { e2eEmulatorUrl } from "../../playwright.config";
import { demo, signIn, signInApi } from "./support/auth";

/**
 * The attendee buys two Harbour Lights day passes (a large EUR ticket type shared with other specs)
 * through the API and pays on the emulator; the webhook fulfils the payment. Returns its ids.
 */
async function buyTwoDayPasses(request: APIRequestContext) {
  await signInApi(request, demo.attendee);
  const { events } = (await (await request.get("/api/events")).json()) as { events: { id: string; slug: string }[] };
  const festival = events.find((e) => e.slug === "harbour-lights-festival")!;
  const purchase = await request.post(`/api/events/${festival.id}/tickets/purchase`, { data: { ticketType: "Day Pass", quantity: 2 } });
  expect(purchase.status()).toBe(201);
  const { paymentId, checkoutSessionId } = (await purchase.json()) as { paymentId: string; checkoutSessionId: string };
  const paid = await request.post(`${e2eEmulatorUrl}/_emulator/checkout/sessions/${checkoutSessionId}/pay`, { data: { card: "4242424242424242" } });
  expect(paid.ok()).toBe(true);
  let receiptNumber = "";
  await expect
    .poll(async () => {
      const receipt = await request.get(`/api/payments/${paymentId}/receipt`);
      if (receipt.status() !== 200) return receipt.status();
      receiptNumber = ((await receipt.json()) as { receiptNumber: string }).receiptNumber;
      return 200;
    }, { timeout: 20_000 })
    .toBe(200);
  return { paymentId, receiptNumber };
}

test("an organizer finds a receipt by the buyer's email, refunds one of two tickets, and the buyer sees it", async ({ page, browser, request }) => {
  const { paymentId, receiptNumber } = await buyTwoDayPasses(request);

  await signIn(page, demo.northwind, undefined, "/organizer/receipts");
  await page.goto("/organizer/receipts");
  await page.getByRole("searchbox", { name: "Search" }).fill(demo.attendee);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=attendee%40example\.com/);
  const row = page.getByTestId("receipt-row").filter({ hasText: receiptNumber });
  await expect(row).toContainText("succeeded");
  await row.getByRole("link", { name: receiptNumber }).click();

  await expect(page).toHaveURL(new RegExp(`/organizer/payments/${paymentId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(receiptNumber);
  await expect(page.getByTestId("ticket")).toHaveCount(2);
  await page.getByLabel("Particular tickets").check();
  await page.getByLabel("Ticket 1").check();
  await expect(page.getByLabel("Put places back on sale")).toBeChecked();
  await page.getByRole("button", { name: "Review refund" }).click();
  await expect(page.getByTestId("refund-confirmation")).toContainText("€59.00");
  await page.getByRole("button", { name: "Refund €59.00" }).click();
  await expect(page.getByRole("status")).toContainText("Refund of €59.00");

  // The payment moves when Stripe's answer or its refund webhook has been applied.
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByTestId("payment-status").first().textContent();
    }, { timeout: 20_000 })
    .toBe("partially_refunded");
  await expect(page.getByTestId("refund")).toContainText("€59.00");
  await expect(page.getByTestId("ticket").filter({ hasText: "void" })).toHaveCount(1);
  await expect(page.getByTestId("stripe-event").filter({ hasText: /refund/ }).first()).toBeVisible({ timeout: 20_000 });

  // The buyer's receipt gains the refund.
  const buyer = await browser.newContext();
  const buyerPage = await buyer.newPage();
  await signIn(buyerPage, demo.attendee, undefined, `/receipts/${paymentId}`);
  await buyerPage.goto(`/receipts/${paymentId}`);
  await expect(buyerPage.getByTestId("amount-refunded")).toContainText("59.00");
  await expect(buyerPage.getByRole("heading", { name: "Refunds" })).toBeVisible();
  await buyer.close();

  // Contoso's organizer sees none of it.
  const contoso = await browser.newContext();
  const contosoPage = await contoso.newPage();
  await signIn(contosoPage, demo.contoso);
  const hidden = await contosoPage.goto(`/organizer/payments/${paymentId}`);
  expect(hidden?.status()).toBe(404);
  await contosoPage.goto(`/organizer/receipts?q=${encodeURIComponent(receiptNumber)}`);
  await expect(contosoPage.getByTestId("receipt-row")).toHaveCount(0);
  await contoso.close();
});

test("the refunds API answers 404 to another organization and 409 when nothing remains", async ({ request, playwright, baseURL }) => {
  const { paymentId } = await buyTwoDayPasses(request);
  const contoso = await playwright.request.newContext({ baseURL });
  await signInApi(contoso, demo.contoso);
  expect((await contoso.post(`/api/payments/${paymentId}/refunds`, { data: {} })).status()).toBe(404);
  await contoso.dispose();

  const northwind = await playwright.request.newContext({ baseURL });
  await signInApi(northwind, demo.northwind);
  const full = await northwind.post(`/api/payments/${paymentId}/refunds`, { data: { reason: "requested_by_customer" } });
  expect(full.status()).toBe(201);
  expect(await full.json()).toMatchObject({ amount: 11800, status: "succeeded" });
  const again = await northwind.post(`/api/payments/${paymentId}/refunds`, { data: { amount: 100 } });
  expect(again.status()).toBe(409);
  await northwind.dispose();
});
