import { test, expect, ADMIN, signIn, expectAccessible } from "./support";

test("an admin creates an API key that works once shown, and a revoked key stops working", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation").getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Key name").fill("CRM sync");
  await page.getByLabel("Acts as").selectOption({ label: ADMIN.name });
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();
  expect(secret).toMatch(/^rdv_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("cell", { name: "CRM sync", exact: true })).toBeVisible();

  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(ADMIN.email);

  await page.getByRole("button", { name: "Revoke CRM sync" }).click();
  await expect(page.getByRole("cell", { name: "CRM sync", exact: true })).toHaveCount(0);
  const revoked = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(revoked.status()).toBe(401);
});

test("the API reference is reachable from the dashboard and accessible", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation").getByRole("link", { name: "API keys" }).click();
  await page.getByRole("link", { name: "Rendezvous API" }).click();
  await expect(page.getByRole("heading", { name: "Rendezvous API", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "POST /api/v1/bookings", exact: true })).toBeVisible();
  await expectAccessible(page);
});
