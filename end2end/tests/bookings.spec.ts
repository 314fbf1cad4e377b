import { test, expect, ADMIN, hydrated, signIn, expectAccessible, createApiKey } from "./support";
import type { APIRequestContext } from "@playwright/test";

// Everything this spec creates is prefixed "bk" so it cannot collide with other specs sharing the server.
const EVENT = { slug: "bk-demo", title: "bk Product demo" };
const ATTENDEE = { name: "bk Pat Prospect", email: "bk-pat@example.com", timezone: "America/New_York" };
const REASON = "bk: the customer asked to move to next quarter";

/** Books the first free time of a fresh event type hosted by the admin; returns its Berlin start and end. */
async function bookFirstSlot(request: APIRequestContext, key: string) {
  const auth = { Authorization: `Bearer ${key}` };
  const created = await request.post("/api/v1/event-types", { headers: auth, data: { ...EVENT, duration: 30 } });
  expect(created.status(), await created.text()).toBe(201);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const slots = await request.get(
    `/api/v1/slots?event_type=${ADMIN.slug}/${EVENT.slug}&start=${day(1)}&end=${day(14)}&timezone=Europe/Berlin`,
  );
  expect(slots.status(), await slots.text()).toBe(200);
  const first = Object.values((await slots.json()).slots as Record<string, { start: string; end: string }[]>)[0][0];
  const booked = await request.post("/api/v1/bookings", {
    data: {
      event_type: `${ADMIN.slug}/${EVENT.slug}`,
      start: first.start,
      attendee: ATTENDEE,
      notes: "Interested in the team plan.",
    },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  return `${first.start.slice(11, 16)}–${first.end.slice(11, 16)}`;
}

test("a booking is listed in the viewer's zone, shown in detail, cancelled with a reason and listed as cancelled", async ({
  page,
  request,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  const times = await bookFirstSlot(request, await createApiKey(page, "bk setup"));

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Bookings" }).click();
  await expect(page.getByRole("heading", { name: "Bookings", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Upcoming", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("Times in Europe/Berlin")).toBeVisible();
  await page.getByLabel("Event type").selectOption({ label: EVENT.title });
  await expect(page).toHaveURL(/[?&]event_type=bk-demo/);
  await page.getByLabel("Member").selectOption({ label: ADMIN.name });
  await expect(page).toHaveURL(/[?&]member=\d+/);
  const row = page.getByRole("listitem").filter({ hasText: ATTENDEE.name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(ATTENDEE.email);
  await expect(row).toContainText(times);
  await expect(row).toContainText(EVENT.title);
  await expect(row).toContainText(ADMIN.name);
  await expectAccessible(page);

  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Event type")).toHaveValue(EVENT.slug);
  await expect(row).toHaveCount(1);

  await row.getByRole("link", { name: ATTENDEE.name }).click();
  await expect(page).toHaveURL(/\/dashboard\/bookings\/[^/?]+$/);
  await expect(page.getByRole("heading", { name: EVENT.title, level: 1 })).toBeVisible();
  await expect(page.getByText(new RegExp(`${times} \\(Europe/Berlin\\)`))).toBeVisible();
  await expect(page.getByText(ATTENDEE.timezone)).toBeVisible();
  await expect(page.getByText("Interested in the team plan.")).toBeVisible();
  await expect(page.getByText(/^Booked for /)).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Cancel booking" }).click();
  await expect(page.getByLabel("Reason (optional)")).toBeFocused();
  await expectAccessible(page);
  await page.getByLabel("Reason (optional)").fill(REASON);
  await page.getByRole("button", { name: "Confirm cancellation" }).click();
  await expect(page.getByRole("status")).toHaveText(/Booking cancelled/);
  await expect(page.getByText("Cancelled", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(REASON).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel booking" })).toHaveCount(0);

  await page.getByRole("link", { name: "← Cancelled bookings" }).click();
  await expect(page.getByRole("link", { name: "Cancelled", exact: true })).toHaveAttribute("aria-current", "page");
  const cancelled = page.getByRole("listitem").filter({ hasText: ATTENDEE.name });
  await expect(cancelled).toContainText(`Reason: ${REASON}`);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Upcoming", exact: true }).click();
  await page.getByLabel("Event type").selectOption({ label: EVENT.title });
  await expect(page.getByText("No upcoming bookings.")).toBeVisible();
});

test("an unknown booking shows a clear message, not a blank page", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/404/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/dashboard/bookings/bk-no-such-booking");
  await hydrated(page);
  await expect(page.getByText("This page does not exist.")).toBeVisible();
  await expect(page.getByRole("link", { name: "← All bookings" })).toBeVisible();
});
