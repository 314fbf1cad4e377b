import { test, expect, ADMIN, hydrated, signIn, signOut, expectAccessible, createApiKey, inviteLink, joinTeam, type Page } from "./support";
import type { APIRequestContext } from "@playwright/test";

const CAROL = { email: "carol@example.com", name: "Carol Closer", password: "carols own password" };
const ZONE = "Europe/Berlin";

/** A local date `days` from today in Berlin, as YYYY-MM-DD. */
function berlinDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("en-CA", { timeZone: ZONE });
}

/** The first Monday at least three days ahead, and the Monday a week later. */
function mondays(): [string, string] {
  for (let d = 3; ; d++) {
    const date = berlinDate(d);
    if (new Date(`${date}T12:00:00Z`).getUTCDay() === 1) return [date, berlinDate(d + 7)];
  }
}

async function slotTimes(request: APIRequestContext, slug: string, date: string): Promise<string[]> {
  const response = await request.get(
    `/api/v1/slots?event_type=acme/${slug}&start=${date}&end=${date}&timezone=${ZONE}`,
  );
  expect(response.status()).toBe(200);
  const body = await response.json();
  return (body.slots[date] ?? []).map((s: { start: string }) => s.start.slice(11, 16));
}

async function openAvailability(page: Page) {
  await page.getByRole("navigation").getByRole("link", { name: "Availability" }).click();
  await expect(page.getByRole("heading", { name: "Weekly hours" })).toBeVisible();
}

async function pickDate(page: Page, date: string) {
  const label = new Date(`${date}T12:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  }).replace(",", "");
  const day = page.getByRole("button", { name: label, exact: true });
  for (let i = 0; i < 3 && !(await day.isVisible()); i++) {
    await page.getByRole("button", { name: "Next month" }).click();
  }
  await day.click();
}

test("a split day and a holiday change the public slots exactly as expected", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const key = await createApiKey(page, "availability spec");
  const created = await request.post("/api/v1/event-types", {
    headers: { Authorization: `Bearer ${key}` },
    data: { slug: "av-hour", title: "Availability hour", duration: 60 },
  });
  expect(created.status()).toBe(201);

  await openAvailability(page);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Turn all days off" }).click();
  await page.getByRole("switch", { name: "Monday" }).check();
  await page.getByLabel("Monday range 1 from").fill("09:00");
  await page.getByLabel("Monday range 1 to").fill("12:00");
  await page.getByRole("button", { name: "Add a range on Monday" }).click();
  await page.getByLabel("Monday range 2 from").fill("13:00");
  await page.getByLabel("Monday range 2 to").fill("17:00");
  await expect(page.getByRole("complementary").getByText("13:00").first()).toBeVisible(); // live preview
  await page.getByRole("button", { name: "Save weekly hours" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  const [monday, holiday] = mondays();
  await pickDate(page, holiday);
  await page.getByLabel("Custom hours").check();
  await expectAccessible(page); // the override form with its range fields
  await page.getByLabel("Unavailable all day").check();
  await page.getByRole("button", { name: "Save override" }).click();
  await expect(page.getByRole("button", { name: /^Edit override on/ })).toBeVisible();
  await expectAccessible(page); // with an upcoming override listed

  expect(await slotTimes(request, "av-hour", monday)).toEqual(["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]);
  expect(await slotTimes(request, "av-hour", holiday)).toEqual([]);
  const tuesday = new Date(Date.parse(`${monday}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  expect(await slotTimes(request, "av-hour", tuesday)).toEqual([]);

  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Monday range 2 from")).toHaveValue("13:00");
  await expect(page.getByRole("switch", { name: "Tuesday" })).not.toBeChecked();
});

test("invalid ranges show inline errors and nothing is saved", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await openAvailability(page);
  await page.getByRole("switch", { name: "Tuesday" }).check();
  await page.getByLabel("Tuesday range 1 from").fill("17:00");
  await page.getByLabel("Tuesday range 1 to").fill("09:00");
  await expect(page.getByText("The end must be after the start.")).toBeVisible();
  await page.getByRole("button", { name: "Add a range on Monday" }).click();
  await page.getByLabel("Monday range 3 from").fill("11:00");
  await page.getByLabel("Monday range 3 to").fill("12:30");
  await expect(page.getByText(/overlaps/)).toBeVisible();
  await page.getByRole("button", { name: "Save weekly hours" }).click();
  await expect(page.getByText("Fix the days marked below; nothing was saved.")).toBeVisible();
  await expectAccessible(page); // with inline errors
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("switch", { name: "Tuesday" })).not.toBeChecked();
  await expect(page.getByLabel("Monday range 3 from")).toHaveCount(0);
});

test("an invited member sets their hours, hosts a round robin, and cannot open others' availability", async ({ page, request, allowConsoleErrors }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const link = await inviteLink(page, CAROL.email);
  const key = await createApiKey(page, "round robin spec");
  await signOut(page);

  await joinTeam(page, link, CAROL);
  await openAvailability(page);
  await page.getByRole("button", { name: "Turn all days off" }).click();
  await page.getByRole("switch", { name: "Wednesday" }).check();
  await page.getByLabel("Wednesday range 1 from").fill("14:00");
  await page.getByLabel("Wednesday range 1 to").fill("16:00");
  await page.getByRole("button", { name: "Save weekly hours" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await request.get("/api/v1/members", { headers: auth })).json()).members;
  const ids = members.map((m: { id: number }) => m.id);
  const carol = members.find((m: { email: string }) => m.email === CAROL.email);
  const admin = members.find((m: { email: string }) => m.email === ADMIN.email);
  const rr = await request.post("/api/v1/event-types", {
    headers: auth,
    data: { slug: "av-team", title: "Team intro", duration: 30, mode: "round_robin", hosts: ids },
  });
  expect(rr.status()).toBe(201);
  const described = await (await request.get("/api/v1/event-types/acme/av-team")).json();
  expect(described.hosts).toContain(CAROL.name);
  const schedule = await (await request.get(`/api/v1/members/${carol.id}/schedule`, { headers: auth })).json();
  expect(schedule.weekly.wednesday).toEqual([{ start: "14:00", end: "16:00" }]);

  allowConsoleErrors(/status of 403/);
  await page.goto(`/dashboard/availability?member=${admin.id}`);
  await expect(page.getByRole("alert").filter({ hasText: "Only admins can open other members' availability." })).toBeVisible();
  await signOut(page);

  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  await page.goto(`/dashboard/availability?member=${carol.id}`);
  await hydrated(page);
  await expect(page.getByText(`When ${CAROL.name} can be booked.`)).toBeVisible();
  await expect(page.getByLabel("Wednesday range 1 from")).toHaveValue("14:00");
});
