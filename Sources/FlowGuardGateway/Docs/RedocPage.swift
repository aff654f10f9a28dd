/// The read-only API reference served at `GET /redoc`: a navigation column of tags and endpoints, each
/// endpoint's schemas in detail, and its request and response examples beside them. Like ``DocsPage``
/// it fetches `/openapi.json` when it loads and links to no other host.
enum RedocPage {
    /// The whole page.
    static let html = head + "<script>\n" + DocsPage.schemaScript + script + "</script>\n</body>\n</html>\n"

    private static let head = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>FlowGuard events gateway &middot; API reference</title>
    <style>
    :root {
      --text: #1f2733; --muted: #6b7382; --line: #dfe2e7; --line-soft: #eef0f3; --accent: #32329f; --req: #d41f1c;
      --code-bg: #f3f4f7; --code-fg: #1f2733; --hl-key: #7a3e9d; --hl-str: #1d7a3a; --hl-num: #b35c00; --hl-lit: #32329f;
      --side: 270px; --panel: #263238;
    }
    * { box-sizing: border-box; }
    html { scroll-behavior: smooth; }
    body { margin: 0; color: var(--text); background: #fff;
      font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
    nav#side { position: fixed; top: 0; bottom: 0; left: 0; width: var(--side); overflow-y: auto; background: #fafafa;
      border-right: 1px solid var(--line); font-size: 14px; }
    nav#side .brand { padding: 18px 18px 10px; font-weight: 700; font-size: 15px; line-height: 1.3; }
    nav#side .brand .ver { display: block; font-weight: 400; color: var(--muted); font-size: 12.5px; }
    nav#side .group { padding: 10px 18px 4px; font-size: 11.5px; text-transform: uppercase; letter-spacing: .08em;
      color: var(--muted); font-weight: 700; }
    nav#side a { display: flex; gap: 8px; align-items: baseline; padding: 5px 18px; color: var(--text); text-decoration: none; }
    nav#side a:hover { background: #eef0f5; }
    nav#side a.active { background: #e4e7f4; color: var(--accent); }
    nav#side .verb { font-size: 10px; font-weight: 700; text-transform: uppercase; min-width: 34px; text-align: center;
      border-radius: 3px; color: #fff; padding: 0 3px; }
    .v-get { background: #2f6fdb; } .v-post { background: #1e9e63; } .v-put { background: #c77d12; }
    .v-delete { background: #cc3b3b; } .v-patch { background: #8a54c9; }
    main#content { margin-left: var(--side); position: relative; }
    .row { display: grid; grid-template-columns: 58% 42%; border-bottom: 1px solid var(--line-soft); }
    .row > .mid { padding: 28px 36px; min-width: 0; }
    .row > .right { padding: 28px 24px; min-width: 0; color: #e8ecef; background: var(--panel); }
    .row.tag > .mid { padding-top: 40px; }
    h1 { font-size: 28px; margin: 0 0 4px; font-weight: 650; }
    h2 { font-size: 22px; margin: 0 0 6px; font-weight: 650; text-transform: capitalize; }
    h3 { font-size: 19px; margin: 0 0 10px; font-weight: 600; }
    h5 { margin: 22px 0 6px; font-size: 12.5px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
      border-bottom: 1px solid var(--line); padding-bottom: 4px; }
    .endpoint { display: flex; align-items: center; gap: 10px; background: #f3f4f7; border-radius: 6px; padding: 6px 10px;
      margin-bottom: 12px; overflow-x: auto; }
    .endpoint .verb { font-size: 12px; font-weight: 700; text-transform: uppercase; color: #fff; border-radius: 4px; padding: 2px 8px; }
    .endpoint code { font-size: 14px; }
    .resp { border-radius: 6px; margin: 6px 0; border: 1px solid var(--line-soft); }
    .resp > summary { cursor: pointer; padding: 6px 10px; font-size: 14px; }
    .resp .resp-body { padding: 0 12px 8px; }
    .resp.ok > summary { background: #eef8f2; } .resp.warn > summary { background: #fdf4e6; } .resp.bad > summary { background: #fbecec; }
    .resp-code { font-weight: 700; margin-right: 8px; }
    .ok .resp-code { color: #1e7e50; } .warn .resp-code { color: #a56200; } .bad .resp-code { color: #b02a2a; }
    .right h6 { margin: 0 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: #9fb0bb; font-weight: 700; }
    .right .sample { margin-bottom: 26px; }
    .right .tabs { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
    .right .tab { font: inherit; font-size: 12.5px; border: 1px solid #4a5a63; background: transparent; color: #cfd8dc; border-radius: 4px;
      padding: 2px 8px; cursor: pointer; }
    .right .tab.active { background: #e8ecef; color: #263238; border-color: #e8ecef; }
    .right .pane { display: none; }
    .right .pane.active { display: block; }
    .right .pane-note { font-size: 12.5px; color: #b0bec5; margin: 2px 0 6px; }
    .right .media { font-size: 12px; color: #9fb0bb; margin-bottom: 4px; }
    .right pre.code { --code-bg: #1b2327; --code-fg: #e8ecef; --hl-key: #9cdcfe; --hl-str: #a0e57a; --hl-num: #f7b26b; --hl-lit: #d7a4ff;
      max-height: 520px; }
    .right .schema-source summary { cursor: pointer; font-size: 13px; color: #cfd8dc; }
    .auth-line { font-size: 14px; }
    .params { width: 100%; border-collapse: collapse; font-size: 13.5px; }
    .params td, .params th { text-align: left; border-bottom: 1px solid var(--line-soft); padding: 5px 8px; vertical-align: top; }
    .params th { color: var(--muted); font-size: 12px; text-transform: uppercase; }
    .params td:first-child { white-space: nowrap; }
    .error { background: #fdecec; border: 1px solid #f1b5b5; color: #8a1f1f; border-radius: 8px; padding: 12px 16px; }
    @media (max-width: 1100px) {
      nav#side { position: static; width: auto; max-height: 40vh; border-right: 0; border-bottom: 1px solid var(--line); }
      main#content { margin-left: 0; }
      .row { grid-template-columns: 100%; }
    }
    """# + DocsPage.schemaStyle + #"""
    </style>
    </head>
    <body>
    <nav id="side"><div class="brand" id="brand">FlowGuard events gateway</div><div id="nav"></div></nav>
    <main id="content"><section class="row"><div class="mid"><p class="muted">Loading <code>/openapi.json</code>&hellip;</p></div>
      <div class="right"></div></section></main>

    """#

    private static let script = #"""
    (() => {
      "use strict";
      const F = FG;
      const esc = F.esc;
      const $ = (selector, root = document) => root.querySelector(selector);
      let tabGroup = 0;

      const verb = (method) => `<span class="verb v-${method}">${method}</span>`;

      /* A right-panel sample: one tab per entry, the first shown. */
      function tabs(title, entries) {
        if (!entries.length) return "";
        const group = `g${tabGroup++}`;
        const buttons = entries.map((e, k) =>
          `<button type="button" class="tab${k ? "" : " active"}" data-group="${group}" data-k="${k}">${esc(e.label)}</button>`).join("");
        const panes = entries.map((e, k) => `<div class="pane${k ? "" : " active"}" data-group="${group}" data-k="${k}">
          ${e.note ? `<div class="pane-note">${F.inline(e.note)}</div>` : ""}${e.html}</div>`).join("");
        return `<div class="sample"><h6>${esc(title)}</h6><div class="tabs">${buttons}</div>${panes}</div>`;
      }

      const codeBlock = (value) => `<pre class="code">${F.highlight(F.pretty(value))}</pre>`;

      function parametersHTML(params) {
        return params.length ? `<h5>Parameters</h5>${F.parameterTable(params)}` : "";
      }

      function responseClass(code) {
        if (code.startsWith("2") || code.startsWith("3")) return "ok";
        if (code.startsWith("4")) return "warn";
        return "bad";
      }

      function operationRow(o) {
        const op = o.op;
        const auth = F.securityText(op);
        const body = op.requestBody ? F.resolve(op.requestBody) : null;
        let mid = `<h3>${esc(op.summary || `${o.method.toUpperCase()} ${o.path}`)}</h3>
          <div class="endpoint"><span class="verb v-${o.method}">${o.method}</span><code>${esc(o.path)}</code></div>
          ${F.markdown(op.description)}
          ${auth ? `<p class="auth-line"><strong>Authentication:</strong> ${auth}.</p>` : ""}
          ${parametersHTML(o.params)}`;
        const requestSamples = [];
        if (body) {
          for (const [mediaType, media] of Object.entries(body.content || {})) {
            mid += `<h5>Request body <span class="muted">&middot; ${esc(mediaType)}${body.required ? " &middot; required" : ""}</span></h5>
              ${F.schemaBlock(media.schema, { compact: true })}`;
            for (const e of F.examplesOf(media)) {
              requestSamples.push({ label: e.name, note: e.summary, html: `<div class="media">${esc(mediaType)}</div>${codeBlock(e.value)}` });
            }
          }
        }
        mid += "<h5>Responses</h5>";
        const responseSamples = [];
        for (const [code, raw] of Object.entries(op.responses || {})) {
          const r = F.resolve(raw);
          const headers = Object.entries(r.headers || {}).map(([name, h]) => {
            const header = F.resolve(h);
            return `<li><code>${esc(name)}</code> <span class="muted">${F.typeLabel(header.schema || {})}</span>
              ${F.inline(header.description || "")}</li>`;
          }).join("");
          const contents = Object.entries(r.content || {}).map(([mediaType, media]) => {
            for (const e of F.examplesOf(media)) {
              responseSamples.push({ label: code, note: r.description, html: `<div class="media">${esc(mediaType)}</div>${codeBlock(e.value)}` });
            }
            return `<div class="muted small">${esc(mediaType)}</div>${F.schemaBlock(media.schema, { compact: true })}`;
          }).join("");
          const open = code.startsWith("2") ? " open" : "";
          mid += `<details class="resp ${responseClass(code)}"${open}><summary><span class="resp-code">${esc(code)}</span>${F.inline(r.description || "")}</summary>
            <div class="resp-body">${headers ? `<div class="small"><strong>Headers</strong><ul>${headers}</ul></div>` : ""}${contents}</div></details>`;
        }
        const right = tabs("Request samples", requestSamples) + tabs("Response samples", responseSamples);
        return `<section class="row op" id="${esc(o.anchor)}"><div class="mid">${mid}</div><div class="right">${right}</div></section>`;
      }

      function schemaRow(name, schema) {
        const source = `<details class="schema-source" open><summary>JSON Schema</summary>${codeBlock(schema)}</details>`;
        return `<section class="row" id="schema-${esc(name)}"><div class="mid"><h3>${esc(name)}</h3>
          ${F.markdown(schema.description)}${F.fieldTable({ $ref: `#/components/schemas/${name}` }, { compact: true })}</div>
          <div class="right">${source}</div></section>`;
      }

      function securityRow(doc) {
        const schemes = Object.entries((doc.components || {}).securitySchemes || {});
        if (!schemes.length) return "";
        const items = schemes.map(([name, raw]) => {
          const s = F.resolve(raw);
          const how = s.type === "apiKey" ? `<code>${esc(s.name)}</code> ${esc(s.in)}` : `<code>${esc(s.type)}</code> ${esc(s.scheme || "")}`;
          return `<li><strong>${esc(name)}</strong>: ${how}. ${F.inline(s.description || "")}</li>`;
        }).join("");
        return `<section class="row" id="authentication"><div class="mid"><h2>Authentication</h2><ul>${items}</ul></div>
          <div class="right"></div></section>`;
      }

      function render(doc) {
        const info = doc.info || {};
        document.title = `${info.title || "API"} \u00b7 API reference`;
        $("#brand").innerHTML = `${esc(info.title || "API")}<span class="ver">version ${esc(info.version || "?")} &middot; OpenAPI ${esc(doc.openapi || "")}</span>`;
        const groups = F.operations();
        let nav = '<div class="group">Overview</div><a href="#overview">Introduction</a>';
        if ((doc.components || {}).securitySchemes) nav += '<a href="#authentication">Authentication</a>';
        let html = `<section class="row" id="overview"><div class="mid"><h1>${esc(info.title || "API")}</h1>
          <div class="muted small">Version ${esc(info.version || "?")} &middot; <a href="/openapi.json">/openapi.json</a> &middot;
          <a href="/docs">interactive docs</a></div>${F.markdown(info.description || info.summary || "")}</div>
          <div class="right"></div></section>${securityRow(doc)}`;
        for (const g of groups) {
          const tagId = `tag-${g.tag.name.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
          nav += `<div class="group">${esc(g.tag.name)}</div>`;
          html += `<section class="row tag" id="${esc(tagId)}"><div class="mid"><h2>${esc(g.tag.name)}</h2>
            ${F.markdown(g.tag.description)}</div><div class="right"></div></section>`;
          for (const o of g.ops) {
            nav += `<a href="#${esc(o.anchor)}">${verb(o.method)}<span>${esc(o.op.summary || o.path)}</span></a>`;
            html += operationRow(o);
          }
        }
        const schemas = Object.entries((doc.components || {}).schemas || {});
        if (schemas.length) {
          nav += '<div class="group">Schemas</div>';
          html += '<section class="row tag" id="schemas"><div class="mid"><h2>Schemas</h2></div><div class="right"></div></section>';
          for (const [name, schema] of schemas) {
            nav += `<a href="#schema-${esc(name)}"><span>${esc(name)}</span></a>`;
            html += schemaRow(name, schema);
          }
        }
        $("#nav").innerHTML = nav;
        $("#content").innerHTML = html;
      }

      function followScroll() {
        if (!("IntersectionObserver" in window)) return;
        const links = new Map([...document.querySelectorAll("#nav a")].map((a) => [decodeURIComponent(a.getAttribute("href").slice(1)), a]));
        const observer = new IntersectionObserver((entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            const link = links.get(entry.target.id);
            if (!link) continue;
            for (const a of links.values()) a.classList.remove("active");
            link.classList.add("active");
          }
        }, { rootMargin: "0px 0px -70% 0px" });
        for (const section of document.querySelectorAll("#content section[id]")) observer.observe(section);
      }

      document.addEventListener("click", (event) => {
        const tab = event.target.closest(".tab");
        if (!tab) return;
        for (const el of document.querySelectorAll(`[data-group="${tab.dataset.group}"]`)) {
          el.classList.toggle("active", el.dataset.k === tab.dataset.k);
        }
      });

      F.load("/openapi.json").then((doc) => {
        render(doc);
        followScroll();
        if (location.hash) {
          const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
          if (target) target.scrollIntoView({ behavior: "instant" });
        }
      }).catch((err) => {
        $("#content").innerHTML = `<section class="row"><div class="mid"><div class="error">Could not load
          <code>/openapi.json</code>: ${esc(err.message)}</div></div><div class="right"></div></section>`;
      });
    })();

    """#
}
