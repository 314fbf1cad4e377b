import {
  test,
  expect,
  ADMIN,
  hydrated,
  signIn,
  expectAccessible,
  memberWithEventType,
  freeStarts,
  linkIn,
  mailSink,
  type Page,
} from "./support";

// Google Calendar and Outlook, the same scenarios against each provider's simulator binary, which
// playwright.config.ts starts and points the server at. Each provider gets its own member and
// event type (prefixed "gc" or "oc"), so other specs' hosts never depend on a simulator.
const ZONE = "Europe/Berlin";
/** Both simulators' first account, which their consent pages sign in. */
const ACCOUNT = "host@example.com";

type Event = { id: string; summary: string; bookingUid?: string; joinUrl?: string };

/** What differs between the providers, for a test: their consent page and their control API. */
type Provider = {
  name: string;
  prefix: string;
  /** The video meetings its calendars make, as the event type editor offers them. */
  meeting: string;
  consent: { heading: RegExp; accept: string };
  control: string;
  addCalendar: (name: string) => Promise<string>;
  primaryCalendar: () => Promise<string>;
  addMeeting: (calendar: string, start: Date, end: Date) => Promise<void>;
  /** Live events of a calendar, deleted ones left out. */
  events: (calendar: string) => Promise<Event[]>;
  /** The user moves an event in their calendar app. */
  moveEvent: (calendar: string, id: string, start: Date, end: Date) => Promise<void>;
  /** The user deletes an event in their calendar app. */
  deleteEvent: (calendar: string, id: string) => Promise<void>;
  revoke: () => Promise<void>;
};

