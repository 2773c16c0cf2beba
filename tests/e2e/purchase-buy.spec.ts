import { expect, test, type Locator } from "@playwright/test";
import Stripe from "stripe";
import { e2eEmulatorUrl } from "../../playwright.config";
import { demo, demoPassword, signIn } from "./support/auth";

const event = "/events/northwind-jazz-night";

/** The emulator's API, as the app sees it (it accepts any test-mode key). */
function emulatorStripe(): Stripe {
  const url = new URL(e2eEmulatorUrl);
  return new Stripe("sk_test_e2e_reader", { host: url.hostname, port: Number(url.port), protocol: "http" });
}

async function available(row: Locator): Promise<number> {
  const text = (await row.textContent()) ?? "";
  const match = /(\d+) available|Only (\d+) left/.exec(text);
  if (!match) throw new Error(`no availability in "${text}"`);
  return Number(match[1] ?? match[2]);
}

test("buy two tickets, see the right total on Checkout, cancel and find them on sale again", async ({ page }) => {
  await signIn(page, demo.attendee, demoPassword, event);
  await page.goto(event);
  const row = page.getByRole("listitem", { name: "General Admission" });
  const before = await available(row);

  await row.getByLabel("Quantity").selectOption("2");
  await row.getByRole("button", { name: "Buy General Admission tickets" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${e2eEmulatorUrl}/c/pay/`));
  // The session behind the page charges 2 × $45.00. (Read through the emulator's API: its hosted
  // page does not render the line items yet.)
  const sessionId = new URL(page.url()).pathname.split("/").at(-1)!;
  const stripe = emulatorStripe();
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  expect([session.amount_total, session.currency, session.status]).toEqual([9000, "usd", "open"]);
  const [item] = (await stripe.checkout.sessions.listLineItems(sessionId)).data;
  expect(item).toMatchObject({ quantity: 2, description: "Northwind Jazz Night — General Admission" });

  // While the buyer is on Checkout, their two tickets are held.
  const held = await page.context().newPage();
  await held.goto(event);
  expect(await available(held.getByRole("listitem", { name: "General Admission" }))).toBe(before - 2);
  await held.close();

  // Leave Checkout the way its cancel link does: to the session's cancel_url.
  await page.goto(session.cancel_url!.replace("{CHECKOUT_SESSION_ID}", sessionId));
  await page.waitForURL((url) => url.pathname === event);
  await expect(page.getByRole("status")).toContainText("Checkout cancelled");
  const again = page.getByRole("listitem", { name: "General Admission" });
  await expect(again.getByLabel("Quantity")).toHaveValue("2");
  expect(await available(again)).toBe(before);
});

test("a signed-out buyer signs in and comes back to the event with their choice", async ({ page }) => {
  await page.goto(event);
  const row = page.getByRole("listitem", { name: "General Admission" });
  await row.getByLabel("Quantity").selectOption("3");
  await row.getByRole("button", { name: "Buy General Admission tickets" }).click();

  await page.waitForURL((url) => url.pathname === "/sign-in");
  await page.getByLabel("Email").fill(demo.attendee);
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.waitForURL((url) => url.pathname === event);
  await expect(page.getByTestId("signed-in-as")).toContainText(demo.attendee);
  await expect(page.getByRole("listitem", { name: "General Admission" }).getByLabel("Quantity")).toHaveValue("3");
});

test("sold-out and not-yet-on-sale tickets show their state instead of a Buy button", async ({ page }) => {
  await page.goto("/events/harbour-lights-festival");
  const tour = page.getByRole("listitem", { name: "Backstage Tour" });
  await expect(tour).toContainText("On sale from");
  await expect(tour.getByRole("button", { name: /Buy/ })).toHaveCount(0);
  await expect(page.getByRole("listitem", { name: "Day Pass" }).getByRole("button", { name: /Buy/ })).toBeVisible();
});
