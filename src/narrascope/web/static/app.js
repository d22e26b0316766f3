// narrascope workbench behaviour. Record text is hostile: this file only ever sets
// textContent and attributes built from encodeURIComponent, never innerHTML.
"use strict";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function setupLayers() {
  const box = document.getElementById("doctext");
  if (!box) return;
  document.querySelectorAll(".layerbar input[data-layer]").forEach((input) => {
    const apply = () => box.classList.toggle("show-" + input.dataset.layer, input.checked);
    input.addEventListener("change", apply);
    apply();
  });
}

function setupMarkPanel() {
  const box = document.getElementById("doctext");
  const panel = document.getElementById("mark-panel");
  const data = document.getElementById("marks-data");
  if (!box || !panel || !data) return;
  let marks = [];
  try { marks = JSON.parse(data.textContent || "[]"); } catch (e) { return; }
  let current = null;
  const show = (seg) => {
    if (current) current.classList.remove("focus");
    current = seg;
    seg.classList.add("focus");
    panel.replaceChildren();
    if (!seg.className.split(" ").some((c) => c.startsWith("L-") && box.classList.contains("show-" + c.slice(2)))) {
      panel.append(el("p", "muted", "No visible layer here: switch a layer on to see its labels."));
      return;
    }
    (seg.dataset.m || "").split(" ").filter(Boolean).forEach((i) => {
      const m = marks[Number(i)];
      if (!m || !box.classList.contains("show-" + m.layer)) return;
      const row = el("div", "mk");
      row.append(el("span", "ly", m.layer), el("strong", null, m.label));
      if (m.detail) row.append(document.createTextNode(" — " + m.detail));
      const bits = [];
      if (typeof m.score === "number") bits.push("score " + m.score.toFixed(2));
      if (m.analyzer) bits.push("by " + m.analyzer);
      if (bits.length) row.append(el("div", "muted small", bits.join(" · ")));
      row.append(el("div", "small", "“" + m.quote + "”"));
      panel.append(row);
    });
  };
  box.addEventListener("mouseover", (ev) => {
    const seg = ev.target.closest && ev.target.closest(".seg");
    if (seg) show(seg);
  });
  box.addEventListener("click", (ev) => {
    const seg = ev.target.closest && ev.target.closest(".seg");
    if (seg) show(seg);
  });
}

function renderJob(job, status, list) {
  const done = job.done || 0, total = job.total || 0;
  let line = "Job " + job.id + ": " + job.status + " (" + done + " of " + total + " documents)";
  if (job.error) line += " — " + job.error.code + ": " + job.error.message;
  status.textContent = line;
  list.replaceChildren();
  (job.results || []).forEach((r) => {
    const li = el("li");
    const ok = r.status !== "failed";
    li.append(el("span", "badge " + (ok ? "consensus" : "contested"), ok ? "ok" : (r.error && r.error.code) || "failed"), document.createTextNode(" "));
    if (ok && r.id) {
      const a = el("a", null, r.title || r.name || r.id);
      a.setAttribute("href", "/documents/" + encodeURIComponent(r.id));
      li.append(a);
    } else {
      li.append(el("span", null, r.name || r.id || "input"));
    }
    if (r.error && r.error.message) li.append(el("div", "muted small", r.error.message));
    list.append(li);
  });
}

async function poll(jobId, status, list) {
  for (let i = 0; i < 900; i++) {
    const resp = await fetch("/api/v1/jobs/" + encodeURIComponent(jobId), { credentials: "same-origin" });
    const job = await resp.json();
    if (!resp.ok) { status.textContent = (job.error && job.error.message) || "Job lost."; return; }
    renderJob(job, status, list);
    if (job.status === "done" || job.status === "failed") return;
    await new Promise((r) => setTimeout(r, i < 20 ? 500 : 2000));
  }
}

function setupAnalyze() {
  const form = document.getElementById("analyze-form");
  if (!form) return;
  const status = document.getElementById("job-status");
  const list = document.getElementById("job-results");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    status.textContent = "Uploading…";
    list.replaceChildren();
    try {
      const resp = await fetch("/api/v1/analyze", { method: "POST", body: new FormData(form), credentials: "same-origin" });
      const body = await resp.json();
      if (!resp.ok) {
        status.textContent = "Refused: " + ((body.error && body.error.code) || resp.status) + " — " + ((body.error && body.error.message) || "");
        return;
      }
      renderJob(body.job, status, list);
      await poll(body.job.id, status, list);
    } catch (e) {
      status.textContent = "The request failed: " + e;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupLayers();
  setupMarkPanel();
  setupAnalyze();
});
