// reprint's HTML report. Every string from the corpus reaches the page through text nodes or
// setAttribute, never through innerHTML, so article text cannot become markup.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("reprint-data").textContent);
  const status = document.getElementById("status");
  let errors = 0;
  window.addEventListener("error", () => { errors += 1; status.dataset.errors = String(errors); });
  const PAGE = 100;
  const main = document.getElementById("main");

  // el("a", {href: "#x"}, "text", child…): strings become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "onclick") e.addEventListener("click", v);
      else if (k === "oninput") e.addEventListener("input", v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return e;
  }
  const fmt = (x) => (x === null || x === undefined ? "–" : Number(x).toFixed(3));
  const doc = (i) => DATA.docs[i];
  const trunc = (t, n) => (t.length > n ? t.slice(0, n - 1) + "…" : t);
  const docLabel = (d) => trunc((d.title && d.title !== d.id ? d.title : d.id).trim(), 90);
  const docMeta = (d) => [d.source, d.date].filter(Boolean).join(" · ");

  // Code-point offsets (what the records carry) to UTF-16 indices (what JavaScript slices).
  const unitCache = new Map();
  function units(i) {
    if (unitCache.has(i)) return unitCache.get(i);
    const text = doc(i).text, map = [];
    let u = 0;
    for (const ch of text) { map.push(u); u += ch.length; }
    map.push(u);
    unitCache.set(i, map);
    return map;
  }
  const slice = (i, s, e) => { const m = units(i); return doc(i).text.slice(m[Math.min(s, m.length - 1)], m[Math.min(e, m.length - 1)]); };

  // Words of a passage and which of them have no partner on the other side (LCS on words).
  const WORD = /[\p{L}\p{N}]+/gu;
  function words(text) { const out = []; let m; WORD.lastIndex = 0; while ((m = WORD.exec(text))) out.push([m.index, m.index + m[0].length, m[0].toLowerCase()]); return out; }
  function unmatched(a, b) {
    const n = a.length, m = b.length, miss = new Set();
    if (n === 0 || n * m > 4e6) return miss;
    const dp = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
      dp[i][j] = a[i][2] === b[j][2] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (a[i][2] === b[j][2]) { i++; j++; } else if (dp[i + 1][j] >= dp[i][j + 1]) { miss.add(i); i++; } else j++;
    }
    while (i < n) miss.add(i++);
    return miss;
  }
  function passageBody(text, other) {
    const a = words(text), miss = unmatched(a, words(other));
    const out = []; let at = 0;
    a.forEach((w, k) => {
      if (!miss.has(k)) return;
      if (w[0] > at) out.push(text.slice(at, w[0]));
      out.push(el("span", { class: "diff", title: "differs from the other article" }, text.slice(w[0], w[1])));
      at = w[1];
    });
    out.push(text.slice(at));
    return out;
  }

  function setView(name, extra) {
    status.dataset.view = name;
    status.dataset.errors = String(errors);
    for (const [k, v] of Object.entries(extra || {})) status.dataset[k] = String(v);
    for (const a of document.querySelectorAll("nav a")) a.removeAttribute("aria-current");
    const cur = document.querySelector(`nav a[data-view="${name}"]`);
    if (cur) cur.setAttribute("aria-current", "page");
  }

  function cards() {
    const s = DATA.summary;
    const c = (n, label) => el("div", { class: "card" }, el("b", {}, Number(n).toLocaleString("en")), el("span", {}, label));
    return el("div", { class: "cards" }, c(s.documents, "documents"), c(s.sources, "sources"), c(s.pairs, "pairs"),
      c(s.clusters, "clusters"), c(s.passages, "passages"), c(s.quotes, "shared quotes"));
  }

  // A sortable, filterable, paged table. cols: [label, key(row), render(row), numeric, optional].
  function table(rows, cols, search, initial) {
    let sortCol = initial, asc = false, page = 0, query = "";
    const body = el("tbody"), info = el("span", { class: "muted" });
    const prev = el("button", { onclick: () => { page--; draw(); } }, "‹ previous");
    const next = el("button", { onclick: () => { page++; draw(); } }, "next ›");
    const heads = cols.map((c, k) => el("th", { class: (c[3] ? "num" : "") + (c[4] ? " opt" : ""), scope: "col" },
      el("button", { onclick: () => { asc = sortCol === k ? !asc : !c[3]; sortCol = k; page = 0; draw(); } }, c[0])));
    function draw() {
      const q = query.toLowerCase();
      let view = q ? rows.filter((r) => search(r).toLowerCase().includes(q)) : rows.slice();
      if (sortCol !== null) {
        const key = cols[sortCol][1];
        view.sort((x, y) => { const a = key(x), b = key(y); return (a < b ? -1 : a > b ? 1 : 0) * (asc ? 1 : -1); });
      }
      heads.forEach((h, k) => h.setAttribute("aria-sort", k === sortCol ? (asc ? "ascending" : "descending") : "none"));
      const pages = Math.max(1, Math.ceil(view.length / PAGE));
      page = Math.min(Math.max(page, 0), pages - 1);
      body.replaceChildren(...view.slice(page * PAGE, page * PAGE + PAGE).map((r) =>
        el("tr", {}, cols.map((c) => el("td", { class: (c[3] ? "num" : "") + (c[4] ? " opt" : "") }, c[2](r))))));
      info.textContent = `${view.length.toLocaleString("en")} of ${rows.length.toLocaleString("en")} · page ${page + 1} of ${pages}`;
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
    }
    const filter = el("input", { type: "search", placeholder: "filter: id, title, source, text…", "aria-label": "filter",
      oninput: (e) => { query = e.target.value; page = 0; draw(); } });
    draw();
    return el("div", {}, el("div", { class: "tools" }, filter, info),
      el("div", { style: "overflow:auto" }, el("table", {}, el("thead", {}, el("tr", {}, heads)), body)),
      el("div", { class: "pager" }, prev, next));
  }

  const docLink = (i) => el("a", { href: `#doc/${i}` }, docLabel(doc(i)));
  const wordsShared = (p) => p.passages.reduce((n, x) => n + (x.boilerplate ? 0 : x.words), 0);

  function overview() {
    const pairRows = DATA.pairs.map((p, i) => ({ p, i }));
    const pairs = table(pairRows, [
      ["#", (r) => r.i, (r) => el("a", { href: `#pair/${r.i}` }, String(r.i + 1)), true],
      ["Document A", (r) => docLabel(doc(r.p.a)), (r) => el("div", {}, el("a", { href: `#pair/${r.i}` }, docLabel(doc(r.p.a))), el("div", { class: "muted" }, docMeta(doc(r.p.a))))],
      ["Document B", (r) => docLabel(doc(r.p.b)), (r) => el("div", {}, el("a", { href: `#pair/${r.i}` }, docLabel(doc(r.p.b))), el("div", { class: "muted" }, docMeta(doc(r.p.b))))],
      ["Jaccard", (r) => r.p.jaccard, (r) => fmt(r.p.jaccard), true],
      ["Containment", (r) => r.p.containment, (r) => fmt(r.p.containment), true, true],
      ["Words shared", (r) => wordsShared(r.p), (r) => String(wordsShared(r.p)), true],
      ["Passages", (r) => r.p.passages.length, (r) => String(r.p.passages.length), true, true],
      ["Dates", (r) => [doc(r.p.a).date, doc(r.p.b).date].filter(Boolean).sort()[0] || "", (r) => [doc(r.p.a).date, doc(r.p.b).date].map((d) => (d ? d.slice(0, 10) : "–")).join(" / "), false, true],
      ["Cluster", (r) => (r.p.cluster === null ? -1 : r.p.cluster), (r) => (r.p.cluster === null ? "–" : String(r.p.cluster)), true, true],
    ], (r) => [doc(r.p.a), doc(r.p.b)].map((d) => `${d.id} ${d.title || ""} ${d.source || ""}`).join(" "), 5);
    const clusters = table(DATA.clusters, [
      ["Cluster", (c) => c.id, (c) => String(c.id), true],
      ["Size", (c) => c.members.length, (c) => String(c.members.length), true],
      ["Members", (c) => c.members.length, (c) => el("div", {}, c.members.slice(0, 12).map((m) => el("div", {}, docLink(m), " ", el("span", { class: "muted" }, docMeta(doc(m))))), c.members.length > 12 ? `… ${c.members.length - 12} more` : null)],
    ], (c) => c.members.map((m) => `${doc(m).id} ${doc(m).title || ""}`).join(" "), 1);
    main.replaceChildren(cards(),
      el("h2", { id: "pairs" }, "Pairs"), DATA.pairs.length ? pairs : el("p", { class: "muted" }, "No pairs."),
      el("h2", { id: "clusters" }, "Clusters of near-duplicates"), DATA.clusters.length ? clusters : el("p", { class: "muted" }, "No clusters."));
    setView("overview", { rows: main.querySelectorAll("tbody tr").length });
  }

  function pane(p, side) {
    const i = side === "a" ? p.a : p.b, other = side === "a" ? p.b : p.a, d = doc(i);
    const spans = p.passages.map((x, k) => ({ k, s: x[`${side}_start`], e: x[`${side}_end`], os: x[`${side === "a" ? "b" : "a"}_start`], oe: x[`${side === "a" ? "b" : "a"}_end`], bp: x.boilerplate }))
      .sort((x, y) => x.s - y.s);
    const parts = []; let at = 0;
    for (const x of spans) {
      if (x.s < at) continue; // overlapping passages: the first one wins
      if (x.s > at) parts.push(slice(i, at, x.s));
      const text = slice(i, x.s, x.e);
      parts.push(el("mark", { class: `p c${x.k % 8}${x.bp ? " bp" : ""}`, id: `${side}-p${x.k}`, "data-p": x.k, tabindex: 0,
        title: `passage ${x.k + 1}${x.bp ? " (boilerplate)" : ""}: click to see it in the other article`,
        onclick: () => jump(side === "a" ? "b" : "a", x.k) },
        el("sup", {}, String(x.k + 1)), passageBody(text, slice(other, x.os, x.oe))));
      at = x.e;
    }
    parts.push(slice(i, at, units(i).length - 1));
    const first = (p.earlier === side) ? el("span", { class: "first", title: "dated earlier" }, "printed first") : null;
    return el("section", { class: "pane", "aria-label": `document ${side.toUpperCase()}` },
      el("h2", {}, `${side.toUpperCase()}: ${docLabel(d)}`, first, el("div", { class: "meta" }, [d.id, docMeta(d)].filter(Boolean).join(" · "))),
      el("div", { class: "text", id: `text-${side}` }, parts));
  }
  function jump(side, k) {
    const target = document.getElementById(`${side}-p${k}`);
    if (!target) return;
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.classList.add("flash");
    setTimeout(() => target.classList.remove("flash"), 1200);
  }

  function pairView(n, selftest) {
    const p = DATA.pairs[n];
    if (!p) return notFound();
    const real = p.passages.filter((x) => !x.boilerplate).length;
    main.replaceChildren(
      el("div", { class: "pair-head" }, el("a", { href: "#" }, "← all pairs"),
        el("h2", {}, `Pair ${n + 1}: Jaccard ${fmt(p.jaccard)}, containment ${fmt(p.containment)}`),
        el("div", { class: "muted" }, `${real} shared passage${real === 1 ? "" : "s"}`, p.passages.length > real ? `, ${p.passages.length - real} boilerplate (grey)` : "",
          p.cluster === null ? "" : ` · cluster ${p.cluster}`, ` · found by ${p.found_by}`)),
      el("div", { class: "legend" }, "Each shared passage has the same colour and number on both sides; click one to bring the other side to it. ",
        el("span", { class: "diff" }, "Underlined words"), " differ between the two copies."),
      el("ol", { class: "passages" }, p.passages.map((x, k) => el("li", {},
        el("button", { class: `chip c${k % 8}${x.boilerplate ? " bp" : ""}`, onclick: () => { jump("a", k); jump("b", k); } }, String(k + 1)),
        ` ${x.words} words, score ${Number(x.score).toFixed(2)}${x.boilerplate ? ", boilerplate" : ""}: `,
        el("span", { class: "muted" }, `“${trunc(slice(p.a, x.a_start, x.a_end), 110)}”`)))),
      el("div", { class: "panes" }, pane(p, "a"), pane(p, "b")));
    // Each pane opens on its first passage.
    for (const side of ["a", "b"]) {
      const box = document.getElementById(`text-${side}`), first = box.querySelector("mark.p");
      if (first) box.scrollTop = Math.max(0, first.offsetTop - 60);
    }
    setView("pair", { marks: main.querySelectorAll("mark.p").length, marksA: main.querySelectorAll("#text-a mark.p").length, marksB: main.querySelectorAll("#text-b mark.p").length });
    if (selftest) {
      // #pair/N/selftest: click the last passage on side A and record where side B went.
      const marks = main.querySelectorAll("#text-a mark.p"), last = marks[marks.length - 1];
      if (last) {
        last.click();
        const target = document.getElementById(`b-p${last.dataset.p}`);
        status.dataset.jumped = target && target.classList.contains("flash") ? target.id : "none";
      }
    }
  }

  function quotesView() {
    const list = DATA.quotes.map((q) => el("article", { class: "quote", id: `quote-${q.id}` },
      el("div", {}, el("b", {}, `#${q.id} `), q.speaker ? el("b", {}, q.speaker) : el("span", { class: "muted" }, "speaker not named"),
        el("span", { class: "muted" }, ` · ${q.sources} sources, ${q.documents} documents`)),
      el("blockquote", {}, `“${q.text}”`),
      q.variants.length > 1 ? el("div", { class: "variants" }, `${q.variants.length} wordings: `, q.variants.slice(0, 4).map((v, k) => el("span", {}, k ? " · " : "", `“${v.text.length > 120 ? v.text.slice(0, 119) + "…" : v.text}” (${v.occurrences})`))) : null,
      el("ol", {}, q.occurrences.map((o, k) => el("li", {}, el("a", { href: `#doc/${o.doc}/${o.start}/${o.end}` }, docLabel(doc(o.doc))),
        el("span", { class: "muted" }, ` ${docMeta(doc(o.doc))}`), k === q.first ? el("span", { class: "first" }, "first") : null,
        o.quoted ? "" : el("span", { class: "muted" }, " (without quotation marks)"),
        o.speaker && o.speaker !== q.speaker ? el("span", { class: "muted" }, ` · attributed to ${o.speaker}`) : null,
        el("div", { class: "snippet" }, `“${trunc(slice(o.doc, o.start, o.end), 160)}”`))))));
    main.replaceChildren(cards(), el("h2", {}, "Quotes shared across sources"),
      list.length ? el("div", {}, list) : el("p", { class: "muted" }, "No quote is shared by two sources."));
    setView("quotes", { quotes: list.length });
  }

  function docView(i, s, e) {
    const d = doc(i);
    if (!d) return notFound();
    const body = s === undefined ? [d.text] : [slice(i, 0, s), el("mark", { class: "q", id: "here" }, slice(i, s, e)), slice(i, e, units(i).length - 1)];
    main.replaceChildren(el("button", { onclick: () => history.back() }, "← back"),
      el("section", { class: "pane" }, el("h2", {}, docLabel(d), el("div", { class: "meta" }, [d.id, docMeta(d)].filter(Boolean).join(" · "))),
        el("div", { class: "text" }, body)));
    const here = document.getElementById("here");
    if (here) here.scrollIntoView({ block: "center" });
    setView("doc");
  }

  function notFound() { main.replaceChildren(el("p", {}, "Nothing here. ", el("a", { href: "#" }, "Back to the overview."))); setView("missing"); }

  function route() {
    const [view, ...args] = location.hash.replace(/^#/, "").split("/");
    const n = args.map((x) => parseInt(x, 10));
    if (view === "pair") pairView(n[0], args[1] === "selftest");
    else if (view === "quotes") quotesView();
    else if (view === "doc") docView(n[0], Number.isNaN(n[1]) ? undefined : n[1], n[2]);
    else overview();
  }
  window.addEventListener("hashchange", route);
  document.getElementById("title").textContent = DATA.title;
  route();
})();
