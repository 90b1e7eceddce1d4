// Activity tab: the live event log (every --json event of runs the UI started, journal records of every run
// under the study directory, command output, UI notices), filtered by level, job and text; scrolling can be paused.
(function () {
  "use strict";
  const { api, el, status, subscribe } = window.IL;
  const KEEP = 5000;
  const RANK = { debug: 0, info: 1, warning: 2, error: 3 };

  window.IL.onTab("activity", (panel) => {
    const events = [];
    const level = el("select", { id: "activity-level", "aria-label": "Lowest level" },
      ["debug", "info", "warning", "error"].map((name) => el("option", { value: name, selected: name === "info" }, name)));
    const job = el("input", { id: "activity-job", type: "search", placeholder: "job", "aria-label": "Job" });
    const text = el("input", { id: "activity-text", type: "search", placeholder: "search", "aria-label": "Search text" });
    const pause = el("button", { id: "activity-pause", "aria-pressed": "false" }, "Pause scrolling");
    const count = el("span", { id: "activity-count", class: "muted", role: "status" });
    const log = el("div", { id: "activity-log", class: "log", role: "log", "aria-label": "Event log", tabindex: "0" });
    let paused = false;
    panel.append(el("h2", {}, "Activity"),
      el("div", { class: "row" }, el("label", {}, "Level", level), el("label", {}, "Job", job),
        el("label", {}, "Text", text), pause, count),
      log);

    function matches(event) {
      if ((RANK[event.level] ?? 1) < RANK[level.value]) return false;
      const j = job.value.trim().toLowerCase();
      if (j && !String(event.job || "").toLowerCase().includes(j)) return false;
      const t = text.value.trim().toLowerCase();
      if (t && !(event.text + " " + (event.run || "") + " " + (event.source || "")).toLowerCase().includes(t)) return false;
      return true;
    }

    function row(event) {
      return el("div", { class: "entry", dataset: { seq: event.seq, run: event.run || "", source: event.source } },
        el("span", {}, new Date(event.time).toLocaleTimeString()),
        el("span", {}, status(event.level)),
        el("span", { class: "muted", title: event.run || "" }, event.source + (event.run ? " …" + event.run.slice(-4) : "")),
        el("span", {}, String(event.job || "").replace(/^job:/, "")),
        el("span", { class: "text" }, event.text));
    }

    function render() {
      const shown = events.filter(matches);
      log.replaceChildren(...shown.slice(-1000).map(row));
      count.textContent = shown.length + " of " + events.length + " events";
      if (!paused) log.scrollTop = log.scrollHeight;
    }

    function add(event) {
      events.push(event);
      if (events.length > KEEP) events.splice(0, events.length - KEEP);
      if (matches(event)) {
        log.append(row(event));
        while (log.childElementCount > 1000) log.firstElementChild.remove();
        if (!paused) log.scrollTop = log.scrollHeight;
      }
      count.textContent = events.filter(matches).length + " of " + events.length + " events";
    }

    for (const input of [level, job, text]) {
      for (const kind of ["input", "change", "search"]) input.addEventListener(kind, render);
    }
    pause.addEventListener("click", () => {
      paused = !paused;
      pause.setAttribute("aria-pressed", String(paused));
      pause.textContent = paused ? "Resume scrolling" : "Pause scrolling";
      if (!paused) log.scrollTop = log.scrollHeight;
    });

    // subscribe first and hold live events until the kept ones are in, so none falls between the two
    let seen = 0;
    let pending = [];
    subscribe(null, (event) => {
      if (pending) { pending.push(event); return; }
      if (event.seq > seen) { seen = event.seq; add(event); }
    });
    api("/api/activity?after=0").then(({ events: kept }) => {
      for (const event of kept.concat(pending).sort((a, b) => a.seq - b.seq)) {
        if (event.seq > seen) { seen = event.seq; events.push(event); }
      }
      pending = null;
      render();
    }).catch((error) => { pending = null; window.IL.toast(error.message); });
    return {};
  });
})();
