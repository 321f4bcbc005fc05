// policy-kg report: the network page (vis-network) and the article pages' details.
// Data comes from the page's <script id="kg-data"> block, written by `kg report`.
(function () {
  "use strict";

  var OTHER_KIND = "#bab0ac";
  var RELATION_COLORS = { "co-mentioned": "#c7c7c7", "acts on": "#e15759", "recommends to": "#4e79a7" };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var KIND_COLORS = data.kindColors || {};  // from kg.graphdraw, shared with `kg graph`

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function qid(iri) { return iri ? iri.replace(/^.*\//, "") : ""; }

  // -- network page ---------------------------------------------------------------
  function initNetwork() {
    var container = document.getElementById("network");
    var byNode = {};
    data.actors.forEach(function (a) { byNode[a.node] = a; });
    var nodes = new vis.DataSet(data.actors.map(function (a) {
      return {
        id: a.node, label: a.actor, value: a.mentions, group: a.kind,
        color: KIND_COLORS[a.kind] || OTHER_KIND, title: tooltip(a)
      };
    }));
    var edges = new vis.DataSet(data.links.map(function (link, i) {
      return {
        id: i, from: link.source, to: link.target, value: link.weight, relation: link.relation,
        arrows: link.relation === "co-mentioned" ? "" : "to",
        dashes: link.relation === "recommends to",
        color: { color: RELATION_COLORS[link.relation], opacity: 0.8 },
        title: link.relation + " (" + link.weight + ")"
      };
    }));
    var shown = { unconnected: false };
    Object.keys(RELATION_COLORS).forEach(function (r) { shown[r] = true; });
    var view = new vis.DataView(edges, { filter: function (e) { return shown[e.relation]; } });
    var nodeView = new vis.DataView(nodes, { filter: function (n) {
      return shown.unconnected || view.get({ filter: function (e) {
        return e.from === n.id || e.to === n.id; } }).length > 0;
    } });
    view.on("*", function () { nodeView.refresh(); });
    var network = new vis.Network(container, { nodes: nodeView, edges: view }, {
      layout: { randomSeed: 7, improvedLayout: data.actors.length <= 100 },
      nodes: { shape: "dot", scaling: { min: 6, max: 40, label: { enabled: true, min: 11, max: 22 } },
               font: { face: "system-ui, sans-serif" } },
      edges: { smooth: false, scaling: { min: 1, max: 8 } },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 300 },
                 forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.01, springLength: 120 } },
      interaction: { hover: true, tooltipDelay: 120 }
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit();
      container.setAttribute("data-ready", "true");
    });
    network.on("click", function (params) {
      showClaims(params.nodes.length ? byNode[params.nodes[0]] : null);
    });
    relationControls(shown, view);
    legend();
    showClaims(null);
    window.kgNetwork = network;
  }

  function tooltip(actor) {
    var box = el("div", { "class": "tip" });
    box.appendChild(el("strong", {}, actor.actor));
    box.appendChild(el("div", {}, actor.kind));
    box.appendChild(el("div", {}, actor.wikidata ? "Wikidata " + qid(actor.wikidata) : "not linked"));
    box.appendChild(el("div", {}, actor.mentions + " mentions in " + actor.documents + " document(s)"));
    return box;
  }

  function relationControls(shown, view) {
    var box = document.getElementById("relations");
    Object.keys(shown).forEach(function (relation) {
      var label = el("label", { style: "border-color:" + (RELATION_COLORS[relation] || "#fff") });
      var input = el("input", { type: "checkbox", "data-relation": relation });
      input.checked = shown[relation];
      input.addEventListener("change", function () { shown[relation] = input.checked; view.refresh(); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (RELATION_COLORS[relation] ? relation : "unconnected actors")));
      box.appendChild(label);
    });
  }

  function legend() {
    var box = document.getElementById("legend");
    var kinds = {};
    data.actors.forEach(function (a) { kinds[a.kind] = true; });
    Object.keys(kinds).sort().forEach(function (kind) {
      var item = el("span", { "class": "kind" }, kind);
      item.style.setProperty("--kind", KIND_COLORS[kind] || OTHER_KIND);
      box.appendChild(item);
    });
  }

  function showClaims(actor) {
    var list = document.getElementById("claims");
    var claims = data.claims.filter(function (c) {
      return !actor || c.claimant === actor.node || c.mentioned.indexOf(actor.node) >= 0;
    });
    document.getElementById("claims-title").textContent = actor
      ? claims.length + " claims by or about " + actor.actor
      : "All " + claims.length + " claims";
    list.setAttribute("data-actor", actor ? actor.node : "");
    list.textContent = "";
    claims.forEach(function (c) {
      var item = el("li", { "data-claim": c.claim });
      item.appendChild(el("span", { "class": "kind-badge" }, c.kind.replace(/_/g, " ")));
      item.appendChild(document.createTextNode(" " + c.text + " "));
      var source = el("a", { href: c.page + "#" + encodeURIComponent(c.claim) },
                      "— " + (c.claimantName || "unattributed"));
      item.appendChild(source);
      list.appendChild(item);
    });
  }

  // -- article pages ----------------------------------------------------------------
  function initArticle() {
    var text = document.querySelector("article.text");
    text.addEventListener("click", function (event) {
      var seg = event.target.closest(".seg");
      if (seg) select(indexes(seg));
    });
    selectFromHash();
    window.addEventListener("hashchange", selectFromHash);
  }

  // The address's #fragment names a node (a claim's IRI, say): select its first span.
  function selectFromHash() {
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    var found = data.annotations.findIndex(function (a) { return a.node === wanted; });
    if (!wanted || found < 0) return;
    select([found]);
    var first = segmentsOf(found)[0];
    if (first) first.scrollIntoView({ block: "center" });
  }

  function indexes(seg) {
    return seg.getAttribute("data-ann").split(" ").map(Number).sort(function (a, b) {
      var x = data.annotations[a], y = data.annotations[b];
      return (x.end - x.start) - (y.end - y.start) || a - b;  // innermost first
    });
  }

  function segmentsOf(index) {
    return Array.prototype.filter.call(document.querySelectorAll("article.text .seg"), function (s) {
      return s.getAttribute("data-ann").split(" ").indexOf(String(index)) >= 0;
    });
  }

  function select(list) {
    document.querySelectorAll(".seg.selected").forEach(function (s) { s.classList.remove("selected"); });
    segmentsOf(list[0]).forEach(function (s) { s.classList.add("selected"); });
    var panel = document.getElementById("details");
    panel.textContent = "";
    panel.setAttribute("data-selected", String(list[0]));
    list.forEach(function (i) { panel.appendChild(details(data.annotations[i])); });
  }

  function details(a) {
    var box = el("section", { "class": "detail " + a.role });
    box.appendChild(el("h3", {}, a.role + (a.detail ? " · " + a.detail.replace(/_/g, " ") : "")));
    if (a.label) box.appendChild(el("p", { "class": "label" }, a.label));
    if (a.claimant) box.appendChild(el("p", {}, "Claimant: " + a.claimant));
    if (a.wikidata) {
      var p = el("p", {}, "Wikidata: ");
      p.appendChild(el("a", { href: a.wikidata, rel: "noopener" }, qid(a.wikidata)));
      box.appendChild(p);
    }
    (a.citations || []).forEach(function (c) {
      box.appendChild(el("p", { "class": "citation" }, "Cites [" + c.marker + "] " + c.title));
    });
    box.appendChild(el("p", { "class": "span" }, "Characters " + a.start + "–" + a.end + ": “" + a.exact + "”"));
    box.appendChild(el("p", { "class": "node" }, a.node));
    return box;
  }

  var page = document.body.getAttribute("data-page");
  if (page === "network") initNetwork();
  if (page === "article") initArticle();
  document.body.setAttribute("data-ready", "true");
})();
