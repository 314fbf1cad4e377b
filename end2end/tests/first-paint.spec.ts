import { test, expect, ADMIN, createApiKey, signIn, type Browser, expectCreatedOrThere } from "./support";

// Records how soon a visitor far from the host sees times in their own zone, and when the page
// becomes interactive: median of five cold loads on loopback and on Chromium's Fast 3G profile.
// The figures are printed for the closing notes of performance work; the test fails only when the
// visitor's times never appear. Everything here is prefixed "fp".
const EVENT = { slug: "fp-demo", title: "fp Demo" };
const VISITOR_ZONE = "Asia/Kolkata"; // +05:30 from a Berlin host: every time moves, minutes too
const LOADS = 5;
// DevTools' "Fast 3G": 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up.
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("heading", { name: /Welcome/ }).waitFor();
  const key = await createApiKey(page, "fp setup");
  const created = await page.request.post("/api/v1/event-types", {
    headers: { Authorization: `Bearer ${key}` },
    data: { ...EVENT, duration: 30, booking_window_days: null },
  });
  await expectCreatedOrThere(created);
  await page.close();
});

/** The earliest free time as the visitor's clock shows it: "13:30" (digits only, any hour style). */
async function firstFreeInVisitorZone(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  const query = `event_type=${ADMIN.slug}/${EVENT.slug}&start=${today}&end=${later}&timezone=${VISITOR_ZONE}`;
  const response = await context.request.get(`/api/v1/slots?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  const days = (await response.json()).slots as Record<string, { start: string }[]>;
  const first = Object.keys(days).sort().map((day) => days[day][0]).find(Boolean);
  await context.close();
  expect(first, "a free time in the next 40 days").toBeTruthy();
  return first!.start.slice(11, 16).replace(/^0/, "");
}

type Load = { bytes: number; visitorTimes: number; interactive: number };

async function coldLoad(browser: Browser, expected: string, network?: typeof FAST_3G): Promise<Load> {
  const context = await browser.newContext({ timezoneId: VISITOR_ZONE, locale: "en-GB" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (network) await cdp.send("Network.emulateNetworkConditions", network);
  let bytes = 0;
  cdp.on("Network.loadingFinished", (event) => (bytes += event.encodedDataLength));
  await page.addInitScript((wanted: string) => {
    const marks = window as unknown as { visitorTimesAt?: number; interactiveAt?: number };
    const check = () => {
      const first = document.querySelector(".bk-time")?.textContent?.replace(/^0/, "") ?? "";
      if (marks.visitorTimesAt === undefined && first.startsWith(wanted)) marks.visitorTimesAt = performance.now();
      if (marks.interactiveAt === undefined && document.body?.hasAttribute("data-hydrated")) marks.interactiveAt = performance.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  }, expected);
  await page.goto(`/${ADMIN.slug}/${EVENT.slug}`);
  await page.waitForFunction(() => {
    const marks = window as unknown as { visitorTimesAt?: number; interactiveAt?: number };
    return marks.visitorTimesAt !== undefined && marks.interactiveAt !== undefined;
  }, null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const marks = await page.evaluate(() => {
    const { visitorTimesAt, interactiveAt } = window as unknown as { visitorTimesAt: number; interactiveAt: number };
    return { visitorTimesAt, interactiveAt };
  });
  const load = { bytes, visitorTimes: marks.visitorTimesAt, interactive: marks.interactiveAt };
  await context.close();
  return load;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test("a visitor far from the host sees times in their own zone; the timings are recorded", async ({ browser }) => {
  test.setTimeout(180_000);
  const expected = await firstFreeInVisitorZone(browser);
  for (const [name, network] of [["loopback", undefined], ["Fast 3G", FAST_3G]] as const) {
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) loads.push(await coldLoad(browser, expected, network));
    const figure = (pick: (load: Load) => number) => Math.round(median(loads.map(pick)));
    console.log(
      `first paint (${name}, median of ${LOADS} cold loads): ${(figure((l) => l.bytes) / 1024).toFixed(1)} KB, ` +
        `visitor-zone times at ${figure((l) => l.visitorTimes)} ms, interactive at ${figure((l) => l.interactive)} ms`,
    );
  }
});