const control = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port ?? fallback}/_control`;

async function call(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBeTruthy();
  return response.status === 204 ? null : response.json();
}

const googleBase = control(process.env.RENDEZVOUS_E2E_GOOGLE_PORT, 3103);
const google: Provider = {
  name: "Google Calendar",
  prefix: "gc",
  meeting: "Google Meet",
  consent: { heading: /wants access to your Google Account$/, accept: "Allow" },
  control: googleBase,
  addCalendar: async (name) => (await call(googleBase, "POST", `/users/${ACCOUNT}/calendars`, { summary: name })).id,
  primaryCalendar: async () => ACCOUNT,
  addMeeting: async (calendar, start, end) => {
    const body = { summary: "Dentist", start: { dateTime: start.toISOString() }, end: { dateTime: end.toISOString() } };
    await call(googleBase, "POST", `/calendars/${encodeURIComponent(calendar)}/events`, body);
  },
  events: async (calendar) => {
    const all = await call(googleBase, "GET", `/calendars/${encodeURIComponent(calendar)}/events`);
    return all
      .filter((e: { status: string }) => e.status !== "cancelled")
      .map(
        (e: { id: string; summary: string; hangoutLink?: string; extendedProperties?: { private?: { rendezvousBookingUid?: string } } }) => ({
          id: e.id,
          summary: e.summary,
          bookingUid: e.extendedProperties?.private?.rendezvousBookingUid,
          joinUrl: e.hangoutLink,
        }),
      );
  },
  moveEvent: async (calendar, id, start, end) => {
    const path = `/calendars/${encodeURIComponent(calendar)}/events/${encodeURIComponent(id)}/move`;
    await call(googleBase, "POST", path, { start: start.toISOString(), end: end.toISOString() });
  },
  deleteEvent: async (calendar, id) =>
    void (await call(googleBase, "DELETE", `/calendars/${encodeURIComponent(calendar)}/events/${encodeURIComponent(id)}`)),
  revoke: async () => void (await call(googleBase, "POST", "/tokens/revoke", {})),
};

const outlookBase = control(process.env.RENDEZVOUS_E2E_MS_PORT, 3104);
const wall = (at: Date) => ({ dateTime: at.toISOString().slice(0, 19), timeZone: "UTC" });
const outlook: Provider = {
  name: "Outlook Calendar",
  prefix: "oc",
  meeting: "Microsoft Teams",
  consent: { heading: /^Permissions requested$/, accept: "Accept" },
  control: outlookBase,
  addCalendar: async (name) => (await call(outlookBase, "POST", `/users/${ACCOUNT}/calendars`, { name })).id,
  primaryCalendar: async () => {
    const calendars = await call(outlookBase, "GET", "/calendars");
    return calendars.find((c: { owner: string; isDefaultCalendar: boolean }) => c.owner === ACCOUNT && c.isDefaultCalendar).id;
  },
  addMeeting: async (calendar, start, end) => {
    const body = { subject: "Dentist", showAs: "busy", start: wall(start), end: wall(end) };
    await call(outlookBase, "POST", `/calendars/${encodeURIComponent(calendar)}/events`, body);
  },
  events: async (calendar) => {
    const all = await call(outlookBase, "GET", `/calendars/${encodeURIComponent(calendar)}/events`);
    type GraphEvent = {
      id: string;
      subject: string;
      onlineMeeting?: { joinUrl?: string } | null;
      singleValueExtendedProperties?: { id: string; value: string }[];
    };
    return all.map((e: GraphEvent) => ({
      id: e.id,
      summary: e.subject,
      bookingUid: e.singleValueExtendedProperties?.find((p) => /rendezvousBookingUid$/i.test(p.id))?.value,
      joinUrl: e.onlineMeeting?.joinUrl ?? undefined,
    }));
  },
  moveEvent: async (_calendar, id, start, end) => {
    await call(outlookBase, "POST", `/events/${encodeURIComponent(id)}/move`, { start: start.toISOString(), end: end.toISOString() });
  },
  deleteEvent: async (_calendar, id) => void (await call(outlookBase, "DELETE", `/events/${encodeURIComponent(id)}`)),
  // Withdrawn consent; access tokens already issued work until they expire, so they expire too.
  revoke: async () => {
    await call(outlookBase, "POST", "/tokens/revoke", {});
    await call(outlookBase, "POST", "/tokens/expire", {});
  },
};

for (const provider of [google, outlook]) {
  test.describe(provider.name, () => {
    test.describe.configure({ mode: "serial" });
    const { prefix, name } = provider;
    const member = { email: `${prefix}-host@example.com`, name: `${prefix.toUpperCase()} Host`, password: "a host's own password" };
    const event = { slug: `${prefix}-intro`, title: `${prefix} Intro call` };
    const prospect = { name: `${prefix} Pat Prospect`, email: `${prefix}-pat@example.com` };
    /** A calendar added in the provider before connecting, so there is a choice to make. */
    let side = "";

    test.beforeAll(async ({ browser }) => {
      await memberWithEventType(browser, member, event, ZONE);
      side = await provider.addCalendar(`${prefix} Side projects`);
    });

    const card = (page: Page) => page.getByRole("region", { name });

    async function openIntegrations(page: Page) {
      await signIn(page, member.email, member.password);
      await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Integrations" }).click();
      await expect(card(page)).toBeVisible();
      await hydrated(page);
    }

    /** The event Rendezvous wrote to the primary calendar for a booking of `attendee`, once there. */
    async function bookingEvent(attendee = prospect.name): Promise<Event> {
      let found: Event | undefined;
      await expect
        .poll(async () => {
          const events = await provider.events(await provider.primaryCalendar());
          return (found = events.find((e) => e.bookingUid && e.summary.includes(attendee)));
        }, { message: `the booking's event in ${name}`, timeout: 15_000 })
        .toBeTruthy();
      return found!;
    }

    /** Opens the booking page on the day of `start` (an instant), as a prospect in ZONE sees it. */
    async function openDay(page: Page, start: string) {
      await page.goto(`/${ADMIN.slug}/${event.slug}`);
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
      // Worded as the page words it: the browser's Intl in the page's language.
      const day = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(start));
      await page.getByRole("button", { name: day, exact: true }).click();
      await expect(page.getByRole("heading", { name: day })).toBeVisible();
    }

    /** Books `start` on the booking page as `person`; resolves once the page confirms. */
    async function book(page: Page, start: string, person: { name: string; email: string }) {
      await openDay(page, start);
      await timeButton(page, start).click();
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await page.getByLabel("Name").fill(person.name);
      await page.getByLabel("Email").fill(person.email);
      await page.getByRole("button", { name: "Schedule event" }).click();
      await expect(page.getByRole("heading", { name: "You are scheduled" })).toBeVisible();
    }

    /** Signs the member in and opens the booking's page in the dashboard. */
    async function openBooking(page: Page, uid: string) {
      await signIn(page, member.email, member.password);
      await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
      await page.goto(`/dashboard/bookings/${uid}`);
      await hydrated(page);
    }

    /** The time button of `start` on the open day ("09:30, …"). */
    function timeButton(page: Page, start: string) {
      const time = new Date(start).toLocaleTimeString("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
      return page.getByRole("list", { name: /\d{4}$/ }).getByRole("button", { name: new RegExp(`^${time},`) });
    }

    test(`a member connects ${name} through its consent page and chooses the calendars that count`, async ({ page }) => {
      await openIntegrations(page);
      await expect(card(page).getByText("Not connected.")).toBeVisible();
      await card(page).getByRole("button", { name: `Connect ${name}` }).click();

      await expect(page.getByRole("heading", { name: provider.consent.heading })).toBeVisible();
      await page.getByRole("button", { name: provider.consent.accept }).click();

      await expect(page).toHaveURL(/\/dashboard\/integrations\?\w+=connected$/);
      await hydrated(page);
      await expect(page.getByRole("status").filter({ hasText: `${name} is connected.` })).toBeVisible();
      await expect(card(page).getByText(`Connected as ${ACCOUNT}.`)).toBeVisible();
      const primary = card(page).getByRole("checkbox", { name: /\(primary\)$/ });
      const sideBox = card(page).getByRole("checkbox", { name: `${prefix} Side projects` });
      await expect(primary).toBeChecked();
      await expect(sideBox).not.toBeChecked();
      await expect(card(page).getByLabel("Add new bookings to")).toHaveValue(await provider.primaryCalendar());
      await expectAccessible(page);

      await sideBox.check();
      await card(page).getByRole("button", { name: "Save calendars" }).click();
      await expect(card(page).getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
      await page.reload();
      await hydrated(page);
      await expect(card(page).getByRole("checkbox", { name: `${prefix} Side projects` })).toBeChecked();
      await expect(card(page).getByRole("checkbox", { name: /\(primary\)$/ })).toBeChecked();
    });

    test(`a meeting the member adds in ${name} takes its time off the booking page`, async ({ page, request }) => {
      const [start] = await freeStarts(request, event.slug);
      await openDay(page, start);
      await expect(timeButton(page, start)).toHaveCount(1);

      await provider.addMeeting(side, new Date(start), new Date(Date.parse(start) + 30 * 60_000));

      // A push notification makes the server sync the calendar and read busy time again at once.
      await expect(async () => {
        await openDay(page, start);
        await expect(timeButton(page, start)).toHaveCount(0, { timeout: 500 });
      }).toPass({ timeout: 20_000 });
      expect(await freeStarts(request, event.slug)).not.toContain(start);

      // The member's Calendar page shows it, and a second one appears while the page is open.
      await signIn(page, member.email, member.password);
      await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
      const week = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date(start));
      await page.goto(`/dashboard/calendar?week=${week}`);
      await hydrated(page);
      const meetings = page.locator(".week-day").getByText("Dentist");
      await expect(meetings).toHaveCount(1);
      await expectAccessible(page);
      const later = Date.parse(start) + 60 * 60_000;
      await provider.addMeeting(side, new Date(later), new Date(later + 30 * 60_000));
      await expect(meetings).toHaveCount(2, { timeout: 15_000 });
    });

    test(`a booking lands in the member's ${name}, shows as synced, and cancelling it deletes the event`, async ({ page }) => {
      await page.goto(`/${ADMIN.slug}/${event.slug}`);
      await hydrated(page);
      await page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await page.getByLabel("Name").fill(prospect.name);
      await page.getByLabel("Email").fill(prospect.email);
      await page.getByRole("button", { name: "Schedule event" }).click();
      await expect(page.getByRole("heading", { name: "You are scheduled" })).toBeVisible();

      const written = await bookingEvent();
      expect(written.summary).toBe(`${event.title} with ${prospect.name}`);
      const uid = written.bookingUid!;

      await signIn(page, member.email, member.password);
      await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
      await page.goto(`/dashboard/bookings/${uid}`);
      await hydrated(page);
      const calendars = page.getByRole("region", { name: "Calendars" });
      await expect(calendars.getByRole("listitem").filter({ hasText: member.name })).toContainText(`In ${name}`);
      await expectAccessible(page);

      await page.getByRole("button", { name: "Cancel booking" }).click();
      await page.getByRole("button", { name: "Confirm cancellation" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Booking cancelled." })).toBeVisible();
      await expect
        .poll(async () => (await provider.events(await provider.primaryCalendar())).some((e) => e.id === written.id), {
          message: `the event deleted in ${name}`,
          timeout: 15_000,
        })
        .toBe(false);
      await expect(async () => {
        await page.reload();
        await expect(calendars.getByRole("listitem").filter({ hasText: member.name })).toContainText(`Removed from ${name}`, {
          timeout: 500,
        });
      }).toPass({ timeout: 10_000 });
    });

    test(`${name} says how changes arrive and syncs on demand`, async ({ page }) => {
      await openIntegrations(page);
      // The suite's server asks for push notifications (the simulators deliver them over http).
      await expect(card(page).getByText(/^Updates: instant \(renews /)).toBeVisible();
      await card(page).getByRole("button", { name: "Sync now" }).click();
      await expect(card(page).getByRole("status").filter({ hasText: "Synced." })).toBeVisible();
      await expect(card(page).getByText(/^Last synced /)).toBeVisible();
      const changes = page.getByRole("group", { name: "When I move or delete a booked meeting in my calendar" });
      await expect(changes.getByRole("radio", { name: "Update the booking and tell the attendee" })).toBeChecked();
      await expectAccessible(page);
    });

    test(`moving the booked meeting in ${name} moves the booking and tells the attendee`, async ({ page, request }) => {
      const mover = { name: `${prefix} Mo Mover`, email: `${prefix}-mo@example.com` };
      const [start] = await freeStarts(request, event.slug);
      await book(page, start, mover);
      const confirmed = await mailSink.waitFor(mover.email, "Confirmed");
      const written = await bookingEvent(mover.name);

      // The host drags it two hours later in their calendar app.
      const moved = new Date(Date.parse(start) + 2 * 3_600_000);
      await provider.moveEvent(await provider.primaryCalendar(), written.id, moved, new Date(moved.getTime() + 30 * 60_000));

      const notice = await mailSink.waitFor(mover.email, "Rescheduled");
      expect(notice.ics[0].sequence).toBeGreaterThan(confirmed.ics[0].sequence);
      const time = moved.toLocaleTimeString("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
      await page.goto(linkIn(confirmed, "Reschedule"));
      await hydrated(page);
      await expect(page.getByText(time).first()).toBeVisible();

      await openBooking(page, written.bookingUid!);
      await expect(page.getByRole("region", { name: "History" })).toContainText(`Moved in ${name} by the host`);
      await expect(page.getByRole("region", { name: "Calendars" })).toContainText(`Moved in ${name} by the host`);
      await expectAccessible(page);
    });

    test(`deleting the booked meeting in ${name} says when the booking cancels, and Keep booking writes it back`, async ({
      page,
      request,
    }) => {
      const keeper = { name: `${prefix} Kim Keeper`, email: `${prefix}-kim@example.com` };
      const [start] = await freeStarts(request, event.slug);
      await book(page, start, keeper);
      const written = await bookingEvent(keeper.name);
      await provider.deleteEvent(await provider.primaryCalendar(), written.id);

      await openBooking(page, written.bookingUid!);
      const copy = page.getByRole("region", { name: "Calendars" }).getByRole("listitem").filter({ hasText: member.name });
      await expect(async () => {
        await page.reload();
        await expect(copy).toContainText(`Deleted in ${name}: the booking is cancelled at`, { timeout: 500 });
      }).toPass({ timeout: 10_000 });
      await hydrated(page);
      await expectAccessible(page);
      await copy.getByRole("button", { name: "Keep booking" }).click();
      await expect
        .poll(async () => (await provider.events(await provider.primaryCalendar())).some((e) => e.bookingUid === written.bookingUid), {
          message: `the event written back to ${name}`,
          timeout: 15_000,
        })
        .toBe(true);
      await expect(async () => {
        await page.reload();
        await expect(copy).toContainText(`In ${name}`, { timeout: 500 });
        await expect(copy).not.toContainText("Deleted", { timeout: 500 });
      }).toPass({ timeout: 10_000 });
    });

    test(`choosing ${provider.meeting} in the editor gives each booking its own meeting, shown when booked and emailed`, async ({
      page,
      request,
      browser,
    }) => {
      const admin = await (await browser.newContext()).newPage();
      await signIn(admin, ADMIN.email, ADMIN.password);
      await expect(admin.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
      await admin.goto(`/dashboard/event-types/${event.slug}/edit`);
      await hydrated(admin);
      await admin.getByLabel("Location", { exact: true }).selectOption({ label: `${provider.meeting}, a new meeting per booking` });
      await expect(admin.getByLabel("Location details")).toBeHidden();
      // The editor says which members could not host it, and why; this event type's host can.
      const hostRow = admin.locator("label.host-choice");
      await expect(hostRow.filter({ hasText: member.name })).not.toContainText("Cannot host");
      await expect(hostRow.filter({ hasText: /Cannot host this meeting: (has no|books into|needs to)/ }).first()).toBeVisible();
      await expectAccessible(admin);
      await admin.getByRole("button", { name: "Save changes" }).click();
      await expect(admin).toHaveURL(/\/dashboard\/event-types$/);
      await admin.context().close();

      const caller = { name: `${prefix} Vi Video`, email: `${prefix}-vi@example.com` };
      const [start] = await freeStarts(request, event.slug);
      await book(page, start, caller);
      const written = await bookingEvent(caller.name);
      expect(written.joinUrl).toMatch(/^https:\/\//);
      const where = page.getByRole("definition").filter({ hasText: provider.meeting });
      await expect(where.getByRole("link", { name: "Join the meeting" })).toHaveAttribute("href", written.joinUrl!, {
        timeout: 15_000,
      });
      const confirmed = await mailSink.waitFor(caller.email, "Confirmed");
      expect(confirmed.text).toContain(written.joinUrl);
      expect(confirmed.text).not.toContain("follows");
    });

    test(`when ${name} access is revoked the member sees reconnect needed, is emailed once, and can reconnect`, async ({
      page,
      request,
      browser,
    }) => {
      await provider.revoke();
      await openIntegrations(page);
      const alert = card(page).getByRole("alert").filter({ hasText: "Reconnect needed." });
      // The next background read of busy time (slots start one) finds the grant gone.
      await expect(async () => {
        await freeStarts(request, event.slug);
        await page.reload();
        await expect(alert).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 20_000 });
      await expectAccessible(page);
      await mailSink.waitFor(member.email, `Reconnect your ${name}`);

      const admin = await (await browser.newContext()).newPage();
      await signIn(admin, ADMIN.email, ADMIN.password);
      await expect(admin.getByRole("alert").filter({ hasText: `${member.name}'s ${name} needs to be reconnected` })).toBeVisible();
      await admin.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Members" }).click();
      await expect(admin.getByRole("row").filter({ hasText: member.email })).toContainText(`${name}: reconnect needed`);
      await admin.context().close();

      await hydrated(page);
      await alert.getByRole("button", { name: `Reconnect ${name}` }).click();
      await page.getByRole("button", { name: provider.consent.accept }).click();
      await expect(page).toHaveURL(/\?\w+=connected$/);
      await hydrated(page);
      await expect(card(page).getByText(`Connected as ${ACCOUNT}.`)).toBeVisible();
      await expect(card(page).getByRole("alert").filter({ hasText: "Reconnect needed." })).toHaveCount(0);
      await expect(card(page).getByRole("checkbox", { name: `${prefix} Side projects` })).toBeChecked(); // choices kept
      expect((await mailSink.messages(member.email)).filter((m) => m.subject.startsWith("Reconnect"))).toHaveLength(1);
    });
  });
}
