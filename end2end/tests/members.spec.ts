import { test, expect, ADMIN, hydrated, signIn, expectAccessible } from "./support";

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
