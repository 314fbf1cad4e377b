import { test, expect, ADMIN, hydrated, signIn, createApiKey } from "./support";

// Attacks that only a browser shows: where a redirect really lands, and whether text people typed
// can run as script in a page's title.

test("a sign-in link cannot send the person to another site, even with a tab in the path", async ({ page }) => {
  await page.goto(`/login?next=${encodeURIComponent("/\t/evil.example/x")}`);
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
});

test("an event type's name cannot close the page title and run a script", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const key = await createApiKey(page, "title injection");
  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await page.request.get("/api/v1/members", { headers: auth })).json()).members;
  const admin = members.find((m: { email: string }) => m.email === ADMIN.email).id;
  const title = "Demo</title><script>alert(1)</script>";
  const created = await page.request.post("/api/v1/event-types", {
    headers: auth,
    data: { slug: "title-injection", title, duration: 30, mode: "single", hosts: [admin] },
  });
  expect(created.status(), await created.text()).toBe(201);
  await page.goto(`/${ADMIN.slug}/title-injection`);
  await hydrated(page);
  expect(await page.title()).toContain(title);
  expect(dialogs).toEqual([]);
});

test("a script slipped into a page does not run: the page allows only scripts with its nonce", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/CSP violation: script-src|Content Security Policy/);
  const response = await page.goto("/login");
  await hydrated(page);
  const policies = response!.headers()["content-security-policy"];
  expect(policies).toContain("'wasm-unsafe-eval'");
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
});

test("a flood of bookings for one email is refused with a message saying when to try again", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 429/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const key = await createApiKey(page, "flood");
  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await page.request.get("/api/v1/members", { headers: auth })).json()).members;
  const admin = members.find((m: { email: string }) => m.email === ADMIN.email).id;
  const created = await page.request.post("/api/v1/event-types", {
    headers: auth,
    data: { slug: "sec-flood", title: "sec Flood", duration: 30, mode: "single", hosts: [admin] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const victim = "sec-victim@example.com";
  // Not a free time (seven past): each is refused, but each counts for the email.
  const notASlot = new Date(Date.now() + 2 * 86_400_000);
  notASlot.setUTCMinutes(7, 0, 0);
  const statuses: number[] = [];
  for (let n = 0; n < 41; n++) {
    const response = await page.request.post("/api/v1/bookings", {
      data: { event_type: `${ADMIN.slug}/sec-flood`, start: notASlot.toISOString(), attendee: { name: "Flood", email: victim, timezone: "UTC" } },
    });
    statuses.push(response.status());
  }
  expect(statuses.filter((s) => s === 409)).toHaveLength(40);
  expect(statuses.at(-1)).toBe(429);

  await page.goto(`/${ADMIN.slug}/sec-flood`);
  await hydrated(page);
  await page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByLabel("Name").fill("Flood");
  await page.getByLabel("Email").fill(victim);
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByRole("alert")).toHaveText(/^Too many attempts\. Please try again in (a minute|\d+ minutes)\.$/);
});
