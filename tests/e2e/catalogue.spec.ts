import { expect, test } from "@playwright/test";

test("the home page lists the demo events with dates, venues and from-prices", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Upcoming events" })).toBeVisible();
  const jazz = page.getByRole("listitem").filter({ hasText: "Northwind Jazz Night" });
  await expect(jazz).toContainText("Blue Room");
  await expect(jazz).toContainText("From $45.00");
  await expect(page.getByRole("listitem").filter({ hasText: "Contoso Symphony: Tokyo" })).toContainText("From ¥8,000");
  // Drafts are not public.
  await expect(page.getByText("Northwind Winter Gala")).toHaveCount(0);
});

test("an event page shows its ticket types, prices and what is left", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Contoso Symphony: Tokyo" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contoso Symphony: Tokyo" })).toBeVisible();
  const premium = page.getByRole("listitem", { name: "Premium" });
  await expect(premium).toContainText("¥15,000");
  await expect(premium).toContainText("50 available");
  await page.goto("/events/northwind-jazz-night");
  await expect(page.getByRole("listitem", { name: "VIP" })).toContainText("Only 4 left");
});

test("unknown and draft events are a not-found page", async ({ page }) => {
  for (const slug of ["no-such-event", "northwind-winter-gala"]) {
    const response = await page.goto(`/events/${slug}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("GET /api/events returns the catalogue as JSON", async ({ request }) => {
  const response = await request.get("/api/events");
  expect(response.status()).toBe(200);
  const { events } = (await response.json()) as {
    events: { id: string; slug: string; ticketTypes: { id: string; name: string; price: number; currency: string; available: number }[] }[];
  };
  const tokyo = events.find((e) => e.slug === "contoso-symphony-tokyo");
  expect(tokyo?.ticketTypes).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: "Standard", price: 8000, currency: "jpy", available: 300 })]),
  );
  const one = await request.get(`/api/events/${tokyo!.id}`);
  expect(await one.json()).toMatchObject({ id: tokyo!.id, title: "Contoso Symphony: Tokyo" });
  const missing = await request.get("/api/events/00000000-0000-0000-0000-000000000000");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: "not_found", message: "The event was not found." } });
});
