import AxeBuilder from "@axe-core/playwright";
import { test, expect, ADMIN, hydrated, signIn, type Page } from "./support";

// Every page at a laptop's and a phone's size: nothing wider than the window or than its card,
// no WCAG 2.2 AA violation that axe can find, and (through `test`) no console error.
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

const DASHBOARD = [
  "/dashboard",
  "/dashboard/event-types",
  "/dashboard/event-types/new",
  "/dashboard/bookings",
  "/dashboard/calendar",
  "/dashboard/availability",
  "/dashboard/integrations",
  "/dashboard/members",
  "/dashboard/api-keys",
  "/dashboard/webhooks",
  "/dashboard/email",
];

/** What to open on a page before measuring it, so parts shown on demand are checked too. */
const OPEN: Record<string, (page: Page) => Promise<void>> = {
  "/dashboard/availability": (page) => page.getByLabel("Custom hours").check(),
};

const PUBLIC = ["/login", `/${ADMIN.slug}`, "/no-such-team"];

/** What sticks out: the document wider than the window, or a card wider than itself. */
async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push(`the page is ${root.scrollWidth}px wide in ${root.clientWidth}px`);
    for (const card of Array.from(document.querySelectorAll<HTMLElement>(".card, .bk-card, .bk-details, .bk-done"))) {
      if (card.scrollWidth > card.clientWidth + 1) {
        const name = card.getAttribute("aria-labelledby") ?? card.className;
        found.push(`${name}: ${card.scrollWidth}px of content in ${card.clientWidth}px`);
      }
    }
    return found;
  });
}

async function check(page: Page, path: string, viewport: string) {
  expect(await overflows(page), `overflow on ${path} (${viewport})`).toEqual([]);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `axe on ${path} (${viewport})`,
  ).toEqual([]);
}

for (const viewport of VIEWPORTS) {
  test(`every dashboard page fits a ${viewport.name} screen and passes axe`, async ({ page }, info) => {
    await page.setViewportSize(viewport);
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
    const failures: string[] = [];
    for (const path of DASHBOARD) {
      await page.goto(path);
      await hydrated(page);
      await OPEN[path]?.(page);
      await page.screenshot({ path: info.outputPath(`${viewport.name}${path.replaceAll("/", "_")}.png`), fullPage: true });
      await check(page, path, viewport.name).catch((e: Error) => failures.push(e.message));
    }
    expect(failures).toEqual([]);
  });

  test(`every public page fits a ${viewport.name} screen and passes axe`, async ({ page, allowConsoleErrors }, info) => {
    allowConsoleErrors(/404 \(Not Found\)/);
    await page.setViewportSize(viewport);
    const failures: string[] = [];
    const team = await page.request.get(`/${ADMIN.slug}`);
    const firstEvent = /href="(\/acme\/[a-z0-9-]+)"/.exec(await team.text())?.[1];
    // The longest words are German's; Japanese has other scripts and line breaking.
    const events = firstEvent ? [firstEvent, `${firstEvent}?lang=de`, `${firstEvent}?lang=ja`] : [];
    for (const path of [...PUBLIC, ...events]) {
      await page.goto(path);
      await page.screenshot({ path: info.outputPath(`${viewport.name}${path.replaceAll(/[/?=]/g, "_")}.png`), fullPage: true });
      await check(page, path, viewport.name).catch((e: Error) => failures.push(e.message));
    }
    expect(failures).toEqual([]);
  });
}

test("the first Tab on a dashboard page offers to skip the navigation, and Enter lands on the content", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/dashboard/members");
  await hydrated(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#content")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("navigation", { name: "Dashboard" }).getByRole("link").first()).not.toBeFocused();
});

test("a copy button says Copied, announces it, and is ready to copy again", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/dashboard/members");
  await hydrated(page);
  await page.getByLabel("Email", { exact: true }).fill("copy-check@example.com");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const copy = page.getByRole("button", { name: "Copy link" });
  await copy.click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect(page.getByText("Copied to the clipboard", { exact: true })).toHaveAttribute("role", "status");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.getByLabel("Invite link").inputValue());
  await expect(copy).toBeVisible();
});
