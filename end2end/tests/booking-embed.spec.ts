import { test, expect, ADMIN, signIn, createApiKey, customerSite, type Page, expectCreatedOrThere } from "./support";
import type { FrameLocator } from "@playwright/test";

// Everything this spec creates is prefixed "be" so it cannot collide with other specs sharing the server.
const EVENT = { slug: "be-demo", title: "be Embedded demo" };
const PROSPECT = { name: "be Pat Prospect", email: "be-pat@example.com" };

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  const key = await createApiKey(page, "be setup");
  const created = await page.request.post("/api/v1/event-types", {
    headers: { Authorization: `Bearer ${key}` },
    data: { ...EVENT, duration: 30 },
  });
  await expectCreatedOrThere(created);
  await page.close();
});

/** A customer's page embedding the real booking page, recording what its listeners receive. */
function hostPage(origin: string, body: string): string {
  return `<!doctype html><html lang="en"><head><title>Customer site</title></head><body>
    <h1>Customer site</h1>${body}
    <script>
      window.received = [];
      for (const name of ["booking_created", "booking_rescheduled", "booking_cancelled"]) {
        document.addEventListener("rendezvous:" + name, (e) => window.received.push({ name, ...e.detail }));
      }
    </script>
    <script src="${origin}/embed.js" async></script></body></html>`;
}

async function bookInFrame(frame: FrameLocator) {
  await frame.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await frame.getByRole("button", { name: "Next", exact: true }).click();
  await frame.getByLabel("Name").fill(PROSPECT.name);
  await frame.getByLabel("Email").fill(PROSPECT.email);
  await frame.getByRole("button", { name: "Schedule event" }).click();
  await expect(frame.getByRole("heading", { name: "You are scheduled" })).toBeVisible();
}

type Received = { name: string; uid: string; event_type: string };

/** The uid of the one `name` event the site heard, after checking it names the event type. */
async function receivedUid(page: Page, name = "booking_created"): Promise<string> {
  const heard = () => page.evaluate(() => (window as unknown as { received: Received[] }).received);
  await expect.poll(async () => (await heard()).filter((r) => r.name === name).length).toBe(1);
  const booking = (await heard()).find((r) => r.name === name)!;
  expect(booking.event_type).toBe(`${ADMIN.slug}/${EVENT.slug}`);
  return booking.uid;
}

test("a site on another origin embeds the page inline, books a time and hears booking_created", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const site = await customerSite(hostPage(origin, `<div data-rendezvous-inline="${origin}/${ADMIN.slug}/${EVENT.slug}"></div>`));
  await page.setViewportSize({ width: 600, height: 900 }); // narrow: the page stacks and is taller than 700 px
  await page.goto(site.url);
  const frame = page.frameLocator("iframe");
  await expect(frame.getByRole("heading", { name: EVENT.title })).toBeVisible();
  const height = async () => (await page.locator("iframe").boundingBox())!.height;
  await expect.poll(height, { message: "the frame grows to its content" }).toBeGreaterThan(700);
  const tall = await height();
  await bookInFrame(frame);
  await expect.poll(height, { message: "the frame shrinks to the confirmation" }).toBeLessThan(tall);
  const inner = frame.locator("html");
  expect(await inner.evaluate((html) => html.scrollHeight <= window.innerHeight)).toBe(true);
  await receivedUid(page);
  await site.close();
});

test("the popup embed books a time and the site hears booking_created", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const site = await customerSite(
    hostPage(origin, `<button data-rendezvous-popup="${origin}/${ADMIN.slug}/${EVENT.slug}">Book a demo</button>`),
  );
  await page.goto(site.url);
  await page.getByRole("button", { name: "Book a demo" }).click();
  const frame = page.frameLocator("iframe");
  await expect(frame.getByRole("heading", { name: EVENT.title })).toBeVisible();
  await bookInFrame(frame);
  await receivedUid(page);
  await site.close();
});

test("the emailed reschedule and cancel pages, embedded, tell the site booking_rescheduled and booking_cancelled", async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const embed = async (url: string) => customerSite(hostPage(origin, `<div data-rendezvous-inline="${url}"></div>`));
  const frame = page.frameLocator("iframe");
  let site = await embed(`${origin}/${ADMIN.slug}/${EVENT.slug}`);
  await page.goto(site.url);
  await bookInFrame(frame);
  const uid = await receivedUid(page);
  const reschedule = (await frame.getByRole("link", { name: "Reschedule" }).getAttribute("href"))!;
  await site.close();

  site = await embed(reschedule);
  await page.goto(site.url);
  await frame.getByRole("list", { name: /\d{4}$/ }).getByRole("button", { name: /^\d/ }).last().click();
  await frame.getByRole("button", { name: "Next", exact: true }).click();
  await frame.getByRole("button", { name: "Move my booking" }).click();
  await expect(frame.getByRole("heading", { name: "Your booking has moved" })).toBeVisible();
  expect(await receivedUid(page, "booking_rescheduled")).toBe(uid);
  const cancel = (await frame.getByRole("link", { name: "cancel", exact: true }).getAttribute("href"))!;
  await site.close();

  site = await embed(cancel);
  await page.goto(site.url);
  await frame.getByRole("button", { name: "Cancel booking" }).click();
  await expect(frame.getByRole("heading", { name: "Your booking is cancelled" })).toBeVisible();
  expect(await receivedUid(page, "booking_cancelled")).toBe(uid);
  await site.close();
});

test("an admin limits which websites may embed the booking pages, and can allow any again", async ({ page, request, allowConsoleErrors }) => {
  // The framing rule is a policy of its own, beside the page's script policy.
  const policy = async () =>
    (await request.get(`/${ADMIN.slug}/${EVENT.slug}`))
      .headersArray()
      .filter((header) => header.name.toLowerCase() === "content-security-policy")
      .map((header) => header.value)
      .find((value) => value.startsWith("frame-ancestors"));
  expect(await policy()).toBe("frame-ancestors *");
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Event types" }).click();
  const websites = page.getByLabel("Allowed websites");
  allowConsoleErrors(/status of 422/);
  await websites.fill("www.example.com");
  await page.getByRole("button", { name: "Save websites" }).click();
  await expect(page.getByText("is not a website origin")).toBeVisible();
  await websites.fill("https://www.example.com/\nhttps://*.example.org");
  await page.getByRole("button", { name: "Save websites" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  expect(await policy()).toBe("frame-ancestors https://www.example.com https://*.example.org");
  await websites.fill("");
  await page.getByRole("button", { name: "Save websites" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  expect(await policy()).toBe("frame-ancestors *");
});
