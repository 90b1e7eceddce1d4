// Interlink web UI: the shared helpers every tab script uses (window.IL), the tab bar, and the live event stream.
// No framework and no build step: plain DOM. Tabs register with IL.onTab(name, init); init(panel, route) runs the
// first time the tab is shown and may return {show(route)} to be told of every later visit (route: the part of
// the location hash after "#name/", e.g. a run id).
(function () {
  "use strict";
  const tabs = {};
  const subscribers = new Set();
  let source = null;
  let lastSeq = 0;
  // events published before the page loaded arrive first (the server replays what it kept); they are marked
  // `replayed` so views refresh only for live ones (times are whole seconds, hence the margin)
  const bootTime = Date.now() - 1500;

  // fetch JSON from the server with the session cookie; throws an Error with the server's message on failure.
  async function api(path, options) {
    const init = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    if (init.body !== undefined && typeof init.body !== "string" && !(init.body instanceof FormData) &&
        !(init.body instanceof Blob)) {
      init.body = JSON.stringify(init.body);
      init.headers = Object.assign({ "Content-Type": "application/json" }, init.headers);
    }
    const response = await fetch(path, init);
    const type = response.headers.get("Content-Type") || "";
    const body = type.includes("application/json") ? await response.json() : await response.text();
    if (!response.ok) {
      const message = body && body.error ? body.error : (typeof body === "string" && body) || response.statusText;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // element builder: el("a", {href: "#", class: "x", onclick: f, "aria-label": "y"}, "text", child, ...)
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function fmtBytes(bytes) {
    if (bytes === undefined || bytes === null || isNaN(bytes)) return "";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = Number(bytes);
    let unit = 0;
    while (Math.abs(value) >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
    return (unit === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 1 : 0)) + " " + units[unit];
  }

  function fmtDuration(seconds) {
    if (seconds === undefined || seconds === null || isNaN(seconds)) return "";
    const s = Math.max(0, Math.round(Number(seconds)));
    if (s < 60) return s + "s";
    if (s < 3600) return Math.floor(s / 60) + "m " + String(s % 60).padStart(2, "0") + "s";
    return Math.floor(s / 3600) + "h " + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + "m";
  }

  // status as text and icon, never colour alone
  const icons = { done: "✔", succeeded: "✔", failed: "✖", running: "▶", "in progress": "▶", pending: "○",
    interrupted: "‖", stopped: "■", new: "○", info: "ℹ", warning: "⚠", error: "✖", debug: "·" };
  function status(text) {
    const key = String(text || "").toLowerCase();
    return el("span", { class: "status status-" + key.replace(/\s+/g, "-") },
      el("span", { "aria-hidden": "true", class: "icon" }, icons[key] || "•"), " ", text);
  }

  function toast(message) {
    const node = document.getElementById("toast");
    node.textContent = message;
    node.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { node.hidden = true; }, 6000);
  }

  function onTab(name, init) { tabs[name] = { init, started: false, view: null }; }

  function showTab(name, route, focus) {
    const buttons = document.querySelectorAll('[role="tab"]');
    if (!document.getElementById("tab-" + name)) name = "runs";
    for (const button of buttons) {
      const selected = button.dataset.tab === name;
      button.setAttribute("aria-selected", String(selected));
      button.tabIndex = selected ? 0 : -1;
      document.getElementById(button.getAttribute("aria-controls")).hidden = !selected;
      if (selected && focus) button.focus();
    }
    const tab = tabs[name];
    const panel = document.getElementById("tab-" + name);
    if (!tab) {
      if (!panel.firstChild) panel.append(el("p", { class: "muted" }, "This tab is not available in this build."));
      return;
    }
    if (!tab.started) {
      tab.started = true;
      try { tab.view = tab.init(panel, route || "") || null; } catch (error) { toast(String(error)); }
      return;
    }
    if (tab.view && tab.view.show) tab.view.show(route || "");
  }

  function route() {
    const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    const slash = hash.indexOf("/");
    return slash < 0 ? [hash || "runs", ""] : [hash.slice(0, slash), hash.slice(slash + 1)];
  }

  // the live stream: one EventSource for the page, fanned out to subscribers; reconnects resume after lastSeq.
  function connect() {
    if (source) return;
    const live = document.getElementById("live");
    // the first connection gets events from now on; a reconnection resumes after the last one seen
    source = new EventSource(lastSeq > 0 ? "/api/events?after=" + lastSeq : "/api/events");
    source.onopen = () => { live.textContent = "● live"; live.dataset.state = "live"; };
    source.onerror = () => {
      live.textContent = "○ reconnecting";
      live.dataset.state = "down";
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(connect, 1000);
      }
    };
    source.onmessage = (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch (_) { return; }
      event.receivedAt = Date.now();
      event.replayed = Date.parse(event.time) < bootTime;
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      for (const subscriber of subscribers) {
        try { if (!subscriber.filter || subscriber.filter(event)) subscriber.handler(event); } catch (error) {
          console.error(error);
        }
      }
    };
  }

  // subscribe(filter, handler): handler(event) for each live event filter(event) accepts; returns unsubscribe.
  function subscribe(filter, handler) {
    const subscriber = { filter, handler };
    subscribers.add(subscriber);
    connect();
    return () => subscribers.delete(subscriber);
  }

  // tab bar: click, and arrow keys / Home / End move between tabs (WAI-ARIA tabs pattern, automatic activation)
  document.getElementById("tabs").addEventListener("click", (event) => {
    const button = event.target.closest('[role="tab"]');
    if (button) location.hash = button.dataset.tab;
  });
  document.getElementById("tabs").addEventListener("keydown", (event) => {
    const buttons = Array.from(document.querySelectorAll('[role="tab"]'));
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight") next = (index + 1) % buttons.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = buttons.length - 1;
    if (next === null) return;
    event.preventDefault();
    history.replaceState(null, "", "#" + buttons[next].dataset.tab);
    showTab(buttons[next].dataset.tab, "", true);
  });
  window.addEventListener("hashchange", () => { const [name, rest] = route(); showTab(name, rest, false); });

  window.IL = { api, onTab, subscribe, fmtBytes, fmtDuration, el, status, toast,
    start() { connect(); const [name, rest] = route(); showTab(name, rest, false); } };
})();
