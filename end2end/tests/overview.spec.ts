import { test, expect, ADMIN, hydrated, signIn, signOut, createApiKey, inviteLink, joinTeam, expectAccessible } from "./support";

// The dashboard's overview for a new member: their first steps tick off as they go, their next
// meetings and the team's booking links are there. Everything here is prefixed "ov".
const DANA = { email: "ov-dana@example.com", name: "Dana Overview", password: "ov dana password" };
const EVENT = { slug: "ov-intro", title: "ov Intro call" };

test("a new member's overview guides them, then shows their next meeting and the links to share", async ({ page, request, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const link = await inviteLink(page, DANA.email);
  const key = await createApiKey(page, "ov setup");
  await signOut(page);

  await joinTeam(page, link, DANA);
  const steps = page.getByRole("region", { name: "Get started" });
  await expect(steps).toContainText("0 of 2 done");
  await expect(steps.getByRole("link", { name: "Set your hours" })).toBeVisible();
  await expect(steps.getByRole("link", { name: "Connect your calendar" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your next meetings" })).toContainText("Nothing booked yet");
  await expectAccessible(page);

  await steps.getByRole("link", { name: "Set your hours" }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Save weekly hours" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // A meeting with Dana, booked through the public API.
  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await request.get("/api/v1/members", { headers: auth })).json()).members as { id: number; email: string }[];
  const dana = members.find((m) => m.email === DANA.email)!;
  const created = await request.post("/api/v1/event-types", {
    headers: auth,
    data: { ...EVENT, duration: 30, hosts: [dana.id], booking_window_days: null },
  });
  expect(created.status(), await created.text()).toBe(201);
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const slots = await (await request.get(`/api/v1/slots?event_type=${ADMIN.slug}/${EVENT.slug}&start=${today}&end=${later}&timezone=Europe/Berlin`)).json();
  const start = (Object.values(slots.slots) as { start: string }[][]).flat()[0].start;
  const booked = await request.post("/api/v1/bookings", {
    data: { event_type: `${ADMIN.slug}/${EVENT.slug}`, start, attendee: { name: "ov Pat", email: "ov-pat@example.com", timezone: "Europe/Berlin" } },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const uid = (await booked.json()).uid;

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Overview" }).click();
  await expect(steps).toContainText("1 of 2 done");
  await expect(steps.getByRole("listitem").filter({ hasText: "Set your hours" })).toContainText("(Done)");
  const meetings = page.getByRole("region", { name: "Your next meetings" });
  await meetings.getByRole("link", { name: /ov Intro call with ov Pat/ }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/bookings/${uid}$`));
  await page.goBack();

  const links = page.getByRole("region", { name: "Booking links" });
  const field = links.getByLabel("Booking link for ov Intro call");
  await expect(field).toHaveValue(new RegExp(`/${ADMIN.slug}/${EVENT.slug}$`));
  await links.getByRole("listitem").filter({ hasText: "ov Intro call" }).getByRole("button", { name: "Copy link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await field.inputValue());
  await expectAccessible(page);
});
