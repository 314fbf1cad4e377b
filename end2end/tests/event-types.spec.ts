import { test, expect, ADMIN, hydrated, signIn, signOut, expectAccessible, inviteLink, joinTeam } from "./support";
import type { APIRequestContext, Page } from "@playwright/test";

// Shares the server and database with the other specs: every event type made here is `et-…`.
const TITLE = "ET Discovery call";
const SLUG = "et-discovery";
const VIEWER = { email: "et-viewer@example.com", name: "Eve Viewer", password: "eves own password" };

const publicEventType = (request: APIRequestContext, slug: string) => request.get(`/api/v1/event-types/acme/${slug}`);

async function openEventTypes(page: Page) {
  await page.getByRole("navigation").getByRole("link", { name: "Event types" }).click();
  await expect(page.getByRole("heading", { name: "Event types", level: 1 })).toBeVisible();
}

/** Books the first free slot through the public API and returns its cancel token. */
async function bookFirstSlot(request: APIRequestContext, slug: string) {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const query = `event_type=acme/${slug}&start=${day(0)}&end=${day(20)}&timezone=Europe/Berlin`;
  const slots = await (await request.get(`/api/v1/slots?${query}`)).json();
  const first = Object.values(slots.slots as Record<string, { start: string }[]>)[0][0];
  const booked = await request.post("/api/v1/bookings", {
    data: {
      event_type: `acme/${slug}`,
      start: first.start,
      attendee: { name: "Pat Prospect", email: "pat@example.org", timezone: "Europe/Berlin" },
    },
  });
  expect(booked.status()).toBe(201);
  const body = await booked.json();
  return { uid: body.uid as string, token: new URL(body.manage.cancel_url).searchParams.get("token") };
}

