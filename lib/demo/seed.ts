import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { events, memberships, organizations, ticketTypes, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";

export const demoPassword = "boxoffice-demo";
export const demoAccounts = [
  { email: "organizer@northwind.example", name: "Nora Northwind", role: "owner of Northwind Live" },
  { email: "organizer@contoso.example", name: "Carl Contoso", role: "owner of Contoso Concerts" },
  { email: "attendee@example.com", name: "Ada Attendee", role: "attendee" },
] as const;

const day = 24 * 60 * 60 * 1000;

interface DemoTicketType {
  name: string;
  price: number;
  capacity: number;
  maxPerOrder?: number;
  salesStartInDays?: number;
  description?: string;
}
interface DemoEvent {
  org: "northwind-live" | "contoso-concerts";
  slug: string;
  title: string;
  description: string;
  venue: string;
  timeZone: string;
  currency: string;
  inDays: number;
  hours: number;
  status: "draft" | "published";
  types: DemoTicketType[];
}

const demoEvents: DemoEvent[] = [
  {
    org: "northwind-live",
    slug: "northwind-jazz-night",
    title: "Northwind Jazz Night",
    description: "An evening of modern jazz with the Northwind Quartet and guests.",
    venue: "Blue Room, 12 Harbor St, Brooklyn, NY",
    timeZone: "America/New_York",
    currency: "usd",
    inDays: 21,
    hours: 4,
    status: "published",
    types: [
      { name: "General Admission", price: 4500, capacity: 200, maxPerOrder: 8 },
      // Deliberately tiny: the demo shows "only a few left" and sold-out states.
      { name: "VIP", price: 12000, capacity: 4, maxPerOrder: 2, description: "Front tables and a drink." },
    ],
  },
  {
    org: "northwind-live",
    slug: "harbour-lights-festival",
    title: "Harbour Lights Festival",
    description: "Two days of music and light installations on the waterfront.",
    venue: "NDSM Wharf, Amsterdam",
    timeZone: "Europe/Amsterdam",
    currency: "eur",
    inDays: 45,
    hours: 30,
    status: "published",
    types: [
      { name: "Day Pass", price: 5900, capacity: 500 },
      { name: "Weekend Pass", price: 9900, capacity: 300 },
      { name: "Backstage Tour", price: 2500, capacity: 20, maxPerOrder: 2, salesStartInDays: 10 },
    ],
  },
  {
    org: "northwind-live",
    slug: "northwind-winter-gala",
    title: "Northwind Winter Gala",
    description: "Still being planned.",
    venue: "To be announced",
    timeZone: "America/New_York",
    currency: "usd",
    inDays: 90,
    hours: 5,
    status: "draft",
    types: [{ name: "Gala Dinner", price: 25000, capacity: 100 }],
  },
  {
    org: "contoso-concerts",
    slug: "contoso-symphony-tokyo",
    title: "Contoso Symphony: Tokyo",
    description: "Dvořák's Ninth and a new commission, live at Suntory Hall.",
    venue: "Suntory Hall, Minato, Tokyo",
    timeZone: "Asia/Tokyo",
    currency: "jpy",
    inDays: 30,
    hours: 3,
    status: "published",
    types: [
      { name: "Standard", price: 8000, capacity: 300 },
      { name: "Premium", price: 15000, capacity: 50, maxPerOrder: 4 },
    ],
  },
  {
    org: "contoso-concerts",
    slug: "contoso-indie-showcase",
    title: "Contoso Indie Showcase",
    description: "Five new bands, one night.",
    venue: "The Lexington, London",
    timeZone: "Europe/London",
    currency: "gbp",
    inDays: 60,
    hours: 5,
    status: "published",
    types: [{ name: "Standing", price: 2500, capacity: 250 }],
  },
];

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return (row?.n ?? 0) === 0;
}

/** Demo data for local use; every insert skips rows that exist, so running it twice changes nothing. */
export async function seedDemoData(db: Database, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(demoPassword);
  await db.transaction(async (tx) => {
    await tx
      .insert(organizations)
      .values([
        { name: "Northwind Live", slug: "northwind-live" },
        { name: "Contoso Concerts", slug: "contoso-concerts" },
      ])
      .onConflictDoNothing();
    const orgs = new Map((await tx.select().from(organizations)).map((o) => [o.slug, o.id]));

    for (const account of demoAccounts) {
      await tx
        .insert(users)
        .values({ email: account.email, name: account.name, passwordHash })
        .onConflictDoNothing();
    }
    const userId = async (email: string) =>
      (await tx.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]!.id;
    await tx
      .insert(memberships)
      .values([
        { userId: await userId("organizer@northwind.example"), organizationId: orgs.get("northwind-live")!, role: "owner" },
        { userId: await userId("organizer@contoso.example"), organizationId: orgs.get("contoso-concerts")!, role: "owner" },
      ])
      .onConflictDoNothing();

    for (const demo of demoEvents) {
      const organizationId = orgs.get(demo.org)!;
      // Start on the hour, a few weeks out, so the catalogue looks like a real one.
      const startsAt = new Date(Math.ceil((now.getTime() + demo.inDays * day) / 3_600_000) * 3_600_000);
      const [inserted] = await tx
        .insert(events)
        .values({
          organizationId,
          slug: demo.slug,
          title: demo.title,
          description: demo.description,
          venue: demo.venue,
          timeZone: demo.timeZone,
          currency: demo.currency,
          startsAt,
          endsAt: new Date(startsAt.getTime() + demo.hours * 3_600_000),
          status: demo.status,
        })
        .onConflictDoNothing()
        .returning({ id: events.id });
      if (!inserted) continue; // already seeded
      await tx.insert(ticketTypes).values(
        demo.types.map((t, index) => ({
          eventId: inserted.id,
          organizationId,
          name: t.name,
          description: t.description ?? "",
          price: t.price,
          currency: demo.currency,
          capacity: t.capacity,
          maxPerOrder: t.maxPerOrder ?? 10,
          salesStartAt: t.salesStartInDays ? new Date(now.getTime() + t.salesStartInDays * day) : null,
          sortOrder: index,
        })),
      );
    }
  });
}
