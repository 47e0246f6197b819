// The Ravel console: polls /clusters, /health and /metrics of the admin serving it and redraws.
"use strict";

const REFRESH_MS = 2000;
const WINDOW_MS = 60000;
const samples = []; // {t, routes: {route: {requests, errors}}} from /metrics, the last minute of them

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function replicaState(r) {
  if (r.reachable === true) return "up";
  if (r.reachable === false) return "unreachable";
  return "unknown";
}

function drawClusters(body) {
  const box = document.getElementById("clusters");
  box.replaceChildren();
  for (const c of body.clusters) {
    const leaderId = c.leader ? c.leader.id : null;
    const rows = c.replicas.map(r => {
      const state = replicaState(r);
      const isLeader = r.id === leaderId;
      return el("tr", {"class": "replica", "data-replica-id": r.id, "data-state": state, "data-leader": String(isLeader)},
        el("td", {}, r.id),
        el("td", {}, r.grpcAddress),
        el("td", {}, el("span", {"class": "badge " + state}, state), " ",
          isLeader ? el("span", {"class": "badge leader-mark"}, "leader") : ""),
        el("td", {}, r.estimatedKeys == null ? "–" : r.estimatedKeys));
    });
    box.append(el("section", {"class": "cluster", "data-cluster-id": c.id},
      el("h2", {}, "Cluster ", c.id),
      el("div", {"class": "facts"},
        el("span", {}, el("b", {"class": "partitions"}, c.partitions), "partitions"),
        el("span", {}, el("b", {"class": "keys"}, c.estimatedKeys == null ? "–" : c.estimatedKeys), "keys stored (estimate)"),
        el("span", {}, el("b", {}, c.replicas.length), "replicas")),
      el("table", {},
        el("thead", {}, el("tr", {}, el("th", {}, "replica"), el("th", {}, "gRPC"), el("th", {}, "state"), el("th", {}, "keys (est.)"))),
        el("tbody", {}, ...rows))));
  }
}

function drawRelocation(r) {
  const box = document.getElementById("relocation");
  if (!r.inProgress) {
    box.replaceChildren(el("span", {"class": "muted", "id": "relocation-state"}, "none in progress"));
    return;
  }
  box.replaceChildren(
    el("progress", {"max": Math.max(r.partitionsTotal, 1), "value": r.partitionsMoved}),
    el("div", {"id": "relocation-state"},
      r.partitionsMoved + " of " + r.partitionsTotal + " partitions moved, " + r.keysMoved + " keys"));
}

function drawAdmins(group, health) {
  const rows = group.members.map(m => el("tr", {},
    el("td", {}, m.httpAddress), el("td", {}, m.grpcAddress), el("td", {}, m.raftAddress || "–"),
    el("td", {}, m.leader ? el("span", {"class": "badge leader-mark"}, "leader") : "")));
  document.getElementById("admins").replaceChildren(
    el("div", {}, "group of " + group.size + (health ? "; this admin is " + health.role : "")),
    el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "HTTP"), el("th", {}, "gRPC"), el("th", {}, "Raft"), el("th", {}, ""))),
      el("tbody", {}, ...rows)));
}

// Sums ravel_http_requests_seconds_count and ravel_http_errors_total per route.
function parseMetrics(text) {
  const routes = {};
  const line = /^(ravel_http_requests_seconds_count|ravel_http_errors_total)\{([^}]*)\}\s+(\S+)/;
  for (const l of text.split("\n")) {
    const m = line.exec(l);
    if (!m) continue;
    const route = (/route="([^"]*)"/.exec(m[2]) || [])[1];
    if (!route) continue;
    const r = routes[route] || (routes[route] = {requests: 0, errors: 0});
    r[m[1].startsWith("ravel_http_requests") ? "requests" : "errors"] += Number(m[3]);
  }
  return routes;
}

function drawRates(text) {
  const now = Date.now();
  samples.push({t: now, routes: parseMetrics(text)});
  while (samples.length > 2 && now - samples[1].t >= WINDOW_MS) {
    samples.shift();
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = Math.max((last.t - first.t) / 1000, 1e-9);
  const rows = Object.keys(last.routes).sort().map(route => {
    const a = first.routes[route] || {requests: 0, errors: 0};
    const b = last.routes[route];
    const requests = Math.max(b.requests - a.requests, 0);
    const errors = Math.max(b.errors - a.errors, 0);
    const rate = n => samples.length < 2 ? "–" : (n / seconds).toFixed(2);
    return el("tr", {"data-route": route}, el("td", {}, route), el("td", {}, rate(requests)),
      el("td", {"class": errors > 0 ? "error" : ""}, rate(errors)), el("td", {}, requests), el("td", {}, errors));
  });
  document.querySelector("#rates tbody").replaceChildren(...rows);
}

async function get(path, json) {
  const response = await fetch(path, {cache: "no-store"});
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return json ? response.json() : response.text();
}

async function refresh() {
  const status = document.getElementById("status");
  const [clusters, health, metrics] = await Promise.allSettled(
    [get("/clusters", true), get("/health", true), get("/metrics", false)]);
  const problems = [clusters, health, metrics].filter(r => r.status === "rejected").map(r => r.reason.message);
  if (clusters.status === "fulfilled") {
    drawClusters(clusters.value);
    drawRelocation(clusters.value.relocation);
    drawAdmins(clusters.value.adminGroup, health.status === "fulfilled" ? health.value : null);
  }
  if (metrics.status === "fulfilled") {
    drawRates(metrics.value);
  }
  status.textContent = problems.length ? "admin unreachable: " + problems.join("; ")
    : "updated " + new Date().toLocaleTimeString();
  status.className = problems.length ? "error" : "muted";
}

refresh();
setInterval(refresh, REFRESH_MS);
