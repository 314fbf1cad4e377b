import { test, expect, ADMIN, hydrated, signIn, createApiKey, expectAccessible } from "./support";

// Everything this spec creates is prefixed "bq".
const EVENT = { slug: "bq-qualify", title: "bq Qualify" };
let key = "";

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  key = await createApiKey(page, "bq setup");
  const auth = { Authorization: `Bearer ${key}` };
  const members = (await (await page.request.get("/api/v1/members", { headers: auth })).json()).members;
  const admin = members.find((m: { email: string }) => m.email === ADMIN.email).id;
  const created = await page.request.post("/api/v1/event-types", {
    headers: auth,
    data: {
      ...EVENT, duration: 30, mode: "single", hosts: [admin],
      questions: [
        { key: "company", kind: "short_text", label: "Company", required: true },
        { key: "phone_number", kind: "phone", label: "Phone", help: "With the country code." },
        { key: "size", kind: "dropdown", label: "Team size", options: ["1-10", "11-50", "51+"] },
        { key: "topics", kind: "multiple_choice", label: "Topics", options: ["Pricing", "Security"] },
        { key: "consent", kind: "checkbox", label: "I agree to be contacted", required: true },
        { key: "source", kind: "short_text", label: "Source", hidden: true },
      ],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  await page.close();
});

test("a prospect answers the event type's questions, prefilled ones included, and the answers are kept", async ({ page, request, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 422/);
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}?company=Acme&source=newsletter`);
  await hydrated(page);
  await page.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByLabel("Name").fill("bq Pat");
  await page.getByLabel("Email").fill("bq-pat@example.com");
  await expect(page.getByLabel("Company")).toHaveValue("Acme");
  await expect(page.getByLabel("Source")).toHaveCount(0);
  await page.getByLabel("Phone (optional)").fill("030 1234567");
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByText("Enter the number with its country code")).toBeVisible();
  await expect(page.getByText("This question needs an answer.")).toBeVisible();
  await page.getByLabel("Phone (optional)").fill("+49 30 1234567");
  await page.getByLabel("Team size (optional)").selectOption("11-50");
  await page.getByRole("group", { name: "Topics (optional)" }).getByLabel("Security").check();
  await page.getByLabel("I agree to be contacted").check();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByRole("heading", { name: "You are scheduled" })).toBeVisible();

  const listed = await request.get("/api/v1/bookings?limit=100", { headers: { Authorization: `Bearer ${key}` } });
  const booking = ((await listed.json()).bookings as { attendee: { email: string }; answers: { key: string; value: unknown }[] }[])
    .find((b) => b.attendee.email === "bq-pat@example.com")!;
  expect(Object.fromEntries(booking.answers.map((a) => [a.key, a.value]))).toEqual({
    company: "Acme", phone_number: "+49301234567", size: "11-50", topics: ["Security"], consent: true, source: "newsletter",
  });
});
