// Before the WASM arrives: shows the server's times (the host's zone, 24 h) in the visitor's zone
// and hour style, groups them by the visitor's days and points each time's link at that zone.
// It only changes text and attributes, so the app hydrates the same nodes afterwards.
(() => {
  const d = document, pick = d.querySelector(".bk-pick[data-zone]");
  if (!pick) return;
  const F = Intl.DateTimeFormat, zone = F().resolvedOptions().timeZone;
  const h12 = /h1[12]/.test(F([], { hour: "numeric" }).resolvedOptions().hourCycle);
  if (zone == pick.dataset.zone && !h12) return;
  const lang = d.documentElement.lang, p = (t) => t.split("-")[0].toLowerCase();
  const loc = navigator.languages.find((t) => p(t) == p(lang) && (lang.length < 3 || t.toLowerCase() == lang.toLowerCase())) || lang;
  const f = (o) => new F(loc, { timeZone: zone, ...o }).format;
  const time = f(h12 ? { hour: "numeric", minute: "2-digit", hourCycle: "h12" } : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const long = f({ weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const day = new F("sv", { timeZone: zone }).format; // YYYY-MM-DD
  const links = [...d.querySelectorAll("a.bk-time[data-at]")], days = new Set();
  let first;
  for (const a of links) {
    const at = new Date(a.dataset.at), on = day(at);
    days.add(on);
    first = first || [on, at];
    a.textContent = time(at);
    a.setAttribute("aria-label", time(at) + ", " + long(at));
    a.dataset.day = on;
    a.href = a.href.replace(/([?&]zone=)[^&]*/, "$1" + encodeURIComponent(zone));
  }
  if (!first) return;
  for (const a of links) a.parentNode.hidden = a.dataset.day != first[0];
  for (const b of d.querySelectorAll(".bk-day[data-day]")) {
    const open = days.has(b.dataset.day);
    b.classList.toggle("bk-day-open", open);
    b.classList.toggle("bk-day-selected", b.dataset.day == first[0]);
    open ? b.removeAttribute("aria-disabled") : b.setAttribute("aria-disabled", "true");
  }
  const title = d.getElementById("bk-times-title"), field = d.getElementById("bk-zone");
  if (title) title.textContent = long(first[1]);
  if (field) field.value = zone;
})();
