// Before the WASM arrives: shows the server's times (the host's zone, 24 h) in the visitor's zone
// and hour style, groups them by the visitor's days and points each time's link at that zone.
// It only changes text and attributes, so the app hydrates the same nodes afterwards. Sent with
// comments and indentation stripped (early.rs); kept terse because every page carries it.
(() => {
  let D = document, P = D.querySelector(".bk-pick[data-zone]"), F = Intl.DateTimeFormat;
  let z = F().resolvedOptions().timeZone, h = /1[12]/.test(F([], { hour: "numeric" }).resolvedOptions().hourCycle);
  if (!P || (z == P.dataset.zone && !h)) return;
  // The page's language, in the visitor's own regional variant when the browser has one.
  let L = D.documentElement.lang, p = (t) => t.split("-")[0].toLowerCase();
  let l = navigator.languages.find((t) => p(t) == p(L) && (L.length < 3 || t.toLowerCase() == L.toLowerCase())) || L;
  let f = (o, c) => new F(c || l, { timeZone: z, ...o }).format;
  let T = f(h ? { hour: "numeric", minute: "2-digit", hourCycle: "h12" } : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  let W = f({ weekday: "long", day: "numeric", month: "long", year: "numeric" }), Y = f({}, "sv"); // Y: YYYY-MM-DD
  let A = [...D.querySelectorAll("a.bk-time[data-at]")], S = new Set(), first;
  for (let a of A) {
    let t = new Date(a.dataset.at), d = Y(t);
    S.add(d);
    first = first || [d, t];
    a.textContent = T(t);
    a.setAttribute("aria-label", T(t) + ", " + W(t));
    a.dataset.day = d;
    a.href = a.href.replace(/([?&]zone=)[^&]*/, "$1" + encodeURIComponent(z));
  }
  let Z = D.getElementById("bk-zone"), H = D.getElementById("bk-times-title");
  if (Z) Z.value = z;
  if (!first) return;
  for (let a of A) a.parentNode.hidden = a.dataset.day != first[0];
  for (let b of D.querySelectorAll(".bk-day[data-day]")) {
    let d = b.dataset.day, o = S.has(d);
    b.classList.toggle("bk-day-open", o);
    b.classList.toggle("bk-day-selected", d == first[0]);
    o ? b.removeAttribute("aria-disabled") : b.setAttribute("aria-disabled", "true");
  }
  if (H) H.textContent = W(first[1]);
})();
