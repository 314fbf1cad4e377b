import { test, expect, ADMIN, hydrated, signIn, expectAccessible } from "./support";
import type { Page } from "@playwright/test";

// Everything this spec creates is prefixed "etq". The tests run in order: the second reopens and
// books what the first saved.
test.describe.configure({ mode: "serial" });
const EVENT = { title: "etq Intake call", slug: "etq-intake" };

type Question = {
  type: string;
  kind: string;
  label: string;
  key: string;
  options?: string[];
  help?: string;
  required?: boolean;
  hidden?: boolean;
};

// One question of every kind, and a hidden one, in the order the admin adds them.
const COMPANY: Question = { type: "Short text", kind: "short_text", label: "Company", key: "company", required: true };
const PREPARE: Question = {
  type: "Long text", kind: "long_text", label: "What should we prepare for you?", key: "prep", help: "A sentence or two.",
};
const PHONE: Question = { type: "Phone number", kind: "phone", label: "Phone", key: "phone" };
const LANGUAGE: Question = {
  type: "Single choice (radio buttons)", kind: "single_choice", label: "Meeting language", key: "meeting_language",
  options: ["English", "German"],
};
const SIZE: Question = { type: "Dropdown", kind: "dropdown", label: "Team size", key: "team_size", options: ["1-10", "11-50", "51+"] };
const TOPICS: Question = {
  type: "Multiple choice (checkboxes)", kind: "multiple_choice", label: "Topics", key: "topics", options: ["Pricing", "Security"],
};
const CONSENT: Question = {
  type: "Checkbox (such as consent)", kind: "checkbox", label: "I agree to be contacted", key: "i_agree_to_be_contacted",
  required: true,
};
const SEATS: Question = { type: "Number", kind: "number", label: "Seats", key: "seats" };
const CAMPAIGN: Question = { type: "Short text", kind: "short_text", label: "Campaign", key: "campaign", hidden: true };
const ADDED = [COMPANY, PREPARE, PHONE, LANGUAGE, SIZE, TOPICS, CONSENT, SEATS, CAMPAIGN];
// After "Meeting language" has been moved to the top.
const SAVED = [LANGUAGE, COMPANY, PREPARE, PHONE, SIZE, TOPICS, CONSENT, SEATS, CAMPAIGN];

const question = (page: Page, n: number) => page.getByRole("group", { name: `Question ${n}`, exact: true });
const button = (page: Page, name: string) => page.getByRole("button", { name, exact: true });

/** Adds a question through the editor; `withOptions: false` leaves a choice question's options empty. */
async function addQuestion(page: Page, n: number, q: Question, withOptions = true) {
  await page.getByRole("button", { name: "Add question" }).click();
  const item = question(page, n);
  await expect(item.getByLabel("Type")).toBeFocused();
  await item.getByLabel("Type").selectOption({ label: q.type });
  await item.getByLabel("Label", { exact: true }).fill(q.label);
  const options = item.getByLabel("Options");
  if (q.options) {
    await expect(options).toBeVisible();
    if (withOptions) await options.fill(q.options.join("\n"));
  } else {
    await expect(options).toBeHidden();
  }
  if (q.help) await item.getByLabel("Help text").fill(q.help);
  if (q.required) await item.getByLabel("Required").check();
  if (q.hidden) await item.getByLabel("Hidden", { exact: true }).check();
}

