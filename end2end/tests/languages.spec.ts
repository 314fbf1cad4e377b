import { test, expect, ADMIN, hydrated, signIn, createApiKey, mailSink, linkIn, expectAccessible, expectCreatedOrThere } from "./support";

// The booking pages and attendee emails in the visitor's language. Everything here is prefixed "lg".
const EVENT = { slug: "lg-demo", title: "lg Demo" };

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("heading", { name: /Welcome/ }).waitFor();
  const key = await createApiKey(page, "lg setup");
  const created = await page.request.post("/api/v1/event-types", {
    headers: { Authorization: `Bearer ${key}` },
    data: { ...EVENT, duration: 30, booking_window_days: null, location_kind: "phone" },
  });
  await expectCreatedOrThere(created);
  await page.close();
});

test("?lang=de shows the booking page in German, books, and the attendee's emails follow in German", async ({ page }) => {
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}?lang=de`);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Nächster Monat" })).toBeVisible();
  await expect(page.getByText("Telefonat", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: /\d{4}$/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await page.getByRole("button", { name: "Weiter", exact: true }).click();
  await page.getByRole("button", { name: "Termin buchen" }).click();
  // Checked in the browser, in German, before anything is sent.
  await expect(page.getByText("Bitte geben Sie Ihren Namen ein.")).toBeVisible();
  await expect(page.getByLabel("Name")).toBeFocused();
  await page.getByLabel("Name").fill("lg Greta");
  await page.getByLabel("E-Mail").fill("lg-greta@example.com");
  await page.getByRole("button", { name: "Termin buchen" }).click();
  await expect(page.getByRole("heading", { name: "Ihr Termin ist gebucht" })).toBeVisible();
  await expectAccessible(page);

  const mail = await mailSink.waitFor("lg-greta@example.com", "Bestätigt: ");
  expect(mail.text).toContain("Hallo lg Greta,");
  expect(mail.text).toContain("Ihr Termin ist bestätigt.");
  expect(mail.text).toMatch(/(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d+\. /);
  const manage = linkIn(mail, "Verschieben");
  expect(manage).toContain("lang=de");
  // The host's copy stays English, like the dashboard.
  await mailSink.waitFor(ADMIN.email, `New booking: ${EVENT.title} with lg Greta`);

  await page.goto(manage.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: EVENT.title })).toBeVisible();
});

test.describe("with a French browser", () => {
  test.use({ locale: "fr-FR" });

  test("Accept-Language picks French, and the picker switches to Japanese", async ({ page }) => {
    await page.goto(`/${ADMIN.slug}/${EVENT.slug}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await hydrated(page);
    await expect(page.getByRole("button", { name: "Mois suivant" })).toBeVisible();
    await page.getByLabel("Langue").selectOption("ja");
    await expect(page).toHaveURL(/[?&]lang=ja/);
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    await hydrated(page);
    await expect(page.getByRole("button", { name: "次の月" })).toBeVisible();
    await expect(page.getByLabel("言語")).toHaveValue("ja");
  });
});

test("a time chosen before the page is interactive opens its details, and booking then works", async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/pkg/booking.*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}`);
  const first = page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first();
  const label = await first.getAttribute("aria-label");
  await first.click(); // a plain link while the WASM is held back
  await expect(page).toHaveURL(/[?&]time=/);
  await expect(page.getByRole("heading", { name: "Enter your details" })).toBeVisible();
  const [time, day] = label!.split(/, (.*)/s);
  await expect(page.locator(".bk-summary")).toContainText(time);
  await expect(page.locator(".bk-summary")).toContainText(day);
  release();
  await hydrated(page);
  await page.getByLabel("Name").fill("lg Early");
  await page.getByLabel("Email").fill("lg-early@example.com");
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByRole("heading", { name: "You are scheduled" })).toBeVisible();
});
