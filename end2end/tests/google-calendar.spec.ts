import {
  test,
  expect,
  ADMIN,
  hydrated,
  signIn,
  expectAccessible,
  createApiKey,
  inviteLink,
  joinTeam,
  freeStarts,
  mailSink,
  type Page,
} from "./support";

// Runs against the google-sim binary that playwright.config.ts starts; the server under test is
// configured with its URLs. Everything this spec creates is prefixed "gc", and only Gina connects
// a calendar, so other specs' hosts never depend on the simulator.
const GINA = { email: "gc-gina@example.com", name: "Gina Calendar", password: "ginas own password" };
const EVENT = { slug: "gc-intro", title: "gc Intro call" };
const PROSPECT = { name: "gc Pat Prospect", email: "gc-pat@example.com" };
/** The simulator's first account, which its consent page signs in; its primary calendar has this id. */
const GOOGLE_ACCOUNT = "host@example.com";
const SIM = `http://127.0.0.1:${process.env.RENDEZVOUS_E2E_GOOGLE_PORT ?? 3103}/_control`;
const ZONE = "Europe/Berlin";

test.describe.configure({ mode: "serial" });

/** A calendar the member adds in Google before connecting, so there is a choice to make. */
let sideCalendar = "";

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  const key = await createApiKey(page, "gc setup");
  const gina = await (await browser.newContext({ timezoneId: ZONE })).newPage();
  await joinTeam(gina, await inviteLink(page, GINA.email), GINA);
  await gina.context().close();
  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await page.request.get("/api/v1/members", { headers: auth })).json()).members;
  const ginaId = members.find((m: { email: string }) => m.email === GINA.email).id;
  const created = await page.request.post("/api/v1/event-types", {
    headers: auth,
    data: { ...EVENT, duration: 30, mode: "single", hosts: [ginaId] },
  });
  expect(created.status(), await created.text()).toBe(201);
  sideCalendar = (await simulator("POST", `/users/${GOOGLE_ACCOUNT}/calendars`, { summary: "gc Side projects" })).id;
  await page.close();
});

