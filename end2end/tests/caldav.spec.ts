import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { test, expect, ADMIN, hydrated, signIn, expectAccessible, memberWithEventType, freeStarts, type Page } from "./support";

// A CalDAV calendar against a real CalDAV server: the Radicale that scripts/test.sh starts (its
// address and htpasswd file in RENDEZVOUS_TEST_CALDAV_URL / _USERS). The host's own calendar app
// is played by plain CalDAV requests (fetch with PUT, PROPFIND and GET), as any client sends them.
const ZONE = "Europe/Berlin";
const server = process.env.RENDEZVOUS_TEST_CALDAV_URL;
const users = process.env.RENDEZVOUS_TEST_CALDAV_USERS;

test.describe("CalDAV calendar", () => {
  test.describe.configure({ mode: "serial" });
  test.skip(!server && !process.env.RENDEZVOUS_REQUIRE_CALDAV, "no CalDAV test server (run scripts/test.sh)");

  const member = { email: "cd-host@example.com", name: "CD Host", password: "a host's own password" };
  const event = { slug: "cd-intro", title: "cd Intro call" };
  const prospect = { name: "cd Pat Prospect", email: "cd-pat@example.com" };
  const account = { username: `cd${randomUUID().slice(0, 8)}`, password: randomUUID() };
  const calendar = () => new URL(`/${account.username}/work/`, server).toString();
  /** When the host's own meeting is (set by the second test). */
  let dentist = "";

  /** A request as the host's calendar app makes it. */
  function dav(method: string, url: string, body?: string, headers: Record<string, string> = {}) {
    const auth = Buffer.from(`${account.username}:${account.password}`).toString("base64");
    return fetch(url, { method, body, headers: { Authorization: `Basic ${auth}`, ...headers } });
  }

  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");

  /** The calendar's resources with their data. */
  async function resources(): Promise<string[]> {
    const listing = await dav("PROPFIND", calendar(), undefined, { Depth: "1" });
    const hrefs = [...(await listing.text()).matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map((m) => m[1]);
    return Promise.all(hrefs.map(async (href) => (await dav("GET", new URL(href, server).toString())).text()));
  }

  test.beforeAll(async ({ browser }) => {
    expect(server && users, "RENDEZVOUS_TEST_CALDAV_URL and _USERS").toBeTruthy();
    appendFileSync(users!, `${account.username}:${account.password}\n`);
    const body =
      '<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>' +
      "<d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Work</d:displayname>" +
      "</d:prop></d:set></d:mkcol>";
    await expect.poll(async () => (await dav("MKCOL", calendar(), body)).status).toBe(201);

    await memberWithEventType(browser, member, event, ZONE);
  });

  const card = (page: Page) => page.getByRole("region", { name: /CalDAV calendar$/ });

  test("a member connects with the Other preset, and a wrong password is said so on the field", async ({ page, allowConsoleErrors }) => {
    allowConsoleErrors(/status of 422/);
    await signIn(page, member.email, member.password);
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Integrations" }).click();
    await hydrated(page);
    await expect(card(page).getByText("An app-specific password, not your Apple Account password.")).toBeVisible();
    await card(page).getByLabel("Calendar service").selectOption({ label: "Other CalDAV server" });
    await card(page).getByLabel("Server address").fill(server!);
    await card(page).getByLabel("Username").fill(account.username);
    await card(page).getByLabel("Password").fill("not the password");
    await card(page).getByRole("button", { name: "Connect calendar" }).click();
    await expect(card(page).getByText("The server refused this username or password.")).toBeVisible();
    await expect(card(page).getByLabel("Server address")).toHaveValue(server!);
    await expect(card(page).getByLabel("Username")).toHaveValue(account.username);
    await expectAccessible(page);

    await card(page).getByLabel("Password").fill(account.password);
    await card(page).getByRole("button", { name: "Connect calendar" }).click();
    await expect(card(page).getByText(`Connected as ${account.username}@127.0.0.1.`)).toBeVisible();
    await expect(card(page).getByRole("checkbox", { name: "Work (primary)" })).toBeChecked();
    await expect(card(page).getByText(/CalDAV has no push notifications/)).toBeVisible();
    await expect(page.locator("body")).not.toContainText(account.password);
    await expectAccessible(page);
  });

  test("an event added with a plain CalDAV client takes its time off the booking page", async ({ page, request }) => {
    const [start] = await freeStarts(request, event.slug);
    dentist = start;
    const from = new Date(start);
    const ics = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//e2e//EN", "BEGIN:VEVENT", `UID:${randomUUID()}`,
      `DTSTAMP:${stamp(new Date())}`, `DTSTART:${stamp(from)}`, `DTEND:${stamp(new Date(from.getTime() + 30 * 60_000))}`,
      "SUMMARY:Dentist", "END:VEVENT", "END:VCALENDAR", "",
    ].join("\r\n");
    const put = await dav("PUT", `${calendar()}dentist.ics`, ics, { "Content-Type": "text/calendar" });
    expect(put.status).toBe(201);
    // Busy time is read again once it is a second old (the suite's setting), at the next visit.
    await expect.poll(async () => freeStarts(request, event.slug), { timeout: 20_000 }).not.toContain(start);
    await page.goto(`/${ADMIN.slug}/${event.slug}`);
    await hydrated(page);
    await expect(page.locator(`a.bk-time[data-at="${start}"]`)).toHaveCount(0);
  });

  test("a booking is written to the CalDAV calendar as an event", async ({ request }) => {
    const [start] = await freeStarts(request, event.slug);
    const booked = await request.post("/api/v1/bookings", {
      data: { event_type: `${ADMIN.slug}/${event.slug}`, start, attendee: { ...prospect, timezone: ZONE } },
    });
    expect(booked.status(), await booked.text()).toBe(201);
    await expect
      .poll(async () => (await resources()).some((ics) => ics.includes(`with ${prospect.name}`)), { timeout: 20_000 })
      .toBe(true);
  });

  test("Sync now brings the calendar's events to the Calendar page", async ({ page }) => {
    await signIn(page, member.email, member.password);
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Integrations" }).click();
    await hydrated(page);
    await card(page).getByRole("button", { name: "Sync now" }).click();
    await expect(card(page).getByRole("status").filter({ hasText: "Synced." })).toBeVisible();
    const week = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date(dentist));
    await expect(async () => {
      await page.goto(`/dashboard/calendar?week=${week}`);
      await hydrated(page);
      await expect(page.locator(".week-day").getByText("Dentist")).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await expectAccessible(page);
  });
});
