import { test, expect, ADMIN, hydrated, signIn, expectAccessible, createApiKey, mailSink, type Page } from "./support";
import type { APIRequestContext } from "@playwright/test";

// Everything this spec creates is prefixed "em" so it cannot collide with other specs sharing the server.
const EVENT = { slug: "em-demo", title: "em Intro call" };
const BOUNCE = { name: "em Pat Bounce", email: "em-bounce@example.com", timezone: "Europe/Berlin" };
const sinkUrl = `http://127.0.0.1:${process.env.RENDEZVOUS_E2E_MAIL_PORT ?? 3102}`;

/** Makes the suite's SMTP sink refuse `address` for good (550), or accept it again. */
async function refuse(address: string, refused: boolean) {
  const response = await fetch(`${sinkUrl}/refuse?address=${encodeURIComponent(address)}`, {
    method: refused ? "POST" : "DELETE",
  });
  expect(response.status).toBe(204);
}

/** Books the first free time of a fresh event type hosted by the admin, for `BOUNCE`. */
async function bookForBounce(request: APIRequestContext, key: string) {
  const auth = { Authorization: `Bearer ${key}` };
  const created = await request.post("/api/v1/event-types", { headers: auth, data: { ...EVENT, duration: 30 } });
  expect(created.status(), await created.text()).toBe(201);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const slots = await request.get(
    `/api/v1/slots?event_type=${ADMIN.slug}/${EVENT.slug}&start=${day(1)}&end=${day(14)}&timezone=Europe/Berlin`,
  );
  expect(slots.status(), await slots.text()).toBe(200);
  const first = Object.values((await slots.json()).slots as Record<string, { start: string }[]>)[0][0];
  const booked = await request.post("/api/v1/bookings", {
    data: { event_type: `${ADMIN.slug}/${EVENT.slug}`, start: first.start, attendee: BOUNCE },
  });
  expect(booked.status(), await booked.text()).toBe(201);
}

/** The Email page, reloaded until `row` shows up (the page lists failures as they were when it loaded). */
async function waitForRow(page: Page, name: string) {
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(async () => {
    await page.reload();
    await hydrated(page);
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  return row;
}

test.afterAll(() => refuse(BOUNCE.email, false));

test("a delivery refused for good is listed for admins and goes out once retried", async ({ page, request }) => {
  await refuse(BOUNCE.email, true);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  await bookForBounce(request, await createApiKey(page, "em setup"));

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Email", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\/email$/);
  await expect(page.getByRole("heading", { name: "Email", level: 1 })).toBeVisible();
  await expect(page.getByText(/^Mail is sent through SMTP server 127\.0\.0\.1:\d+ \(unencrypted\); nothing is kept here\.$/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Outbox" })).toHaveCount(0);

  const label = `Confirmation to ${BOUNCE.email}`;
  const row = await waitForRow(page, label);
  await expect(row.getByRole("rowheader")).toHaveText(label);
  await expect(row.locator("code")).toContainText("550");
  await expectAccessible(page);

  await refuse(BOUNCE.email, false);
  await row.getByRole("button", { name: `Retry ${label}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Queued to send again" })).toBeVisible();
  await expect(row).toHaveCount(0);
  const delivered = await mailSink.waitFor(BOUNCE.email, "Confirmed: ");
  expect(delivered.rcpt_to).toEqual([BOUNCE.email]);
  expect(delivered.subject).toContain(EVENT.title);
});
