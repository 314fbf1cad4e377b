import { test as base, expect, type APIRequestContext, type APIResponse, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export { expect };

export const ADMIN = {
  team: "Acme Sales",
  slug: "acme",
  name: "Ada Admin",
  email: "ada@example.com",
  password: "correct horse battery",
};

type Fixtures = {
  /** Lets one test accept console errors matching a pattern (e.g. an expected 401 response). */
  allowConsoleErrors: (pattern: RegExp) => void;
};

/**
 * Every test fails if the browser logged an error, threw, or blocked something under the page's
 * Content-Security-Policy, so broken hydration or a failed request can never pass silently.
 */
export const test = base.extend<Fixtures>({
  allowConsoleErrors: [
    async ({ page }, use) => {
      const allowed: RegExp[] = [];
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
      // Anything the page's Content-Security-Policy blocks counts as an error too.
      await page.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
        ),
      );
      await use((pattern) => allowed.push(pattern));
      const unexpected = errors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
      expect(unexpected, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

/** Waits until the WASM app has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await page.locator("body[data-hydrated]").waitFor();
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** No serious or critical accessibility violations on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

export type Person = { email: string; name: string; password: string };

/** Creates an API key on the signed-in member's API keys page; returns its secret. */
export async function createApiKey(page: Page, name: string): Promise<string> {
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  return page.getByLabel("New API key").inputValue();
}

/** As a signed-in admin, creates an invite link for `email` with the member role. */
export async function inviteLink(page: Page, email: string): Promise<string> {
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create invite link" }).click();
  return page.getByLabel("Invite link").inputValue();
}

/** Accepts an invite link as `person` (signed out) and lands on their dashboard. */
export async function joinTeam(page: Page, link: string, person: Person) {
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Join team" }).click();
  const firstName = person.name.split(" ")[0];
  await expect(page.getByRole("heading", { name: `Welcome, ${firstName}` })).toBeVisible();
}

/**
 * Checks a setup request that creates an event type under a fixed URL name: 201, or the API's
 * "already uses this URL name" (422 naming the slug) when it exists already because Playwright
 * restarted the worker after a failed test and ran `beforeAll` again; anything else fails, so one
 * failed test never fails every later test of the file as well.
 */
export async function expectCreatedOrThere(response: APIResponse) {
  const body = await response.text();
  if (response.status() === 201) return;
  expect(response.status(), body).toBe(422);
  expect(JSON.parse(body).fields, body).toHaveProperty("slug");
}

/**
 * A new member who hosts a new 30-minute event type of their own: the admin invites them, they
 * join in their own browser context in `zone`, and the admin creates the event type through the
 * API, so calendar specs never depend on other specs' hosts.
 */
export async function memberWithEventType(browser: Browser, member: Person, event: { slug: string; title: string }, zone: string) {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  const key = await createApiKey(page, `${event.slug} setup`);
  const host = await (await browser.newContext({ timezoneId: zone })).newPage();
  await joinTeam(host, await inviteLink(page, member.email), member);
  await host.context().close();
  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await page.request.get("/api/v1/members", { headers: auth })).json()).members;
  const hostId = members.find((m: { email: string }) => m.email === member.email).id;
  const created = await page.request.post("/api/v1/event-types", {
    headers: auth,
    data: { ...event, duration: 30, mode: "single", hosts: [hostId] },
  });
  expect(created.status(), await created.text()).toBe(201);
  await page.close();
}

/** Serves `html` at `/` from another loopback port: a customer's site on a different origin. */
export async function customerSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const http = await import("node:http");
  const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A message as the suite's SMTP sink (end2end/mail/sink.py) received it, invitations parsed. */
export type Mail = {
  subject: string;
  rcpt_to: string[];
  text: string;
  html: string;
  ics: { method: string; uid: string; sequence: number; status: string; dtstart: string; description: string }[];
  ics_errors: string[];
};

const sinkUrl = `http://127.0.0.1:${process.env.RENDEZVOUS_E2E_MAIL_PORT ?? 3102}`;

/** The suite's real SMTP server, through its HTTP API. */
export const mailSink = {
  async messages(to: string): Promise<Mail[]> {
    const response = await fetch(`${sinkUrl}/messages?to=${encodeURIComponent(to)}`);
    return (await response.json()).messages;
  },
  /** Waits for the message to `to` whose subject starts with `subject`. */
  async waitFor(to: string, subject: string): Promise<Mail> {
    let found: Mail | undefined;
    await expect
      .poll(async () => (found = (await mailSink.messages(to)).find((m) => m.subject.startsWith(subject))), {
        message: `"${subject}…" to ${to}`,
        timeout: 15_000,
      })
      .toBeTruthy();
    return found!;
  },
  /** Has the independent parser (Python icalendar) check a downloaded invitation. */
  async checkIcs(ics: string): Promise<{ errors: string[]; method: string; uid: string }> {
    return (await fetch(`${sinkUrl}/check-ics`, { method: "POST", body: ics })).json();
  },
  async icsErrors(): Promise<string[]> {
    return (await (await fetch(`${sinkUrl}/ics-errors`)).json()).errors;
  },
  async all(): Promise<Mail[]> {
    return (await (await fetch(`${sinkUrl}/messages`)).json()).messages;
  },
};

/** The link labelled `label` in a plain-text email ("  Reschedule: https://…"). */
export function linkIn(mail: Mail, label: string): string {
  const match = mail.text.match(new RegExp(`${label}: (\\S+)`));
  expect(match, `${label} link in:\n${mail.text}`).toBeTruthy();
  return match![1];
}

type Slot = { start: string; end: string };

/** Every free start of one of the team's event types over the next two weeks, from the public API. */
export async function freeStarts(request: APIRequestContext, slug: string): Promise<string[]> {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const query = `event_type=${ADMIN.slug}/${slug}&start=${day(1)}&end=${day(14)}&timezone=Europe/Berlin`;
  const response = await request.get(`/api/v1/slots?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  const days = Object.values((await response.json()).slots as Record<string, Slot[]>);
  return days.flat().map((slot) => slot.start);
}
