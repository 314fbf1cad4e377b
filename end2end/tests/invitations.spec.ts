import { test, expect, mailSink } from "./support";

// Runs after every other spec (its own Playwright project): each invitation the suite produced,
// mailed or downloaded, was parsed by the independent parser (Python icalendar) without a problem.
test("every invitation the suite mailed or downloaded passes the independent iCalendar check", async () => {
  const mailed = (await mailSink.all()).flatMap((m) => m.ics);
  expect(mailed.length).toBeGreaterThan(0);
  expect(await mailSink.icsErrors()).toEqual([]);
});
