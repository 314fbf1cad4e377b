import { test, expect, type FrameLocator, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

// embed.js against a fake booking page. Two static servers on two loopback ports make the
// customer's page ("host") and the booking pages ("booking") different origins, as in production.

const EMBED_JS = path.resolve(__dirname, "../../../public/embed.js");
const FAKE_BOOKING = path.join(__dirname, "fake-booking.html");
const HOST_PAGE = path.join(__dirname, "embed-host.html");

const HTML = "text/html; charset=utf-8";
type Routes = Record<string, { type: string; body: () => string }>;

const servers: http.Server[] = [];
let HOST = "";
let BOOKING = "";

async function serve(routes: Routes): Promise<string> {
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url ?? "/", "http://127.0.0.1").pathname];
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    // Files are read on every request, so edits show up without restarting anything.
    res
      .writeHead(200, { "content-type": route.type, "cache-control": "no-store", "x-content-type-options": "nosniff" })
      .end(route.body());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.beforeAll(async () => {
  const fake = { type: HTML, body: () => fs.readFileSync(FAKE_BOOKING, "utf8") };
  BOOKING = await serve({
    "/embed.js": { type: "text/javascript; charset=utf-8", body: () => fs.readFileSync(EMBED_JS, "utf8") },
    "/acme/demo": fake,
  });
  HOST = await serve({
    "/": { type: HTML, body: () => fs.readFileSync(HOST_PAGE, "utf8").replaceAll("__BOOKING_ORIGIN__", BOOKING) },
    // The same fake page on the wrong origin, for the "foreign origin" test.
    "/acme/demo": fake,
  });
  expect(HOST).not.toBe(BOOKING);
});

test.afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

// Every test ends by checking the host page logged no errors.
let problems: string[] = [];
test.beforeEach(({ page }) => {
  problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

type Entry = { via: string; name: string; payload: unknown; target?: string; fromInline?: boolean };
const log = (page: Page) => page.evaluate(() => (window as unknown as { __log: Entry[] }).__log);
const entries = async (page: Page, via: string, name: string) =>
  (await log(page)).filter((e) => e.via === via && e.name === name);
const count = (page: Page, via: string, name: string) => async () => (await entries(page, via, name)).length;
// "Exactly once" needs a moment for a second delivery to show up, if there were one.
const settle = (page: Page) => page.waitForTimeout(300);

async function openHost(page: Page) {
  await page.goto(`${HOST}/`);
  await expect.poll(count(page, "on", "rendezvous:ready")).toBe(1);
}

const button = (frame: FrameLocator, name: string) => frame.getByRole("button", { name, exact: true });
const inlineFrame = (page: Page) => page.frameLocator("#inline iframe");
const heightOf = (page: Page, selector: string) => () =>
  page.locator(selector).evaluate((el) => el.getBoundingClientRect().height);

const BOOKED = {
  uid: "fake-uid-1",
  start: "2026-12-01T10:00:00+01:00",
  end: "2026-12-01T10:30:00+01:00",
  event_type: "demo",
};

test("an inline embed from another origin relays booking_created to on() handlers and as a DOM event, exactly once", async ({
  page,
}) => {
  await openHost(page);

  // embed.js is included twice on the host page: still one iframe, one stylesheet.
  const iframe = page.locator("#inline iframe");
  await expect(iframe).toHaveCount(1);
  await expect(page.locator("#inline a")).toHaveCount(0);
  expect(await page.locator("style").evaluateAll((els) => els.filter((s) => s.textContent!.includes(".rdv-")).length)).toBe(1);
  expect(new URL((await iframe.getAttribute("src"))!).origin).toBe(BOOKING);
  await expect(iframe).toHaveAttribute("title", "Book a time");
  await expect(iframe).toHaveAttribute("allowtransparency", "true");
  await expect(iframe).not.toHaveAttribute("loading", /.*/);
  await expect(iframe).toHaveCSS("background-color", "rgba(0, 0, 0, 0)");
  await expect(iframe).toHaveCSS("border-top-width", "0px");
  const widths = await page.locator("#inline").evaluate((div) => [div.clientWidth, div.querySelector("iframe")!.offsetWidth]);
  expect(widths[1]).toBe(widths[0]);

  await button(inlineFrame(page), "Book").click();
  await expect.poll(count(page, "document", "rendezvous:booking_created")).toBe(1);
  await settle(page);

  // Handlers in registration order (with and without the prefix), then the container, then document
  // by bubbling. The handler that unsubscribed never runs.
  const relayed = (await log(page)).filter((e) => e.name !== "rendezvous:ready");
  expect(relayed).toEqual([
    { via: "on", name: "rendezvous:booking_created", payload: BOOKED, fromInline: true },
    { via: "on-prefixed", name: "rendezvous:booking_created", payload: BOOKED },
    { via: "container", name: "rendezvous:booking_created", payload: BOOKED },
    { via: "document", name: "rendezvous:booking_created", payload: BOOKED, target: "inline" },
  ]);
});

test("the popup opens on click, traps nothing else, closes with Escape and returns focus to the opener", async ({ page }) => {
  await openHost(page);
  const opener = page.locator("#open-popup");
  const dialog = page.getByRole("dialog", { name: "Book a time" });
  const close = dialog.getByRole("button", { name: "Close booking" });
  const popupFrame = dialog.frameLocator("iframe");
  const bodyOverflow = () => page.evaluate(() => document.body.style.overflow);

  await opener.click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute("aria-modal", "true");
  await expect(close).toBeFocused();
  expect(await bodyOverflow()).toBe("hidden");
  await expect(popupFrame.locator("#query")).toContainText("theme=dark");
  await expect(popupFrame.locator("#query")).toContainText("name=Pat+Popup");
  await expect(dialog).toHaveCSS("background-color", "rgb(17, 24, 39)");

  // Tab and Shift+Tab wrap around inside the dialog rather than reaching the page behind it.
  await page.keyboard.press("Shift+Tab");
  expect(await page.evaluate(() => document.activeElement!.closest("[role=dialog]") !== null)).toBe(true);
  expect(await page.evaluate(() => document.activeElement!.tagName)).toBe("IFRAME");
  await close.focus();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement!.closest("[role=dialog]") !== null)).toBe(true);
  }
  await expect(close).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page.locator(".rdv-backdrop")).toHaveCount(0);
  await expect(opener).toBeFocused();
  expect(await bodyOverflow()).toBe("");
  // Nothing stays trapped: Tab carries on to the next control of the page.
  await page.keyboard.press("Tab");
  await expect(page.locator("#after-popup")).toBeFocused();

  // A booking keeps the popup open (the frame shows the confirmation) and is dispatched on the opener.
  await opener.click();
  await button(popupFrame, "Book").click();
  await expect.poll(count(page, "opener", "rendezvous:booking_created")).toBe(1);
  await settle(page);
  expect(await entries(page, "document", "rendezvous:booking_created")).toEqual([
    { via: "document", name: "rendezvous:booking_created", payload: BOOKED, target: "open-popup" },
  ]);
  expect((await entries(page, "on", "rendezvous:booking_created"))[0].fromInline).toBe(false);
  await expect(dialog).toBeVisible();

  // Escape pressed inside the frame: the booking page asks to close.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();

  // A link with an empty data-rendezvous-popup opens its href in the popup instead of navigating.
  const link = page.locator("#popup-link");
  await link.click();
  await expect(dialog).toBeVisible();
  await expect(popupFrame.locator("#query")).toContainText("from=link");
  expect(page.url()).toBe(`${HOST}/`);
  await close.click();
  await expect(dialog).toHaveCount(0);
  await expect(link).toBeFocused();
});

