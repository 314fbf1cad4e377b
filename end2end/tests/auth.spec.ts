import { test, expect, ADMIN, hydrated, signIn, expectAccessible } from "./support";

test("a wrong password shows an error and keeps the person on the sign-in page", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 401/);
  await signIn(page, ADMIN.email, "not the password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);
  await expectAccessible(page);
});

test("a dashboard URL while signed out leads to sign-in and back there afterwards", async ({ page }) => {
  await page.goto("/dashboard/members");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%2Fmembers$/);
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard\/members$/);
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
});

test("setup is not offered again once the team exists", async ({ page }) => {
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);
});

test("an unknown address shows a friendly not-found page", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 404/);
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
