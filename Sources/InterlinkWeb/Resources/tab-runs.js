// Runs tab: every run under the study directory, a workflow's plan before running (DAG, stages, diagnostics),
// run / resume / retry failed / stop (the CLI's own commands, started by the server), and a run's live page:
// the per-job table (paged on the server), a per-stage Gantt timeline and the outputs.
(function () {
  "use strict";
  const { api, el, status, fmtDuration, subscribe, toast } = window.IL;
  const PAGE = 100;
  const SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  // at most one call per `ms`, the last one always made
  function throttle(ms, fn) {
    let timer = null;
    let again = false;
    return function () {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(function tick() {
        timer = null;
        if (again) { again = false; fn(); timer = setTimeout(tick, ms); }
      }, ms);
    };
  }

  function runsView(panel) {
    const workflowSelect = el("select", { id: "runs-workflow", "aria-label": "Workflow" });
    const platformSelect = el("select", { id: "runs-platform", "aria-label": "Platform" },
      el("option", { value: "" }, "workflow's platform"), el("option", { value: "local" }, "local"),
      el("option", { value: "rescale" }, "rescale"));
    const planOut = el("div", { id: "runs-plan", "aria-live": "polite" });
    const tableBody = el("tbody", { id: "runs-table-body" });
    const root = el("div", { id: "runs-list" },
      el("h2", {}, "Runs"),
      el("div", { class: "row" },
        el("label", {}, "Workflow", workflowSelect),
        el("label", {}, "Platform", platformSelect),
        el("button", { id: "runs-plan-button", onclick: () => plan(workflowSelect.value) }, "Plan"),
        el("button", { id: "runs-run-button", class: "primary", onclick: () => start(workflowSelect.value, platformSelect.value) }, "Run")),
      planOut,
      el("table", { id: "runs-table", "aria-label": "Runs" },
        el("thead", {}, el("tr", {}, ["Run", "Workflow", "Platform", "State", "Jobs", "Done", "Failed", "Started"]
          .map((name, index) => el("th", { scope: "col", class: index >= 4 && index <= 6 ? "num" : "" }, name)))),
        tableBody));
    panel.append(root);

    async function loadWorkflows() {
      try {
        const { workflows } = await api("/api/workflows");
        workflowSelect.replaceChildren(...workflows.map((name) => el("option", { value: name }, name)));
      } catch (error) { toast(error.message); }
    }

    async function refresh() {
      try {
        const listing = await api("/api/runs");
        tableBody.replaceChildren(...listing.runs.map((run) => el("tr", { dataset: { run: run.run } },
          el("td", {}, el("a", { href: "#runs/" + encodeURIComponent(run.run) }, run.run)),
          el("td", {}, run.workflow.split("/").slice(-2).join("/")),
          el("td", {}, run.platform),
          el("td", {}, status(run.state)),
          el("td", { class: "num" }, run.jobs), el("td", { class: "num" }, run.done),
          el("td", { class: "num" }, run.failed),
          el("td", {}, run.started ? new Date(run.started).toLocaleString() : ""))));
        if (!listing.runs.length) {
          tableBody.append(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No runs under " + listing.directory + " yet.")));
        }
      } catch (error) { toast(error.message); }
    }

    async function plan(workflow) {
      if (!workflow) return;
      planOut.replaceChildren(el("p", { class: "muted" }, "Planning " + workflow + "…"));
      try {
        const reply = await api("/api/plan?workflow=" + encodeURIComponent(workflow));
        planOut.replaceChildren(renderPlan(reply));
      } catch (error) { planOut.replaceChildren(el("p", { class: "diag error" }, error.message)); }
    }

    async function start(workflow, platform) {
      if (!workflow) return;
      try {
        const command = await api("/api/runs", { method: "POST", body: { workflow, platform } });
        toast("started rescale-int " + command.arguments.join(" "));
        setTimeout(refresh, 500);
      } catch (error) { toast(error.message); }
    }

    const live = throttle(500, refresh);
    subscribe((event) => !event.replayed && event.source !== "log",
      () => { if (!root.hidden && !panel.hidden) live(); });
    loadWorkflows();
    refresh();
    return { root, refresh };
  }

  function renderPlan(reply) {
    const box = el("div", { class: "card", id: "plan-result" });
    box.append(el("h3", {}, "Plan of " + reply.workflow));
    if (reply.diagnostics.length) {
      box.append(el("div", { id: "plan-diagnostics", role: "list", "aria-label": "Diagnostics" },
        reply.diagnostics.map((d) => el("div", { role: "listitem", class: "diag " + d.severity },
          (d.file ? d.file + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "") + ": " : "") +
          d.severity + ": " + d.message + (d.help ? "\n  help: " + d.help : "")))));
    }
    if (!reply.plan) {
      if (!reply.diagnostics.length) box.append(el("p", { class: "diag error" }, "planning failed (status " + reply.status + ")"));
      return box;
    }
    const nodes = reply.plan.nodes || [];
    box.append(el("p", {}, nodes.length + " nodes (" + nodes.filter((n) => n.kind === "job").length + " jobs)"));
    box.append(renderDAG(nodes));
    const shown = nodes.slice(0, 200);
    box.append(el("table", { id: "plan-stages", "aria-label": "Stages per job" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Node"), el("th", { scope: "col" }, "Kind"),
        el("th", { scope: "col" }, "Needs"), el("th", { scope: "col" }, "Stages"))),
      el("tbody", {}, shown.map((n) => el("tr", {}, el("td", {}, n.name), el("td", {}, n.kind),
        el("td", {}, (n.needs || []).join(", ")), el("td", {}, (n.stages || []).join(" → ")))))));
    if (nodes.length > shown.length) box.append(el("p", { class: "muted" }, "first 200 of " + nodes.length + " nodes shown"));
    return box;
  }

  // the plan's DAG as SVG: columns by dependency depth, at most 300 nodes drawn
  function renderDAG(nodes) {
    const limit = 300;
    const drawn = nodes.slice(0, limit);
    const byID = new Map(drawn.map((n) => [n.id, n]));
    const depth = new Map();
    function depthOf(node, seen) {
      if (depth.has(node.id)) return depth.get(node.id);
      if (seen.has(node.id)) return 0;
      seen.add(node.id);
      const needs = (node.needs || []).map((id) => byID.get(id)).filter(Boolean);
      const value = needs.length ? 1 + Math.max(...needs.map((n) => depthOf(n, seen))) : 0;
      depth.set(node.id, value);
      return value;
    }
    drawn.forEach((n) => depthOf(n, new Set()));
    const columns = [];
    for (const n of drawn) (columns[depth.get(n.id)] = columns[depth.get(n.id)] || []).push(n);
    const W = 170, H = 34, GX = 60, GY = 12;
    const position = new Map();
    columns.forEach((column, x) => column.forEach((n, y) => position.set(n.id, { x: 10 + x * (W + GX), y: 10 + y * (H + GY) })));
    const width = 20 + columns.length * (W + GX);
    const height = 20 + Math.max(1, ...columns.map((c) => c.length)) * (H + GY);
    const graph = svg("svg", { id: "plan-dag", width, height, role: "img",
      "aria-label": "Dependency graph of " + drawn.length + " nodes" });
    for (const n of drawn) for (const need of n.needs || []) {
      const from = position.get(need), to = position.get(n.id);
      if (!from || !to) continue;
      graph.append(svg("path", { class: "edge", d: `M${from.x + W},${from.y + H / 2} C${from.x + W + GX / 2},${from.y + H / 2} ${to.x - GX / 2},${to.y + H / 2} ${to.x},${to.y + H / 2}` }));
    }
    for (const n of drawn) {
      const p = position.get(n.id);
      const group = svg("g", {}, svg("title", {}, n.name + ": " + (n.stages || []).join(", ")));
      group.append(svg("rect", { class: "node", x: p.x, y: p.y, width: W, height: H, rx: 6 }));
      group.append(svg("text", { x: p.x + 8, y: p.y + 21 }, (n.kind === "job" ? "" : n.kind + ": ") + n.name.slice(0, 22)));
      graph.append(group);
    }
    const wrap = el("div", { class: "gantt" }, graph);
    if (nodes.length > limit) wrap.append(el("p", { class: "muted" }, "graph shows the first " + limit + " nodes"));
    return wrap;
  }

  function runView(panel, id) {
    let offset = 0;
    const header = el("div", { id: "run-header" });
    const body = el("tbody", { id: "run-jobs-body" });
    const pager = el("div", { class: "pager", id: "run-pager" });
    const gantt = el("div", { class: "gantt", id: "run-gantt" });
    const root = el("div", { id: "run-view", dataset: { run: id } },
      el("p", {}, el("a", { href: "#runs" }, "← all runs")),
      header,
      el("div", { class: "row" },
        el("button", { id: "run-resume", onclick: () => action("resume") }, "Resume"),
        el("button", { id: "run-retry", onclick: () => action("retry") }, "Retry failed"),
        el("button", { id: "run-stop", onclick: () => action("stop") }, "Stop")),
      el("h3", {}, "Jobs"),
      pager,
      el("table", { id: "run-jobs", "aria-label": "Jobs of run " + id },
        el("thead", {}, el("tr", {}, ["Job", "Stage", "Status", "Attempt", "Job ID", "Elapsed", "Outputs"]
          .map((name) => el("th", { scope: "col" }, name)))),
        body),
      el("h3", {}, "Timeline"),
      gantt);
    panel.append(root);

    async function action(name) {
      try {
        await api("/api/runs/" + encodeURIComponent(id) + "/" + name, { method: "POST" });
        toast(name + " requested for run " + id);
        refresh();
      } catch (error) { toast(error.message); }
    }

    async function refresh() {
      let detail;
      try {
        detail = await api(`/api/runs/${encodeURIComponent(id)}?offset=${offset}&limit=${PAGE}`);
      } catch (error) { header.replaceChildren(el("p", { class: "diag error" }, error.message)); return; }
      const s = detail.summary;
      header.replaceChildren(el("h2", {}, "Run " + s.run), el("p", {},
        status(s.state), ` · ${s.platform} · ${s.workflow} · ${s.jobs} jobs: ` +
        Object.entries(detail.counts).map(([k, v]) => `${v} ${k}`).join(", ")));
      body.replaceChildren(...detail.jobs.map((job) => el("tr", { dataset: { job: job.name, status: job.status } },
        el("th", { scope: "row" }, job.name),
        el("td", {}, job.stage || ""),
        el("td", {}, status(job.status), job.jobStatus ? " (" + job.jobStatus + ")" : "",
          job.error ? el("div", { class: "diag error" }, job.error) : null),
        el("td", { class: "num" }, job.attempt || ""),
        el("td", {}, job.jobID || ""),
        el("td", { class: "num" }, fmtDuration(job.elapsed)),
        el("td", {}, job.outputs.slice(0, 5).map((path) => el("div", {}, el("a", {
          href: `/api/runs/${encodeURIComponent(id)}/output?path=${encodeURIComponent(path)}`, target: "_blank",
          rel: "noopener" }, path))), job.outputs.length > 5 ? el("div", { class: "muted" }, "+" + (job.outputs.length - 5) + " more") : null))));
      const last = Math.min(detail.total, offset + detail.jobs.length);
      pager.replaceChildren(
        el("button", { id: "run-prev", disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); refresh(); } }, "‹ Previous"),
        el("span", { role: "status" }, `${detail.total ? offset + 1 : 0}–${last} of ${detail.total}`),
        el("button", { id: "run-next", disabled: last >= detail.total, onclick: () => { offset += PAGE; refresh(); } }, "Next ›"));
      gantt.replaceChildren(renderGantt(detail.jobs));
      root.dataset.loaded = String(Date.now());
      if (!root.dataset.firstPaint) root.dataset.firstPaint = root.dataset.loaded;
    }

    const live = throttle(300, refresh);
    const unsubscribe = subscribe((event) => !event.replayed && (event.run === id || event.source === "ui"), live);
    refresh();
    return { root, refresh, close: unsubscribe };
  }

  // when each stage of each job ran, one row per job of the page
  function renderGantt(jobs) {
    const spans = jobs.flatMap((job) => job.spans.map((span) => ({ job: job.name, ...span })));
    if (!spans.length) return el("p", { class: "muted" }, "No stage has run yet.");
    const now = Date.now();
    const t0 = Math.min(...spans.map((s) => Date.parse(s.start)));
    const t1 = Math.max(...spans.map((s) => s.end ? Date.parse(s.end) : now), t0 + 1);
    const L = 160, W = 640, R = 14;
    const scale = (t) => L + (t - t0) / (t1 - t0) * W;
    const chart = svg("svg", { id: "run-gantt-svg", width: L + W + 20, height: 30 + jobs.length * R, role: "img",
      "aria-label": "Timeline of " + spans.length + " stages over " + fmtDuration((t1 - t0) / 1000) });
    chart.append(svg("text", { x: L, y: 12 }, "0s"), svg("text", { x: L + W - 40, y: 12 }, fmtDuration((t1 - t0) / 1000)));
    jobs.forEach((job, row) => {
      const y = 20 + row * R;
      chart.append(svg("text", { x: 4, y: y + 10 }, job.name.slice(0, 20)));
      for (const span of job.spans) {
        const x0 = scale(Date.parse(span.start));
        const x1 = Math.max(x0 + 2, scale(span.end ? Date.parse(span.end) : now));
        chart.append(svg("rect", { class: "bar-" + span.result, x: x0, y: y + 1, width: x1 - x0, height: R - 3 },
          svg("title", {}, `${job.name} ${span.stage}: ${span.result}, ${fmtDuration(((span.end ? Date.parse(span.end) : now) - Date.parse(span.start)) / 1000)}`)));
      }
    });
    return chart;
  }

  window.IL.onTab("runs", (panel, route) => {
    let list = null;
    let run = null;
    function show(route) {
      if (run) { run.close(); run.root.remove(); run = null; }
      if (route) {
        if (list) list.root.hidden = true;
        run = runView(panel, route);
      } else {
        if (!list) list = runsView(panel);
        list.root.hidden = false;
        list.refresh();
      }
    }
    show(route);
    return { show };
  });
})();
