import { test, expect, ADMIN, hydrated, signIn, expectAccessible, createApiKey, mailSink, linkIn, type Page, expectCreatedOrThere } from "./support";

// Everything this spec creates is prefixed "bm" so it cannot collide with other specs sharing the server.
const EVENT = { slug: "bm-demo", title: "bm Discovery call" };
const PROSPECT = { name: "bm Pat Prospect", email: "bm-pat@example.com" };

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  const key = await createApiKey(page, "bm setup");
  const created = await page.request.post("/api/v1/event-types", {
    headers: { Authorization: `Bearer ${key}` },
    data: { ...EVENT, duration: 30, location_kind: "video", location_detail: "https://meet.example.com/bm" },
  });
  await expectCreatedOrThere(created);
  await page.close();
});

const times = (page: Page) => page.getByRole("list", { name: /\d{4}$/ }).getByRole("button", { name: /^\d/ });

test("confirmation, reschedule and cancellation arrive by email as updates of one calendar event", async ({ page }) => {
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}`);
  await hydrated(page);
  await times(page).first().click();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByLabel("Name").fill(PROSPECT.name);
  await page.getByLabel("Email").fill(PROSPECT.email);
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByRole("heading", { name: "You are scheduled" })).toBeVisible();

  const confirmed = await mailSink.waitFor(PROSPECT.email, "Confirmed: ");
  const hostCopy = await mailSink.waitFor(ADMIN.email, `New booking: ${EVENT.title} with ${PROSPECT.name}`);
  const event = confirmed.ics[0];
  expect([event.method, event.sequence, event.status]).toEqual(["REQUEST", 0, "CONFIRMED"]);
  expect(hostCopy.ics[0].uid).toBe(event.uid);
  expect(confirmed.text).toContain("https://meet.example.com/bm");
  expect(confirmed.ics_errors).toEqual([]);

  await page.goto(linkIn(confirmed, "Reschedule"));
  await hydrated(page);
  await expect(page.getByRole("heading", { name: EVENT.title })).toBeVisible();
  await expectAccessible(page);
  await times(page).last().click();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await expect(page.getByRole("button", { name: "Move my booking" })).toBeFocused();
  await page.getByRole("button", { name: "Move my booking" }).click();
  await expect(page.getByRole("heading", { name: "Your booking has moved" })).toBeVisible();

  const moved = await mailSink.waitFor(PROSPECT.email, "Rescheduled: ");
  expect([moved.ics[0].uid, moved.ics[0].method, moved.ics[0].sequence]).toEqual([event.uid, "REQUEST", 1]);
  expect(moved.ics[0].dtstart).not.toBe(event.dtstart);
  expect((await mailSink.waitFor(ADMIN.email, "Rescheduled: ")).ics[0].sequence).toBe(1);

  await page.goto(linkIn(moved, "Cancel"));
  await hydrated(page);
  await page.getByLabel("Reason for cancelling (optional)").fill("bm Found another date");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Cancel booking" }).click();
  await expect(page.getByRole("heading", { name: "Your booking is cancelled" })).toBeVisible();

  const cancelled = await mailSink.waitFor(PROSPECT.email, "Cancelled: ");
  expect([cancelled.ics[0].uid, cancelled.ics[0].method, cancelled.ics[0].status, cancelled.ics[0].sequence]).toEqual([
    event.uid,
    "CANCEL",
    "CANCELLED",
    2,
  ]);
  expect(cancelled.text).toContain("Reason: bm Found another date");
  expect((await mailSink.waitFor(ADMIN.email, "Cancelled: ")).ics[0].method).toBe("CANCEL");
  expect(await mailSink.messages(PROSPECT.email)).toHaveLength(3);
});

test("a cancelled booking's links stop working and an unknown link says so", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 4\d\d/);
  const cancelled = await mailSink.waitFor(PROSPECT.email, "Cancelled: ");
  const confirmed = await mailSink.waitFor(PROSPECT.email, "Confirmed: ");
  const response = await page.goto(linkIn(confirmed, "Cancel"));
  expect(response?.status()).toBe(410);
  await expect(page.getByRole("heading", { name: "This booking was cancelled" })).toBeVisible();
  expect(cancelled.ics_errors).toEqual([]);
  const unknown = await page.goto("/booking/nosuchbooking?token=nope");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();
});
