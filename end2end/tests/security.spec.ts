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
