import { test, expect, ADMIN, hydrated, signIn, expectAccessible, createApiKey, inviteLink, joinTeam, freeStarts } from "./support";
import type { APIRequestContext } from "@playwright/test";

test("an admin switches who takes bookings and cannot leave the team without an admin", async ({ page, allowConsoleErrors }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation").getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
  await expectAccessible(page);

  const takes = page.getByRole("switch", { name: `${ADMIN.name} takes bookings` });
  await expect(takes).toBeChecked();
  await takes.uncheck();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("switch", { name: `${ADMIN.name} takes bookings` })).not.toBeChecked();
  await page.getByRole("switch", { name: `${ADMIN.name} takes bookings` }).check();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("switch", { name: `${ADMIN.name} takes bookings` })).toBeChecked();

  allowConsoleErrors(/status of 409/);
  await page.getByLabel(`Role of ${ADMIN.name}`).selectOption("member");
  await expect(page.getByRole("alert").filter({ hasText: "A team needs at least one admin." })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel(`Role of ${ADMIN.name}`)).toHaveValue("admin");
});

// Everything the removal test creates is prefixed "rm" so it cannot collide with other specs.
const REX = { email: "rm-rex@example.com", name: "Rex Leaving", password: "rexs own password" };
const ATTENDEE = { name: "rm Pat Prospect", email: "rm-pat@example.com", timezone: "Europe/Berlin" };

async function book(request: APIRequestContext, slug: string, start: string): Promise<string> {
  const booked = await request.post("/api/v1/bookings", {
    data: { event_type: `${ADMIN.slug}/${slug}`, start, attendee: ATTENDEE },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  return (await booked.json()).uid;
}

test("removing a member moves their round-robin booking to a free host and cancels the one nobody else can take", async ({
  page,
  browser,
  request,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const key = await createApiKey(page, "rm setup");
  const link = await inviteLink(page, REX.email);
  const rexPage = await (await browser.newContext({ timezoneId: "Europe/Berlin" })).newPage();
  await joinTeam(rexPage, link, REX);

  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await request.get("/api/v1/members", { headers: auth })).json()).members;
  const rex = members.find((m: { email: string }) => m.email === REX.email);
  const ada = members.find((m: { email: string }) => m.email === ADMIN.email);
  for (const [slug, mode, hosts] of [["rm-team", "round_robin", [ada.id, rex.id]], ["rm-solo", "single", [rex.id]], ["rm-ada", "single", [ada.id]]]) {
    const created = await request.post("/api/v1/event-types", { headers: auth, data: { slug, title: `rm ${slug}`, duration: 30, mode, hosts } });
    expect(created.status(), await created.text()).toBe(201);
  }
  // A time both are free, booked while Ada takes no bookings so that round robin gives it to Rex.
  const adaFree = new Set(await freeStarts(request, "rm-ada"));
  const [shared, other] = (await freeStarts(request, "rm-solo")).filter((start) => adaFree.has(start));
  const takes = (on: boolean) => request.patch(`/api/v1/members/${ada.id}`, { headers: auth, data: { accepts_bookings: on } });
  expect((await takes(false)).status()).toBe(200);
  const movable = await book(request, "rm-team", shared);
  expect((await takes(true)).status()).toBe(200);
  const stranded = await book(request, "rm-solo", other);

  await page.reload(); // the list was loaded before Rex joined
  await hydrated(page);
  await page.getByRole("button", { name: `Remove ${REX.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Remove ${REX.name}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("2 upcoming bookings: 1 moves to another host, 1 is cancelled.");
  await expect(dialog.getByRole("listitem").filter({ hasText: "rm rm-team with rm Pat Prospect" })).toContainText(`Moves to ${ADMIN.name}`);
  await expect(dialog.getByRole("listitem").filter({ hasText: "rm rm-solo with rm Pat Prospect" })).toContainText("Cancelled");
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("cell", { name: REX.email })).toBeVisible();

  await page.getByRole("button", { name: `Remove ${REX.name}` }).click();
  await dialog.getByRole("button", { name: `Remove ${REX.name}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${REX.name} was removed.` })).toContainText(
    "1 booking moved to another host, 1 booking cancelled.",
  );
  await expect(page.getByRole("cell", { name: REX.email })).toHaveCount(0);

  const detail = async (uid: string) => (await request.get(`/api/v1/bookings/${uid}`, { headers: auth })).json();
  const moved = await detail(movable);
  expect([moved.status, moved.hosts.map((h: { name: string }) => h.name)]).toEqual(["confirmed", [ADMIN.name]]);
  expect((await detail(stranded)).status).toBe("cancelled");
  await rexPage.reload();
  await expect(rexPage).toHaveURL(/\/login/);
});