test("an admin adds a question of every kind, sees a server error at its field, reorders with the keyboard and saves", async ({
  page,
  request,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 422/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/dashboard/event-types/new");
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(EVENT.title);
  await page.getByLabel("URL name").fill(EVENT.slug);
  await expect(page.getByText("Name and email are always asked.")).toBeVisible();
  await expect(page.getByRole("switch", { name: "Let attendees add guests (up to 10)" })).toBeChecked();
  // A new event type starts with the optional notes question; this one asks its own instead.
  await expect(question(page, 1).getByLabel("Label", { exact: true })).toHaveValue("Anything that helps prepare?");
  await expect(question(page, 1).getByLabel("Prefill key")).toHaveValue("notes");
  await button(page, "Remove “Anything that helps prepare?”").click();
  await expect(page.getByRole("group", { name: /^Question \d+$/ })).toHaveCount(0);

  for (const [n, q] of ADDED.entries()) await addQuestion(page, n + 1, q, q !== LANGUAGE);
  // A new question's key follows its label until someone types one.
  await expect(question(page, 1).getByLabel("Prefill key")).toHaveValue("company");
  const prepare = question(page, 2);
  await expect(prepare.getByLabel("Prefill key")).toHaveValue("what_should_we_prepare_for_you");
  await prepare.getByLabel("Prefill key").fill("prep");
  await prepare.getByLabel("Label", { exact: true }).fill(PREPARE.label);
  await expect(prepare.getByLabel("Prefill key")).toHaveValue("prep");
  await expect(prepare.getByLabel("Prefill key")).toHaveAccessibleDescription(/\?prep=/);

  await addQuestion(page, 10, { type: "Short text", kind: "short_text", label: "Temporary", key: "temporary" });
  await button(page, "Remove “Temporary”").click();
  await expect(page.getByRole("group", { name: /^Question \d+$/ })).toHaveCount(ADDED.length);
  await expect(page.getByRole("button", { name: "Add question" })).toBeFocused();

  // The choice question without options is refused; the error is tied to its Options field.
  await page.getByRole("button", { name: "Create event type" }).click();
  const languageOptions = question(page, 4).getByLabel("Options");
  await expect(languageOptions).toHaveAttribute("aria-invalid", "true");
  await expect(languageOptions).toHaveAccessibleDescription(/Offer 1 to 50 options\./);
  await expect(page.getByText("Please correct the highlighted fields.")).toBeVisible();
  await expect(page).toHaveURL(/\/new$/);
  await expectAccessible(page);
  expect((await request.get(`/api/v1/event-types/acme/${EVENT.slug}`)).status()).toBe(404);

  // Moved to the top with Enter and Space, the question keeps its button focused and its error.
  await button(page, "Move “Meeting language” up").focus();
  await page.keyboard.press("Enter");
  await expect(button(page, "Move “Meeting language” up")).toBeFocused();
  await expect(question(page, 3).getByLabel("Label", { exact: true })).toHaveValue(LANGUAGE.label);
  await expect(question(page, 3).getByLabel("Options")).toHaveAccessibleDescription(/Offer 1 to 50 options\./);
  await expect(question(page, 4).getByLabel("Label", { exact: true })).toHaveValue(PHONE.label);
  await page.keyboard.press(" ");
  await expect(button(page, "Move “Meeting language” up")).toBeFocused();
  await page.keyboard.press("Enter");
  // At the top "up" is disabled, so focus moves to the same question's "down".
  await expect(button(page, "Move “Meeting language” up")).toBeDisabled();
  await expect(button(page, "Move “Meeting language” down")).toBeFocused();
  await expect(button(page, `Move “${CAMPAIGN.label}” down`)).toBeDisabled();
  for (const [n, q] of SAVED.entries()) {
    await expect(question(page, n + 1).getByLabel("Label", { exact: true })).toHaveValue(q.label);
  }

  await question(page, 1).getByLabel("Options").fill(LANGUAGE.options!.join("\n"));
  await page.getByRole("button", { name: "Create event type" }).click();
  await expect(page).toHaveURL(/\/dashboard\/event-types$/);
  await expect(page.getByRole("article", { name: EVENT.title, exact: true })).toBeVisible();
});

test("reopened, the editor shows the questions in order, and the booking page asks them", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/dashboard/event-types/${EVENT.slug}/edit`);
  await hydrated(page);
  await expect(page.getByRole("group", { name: /^Question \d+$/ })).toHaveCount(SAVED.length);
  for (const [n, q] of SAVED.entries()) {
    const item = question(page, n + 1);
    await expect(item.getByLabel("Type")).toHaveValue(q.kind);
    await expect(item.getByLabel("Label", { exact: true })).toHaveValue(q.label);
    await expect(item.getByLabel("Help text")).toHaveValue(q.help ?? "");
    await expect(item.getByLabel("Prefill key")).toHaveValue(q.key);
    if (q.options) await expect(item.getByLabel("Options")).toHaveValue(q.options.join("\n"));
    await expect(item.getByLabel("Required")).toBeChecked({ checked: !!q.required });
    await expect(item.getByLabel("Hidden", { exact: true })).toBeChecked({ checked: !!q.hidden });
  }
  await expect(question(page, 9).getByLabel("Hidden", { exact: true })).toHaveAccessibleDescription(
    "Hidden questions can still be prefilled from the link.",
  );
  const guests = page.getByRole("switch", { name: "Let attendees add guests (up to 10)" });
  await expect(guests).toBeChecked();
  await expectAccessible(page);
  await guests.uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/dashboard\/event-types$/);

  await page.goto(`/${ADMIN.slug}/${EVENT.slug}?campaign=spring`);
  await hydrated(page);
  await page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  const asked = [
    page.getByRole("group", { name: "Meeting language (optional)" }),
    page.getByLabel("Company", { exact: true }),
    page.getByLabel("What should we prepare for you? (optional)"),
    page.getByLabel("Phone (optional)"),
    page.getByLabel("Team size (optional)"),
    page.getByRole("group", { name: "Topics (optional)" }),
    page.getByLabel("I agree to be contacted"),
    page.getByLabel("Seats (optional)"),
  ];
  let above = 0;
  for (const field of asked) {
    await expect(field).toBeVisible();
    const top = (await field.boundingBox())!.y;
    expect(top).toBeGreaterThan(above);
    above = top;
  }
  await expect(page.getByText("A sentence or two.")).toBeVisible();
  await expect(page.getByLabel("Campaign")).toHaveCount(0);
  await expect(page.getByLabel("Add guests (optional)")).toBeHidden();
});
