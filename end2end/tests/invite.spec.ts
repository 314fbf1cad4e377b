import { test, expect, ADMIN, hydrated, signIn, signOut, expectAccessible } from "./support";

const BOB = { email: "bob@example.com", name: "Bob Builder", password: "bobs own password" };

test("an admin invites a member who joins, signs in and cannot invite others", async ({ page, allowConsoleErrors }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation").getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Email").fill(BOB.email);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("listitem").filter({ hasText: BOB.email })).toBeVisible();
  await signOut(page);

  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Join your team" })).toBeVisible();
  await expect(page.getByText(BOB.email)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Your name").fill(BOB.name);
  await page.getByLabel("Password").fill(BOB.password);
  await page.getByRole("button", { name: "Join team" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Bob" })).toBeVisible();

  await page.getByRole("navigation").getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("cell", { name: BOB.email })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await signOut(page);

  await signIn(page, BOB.email, BOB.password);
  await expect(page.getByRole("heading", { name: "Welcome, Bob" })).toBeVisible();

  await signOut(page);
  allowConsoleErrors(/status of 410/);
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("already been used");
});

test("a mistyped invite link says so", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 404/);
  await page.goto("/invite/not-a-real-token");
  await expect(page.getByRole("alert")).toContainText("not valid");
});
