import { test, expect, ADMIN, hydrated, signIn, createApiKey, expectAccessible, customerSite, expectCreatedOrThere } from "./support";
import type { IncomingMessage } from "node:http";

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
  await expectCreatedOrThere(created);
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
  // A required question left empty is named in the browser, before anything is sent...
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByText("This question needs an answer.")).toBeVisible();
  await expect(page.getByLabel("I agree to be contacted")).toBeFocused();
  await page.getByLabel("I agree to be contacted").check();
  // ...what only the server can judge comes back from it.
  await page.getByRole("button", { name: "Schedule event" }).click();
  await expect(page.getByText("Enter the number with its country code")).toBeVisible();
  await page.getByLabel("Phone (optional)").fill("+49 30 1234567");
  await page.getByLabel("Team size (optional)").selectOption("11-50");
  await page.getByRole("group", { name: "Topics (optional)" }).getByLabel("Security").check();
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

/** A CRM's webhook endpoint on loopback, keeping every JSON body it receives. */
async function webhookReceiver(): Promise<{ url: string; bodies: Record<string, any>[]; close: () => Promise<void> }> {
  const http = await import("node:http");
  const bodies: Record<string, any>[] = [];
  const server = http.createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      bodies.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hooks`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("in the embedded widget prefilled answers are kept, a missing one is named, and the answers reach the webhook and the dashboard", async ({ page, baseURL, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 422/);
  const origin = new URL(baseURL!).origin;
  const auth = { Authorization: `Bearer ${key}` };
  const receiver = await webhookReceiver();
  const hook = await page.request.post("/api/v1/webhooks", {
    headers: auth,
    data: { url: receiver.url, events: ["booking.created"], event_types: [`${ADMIN.slug}/${EVENT.slug}`] },
  });
  expect(hook.status(), await hook.text()).toBe(201);
  const prefill = JSON.stringify({ company: "Acme", topics: ["Pricing", "Security"], source: "ads" });
  const site = await customerSite(`<!doctype html><html lang="en"><head><title>Customer site</title></head><body>
    <h1>Customer site</h1><div id="widget"></div>
    <script src="${origin}/embed.js"></script>
    <script>Rendezvous.inline({ url: "${origin}/${ADMIN.slug}/${EVENT.slug}", element: "#widget", prefill: ${prefill} });</script>
    </body></html>`);
  await page.goto(site.url);
  const frame = page.frameLocator("iframe");
  await frame.getByRole("list", { name: /\d{4}$/ }).getByRole("button").first().click();
  await frame.getByRole("button", { name: "Next", exact: true }).click();
  await frame.getByLabel("Name").fill("bq Embedded Pat");
  await frame.getByLabel("Email").fill("bq-embedded@example.com");
  await expect(frame.getByLabel("Company")).toHaveValue("Acme");
  const topics = frame.getByRole("group", { name: "Topics (optional)" });
  await expect(topics.getByLabel("Pricing")).toBeChecked();
  await expect(topics.getByLabel("Security")).toBeChecked();
  await frame.getByRole("button", { name: "Schedule event" }).click();
  const consent = frame.getByLabel("I agree to be contacted");
  await expect(consent).toHaveAttribute("aria-invalid", "true");
  await expect(frame.getByText("This question needs an answer.")).toBeVisible();
  await consent.check();
  await frame.getByRole("button", { name: "Schedule event" }).click();
  await expect(frame.getByRole("heading", { name: "You are scheduled" })).toBeVisible();

  await expect.poll(() => receiver.bodies.length, { message: "the webhook arrives" }).toBe(1);
  const delivered = receiver.bodies[0];
  expect(delivered.event).toBe("booking.created");
  expect(Object.fromEntries(delivered.booking.answers.map((a: { key: string; value: unknown }) => [a.key, a.value]))).toEqual({
    company: "Acme", topics: ["Pricing", "Security"], consent: true, source: "ads",
  });
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto(`/dashboard/bookings/${delivered.booking.uid}`);
  const facts = page.locator("dl.booking-facts");
  await expect(facts.getByText("Company", { exact: true })).toBeVisible();
  await expect(facts.getByText("Acme", { exact: true })).toBeVisible();
  await expect(facts.getByText("Pricing, Security", { exact: true })).toBeVisible();
  await receiver.close();
  await site.close();
});

test("data-rendezvous-prefill carries answers by question key into the embedded page", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const site = await customerSite(`<!doctype html><html lang="en"><head><title>Customer site</title></head><body>
    <div data-rendezvous-inline="${origin}/${ADMIN.slug}/${EVENT.slug}" data-rendezvous-prefill='{"company":"Globex","topics":["Security"]}'></div>
    <script src="${origin}/embed.js" async></script></body></html>`);
  await page.goto(site.url);
  const src = new URL((await page.locator("iframe").getAttribute("src"))!);
  expect(src.searchParams.get("company")).toBe("Globex");
  expect(src.searchParams.getAll("topics")).toEqual(["Security"]);
  await site.close();
});
