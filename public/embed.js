/*! Rendezvous embed.js: inline booking pages, popups, a floating button. */
(function () {
  "use strict";

  // Included twice? The first copy owns the page; a second would double every event.
  if (window.Rendezvous && window.Rendezvous.version) return;

  // The booking pages live wherever this script was loaded from.
  let me = document.currentScript;
  if (!me || !me.src) {
    const all = document.getElementsByTagName("script");
    for (let i = all.length - 1; i >= 0 && !(me && me.src); i--) {
      me = /\/embed\.js(?:[?#]|$)/.test(all[i].src) ? all[i] : null;
    }
  }
  if (!me || !me.src) {
    console.error("Rendezvous: cannot tell where embed.js was loaded from");
    return;
  }
  const ORIGIN = new URL(me.src, location.href).origin;
  const PREFIX = "rendezvous:";
  const EVENTS = ["ready", "date_selected", "time_selected", "booking_created", "booking_rescheduled", "booking_cancelled"];
  const HEX = /^#?[0-9a-f]{6}$/i;

  const frames = new Set(); // {iframe, target}: the only windows whose messages we trust
  const mounted = new WeakMap(); // inline container -> its frame record
  const handlers = {}; // "rendezvous:name" -> [fn]
  let modal = null; // the open popup, if any

  const ready = (fn) =>
    document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", fn) : fn();
  const make = (tag, cls) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    return el;
  };
  const KEY = /^[a-z][a-z0-9_]{0,39}$/;
  const parsed = (json) => {
    try {
      const v = JSON.parse(json || "{}");
      if (v && typeof v == "object") return v;
    } catch (e) {}
    console.warn("Rendezvous: bad data-rendezvous-prefill");
    return {};
  };
  const attr = (el, key) => (el && el.getAttribute ? el.getAttribute("data-rendezvous-" + key) : null);
  const norm = (name) => (String(name).indexOf(PREFIX) === 0 ? "" : PREFIX) + name;

  // Every selector is .rdv- prefixed so nothing leaks into the host page.
  const css =
    ".rdv-backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;" +
    "padding:16px;box-sizing:border-box;background:rgba(17,24,39,.6);animation:rdv-fade .15s ease-out}" +
    ".rdv-panel{display:flex;flex-direction:column;width:100%;max-width:1000px;max-height:90vh;box-sizing:border-box;" +
    "border-radius:12px;overflow:hidden;background:#fff;color:#111827;box-shadow:0 20px 50px rgba(0,0,0,.35);" +
    "animation:rdv-pop .2s ease-out}" +
    ".rdv-dark .rdv-panel{background:#111827;color:#f9fafb}" +
    ".rdv-bar{display:flex;justify-content:flex-end;padding:6px 6px 0}" +
    ".rdv-scroll{flex:1 1 auto;min-height:0;overflow:auto;overscroll-behavior:contain}" +
    ".rdv-close{width:36px;height:36px;margin:0;padding:0;border:0;border-radius:50%;background:transparent;" +
    "color:inherit;font:28px/36px sans-serif;cursor:pointer}" +
    ".rdv-close:hover{background:rgba(127,127,127,.2)}" +
    ".rdv-close:focus-visible{outline:3px solid #6366f1;outline-offset:1px}" +
    ".rdv-trap{position:absolute;width:1px;height:1px;overflow:hidden;opacity:0}" +
    ".rdv-float{position:fixed;right:20px;bottom:20px;z-index:2147482999;margin:0;padding:12px 22px;border:0;" +
    "border-radius:99px;background:var(--rdv-bg);color:var(--rdv-fg);font:600 16px/1.25 system-ui,sans-serif;" +
    "box-shadow:0 6px 20px rgba(0,0,0,.25);cursor:pointer}" +
    ".rdv-float:focus-visible{outline:3px solid #111827;outline-offset:2px;box-shadow:0 0 0 2px #fff}" +
    "@keyframes rdv-fade{from{opacity:0}}@keyframes rdv-pop{from{opacity:0;transform:translateY(8px) scale(.98)}}" +
    "@media (prefers-reduced-motion:reduce){.rdv-backdrop,.rdv-panel{animation:none}}";
  const style = make("style");
  if (me.nonce) style.nonce = me.nonce; // for hosts with a nonce-based CSP
  style.textContent = css;
  (document.head || document.documentElement).appendChild(style);

  // Options win over data-rendezvous-* attributes; parameters already in the URL are kept.
  function target(url, el, o) {
    let u = null;
    try {
      u = new URL(url, ORIGIN + "/");
    } catch (e) {}
    if (!url || !u || !/^https?:$/.test(u.protocol)) throw new Error("Rendezvous: bad URL " + url);
    if (u.origin !== ORIGIN) console.warn("Rendezvous: events from " + u.origin + " are ignored");
    const q = u.searchParams;
    const pick = (v, key) => (v != null && v !== "" ? String(v) : attr(el, key));
    // Name, email and any question's key; a list prefills a multiple choice.
    const prefill = Object.assign(parsed(attr(el, "prefill")), o.prefill);
    ["name", "email", "notes"].forEach((k) => {
      if (prefill[k] == null && attr(el, k)) prefill[k] = attr(el, k);
    });
    Object.keys(prefill).forEach((k) => {
      if (!KEY.test(k)) return console.warn("Rendezvous: bad prefill key " + k);
      q.delete(k);
      [].concat(prefill[k]).forEach((v) => {
        if (v != null && v !== "") q.append(k, String(v));
      });
    });
    let theme = pick(o.theme, "theme");
    if (theme && theme !== "light" && theme !== "dark") {
      console.warn("Rendezvous: bad theme " + theme);
      theme = null;
    }
    if (theme) q.set("theme", theme);
    const color = pick(o.primaryColor, "primary-color");
    if (color && HEX.test(color)) q.set("primary", color.replace("#", "").toLowerCase());
    else if (color) console.warn("Rendezvous: bad primary colour " + color);
    // The page's language (en, de, es, fr, ja, pt-BR); unset, the visitor's browser decides.
    const lang = pick(o.lang, "lang");
    if (lang && /^[a-zA-Z]{2}(-[a-zA-Z]{2})?$/.test(lang)) q.set("lang", lang);
    else if (lang) console.warn("Rendezvous: bad lang " + lang);
    q.set("embed", "1");
    return { src: u.href, theme: theme, title: o.title || attr(el, "title") || "Book a time" };
  }

  // Inline styles, so the frame still works where a CSP blocks our <style>.
  function frame(t, owner) {
    const f = make("iframe");
    f.src = t.src;
    f.title = t.title;
    f.setAttribute("allowtransparency", "true");
    const s = f.style;
    s.display = "block";
    s.width = "100%";
    s.border = "0";
    s.background = "transparent";
    s.height = "700px"; // until the page reports its real height
    // A colour scheme differing from the page's makes Chrome paint the frame opaque.
    if (t.theme) s.colorScheme = t.theme;
    const rec = { iframe: f, target: owner };
    frames.add(rec);
    return rec;
  }

  function inline(o) {
    o = o || {};
    let el = o.element;
    if (typeof el === "string") {
      const sel = el;
      el = document.querySelector(sel);
      if (!el && document.readyState === "loading") {
        ready(() => inline(Object.assign({}, o, { element: sel })));
        return null;
      }
    }
    if (!el || el.nodeType !== 1) throw new Error("Rendezvous.inline: element not found");
    const t = target(o.url || attr(el, "inline"), el, o);
    const old = mounted.get(el);
    if (old) frames.delete(old);
    const rec = frame(t, el);
    rec.inline = true;
    mounted.set(el, rec);
    el.textContent = ""; // the no-JavaScript fallback link, if any
    el.appendChild(rec.iframe);
    return rec.iframe;
  }

  function popup(o, opener) {
    o = o || {};
    close(false);
    const t = target(o.url, opener, o);
    const back = make("div", "rdv-backdrop" + (t.theme === "dark" ? " rdv-dark" : ""));
    const panel = make("div", "rdv-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-label", t.title);
    const bar = make("div", "rdv-bar");
    const btn = make("button", "rdv-close");
    btn.type = "button";
    btn.setAttribute("aria-label", "Close booking");
    btn.textContent = "\u00d7";
    btn.addEventListener("click", () => close(true));
    const scroller = make("div", "rdv-scroll");
    const rec = frame(t, opener || null);
    scroller.appendChild(rec.iframe);
    bar.appendChild(btn);
    panel.appendChild(bar);
    panel.appendChild(scroller);
    // Focusable edges keep Tab inside the dialog by wrapping to the other end.
    const edge = (to) => {
      const e = make("span", "rdv-trap");
      e.tabIndex = 0;
      e.addEventListener("focus", () => to.focus());
      return e;
    };
    back.appendChild(edge(rec.iframe));
    back.appendChild(panel);
    back.appendChild(edge(btn));
    // A backdrop click closes, unless it ends a drag that began in the panel.
    let downOnBack = false;
    back.addEventListener("mousedown", (e) => (downOnBack = e.target === back));
    back.addEventListener("click", (e) => {
      if (downOnBack && e.target === back) close(true);
    });

    const body = document.body;
    const gap = window.innerWidth - document.documentElement.clientWidth; // scrollbar width
    modal = { back: back, rec: rec, focus: opener || document.activeElement, lock: [body.style.overflow, body.style.paddingRight] };
    body.style.overflow = "hidden";
    if (gap > 0) body.style.paddingRight = (parseFloat(getComputedStyle(body).paddingRight) || 0) + gap + "px";
    body.appendChild(back);
    document.addEventListener("keydown", onKey, true);
    btn.focus();
    return rec.iframe;
  }

  function onKey(e) {
    if (e.key === "Escape" && modal) {
      e.stopPropagation();
      close(true);
    }
  }

  function close(restoreFocus) {
    if (!modal) return;
    const m = modal;
    modal = null;
    frames.delete(m.rec);
    document.removeEventListener("keydown", onKey, true);
    m.back.remove();
    document.body.style.overflow = m.lock[0];
    document.body.style.paddingRight = m.lock[1];
    if (restoreFocus !== false && m.focus && m.focus.focus && m.focus.isConnected) m.focus.focus();
  }

  // White text unless dark text has the better WCAG contrast on this colour.
  function textOn(hex) {
    const n = parseInt(hex.slice(1), 16);
    const lum = [16, 8, 0].reduce((sum, shift, i) => {
      const c = ((n >> shift) & 255) / 255;
      return sum + [0.2126, 0.7152, 0.0722][i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }, 0);
    return 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.0598 ? "#fff" : "#111827";
  }

  function floatingButton(o) {
    o = Object.assign({}, o);
    target(o.url, null, o); // fail now rather than on the first click
    let color = o.color || "#4f46e5";
    if (!/^#[0-9a-f]{6}$/i.test(color)) {
      console.warn("Rendezvous: bad colour " + color);
      color = "#4f46e5";
    }
    const b = make("button", "rdv-float");
    b.type = "button";
    b.textContent = o.text || "Book a demo";
    b.style.setProperty("--rdv-bg", color);
    b.style.setProperty("--rdv-fg", textOn(color));
    b.addEventListener("click", () => popup(o, b));
    ready(() => document.body.appendChild(b));
    return b;
  }

  function on(name, fn) {
    if (typeof fn !== "function") throw new TypeError("Rendezvous.on: not a function");
    const list = (handlers[norm(name)] = handlers[norm(name)] || []);
    if (list.indexOf(fn) < 0) list.push(fn);
    return () => off(name, fn);
  }

  function off(name, fn) {
    const list = handlers[norm(name)] || [];
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  function emit(rec, ev, payload) {
    const name = PREFIX + ev;
    const detail = { event: name, payload: payload, iframe: rec.iframe };
    (handlers[name] || []).slice().forEach((fn) => {
      try {
        fn(payload, detail);
      } catch (err) {
        setTimeout(() => {
          throw err; // reported, without starving the other handlers
        });
      }
    });
    // Only an element in the document bubbles up to document; otherwise dispatch there too.
    const el = rec.target;
    const reaches = el && el.getRootNode && el.getRootNode() === document;
    const fire = (node) => node.dispatchEvent(new CustomEvent(name, { detail: payload, bubbles: true }));
    if (el) fire(el);
    if (!reaches) fire(document);
  }

  window.addEventListener("message", (e) => {
    const m = e.data;
    if (e.origin !== ORIGIN || !e.source || !m || m.source !== "rendezvous" || typeof m.event !== "string") return;
    let rec = null;
    frames.forEach((r) => {
      if (r.iframe.contentWindow === e.source) rec = r;
    });
    if (!rec) return;
    const payload = m.payload && typeof m.payload === "object" ? m.payload : {};
    if (m.event === "resize") {
      const h = payload.height;
      if (typeof h !== "number" || !isFinite(h)) return;
      rec.iframe.style.height = Math.max(100, Math.ceil(h)) + "px";
      // The page reports its size, so an inline frame needs no scrollbar.
      if (rec.inline) rec.iframe.setAttribute("scrolling", "no");
    } else if (m.event === "close") {
      if (modal && modal.rec === rec) close(true);
    } else if (EVENTS.indexOf(m.event) >= 0) {
      emit(rec, m.event, payload);
    }
  });

  // Popups by delegation, so elements added later work too.
  document.addEventListener("click", (e) => {
    const el = e.target && e.target.closest ? e.target.closest("[data-rendezvous-popup]") : null;
    if (!el) return;
    // Let a modified click on a link open it in a new tab as usual.
    if (el.href && (e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) return;
    e.preventDefault();
    popup({ url: attr(el, "popup") || el.href }, el);
  });

  ready(() => {
    document.querySelectorAll("[data-rendezvous-inline]").forEach((el) => {
      if (mounted.has(el)) return;
      try {
        inline({ element: el });
      } catch (err) {
        console.error(err);
      }
    });
  });

  window.Rendezvous = {
    version: "1",
    origin: ORIGIN,
    inline: inline,
    popup: (o) => popup(o, null),
    floatingButton: floatingButton,
    close: () => close(true),
    on: on,
    off: off,
  };
})();
