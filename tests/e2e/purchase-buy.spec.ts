import { expect, test, type Locator } from "@playwright/test";
import { e2eEmulatorUrl } from "../../playwright.config";
import { demo, demoPassword, signIn } from "./support/auth";

const event = "/events/northwind-jazz-night";

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
  await expect(page.getByText("$90.00").first()).toBeVisible();
  await expect(page.getByText(/Northwind Jazz Night — General Admission/).first()).toBeVisible();

  // While the buyer is on Checkout, their two tickets are held.
  const held = await page.context().newPage();
  await held.goto(event);
  expect(await available(held.getByRole("listitem", { name: "General Admission" }))).toBe(before - 2);
  await held.close();

  await page.getByRole("link", { name: /back|cancel/i }).first().click();
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