test("an admin creates, edits, duplicates, deactivates and deletes an event type", async ({
  page,
  request,
  allowConsoleErrors,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await openEventTypes(page);
  await page.getByRole("link", { name: "New event type" }).click();
  await expect(page.getByRole("heading", { name: "New event type" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Title", { exact: true }).fill(TITLE);
  await expect(page.getByLabel("URL name")).toHaveValue("et-discovery-call");
  await page.getByLabel("URL name").fill(SLUG);
  await page.getByLabel("Description").fill("A first conversation about your team's scheduling.");
  await page.getByRole("button", { name: "45 min" }).click();
  await expect(page.getByLabel("Duration", { exact: true })).toHaveValue("45");
  await page.getByLabel("Slot interval").fill("15");
  await page.getByLabel("Buffer before").fill("10");
  await page.getByLabel("Buffer after").fill("5");
  await page.getByLabel("Minimum notice", { exact: true }).fill("2");
  await page.getByLabel("Unit of notice").selectOption("hours");
  await page.getByLabel("Booking window").fill("30");
  await page.getByLabel("Daily limit per host").fill("4");
  await page.getByLabel("Location", { exact: true }).selectOption("phone");
  await page.getByLabel("Location details").fill("+49 30 1234567");
  await page.getByRole("radio", { name: /Round robin/ }).check();
  await expect(page.getByRole("checkbox", { name: ADMIN.name })).toBeChecked();
  await expect(page.getByLabel("Email a reminder 24 hours before")).toBeChecked();
  await page.getByLabel("Email a reminder 1 hour before").uncheck();
  await page.getByLabel("Attendees can reschedule or cancel until").fill("120");
  await page.getByRole("button", { name: "Create event type" }).click();

  await expect(page).toHaveURL(/\/dashboard\/event-types$/);
  const card = page.getByRole("article", { name: TITLE, exact: true });
  await expect(card).toContainText("45 min");
  await expect(card).toContainText("Round robin");
  await expect(card).toContainText("Phone call");
  await expect(card).toContainText(ADMIN.name);
  await expect(card).toContainText("Active");
  await page.reload(); // a direct load hydrates too
  await hydrated(page);
  await expect(card.getByLabel(`Public link of ${TITLE}`)).toHaveValue(new RegExp(`^http://[^/]+/acme/${SLUG}$`));
  await card.getByText("Embed on your website").click();
  await expect(card.getByLabel(`Inline embed code for ${TITLE}`)).toHaveValue(
    new RegExp(`^<div data-rendezvous-inline="http://[^"]+/acme/${SLUG}"></div><script src="http://[^"]+/embed.js" async></script>$`),
  );
  await expect(card.getByLabel(`Popup button code for ${TITLE}`)).toHaveValue(/>Book a demo<\/button><script/);
  await expect(card.getByLabel(`Iframe code for ${TITLE}`)).toHaveValue(
    new RegExp(`^<iframe src="http://[^"]+/acme/${SLUG}\\?embed=1" title="Book ${TITLE}" style="width:100%;min-height:700px;border:0"></iframe>$`),
  );
  await expectAccessible(page);
  const created = await publicEventType(request, SLUG);
  expect(created.status()).toBe(200);
  expect(await created.json()).toMatchObject({ duration: 45, location_kind: "phone", hosts: [ADMIN.name] });

  await card.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: `Edit “${TITLE}”` })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Minimum notice", { exact: true })).toHaveValue("2");
  await expect(page.getByLabel("Unit of notice")).toHaveValue("hours");
  await expect(page.getByLabel("Daily limit per host")).toHaveValue("4");
  await expect(page.getByLabel("Email a reminder 24 hours before")).toBeChecked();
  await expect(page.getByLabel("Email a reminder 1 hour before")).not.toBeChecked();
  await expect(page.getByLabel("Attendees can reschedule or cancel until")).toHaveValue("120");
  await page.getByLabel("Duration", { exact: true }).fill("60");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/dashboard\/event-types$/);
  await expect(card).toContainText("1 h");
  expect((await (await publicEventType(request, SLUG)).json()).duration).toBe(60);

  await card.getByRole("button", { name: "Duplicate" }).click();
  const copy = page.getByRole("article", { name: `${TITLE} (copy)` });
  await expect(copy.getByLabel(`Public link of ${TITLE} (copy)`)).toHaveValue(new RegExp(`/acme/${SLUG}-copy$`));
  expect((await (await publicEventType(request, `${SLUG}-copy`)).json()).duration).toBe(60);
  await copy.getByRole("button", { name: "Deactivate" }).click();
  await expect(copy).toContainText("Inactive");
  await expect(copy.getByRole("button", { name: "Activate" })).toBeVisible();
  expect((await publicEventType(request, `${SLUG}-copy`)).status()).toBe(404);
  await copy.getByRole("button", { name: "Delete" }).click();
  await expect(copy.getByRole("button", { name: "Delete event type" })).toBeFocused();
  await copy.getByRole("button", { name: "Delete event type" }).click();
  await expect(copy).toHaveCount(0);

  // An event type with an upcoming booking cannot go; the refusal says why, on its card.
  const booking = await bookFirstSlot(request, SLUG);
  allowConsoleErrors(/status of 409/);
  await card.getByRole("button", { name: "Delete" }).click();
  await card.getByRole("button", { name: "Delete event type" }).click();
  await expect(card.getByRole("alert")).toContainText("1 upcoming booking");
  const cancelled = await request.post(`/api/v1/bookings/${booking.uid}/cancel`, { data: { token: booking.token } });
  expect(cancelled.ok()).toBeTruthy();
  await card.getByRole("button", { name: "Delete event type" }).click();
  await expect(card).toHaveCount(0);
  expect((await publicEventType(request, SLUG)).status()).toBe(404);
});

test("an invalid form shows every error inline and saves nothing", async ({ page, request, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 422/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/dashboard/event-types/new");
  await hydrated(page);
  await page.getByLabel("URL name").fill("et-invalid");
  await page.getByLabel("Duration", { exact: true }).fill("0");
  await page.getByLabel("Buffer after").fill("2.5");
  await page.getByRole("button", { name: "Create event type" }).click();

  await expect(page.getByLabel("Title", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a title.")).toBeVisible();
  await expect(page.getByText("Use 1 to 1440 minutes.")).toBeVisible();
  await expect(page.getByText("Enter a whole number.")).toBeVisible();
  await expect(page.getByText("Please correct the highlighted fields.")).toBeVisible();
  await expect(page.getByLabel("URL name")).toHaveValue("et-invalid");
  await expect(page).toHaveURL(/\/new$/);
  await expectAccessible(page);
  expect((await publicEventType(request, "et-invalid")).status()).toBe(404);
});

test("members see event types and their links but cannot change them", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const link = await inviteLink(page, VIEWER.email);
  await openEventTypes(page);
  await page.getByRole("link", { name: "New event type" }).click();
  await page.getByLabel("Title", { exact: true }).fill("ET Team intro");
  await page.getByRole("button", { name: "Create event type" }).click();
  await expect(page.getByRole("article", { name: "ET Team intro" })).toBeVisible();
  await signOut(page);

  await joinTeam(page, link, VIEWER);
  await openEventTypes(page);
  const card = page.getByRole("article", { name: "ET Team intro" });
  await expect(card.getByLabel("Public link of ET Team intro")).toHaveValue(/\/acme\/et-team-intro$/);
  await expect(page.getByRole("link", { name: "New event type" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: /Duplicate|Deactivate|Delete/ })).toHaveCount(0);
  await expect(card.getByRole("link", { name: "Edit" })).toHaveCount(0);
});
