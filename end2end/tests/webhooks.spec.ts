import { test, expect, ADMIN, hydrated, signIn, expectAccessible, createApiKey, freeStarts, inviteLink, joinTeam, type Page } from "./support";
import type { APIRequestContext } from "@playwright/test";
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

// Everything this spec creates is prefixed "wh" so it cannot collide with other specs sharing the server.
const EVENT = { slug: "wh-demo", title: "wh Discovery call" };
const ATTENDEE = { name: "wh Pat Prospect", email: "wh-pat@example.com", timezone: "Europe/Berlin" };
const MEMBER = { name: "wh Mo Member", email: "wh-mo@example.com", password: "wh member password" };

type Received = { event: string; delivery: string; signature: string; body: string };

/** A CRM's webhook receiver on loopback: records every request and answers 200 "ok", `slowly` ones after 2 s. */
async function receiver(slowly: string[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      expect(req.method).toBe("POST");
      const header = (name: string) => String(req.headers[name] ?? "");
      received.push({
        event: header("rendezvous-event"),
        delivery: header("rendezvous-delivery"),
        signature: header("rendezvous-signature"),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const answer = () => res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      setTimeout(answer, slowly.includes(header("rendezvous-event")) ? 2_000 : 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/rendezvous`,
    /** Waits for the `count`th delivery of `event` and returns them all. */
    async got(event: string, count = 1): Promise<Received[]> {
      const of = () => received.filter((r) => r.event === event);
      await expect.poll(() => of().length, { message: `${event} deliveries`, timeout: 15_000 }).toBe(count);
      return of();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether one of the signature header's `v1` values is the hex HMAC-SHA256 of `${t}.${body}` under `secret`, `t` fresh. */
function signedWith(delivery: Received, secret: string): boolean {
  const fields = delivery.signature.split(",").map((part) => part.split("=", 2));
  const t = fields.find(([key]) => key === "t")?.[1] ?? "";
  const expected = createHmac("sha256", secret).update(`${t}.${delivery.body}`).digest("hex");
  const fresh = Math.abs(Date.now() / 1000 - Number(t)) < 300;
  return fresh && fields.some(([key, value]) => key === "v1" && value === expected);
}

async function openWebhooks(page: Page) {
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await hydrated(page);
}

type NewEndpoint = { url: string; description: string; events: string[]; eventTypes?: string[] };

/** Adds an endpoint through the form; returns the secret it shows once. */
async function addEndpoint(page: Page, endpoint: NewEndpoint): Promise<string> {
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByLabel("Endpoint URL")).toBeFocused();
  await page.getByLabel("Endpoint URL").fill(endpoint.url);
  await page.getByLabel("Description").fill(endpoint.description);
  for (const event of endpoint.events) await page.getByRole("group", { name: "Events" }).getByLabel(event).check();
  for (const title of endpoint.eventTypes ?? []) await page.getByRole("group", { name: "Event types" }).getByLabel(title).check();
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByText("you won't see it again")).toBeVisible();
  return page.getByLabel("New signing secret", { exact: true }).inputValue();
}

/** Books the first free time of the spec's event type through the public API. */
async function book(request: APIRequestContext) {
  const [start] = await freeStarts(request, EVENT.slug);
  const booked = await request.post("/api/v1/bookings", {
    data: { event_type: `${ADMIN.slug}/${EVENT.slug}`, start, attendee: ATTENDEE },
  });
  expect(booked.status(), await booked.text()).toBe(201);
}

test("an admin adds an endpoint whose secret signs the test event, a booking and its resend", async ({
  page,
  request,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 422/);
  const crm = await receiver(["webhook.test"]);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  const key = await createApiKey(page, "wh setup");
  const created = await request.post("/api/v1/event-types", {
    headers: { Authorization: `Bearer ${key}` },
    data: { ...EVENT, duration: 30 },
  });
  expect(created.status(), await created.text()).toBe(201);

  await openWebhooks(page);
  await expect(page.getByRole("link", { name: "API reference" })).toHaveAttribute("href", "/api/docs");
  await expectAccessible(page);

  // Refused: errors sit under their fields and are announced with them.
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByLabel("Endpoint URL").fill("ftp://crm.example.com/hooks");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByLabel("Endpoint URL")).toHaveAccessibleDescription(/Enter a web address such as https:\/\//);
  await expect(page.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("group", { name: "Events" })).toHaveAccessibleDescription(/Choose at least one event\./);
  await expectAccessible(page);

  const secret = await addEndpoint(page, { url: crm.url, description: "wh CRM", events: ["Booking created"], eventTypes: [EVENT.title] });
  expect(secret).toMatch(/^whsec_/);
  const card = page.getByRole("article", { name: crm.url });
  await expect(card).toContainText("Active");
  await expect(card).toContainText("Booking created");
  await expect(card).toContainText(EVENT.title);
  await expect(page.getByRole("button", { name: "Create endpoint" })).toBeHidden();

  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("New signing secret", { exact: true })).toHaveCount(0);

  await card.getByRole("link", { name: crm.url, exact: true }).click();
  await expect(page.getByRole("heading", { name: crm.url, level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText("Nothing sent yet.")).toBeVisible();
  await page.getByRole("button", { name: "Send test event" }).click();
  // The receiver takes 2 s to answer; the log checks again by itself until it has.
  const testRow = page.getByRole("row", { name: /webhook\.test/ });
  await expect(testRow.getByRole("cell", { name: "Pending" })).toBeVisible();
  await expect(testRow.getByRole("cell", { name: "Delivered" })).toBeVisible({ timeout: 15_000 });
  await expect(testRow.getByRole("cell", { name: "200", exact: true })).toBeVisible();
  await expect(testRow.getByRole("cell", { name: "ok", exact: true })).toBeVisible();
  const [sample] = await crm.got("webhook.test");
  expect(JSON.parse(sample.body).event).toBe("webhook.test");
  expect(signedWith(sample, secret)).toBe(true);
  expect(signedWith({ ...sample, body: sample.body.replace("webhook.test", "webhook.tost") }, secret)).toBe(false);
  await expectAccessible(page);

  await book(request);
  const [booking] = await crm.got("booking.created");
  expect(signedWith(booking, secret)).toBe(true);
  expect(JSON.parse(booking.body).booking.attendee.email).toBe(ATTENDEE.email);
  await page.getByRole("button", { name: "Refresh" }).click();
  const bookingRow = page.getByRole("row", { name: /booking\.created/ });
  await expect(bookingRow.getByRole("cell", { name: "Delivered" })).toBeVisible();

  await bookingRow.getByRole("button", { name: /^Resend booking\.created/ }).click();
  const both = await crm.got("booking.created", 2);
  expect(both[1].delivery).toBe(both[0].delivery);
  expect(both[1].body).toBe(both[0].body);
  expect(signedWith(both[1], secret)).toBe(true);
  await expect(bookingRow.getByRole("cell", { name: "2", exact: true })).toBeVisible({ timeout: 15_000 });
  await crm.close();
});

test("an admin rotates the secret with an overlap, disables, edits and deletes an endpoint", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 422/);
  const crm = await receiver();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  await openWebhooks(page);
  const old = await addEndpoint(page, { url: crm.url, description: "wh Billing", events: ["Booking cancelled"] });
  await page.getByRole("article", { name: crm.url }).getByRole("link", { name: crm.url, exact: true }).click();
  await expect(page.getByRole("heading", { name: crm.url, level: 1 })).toBeVisible();
  await hydrated(page);

  await page.getByLabel("Keep the old secret working for").selectOption({ label: "1 hour" });
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByText("you won't see it again")).toBeVisible();
  const rotated = await page.getByLabel("New signing secret", { exact: true }).inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(old);
  await expect(page.getByText(/^The previous secret also signs until \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}\.$/)).toBeVisible();
  await page.getByRole("button", { name: "Send test event" }).click();
  const [sample] = await crm.got("webhook.test");
  expect(signedWith(sample, rotated) && signedWith(sample, old)).toBe(true);

  await page.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(page.getByText("Disabled by you", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();

  const settings = page.getByRole("region", { name: "Settings" });
  await settings.getByLabel("Endpoint URL").fill("mailto:crm@example.com");
  await settings.getByRole("button", { name: "Save changes" }).click();
  await expect(settings.getByLabel("Endpoint URL")).toHaveAccessibleDescription(/Enter a web address/);
  await settings.getByLabel("Endpoint URL").fill(crm.url);
  await settings.getByLabel("Description").fill("wh Billing and renewals");
  await settings.getByLabel("Booking rescheduled").check();
  await settings.getByRole("button", { name: "Save changes" }).click();
  await expect(settings.getByText("Saved.")).toBeVisible();
  await expect(page.getByText("wh Billing and renewals", { exact: true })).toBeVisible();
  await expect(settings.getByRole("switch", { name: "Enabled" })).not.toBeChecked();

  await page.getByRole("link", { name: "Webhooks", exact: true }).first().click();
  const card = page.getByRole("article", { name: crm.url });
  await expect(card).toContainText("Disabled by you");
  await expect(card).toContainText("Booking rescheduled");
  await expect(card).toContainText("All event types");
  await card.getByRole("link", { name: crm.url, exact: true }).click();
  await hydrated(page);

  await page.getByRole("button", { name: /^Delete endpoint/ }).click();
  await expect(page.getByRole("button", { name: "Delete for good" })).toBeFocused();
  await expect(page.getByText(`Delete the endpoint ${crm.url}?`)).toBeVisible();
  await page.getByRole("button", { name: "Delete for good" }).click();
  await expect(page).toHaveURL(/\/dashboard\/webhooks$/);
  await expect(page.getByRole("article", { name: crm.url })).toHaveCount(0);
  await crm.close();
});

test("members are told webhooks are for admins", async ({ page, browser }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  const link = await inviteLink(page, MEMBER.email);
  const context = await browser.newContext();
  const member = await context.newPage();
  await joinTeam(member, link, MEMBER);
  await expect(member.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  await member.goto("/dashboard/webhooks");
  await expect(member.getByRole("alert")).toHaveText("Only admins can manage the team's webhooks.");
  await expect(member.getByRole("button", { name: "Create endpoint" })).toHaveCount(0);
  await context.close();
});