/** The simulator's control API: changes "made by the user in Google", and what Google holds. */
async function simulator(method: string, path: string, body?: unknown) {
  const response = await fetch(`${SIM}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBeTruthy();
  return response.json();
}

type GoogleEvent = {
  id: string;
  status: string;
  summary: string;
  iCalUID: string;
  attendees: { email: string }[];
  extendedProperties?: { private?: { rendezvousBookingUid?: string } };
};

/** Every event of the primary calendar, deleted ones included (with status "cancelled"). */
async function googleEvents(): Promise<GoogleEvent[]> {
  return simulator("GET", `/calendars/${encodeURIComponent(GOOGLE_ACCOUNT)}/events`);
}

/** The event Rendezvous wrote to the primary calendar for a booking of PROSPECT, once it is there. */
async function bookingEvent(): Promise<GoogleEvent> {
  let found: GoogleEvent | undefined;
  await expect
    .poll(async () => {
      found = (await googleEvents()).find((e) => e.extendedProperties?.private?.rendezvousBookingUid && e.summary.includes(PROSPECT.name));
      return found;
    }, { message: "the booking's event in Google", timeout: 15_000 })
    .toBeTruthy();
  return found!;
}

async function openIntegrations(page: Page) {
  await signIn(page, GINA.email, GINA.password);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Integrations" }).click();
  await expect(page.getByRole("heading", { name: "Google Calendar" })).toBeVisible();
  await hydrated(page);
}

/** Opens the booking page on the day of `start` (an instant), as a prospect in ZONE sees it. */
async function openDay(page: Page, start: string) {
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}`);
  await hydrated(page);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric" })
      .formatToParts(new Date(start))
      .map((p) => [p.type, p.value]),
  );
  const month = page.locator("#bk-month-label");
  for (let i = 0; i < 2 && (await month.textContent()) !== `${parts.month} ${parts.year}`; i++) {
    const before = await month.textContent();
    await page.getByRole("button", { name: "Next month" }).click();
    await expect(month).not.toHaveText(before!);
  }
  const day = `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
  await page.getByRole("button", { name: day, exact: true }).click();
  await expect(page.getByRole("heading", { name: day })).toBeVisible();
}

/** The time button of `start` on the open day ("09:30, …"). */
function timeButton(page: Page, start: string) {
  const time = new Date(start).toLocaleTimeString("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
  return page.getByRole("list", { name: /\d{4}$/ }).getByRole("button", { name: new RegExp(`^${time},`) });
}

test("a member connects Google Calendar through Google's consent page and chooses the calendars that count", async ({ page }) => {
  await openIntegrations(page);
  await expect(page.getByText("Not connected.")).toBeVisible();
  await page.getByRole("button", { name: "Connect Google Calendar" }).click();

  await expect(page.getByRole("heading", { name: /wants access to your Google Account$/ })).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();

  await expect(page).toHaveURL(/\/dashboard\/integrations\?google=connected$/);
  await hydrated(page);
  await expect(page.getByRole("status").filter({ hasText: "Google Calendar is connected." })).toBeVisible();
  await expect(page.getByText(`Connected as ${GOOGLE_ACCOUNT}.`)).toBeVisible();
  const primary = page.getByRole("checkbox", { name: /\(primary\)$/ });
  const side = page.getByRole("checkbox", { name: "gc Side projects" });
  await expect(primary).toBeChecked();
  await expect(side).not.toBeChecked();
  await expect(page.getByLabel("Add new bookings to")).toHaveValue(GOOGLE_ACCOUNT);
  await expectAccessible(page);

  await side.check();
  await page.getByRole("button", { name: "Save calendars" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("checkbox", { name: "gc Side projects" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /\(primary\)$/ })).toBeChecked();
});

test("a meeting the member adds in Google takes its time off the booking page", async ({ page, request }) => {
  const [start] = await freeStarts(request, EVENT.slug);
  await openDay(page, start);
  await expect(timeButton(page, start)).toHaveCount(1);

  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  await simulator("POST", `/calendars/${encodeURIComponent(sideCalendar)}/events`, {
    summary: "gc Dentist",
    start: { dateTime: new Date(start).toISOString() },
    end: { dateTime: end },
  });

  // Busy time is refreshed in the background (every second in this suite), never awaited by the page.
  await expect(async () => {
    await openDay(page, start);
    await expect(timeButton(page, start)).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  expect(await freeStarts(request, EVENT.slug)).not.toContain(start);
});

test("a booking lands in the member's Google Calendar, shows as synced, and cancelling it deletes the event", async ({ page }) => {
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}`);
  await hydrated(page);
  await page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByLabel("Name").fill(PROSPECT.name);
  await page.getByLabel("Email").fill(PROSPECT.email);
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByRole("heading", { name: "You are scheduled" })).toBeVisible();

  const event = await bookingEvent();
  expect(event.status).toBe("confirmed");
  expect(event.summary).toBe(`${EVENT.title} with ${PROSPECT.name}`);
  expect(event.attendees.map((a) => a.email)).toEqual([PROSPECT.email]);
  const uid = event.extendedProperties!.private!.rendezvousBookingUid!;
  expect(event.iCalUID.startsWith(`${uid}@`)).toBeTruthy();

  await signIn(page, GINA.email, GINA.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto(`/dashboard/bookings/${uid}`);
  await hydrated(page);
  const calendars = page.getByRole("region", { name: "Calendars" });
  await expect(calendars.getByRole("listitem").filter({ hasText: GINA.name })).toContainText("In Google Calendar");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Cancel booking" }).click();
  await page.getByRole("button", { name: "Confirm cancellation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Booking cancelled." })).toBeVisible();
  await expect
    .poll(async () => (await googleEvents()).find((e) => e.id === event.id)?.status, {
      message: "the event deleted in Google",
      timeout: 15_000,
    })
    .toBe("cancelled");
  await expect(async () => {
    await page.reload();
    await expect(calendars.getByRole("listitem").filter({ hasText: GINA.name })).toContainText("Removed from Google Calendar", {
      timeout: 500,
    });
  }).toPass({ timeout: 10_000 });
});

test("when Google revokes access the member sees reconnect needed, is emailed once, and can reconnect", async ({ page, request, browser }) => {
  await simulator("POST", "/tokens/revoke", {});
  await openIntegrations(page);
  const alert = page.getByRole("alert").filter({ hasText: "Reconnect needed." });
  // The next background read of busy time (slots start one) finds the grant gone.
  await expect(async () => {
    await freeStarts(request, EVENT.slug);
    await page.reload();
    await expect(alert).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expectAccessible(page);
  await mailSink.waitFor(GINA.email, "Reconnect your Google Calendar");

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await expect(admin.getByRole("alert").filter({ hasText: `${GINA.name}'s Google Calendar needs to be reconnected` })).toBeVisible();
  await admin.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Members" }).click();
  await expect(admin.getByRole("row").filter({ hasText: GINA.email })).toContainText("Google Calendar: reconnect needed");
  await admin.context().close();

  await hydrated(page);
  await alert.getByRole("button", { name: "Reconnect Google Calendar" }).click();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\?google=connected$/);
  await hydrated(page);
  await expect(page.getByText(`Connected as ${GOOGLE_ACCOUNT}.`)).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Reconnect needed." })).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "gc Side projects" })).toBeChecked(); // choices kept
  expect((await mailSink.messages(GINA.email)).filter((m) => m.subject.startsWith("Reconnect"))).toHaveLength(1);
});