test("the floating button opens the popup", async ({ page }) => {
  await openHost(page);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.evaluate((booking) => {
    const fab = window.Rendezvous.floatingButton({ url: `${booking}/acme/demo` });
    fab.id = "fab";
    fab.addEventListener("rendezvous:date_selected", (e) =>
      (window as unknown as { __log: Entry[] }).__log.push({ via: "fab", name: e.type, payload: (e as CustomEvent).detail }),
    );
  }, BOOKING);

  const fab = page.getByRole("button", { name: "Book a demo" });
  await expect(fab).toBeVisible();
  await expect(fab).toHaveCSS("position", "fixed");
  await expect(fab).toHaveCSS("background-color", "rgb(79, 70, 229)");
  await expect(fab).toHaveCSS("color", "rgb(255, 255, 255)");
  const box = (await fab.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(Math.round(viewport.width - box.x - box.width)).toBe(20);
  expect(Math.round(viewport.height - box.y - box.height)).toBe(20);
  // Keyboard focus shows a ring.
  await fab.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expect(fab).toBeFocused();
  await expect(fab).toHaveCSS("outline-style", "solid");

  await fab.click();
  const dialog = page.getByRole("dialog", { name: "Book a time" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveCSS("animation-name", "none"); // prefers-reduced-motion
  await expect(dialog.getByRole("button", { name: "Close booking" })).toBeFocused();
  await button(dialog.frameLocator("iframe"), "Pick date").click();
  await expect.poll(count(page, "fab", "rendezvous:date_selected")).toBe(1);
  await settle(page);
  expect(await entries(page, "document", "rendezvous:date_selected")).toEqual([
    { via: "document", name: "rendezvous:date_selected", payload: { date: "2026-12-01" }, target: "fab" },
  ]);

  await dialog.getByRole("button", { name: "Close booking" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(fab).toBeFocused();

  // A light colour gets dark text instead of unreadable white.
  const text = await page.evaluate((booking) => {
    const light = window.Rendezvous.floatingButton({ url: `${booking}/acme/demo`, text: "Talk to us", color: "#ffdd00" });
    const color = getComputedStyle(light).color;
    light.remove();
    return [light.textContent, color];
  }, BOOKING);
  expect(text).toEqual(["Talk to us", "rgb(17, 24, 39)"]);
});

test("the iframe grows and shrinks with its content", async ({ page }) => {
  await openHost(page);
  const iframe = page.locator("#inline iframe");
  const height = heightOf(page, "#inline iframe");
  const reported = () => inlineFrame(page).locator("html").evaluate(() => (window as unknown as { lastHeight: number }).lastHeight);
  const fitsWithoutScrolling = () =>
    inlineFrame(page)
      .locator("html")
      .evaluate(() => document.documentElement.scrollHeight <= window.innerHeight);

  await expect.poll(height).toBe(await reported());
  const initial = await height();
  expect(initial).toBeLessThan(700);
  await expect(iframe).toHaveAttribute("scrolling", "no");

  await button(inlineFrame(page), "Grow").click();
  await expect.poll(height).toBe(initial + 800);
  await button(inlineFrame(page), "Grow").click();
  await expect.poll(height).toBe(initial + 1600);
  expect(await reported()).toBe(initial + 1600);
  expect(await fitsWithoutScrolling()).toBe(true);

  await button(inlineFrame(page), "Shrink").click();
  await expect.poll(height).toBe(initial);
  expect(await fitsWithoutScrolling()).toBe(true);

  // Heights are clamped to at least 100px.
  await inlineFrame(page)
    .locator("html")
    .evaluate(() => window.parent.postMessage({ source: "rendezvous", event: "resize", payload: { height: 10 } }, "*"));
  await expect.poll(height).toBe(100);

  // A page that never reports its size keeps the initial 700px.
  await page.evaluate((booking) => {
    const div = document.createElement("div");
    div.id = "quiet";
    document.body.appendChild(div);
    window.Rendezvous.inline({ url: `${booking}/acme/demo?noresize=1`, element: "#quiet" });
  }, BOOKING);
  await expect(page.frameLocator("#quiet iframe").locator("#query")).toContainText("noresize=1");
  expect(await heightOf(page, "#quiet iframe")()).toBe(700);

  // In the popup the frame takes its full height and the panel scrolls.
  await page.locator("#open-popup").click();
  const popupFrame = page.getByRole("dialog").frameLocator("iframe");
  await button(popupFrame, "Grow").click();
  await expect.poll(heightOf(page, "[role=dialog] iframe")).toBeGreaterThan(1000);
  const panel = await page.locator(".rdv-scroll").evaluate((el) => [el.scrollHeight, el.clientHeight, innerHeight]);
  expect(panel[0]).toBeGreaterThan(panel[1]);
  expect(panel[1]).toBeLessThanOrEqual(panel[2] * 0.9);
});

test("prefill and theme attributes become query parameters of the iframe URL", async ({ page }) => {
  await openHost(page);
  const params = (src: string) => {
    const url = new URL(src);
    return { at: url.origin + url.pathname, query: Object.fromEntries(url.searchParams) };
  };

  // From data attributes; the URL's own parameter is kept, the colour loses its "#".
  expect(params((await page.locator("#inline iframe").getAttribute("src"))!)).toEqual({
    at: `${BOOKING}/acme/demo`,
    query: {
      source: "site",
      name: "Ada Lovelace",
      email: "ada@example.com",
      notes: "Hi & welcome",
      theme: "dark",
      primary: "ff6600",
      embed: "1",
    },
  });
  const query = inlineFrame(page).locator("#query");
  await expect(query).toContainText("name=Ada+Lovelace");
  await expect(query).toContainText("notes=Hi+%26+welcome");
  await expect(query).toContainText("primary=ff6600");
  await expect(page.locator("#inline iframe")).toHaveCSS("color-scheme", "dark");

  // From the JS API: parameters already in the URL are kept.
  const fromPopup = await page.evaluate((booking) => {
    const frame = window.Rendezvous.popup({
      url: `${booking}/acme/demo?name=Kept&lang=de`,
      prefill: { email: "grace@example.com", notes: "Call me" },
      theme: "light",
      primaryColor: "#00AA00",
    });
    window.Rendezvous.close();
    return frame.src;
  }, BOOKING);
  expect(params(fromPopup)).toEqual({
    at: `${BOOKING}/acme/demo`,
    query: { name: "Kept", lang: "de", email: "grace@example.com", notes: "Call me", theme: "light", primary: "00aa00", embed: "1" },
  });

  // Options win over the element's attributes; a relative URL is on the embed's origin.
  const fromInline = await page.evaluate(() => {
    const div = document.createElement("div");
    div.setAttribute("data-rendezvous-name", "Attribute Name");
    div.setAttribute("data-rendezvous-theme", "dark");
    document.body.appendChild(div);
    return window.Rendezvous.inline({ url: "/acme/demo", element: div, prefill: { name: "Option Name" } })!.src;
  });
  expect(params(fromInline)).toEqual({
    at: `${BOOKING}/acme/demo`,
    query: { name: "Option Name", theme: "dark", embed: "1" },
  });
});

test("messages from a foreign origin or a foreign window are ignored", async ({ page }) => {
  await openHost(page);
  const height = heightOf(page, "#inline iframe");
  await expect.poll(height).toBeLessThan(700);
  const before = await height();

  // 1. The host page forging a booking: wrong origin, and not one of our frames.
  await page.evaluate(() =>
    window.postMessage({ source: "rendezvous", event: "booking_created", payload: { uid: "forged" } }, "*"),
  );

  // 2. The right origin, but a frame embed.js did not create.
  await page.evaluate((booking) => {
    const frame = document.createElement("iframe");
    frame.id = "foreign-window";
    frame.src = `${booking}/acme/demo?noresize=1`;
    document.body.appendChild(frame);
  }, BOOKING);
  await button(page.frameLocator("#foreign-window"), "Book").click();

  // 3. A frame embed.js created, but on another origin than embed.js itself.
  await page.evaluate((host) => {
    const div = document.createElement("div");
    div.id = "foreign-origin";
    document.body.appendChild(div);
    window.Rendezvous.inline({ url: `${host}/acme/demo`, element: div });
  }, HOST);
  await button(page.frameLocator("#foreign-origin iframe"), "Book").click();
  await button(page.frameLocator("#foreign-origin iframe"), "Grow").click();

  // 4. Our own frame, saying things that are not the protocol.
  await inlineFrame(page)
    .locator("html")
    .evaluate(() => {
      const junk = [
        "booking_created",
        null,
        42,
        { source: "other", event: "booking_created", payload: { uid: "x" } },
        { source: "rendezvous", event: "made_up", payload: {} },
        { source: "rendezvous", event: "resize", payload: { height: "9000" } },
        { source: "rendezvous", event: "resize", payload: { height: null } },
        { source: "rendezvous", event: "resize" },
        { source: "rendezvous" },
      ];
      for (const msg of junk) window.parent.postMessage(msg, "*");
    });

  // A genuine message afterwards proves the junk before it has been handled.
  await button(inlineFrame(page), "Pick date").click();
  await expect.poll(count(page, "on", "rendezvous:date_selected")).toBe(1);
  await settle(page);

  const names = (await log(page)).map((e) => e.name);
  expect(new Set(names)).toEqual(new Set(["rendezvous:ready", "rendezvous:date_selected"]));
  expect(await entries(page, "on", "rendezvous:ready")).toHaveLength(1);
  expect(await height()).toBe(before);
  expect(await heightOf(page, "#foreign-origin iframe")()).toBe(700);
});

test("an embed whose container is outside the document tree still reaches document listeners exactly once", async ({ page }) => {
  await openHost(page);
  await page.evaluate((booking) => {
    const host = document.createElement("div");
    host.id = "shadow-host";
    document.body.appendChild(host);
    const div = document.createElement("div");
    host.attachShadow({ mode: "open" }).appendChild(div);
    div.addEventListener("rendezvous:date_selected", (e) =>
      (window as unknown as { __log: Entry[] }).__log.push({ via: "shadow", name: e.type, payload: (e as CustomEvent).detail }),
    );
    window.Rendezvous.inline({ url: `${booking}/acme/demo`, element: div });
  }, BOOKING);

  await button(page.frameLocator("#shadow-host iframe"), "Pick date").click();
  await expect.poll(count(page, "document", "rendezvous:date_selected")).toBe(1);
  await settle(page);
  expect(await entries(page, "shadow", "rendezvous:date_selected")).toHaveLength(1);
  expect(await entries(page, "document", "rendezvous:date_selected")).toEqual([
    { via: "document", name: "rendezvous:date_selected", payload: { date: "2026-12-01" }, target: "document" },
  ]);
});

// The public API, as far as these tests use it.
type Options = {
  url: string;
  element?: Element | string;
  prefill?: { name?: string; email?: string; notes?: string };
  theme?: "light" | "dark";
  primaryColor?: string;
  text?: string;
  color?: string;
};
declare global {
  interface Window {
    Rendezvous: {
      inline(o: Options): HTMLIFrameElement | null;
      popup(o: Options): HTMLIFrameElement;
      floatingButton(o: Options): HTMLButtonElement;
      close(): void;
      on(name: string, fn: (payload: unknown, detail: unknown) => void): () => void;
      off(name: string, fn: (payload: unknown, detail: unknown) => void): void;
    };
  }
}
