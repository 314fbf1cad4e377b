import { test, expect, ADMIN, hydrated, signIn, signOut, expectAccessible } from "./support";

test("a fresh install sets up the team, signs the admin in, out and back in", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 422/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await hydrated(page);
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  await expectAccessible(page);

  // Every problem at once, beside its field, not one browser bubble at a time.
  await page.getByRole("button", { name: "Create team" }).click();
  for (const field of ["Team name", "URL name", "Your name", "Email", "Password"]) {
    await expect(page.getByLabel(field), field).toHaveAttribute("aria-invalid", "true");
  }
  await expectAccessible(page);

  // The URL name follows the team name until it is edited.
  await page.getByLabel("Team name").fill(ADMIN.team);
  await expect(page.getByLabel("URL name")).toHaveValue("acme-sales");
  await page.getByLabel("URL name").fill(ADMIN.slug);
  await page.getByLabel("Team name").fill(`${ADMIN.team} `);
  await expect(page.getByLabel("URL name")).toHaveValue(ADMIN.slug);
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create team" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  await expect(page.getByText("Europe/Berlin")).toBeVisible();
  await expectAccessible(page);

  await signOut(page);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
});
