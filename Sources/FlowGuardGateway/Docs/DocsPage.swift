/// The interactive API page served at `GET /docs`. It fetches `/openapi.json` when it loads, lists every
/// operation with its schemas, responses and named examples, and can send each request to the gateway.
/// The page is self-contained: inline CSS and JavaScript, no URL to another host.
enum DocsPage {
    /// The whole page.
    static let html = head + "<script>\n" + schemaScript + script + "</script>\n</body>\n</html>\n"

    /// Styles for what ``schemaScript`` renders (field tables, highlighted JSON); shared with ``RedocPage``.
    static let schemaStyle = #"""
    .fields { width: 100%; border-collapse: collapse; font-size: 13.5px; margin: 6px 0 10px; }
    .fields th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase;
      letter-spacing: .04em; border-bottom: 1px solid var(--line); padding: 6px 8px; }
    .fields td { border-bottom: 1px solid var(--line-soft); padding: 6px 8px; vertical-align: top; }
    .fields td.f-name { white-space: nowrap; }
    .fields td.f-name code { font-weight: 600; }
    .fields td.f-cons, .fields .f-cons { color: var(--muted); font-size: 12.5px; }
    .fields.compact td.f-name { white-space: normal; width: 40%; overflow-wrap: anywhere; }
    .fields.compact .f-desc { margin-top: 2px; }
    .req { color: var(--req); font-size: 12px; font-weight: 600; }
    .opt { color: var(--muted); font-size: 12px; }
    .muted { color: var(--muted); }
    .small { font-size: 12.5px; }
    a.ref { color: var(--accent); text-decoration: none; font-weight: 600; }
    a.ref:hover { text-decoration: underline; }
    code, pre, textarea, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
    code { font-size: .92em; }
    pre.code { background: var(--code-bg); color: var(--code-fg); border-radius: 6px; padding: 10px 12px;
      overflow: auto; font-size: 12.5px; line-height: 1.45; margin: 6px 0; max-height: 420px; }
    pre.code .k { color: var(--hl-key); }
    pre.code .s { color: var(--hl-str); }
    pre.code .n { color: var(--hl-num); }
    pre.code .l { color: var(--hl-lit); }
    .schema-name { margin: 6px 0 2px; font-size: 13.5px; }
    .schema-line { margin: 6px 0; font-size: 13.5px; }

    """#

    /// JavaScript shared with ``RedocPage``: loads the document, follows `$ref`s within it, and turns
    /// schemas, examples and markdown into HTML. Defines the global `FG`.
    static let schemaScript = #"""
    const FG = (() => {
      "use strict";
      let doc = {};
      const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];
      const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
      const esc = (value) => String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
      const json = (value) => JSON.stringify(value);

      async function load(url) {
        const res = await fetch(url, { headers: { Accept: "application/json" } });
        if (!res.ok) throw new Error(`${url} answered ${res.status} ${res.statusText}`);
        doc = await res.json();
        return doc;
      }

      /* A local JSON pointer such as "#/components/schemas/OrderEvent"; undefined when it leads nowhere. */
      function pointer(ref) {
        if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
        let node = doc;
        for (const raw of ref.slice(1).split("/").slice(1)) {
          const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
          if (node === null || typeof node !== "object") return undefined;
          node = node[key];
        }
        return node;
      }

      function resolve(node) {
        for (let hops = 0; node && typeof node === "object" && typeof node.$ref === "string" && hops < 32; hops++) {
          const target = pointer(node.$ref);
          if (target === undefined) return {};
          node = target;
        }
        return node || {};
      }

      const refName = (ref) => ref.split("/").pop();
      const schemaLink = (name) => `<a class="ref" href="#schema-${esc(name)}">${esc(name)}</a>`;

      function inline(text) {
        return esc(text || "")
          .replace(/`([^`]+)`/g, "<code>$1</code>")
          .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
      }

      /* Paragraphs, "- " lists, `code` and **bold**: all the markdown the document uses. */
      function markdown(text) {
        if (!text) return "";
        return String(text).split(/\n{2,}/).map((block) => {
          const lines = block.split("\n");
          if (lines.every((line) => /^\s*[-*] /.test(line))) {
            return `<ul>${lines.map((line) => `<li>${inline(line.replace(/^\s*[-*] /, ""))}</li>`).join("")}</ul>`;
          }
          return `<p>${inline(block)}</p>`;
        }).join("");
      }

      const isObjectLike = (s) => s.type === "object" || !!s.properties || !!s.allOf;

      function typeLabel(schema, depth = 0) {
        if (!schema || typeof schema !== "object") return "any";
        if (depth > 6) return "\u2026";
        if (schema.$ref) {
          const target = resolve(schema);
          const link = schemaLink(refName(schema.$ref));
          return isObjectLike(target) ? link : `${link} <span class="muted">(${typeLabel(target, depth + 1)})</span>`;
        }
        const alternatives = schema.oneOf || schema.anyOf;
        if (alternatives) return alternatives.map((s) => typeLabel(s, depth + 1)).join(' <span class="muted">or</span> ');
        if (schema.allOf) return schema.allOf.map((s) => typeLabel(s, depth + 1)).join(' <span class="muted">and</span> ');
        let type = schema.type;
        if (Array.isArray(type)) {
          return type.map((t) => typeLabel({ ...schema, type: t }, depth + 1)).join(' <span class="muted">or</span> ');
        }
        if (type === undefined && "const" in schema) type = schema.const === null ? "null" : typeof schema.const;
        if (type === undefined && Array.isArray(schema.enum) && schema.enum.length) type = typeof schema.enum[0];
        if (type === "array") return `array of ${schema.items ? typeLabel(schema.items, depth + 1) : "any"}`;
        if (type === "object" || (type === undefined && schema.properties)) {
          const extra = schema.additionalProperties;
          if (!schema.properties && extra && typeof extra === "object") {
            return `map of string \u2192 ${typeLabel(extra, depth + 1)}`;
          }
          return "object";
        }
        if (type === undefined) return "any";
        return esc(type) + (schema.format ? ` <span class="muted">(${esc(schema.format)})</span>` : "");
      }

      function rawConstraints(s) {
        const out = [];
        if (s.minLength !== undefined && s.maxLength !== undefined) out.push(`length ${s.minLength}\u2013${s.maxLength}`);
        else if (s.minLength !== undefined) out.push(`length \u2265 ${s.minLength}`);
        else if (s.maxLength !== undefined) out.push(`length \u2264 ${s.maxLength}`);
        if (s.minimum !== undefined) out.push(`\u2265 ${s.minimum}`);
        if (typeof s.exclusiveMinimum === "number") out.push(`> ${s.exclusiveMinimum}`);
        if (s.maximum !== undefined) out.push(`\u2264 ${s.maximum}`);
        if (typeof s.exclusiveMaximum === "number") out.push(`< ${s.exclusiveMaximum}`);
        if (s.pattern) out.push(`pattern ${s.pattern}`);
        if (s.minItems !== undefined) out.push(`at least ${s.minItems} items`);
        if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
        if ("const" in s) out.push(`= ${json(s.const)}`);
        else if (Array.isArray(s.enum)) out.push(`one of ${s.enum.map(json).join(", ")}`);
        if ("default" in s) out.push(`default ${json(s.default)}`);
        if (s.additionalProperties === false) out.push("no other fields");
        for (const alternative of s.oneOf || s.anyOf || []) {
          const target = resolve(alternative);
          const inner = rawConstraints(target);
          if (inner.length) out.push(`${target.type || "value"}: ${inner.join(", ")}`);
        }
        return out;
      }

      const constraints = (schema) => rawConstraints(schema).map(esc);

      /* One object schema out of an allOf: properties and required lists merged, later parts winning. */
      function flatten(schema, depth = 0) {
        const s = resolve(schema);
        if (!Array.isArray(s.allOf) || depth > 8) return s;
        const merged = { ...s, properties: { ...(s.properties || {}) }, required: [...(s.required || [])] };
        delete merged.allOf;
        for (const part of s.allOf) {
          const p = flatten(part, depth + 1);
          if (p.type && !merged.type) merged.type = p.type;
          for (const [name, prop] of Object.entries(p.properties || {})) {
            merged.properties[name] = merged.properties[name] ? { ...resolve(merged.properties[name]), ...prop } : prop;
          }
          merged.required.push(...(p.required || []));
          if (p.additionalProperties === false) merged.additionalProperties = false;
          if (merged.additionalProperties === undefined && p.additionalProperties !== undefined) {
            merged.additionalProperties = p.additionalProperties;
          }
          if (!merged.description && p.description) merged.description = p.description;
        }
        merged.required = [...new Set(merged.required)];
        return merged;
      }

      /* The fields of an object schema, nested objects, arrays of objects and maps expanded in place. */
      function fieldRows(schema, prefix = "", depth = 0, rows = []) {
        const s = flatten(schema);
        const required = new Set(s.required || []);
        for (const [name, prop] of Object.entries(s.properties || {})) {
          const target = resolve(prop);
          const effective = prop && prop.$ref ? { ...target, ...prop } : prop;
          rows.push({
            prefix, name, depth,
            type: typeLabel(prop),
            constraints: constraints(effective || {}),
            required: required.has(name),
            description: (prop && prop.description) || target.description || "",
          });
          if (depth >= 4) continue;
          const inner = flatten(prop);
          const extra = inner.additionalProperties;
          if (inner.properties) {
            fieldRows(inner, `${prefix}${name}.`, depth + 1, rows);
          } else if (inner.type === "array" && inner.items && flatten(inner.items).properties) {
            fieldRows(inner.items, `${prefix}${name}[].`, depth + 1, rows);
          } else if (extra && typeof extra === "object" && flatten(extra).properties) {
            fieldRows(extra, `${prefix}${name}.<name>.`, depth + 1, rows);
          }
        }
        return rows;
      }

      /* The schema's fields as a table: five columns, or with { compact: true } two (name | the rest). */
      function fieldTable(schema, options = {}) {
        const s = flatten(schema);
        const rows = fieldRows(schema);
        if (!rows.length) {
          const c = constraints(s);
          let html = `<p class="schema-line">Type: ${typeLabel(s)}${c.length ? ` <span class="muted">\u00b7 ${c.join(", ")}</span>` : ""}</p>`;
          if (isObjectLike(s) && s.additionalProperties !== false) html += '<p class="muted small">A free-form JSON object.</p>';
          return html;
        }
        const nameCell = (r) => `<td class="f-name" style="padding-left:${8 + r.depth * 18}px"><span class="muted">${
          esc(r.prefix).replace(/\./g, ".<wbr>")}</span><code>${esc(r.name)}</code>`;
        const requiredMark = (r) => (r.required ? '<span class="req">required</span>' : '<span class="opt">optional</span>');
        let note = "";
        if (s.additionalProperties === false) note = '<p class="muted small">No other fields are allowed.</p>';
        else if (s.additionalProperties === true) note = '<p class="muted small">Other fields may appear.</p>';
        if (options.compact) {
          const body = rows.map((r) => `<tr>${nameCell(r)}<div>${requiredMark(r)}</div></td>
            <td><div class="f-type">${r.type}${r.constraints.length ? ` <span class="f-cons">\u00b7 ${r.constraints.join(", ")}</span>` : ""}</div>
            ${r.description ? `<div class="f-desc">${inline(r.description)}</div>` : ""}</td></tr>`).join("");
          return `<table class="fields compact"><tbody>${body}</tbody></table>${note}`;
        }
        const body = rows.map((r) => `<tr>${nameCell(r)}</td>
          <td class="f-type">${r.type}</td>
          <td class="f-cons">${r.constraints.join("<br>")}</td>
          <td>${requiredMark(r)}</td>
          <td class="f-desc">${inline(r.description)}</td></tr>`).join("");
        return `<table class="fields"><thead><tr><th>Field</th><th>Type</th><th>Constraints</th><th>Required</th>
          <th>Description</th></tr></thead><tbody>${body}</tbody></table>${note}`;
      }

      /* The parameters of an operation as a table: name, where it goes, type and constraints, required, description. */
      function parameterTable(params) {
        const rows = params.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td>
          <td>${typeLabel(p.schema || {})} <span class="muted small">${constraints(p.schema || {}).join(", ")}</span></td>
          <td>${p.required ? '<span class="req">required</span>' : '<span class="opt">optional</span>'}</td>
          <td>${inline(p.description || "")}</td></tr>`).join("");
        return `<table class="params"><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th>
          <th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
      }

      /* A schema's name (when it is a $ref), its description and its field table. */
      function schemaBlock(schema, options = {}) {
        if (!schema) return "";
        const s = flatten(schema);
        let html = schema.$ref ? `<div class="schema-name">Schema ${schemaLink(refName(schema.$ref))}</div>` : "";
        if (s.description) html += `<div class="schema-desc muted small">${inline(s.description)}</div>`;
        return html + fieldTable(schema, options);
      }

      function examplesOf(media) {
        if (!media) return [];
        if (media.examples && typeof media.examples === "object") {
          return Object.entries(media.examples).map(([name, example]) => {
            const e = resolve(example);
            return { name, summary: e.summary || "", value: e.value };
          });
        }
        if (media.example !== undefined) return [{ name: "example", summary: "", value: media.example }];
        return [];
      }

      const pretty = (value) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));

      /* JSON text as HTML with keys, strings, numbers and literals in their own spans. */
      function highlight(text) {
        const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
        let html = "";
        let last = 0;
        let m;
        while ((m = token.exec(text)) !== null) {
          html += esc(text.slice(last, m.index));
          if (m[1]) html += m[2] ? `<span class="k">${esc(m[1])}</span>${esc(m[2])}` : `<span class="s">${esc(m[1])}</span>`;
          else if (m[3]) html += `<span class="l">${m[0]}</span>`;
          else html += `<span class="n">${m[0]}</span>`;
          last = token.lastIndex;
        }
        return html + esc(text.slice(last));
      }

      /* Operations grouped by their first tag, in the order of the document's tags. */
      function operations() {
        const groups = new Map();
        for (const tag of doc.tags || []) groups.set(tag.name, { tag, ops: [] });
        let index = 0;
        for (const [path, rawItem] of Object.entries(doc.paths || {})) {
          const item = resolve(rawItem);
          for (const method of METHODS) {
            const op = item[method];
            if (!op) continue;
            const tagName = (op.tags && op.tags[0]) || "default";
            if (!groups.has(tagName)) groups.set(tagName, { tag: { name: tagName }, ops: [] });
            const params = [...(item.parameters || []), ...(op.parameters || [])].map(resolve);
            const anchor = "op-" + (op.operationId || `${method}${path}`).replace(/[^A-Za-z0-9_-]+/g, "-");
            groups.get(tagName).ops.push({ index: index++, path, method, op, params, anchor });
          }
        }
        return [...groups.values()].filter((g) => g.ops.length);
      }

      function describeScheme(name) {
        const scheme = resolve(((doc.components || {}).securitySchemes || {})[name]);
        if (scheme.type === "apiKey") return `<code>${esc(scheme.name)}</code> ${esc(scheme.in)}`;
        if (scheme.type === "http") {
          const kind = String(scheme.scheme || "");
          return `<code>Authorization: ${esc(kind.charAt(0).toUpperCase() + kind.slice(1))}</code>`;
        }
        return esc(name);
      }

      /* The operation's security alternatives in words; "" when it needs none. */
      function securityText(op) {
        const requirements = op.security || doc.security || [];
        if (!requirements.length) return "";
        return requirements.map((requirement) => {
          const names = Object.keys(requirement);
          return names.length ? names.map(describeScheme).join(" + ") : "none";
        }).join(", or ");
      }

      function reveal(id) {
        const target = document.getElementById(id);
        if (!target) return;
        for (let d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
        if (target.tagName === "DETAILS") target.open = true;
      }

      return {
        load, resolve, refName, esc, inline, markdown, typeLabel, constraints, flatten, fieldRows, fieldTable,
        schemaBlock, parameterTable, examplesOf, pretty, highlight, operations, securityText, reveal,
        get doc() { return doc; },
      };
    })();

    """#

    private static let head = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>FlowGuard events gateway &middot; API docs</title>
    <style>
    :root {
      --bg: #f6f7f9; --card: #ffffff; --text: #1d2430; --muted: #6a7280; --line: #d9dde3; --line-soft: #eceef2;
      --accent: #2f5fd0; --req: #c0392b; --code-bg: #f1f3f6; --code-fg: #1d2430;
      --hl-key: #7a3e9d; --hl-str: #1d7a3a; --hl-num: #b35c00; --hl-lit: #2f5fd0;
      --get: #2f6fdb; --post: #1e9e63; --put: #c77d12; --delete: #cc3b3b; --patch: #8a54c9;
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
    .wrap { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
    header.top { background: #18202e; color: #fff; padding: 22px 0 18px; }
    header.top h1 { margin: 0; font-size: 24px; font-weight: 650; display: inline; }
    header.top .badge { display: inline-block; margin-left: 10px; padding: 1px 8px; border-radius: 10px; font-size: 12px;
      background: #33415a; color: #dfe6f3; vertical-align: 3px; }
    header.top .links { margin-top: 6px; font-size: 13.5px; color: #aab6c9; }
    header.top .links a { color: #cfe0ff; }
    #intro { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px; margin: 20px 0; }
    #intro p { margin: 12px 0; }
    .auth { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; background: var(--card); border: 1px solid var(--line);
      border-radius: 8px; padding: 12px 20px; margin-bottom: 20px; font-size: 14px; }
    .auth input[type=password], .auth input[type=text] { width: 320px; max-width: 100%; }
    input, select, textarea { font: inherit; font-size: 14px; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px;
      background: #fff; color: var(--text); }
    textarea { width: 100%; font-size: 13px; line-height: 1.45; resize: vertical; }
    button { font: inherit; font-size: 14px; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 6px 12px;
      cursor: pointer; }
    button:hover { border-color: var(--accent); }
    button.send { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
    button.send:disabled { opacity: .6; cursor: wait; }
    h2.tag { margin: 30px 0 4px; font-size: 20px; text-transform: capitalize; }
    p.tag-desc { margin: 0 0 12px; color: var(--muted); }
    details.op { background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--m); border-radius: 8px;
      margin: 10px 0; }
    details.op > summary { list-style: none; cursor: pointer; display: flex; align-items: center; gap: 12px; padding: 10px 14px; }
    details.op > summary::-webkit-details-marker { display: none; }
    details.op[open] > summary { border-bottom: 1px solid var(--line-soft); }
    .m-get { --m: var(--get); } .m-post { --m: var(--post); } .m-put { --m: var(--put); }
    .m-delete { --m: var(--delete); } .m-patch { --m: var(--patch); }
    .method { background: var(--m, #777); color: #fff; font-weight: 700; font-size: 12.5px; min-width: 58px; text-align: center;
      border-radius: 4px; padding: 3px 0; }
    .path { font-size: 15px; font-weight: 600; }
    .op-summary { color: var(--muted); flex: 1; }
    .lock { font-size: 11.5px; color: var(--muted); border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; }
    .op-body { padding: 4px 18px 16px; }
    .op-body h4 { margin: 18px 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: .05em; color: #3a4352; }
    .auth-line { font-size: 14px; }
    .params { width: 100%; border-collapse: collapse; font-size: 13.5px; }
    .params td, .params th { text-align: left; border-bottom: 1px solid var(--line-soft); padding: 5px 8px; vertical-align: top; }
    .params th { color: var(--muted); font-size: 12px; text-transform: uppercase; }
    .params td:first-child { white-space: nowrap; }
    .example { margin: 8px 0 12px; }
    .ex-title { font-size: 13.5px; }
    .try { background: #f3f6fc; border: 1px solid #d5def0; border-radius: 8px; padding: 4px 14px 14px; margin: 16px 0; }
    .try-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
    .try-row select { max-width: 100%; }
    .try-params { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
    .try-params label { display: flex; flex-direction: column; font-size: 12.5px; color: var(--muted); gap: 2px; }
    .hint { font-size: 12.5px; color: var(--muted); }
    .result { margin-top: 10px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
    .status { font-weight: 700; font-size: 15px; }
    .status.s2 { color: #1e9e63; } .status.s3 { color: #2f6fdb; } .status.s4 { color: #c77d12; } .status.s5 { color: #cc3b3b; }
    .status.s0 { color: #cc3b3b; }
    .label { font-size: 12px; text-transform: uppercase; color: var(--muted); margin-top: 8px; letter-spacing: .04em; }
    table.kv { border-collapse: collapse; font-size: 12.5px; margin: 4px 0; }
    table.kv td { padding: 2px 12px 2px 0; vertical-align: top; }
    table.kv tr.hl td { background: #fff6d6; }
    .rid { font-size: 13.5px; margin-top: 4px; }
    .responses details.resp { border: 1px solid var(--line-soft); border-radius: 6px; margin: 6px 0; }
    .responses details.resp > summary { cursor: pointer; padding: 6px 10px; font-size: 14px; }
    .resp-body { padding: 0 12px 8px; }
    .code-badge { display: inline-block; min-width: 42px; text-align: center; font-weight: 700; border-radius: 4px; padding: 0 6px;
      font-size: 13px; color: #fff; margin-right: 6px; }
    .c2 { background: #1e9e63; } .c3 { background: #2f6fdb; } .c4 { background: #c77d12; } .c5 { background: #cc3b3b; }
    .cd { background: #777; }
    .media-type { font-size: 12.5px; color: var(--muted); margin-top: 8px; }
    .headers ul { margin: 4px 0; padding-left: 18px; font-size: 13.5px; }
    section#schemas { margin: 36px 0 60px; }
    details.schema { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; }
    details.schema > summary { cursor: pointer; padding: 8px 14px; }
    details.schema > summary code { font-weight: 700; font-size: 14px; }
    .schema-body { padding: 0 16px 10px; }
    .error { background: #fdecec; border: 1px solid #f1b5b5; color: #8a1f1f; border-radius: 8px; padding: 12px 16px; }
    footer { color: var(--muted); font-size: 12.5px; padding: 20px 0 40px; }
    """# + schemaStyle + #"""
    </style>
    </head>
    <body>
    <header class="top">
      <div class="wrap">
        <h1 id="title">FlowGuard events gateway</h1><span class="badge" id="version"></span><span class="badge">OpenAPI 3.1</span>
        <div class="links"><a href="/openapi.json">/openapi.json</a> &middot; <a href="/redoc">reference view</a>
          &middot; base <span id="base"></span></div>
      </div>
    </header>
    <main class="wrap">
      <section id="intro"><p class="muted">Loading <code>/openapi.json</code>&hellip;</p></section>
      <section class="auth">
        <label for="api-key"><strong>API key</strong></label>
        <input id="api-key" type="password" autocomplete="off" placeholder="only needed when the gateway has API keys">
        <label><input id="show-key" type="checkbox"> show</label>
        <span class="hint">Sent as <code>X-API-Key</code> with requests to endpoints that accept a key.</span>
      </section>
      <div id="ops"></div>
      <section id="schemas"></section>
    </main>
    <footer class="wrap">Rendered in the browser from <a href="/openapi.json">/openapi.json</a>.</footer>

    """#

    private static let script = #"""
    (() => {
      "use strict";
      const F = FG;
      const esc = F.esc;
      const $ = (selector, root = document) => root.querySelector(selector);
      let ops = [];

      function renderIntro(doc) {
        const info = doc.info || {};
        document.title = `${info.title || "API"} \u00b7 API docs`;
        $("#title").textContent = info.title || "API";
        $("#version").textContent = info.version ? `v${info.version}` : "";
        $("#intro").innerHTML = F.markdown(info.description || info.summary || "");
      }

      function parametersHTML(params) {
        return params.length ? `<h4>Parameters</h4>${F.parameterTable(params)}` : "";
      }

      function requestBodyHTML(body) {
        return Object.entries(body.content || {}).map(([mediaType, media]) => {
          const examples = F.examplesOf(media);
          const exampleHTML = examples.map((e) => `<div class="example"><div class="ex-title"><code>${esc(e.name)}</code>
            ${e.summary ? `<span class="muted">&middot; ${esc(e.summary)}</span>` : ""}</div>
            <pre class="code">${F.highlight(F.pretty(e.value))}</pre></div>`).join("");
          return `<h4>Request body</h4>
            <div class="media-type"><code>${esc(mediaType)}</code>${body.required ? " &middot; required" : ""}</div>
            ${body.description ? F.markdown(body.description) : ""}
            ${F.schemaBlock(media.schema)}
            ${examples.length ? `<h4>Examples</h4>${exampleHTML}` : ""}`;
        }).join("");
      }

      function responsesHTML(responses) {
        const items = Object.entries(responses || {}).map(([code, raw]) => {
          const r = F.resolve(raw);
          const headers = Object.entries(r.headers || {}).map(([name, h]) => {
            const header = F.resolve(h);
            return `<li><code>${esc(name)}</code> <span class="muted">${F.typeLabel(header.schema || {})}</span>
              ${F.inline(header.description || "")}</li>`;
          }).join("");
          const contents = Object.entries(r.content || {}).map(([mediaType, media]) => {
            const examples = F.examplesOf(media).map((e) => `<pre class="code">${F.highlight(F.pretty(e.value))}</pre>`).join("");
            return `<div class="media-type"><code>${esc(mediaType)}</code></div>${F.schemaBlock(media.schema)}
              ${examples ? `<div class="label">Example</div>${examples}` : ""}`;
          }).join("");
          const open = code.startsWith("2") ? " open" : "";
          const colour = /^[1-5]/.test(code) ? `c${code[0]}` : "cd";
          return `<details class="resp"${open}><summary><span class="code-badge ${colour}">${esc(code)}</span>
            ${F.inline(r.description || "")}</summary><div class="resp-body">
            ${headers ? `<div class="headers"><div class="label">Headers</div><ul>${headers}</ul></div>` : ""}
            ${contents}</div></details>`;
        }).join("");
        return `<h4>Responses</h4><div class="responses">${items}</div>`;
      }

      function responseMediaTypes(op) {
        const types = new Set();
        for (const [code, raw] of Object.entries(op.responses || {})) {
          if (code.startsWith("2")) for (const mediaType of Object.keys(F.resolve(raw).content || {})) types.add(mediaType);
        }
        return [...types];
      }

      function tryItHTML(o) {
        const hasBody = !!o.op.requestBody;
        const examples = o.examples;
        const inputs = o.params.filter((p) => ["query", "header", "path"].includes(p.in)).map((p) => {
          const schema = p.schema || {};
          const control = Array.isArray(schema.enum)
            ? `<select data-param="${esc(p.name)}" data-in="${esc(p.in)}"><option value="">(none)</option>
                ${schema.enum.map((v) => `<option>${esc(v)}</option>`).join("")}</select>`
            : `<input data-param="${esc(p.name)}" data-in="${esc(p.in)}" placeholder="${p.required ? "required" : "optional"}">`;
          return `<label>${esc(p.name)} (${esc(p.in)})${control}</label>`;
        });
        const accepts = responseMediaTypes(o.op);
        if (accepts.length > 1) {
          inputs.push(`<label>Accept<select data-role="accept"><option value="">(any)</option>
            ${accepts.map((t) => `<option>${esc(t)}</option>`).join("")}</select></label>`);
        }
        const picker = examples.length > 1
          ? `<select data-role="example">${examples.map((e, k) => `<option value="${k}">${esc(e.name)}${e.summary ? ` \u2014 ${esc(e.summary)}` : ""}</option>`).join("")}</select>`
          : "";
        const bodyHTML = hasBody ? `<div class="try-row">${picker}<button type="button" data-action="reset">Reset to example</button></div>
          <textarea data-role="body" spellcheck="false" rows="10">${esc(examples.length ? F.pretty(examples[0].value) : "{}")}</textarea>` : "";
        return `<div class="try" data-index="${o.index}">
          <h4>Try it</h4>
          ${bodyHTML}
          ${inputs.length ? `<div class="try-params">${inputs.join("")}</div>` : ""}
          <div class="try-row"><button type="button" class="send" data-action="send">Send</button>
            <span class="hint"><code>${o.method.toUpperCase()} ${esc(o.path)}</code>${hasBody ? " with <code>Content-Type: application/json</code>" : ""}</span></div>
          <div class="result" data-role="result" hidden></div>
        </div>`;
      }

      function operationHTML(o) {
        const op = o.op;
        const auth = F.securityText(op);
        const body = op.requestBody ? F.resolve(op.requestBody) : null;
        return `<details class="op m-${o.method}" id="${esc(o.anchor)}">
          <summary><span class="method">${o.method.toUpperCase()}</span><code class="path">${esc(o.path)}</code>
            <span class="op-summary">${esc(op.summary || "")}</span>${auth ? '<span class="lock">API key</span>' : ""}</summary>
          <div class="op-body">
            ${F.markdown(op.description)}
            ${auth ? `<p class="auth-line"><strong>Authentication:</strong> ${auth}.</p>` : ""}
            ${parametersHTML(o.params)}
            ${body ? requestBodyHTML(body) : ""}
            ${tryItHTML(o)}
            ${responsesHTML(op.responses)}
          </div>
        </details>`;
      }

      function schemasHTML(doc) {
        const schemas = Object.entries((doc.components || {}).schemas || {});
        if (!schemas.length) return "";
        return `<h2 class="tag">Schemas</h2>` + schemas.map(([name, s]) => `<details class="schema" id="schema-${esc(name)}">
          <summary><code>${esc(name)}</code> <span class="muted small">${F.typeLabel(s)}</span></summary>
          <div class="schema-body">${F.markdown(s.description)}${F.fieldTable({ $ref: `#/components/schemas/${name}` })}</div>
        </details>`).join("");
      }

      function curlCommand(url, init) {
        const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
        const parts = ["curl", "-i", "-X", init.method, quote(location.origin + url)];
        for (const [name, value] of Object.entries(init.headers)) parts.push("-H", quote(`${name}: ${value}`));
        if (init.body !== undefined) parts.push("--data-binary", quote(init.body));
        return parts.join(" ");
      }

      function showResult(box, res, text, ms, url, init) {
        const type = res.headers.get("content-type") || "";
        let body = text;
        let isJSON = false;
        if (type.includes("json")) {
          try { body = JSON.stringify(JSON.parse(text), null, 2); isJSON = true; } catch (e) { isJSON = false; }
        }
        if (body.length > 20000) body = `${body.slice(0, 20000)}\n\u2026 (${text.length} characters in all)`;
        const requestId = res.headers.get("x-request-id");
        const headerRows = [...res.headers.entries()].map(([name, value]) =>
          `<tr${name.toLowerCase() === "x-request-id" ? ' class="hl"' : ""}><td><code>${esc(name)}</code></td><td><code>${esc(value)}</code></td></tr>`).join("");
        box.innerHTML = `<div class="status s${String(res.status)[0]}">${res.status} ${esc(res.statusText)}
            <span class="muted small">&middot; ${ms} ms</span></div>
          ${requestId ? `<div class="rid">X-Request-ID: <code>${esc(requestId)}</code></div>` : ""}
          <div class="label">Response headers</div><table class="kv">${headerRows}</table>
          <div class="label">Response body</div>
          <pre class="code">${body ? (isJSON ? F.highlight(body) : esc(body)) : '<span class="muted">(empty)</span>'}</pre>
          <details><summary class="small muted">As curl</summary><pre class="code">${esc(curlCommand(url, init))}</pre></details>`;
      }

      async function send(o, panel, button) {
        const result = $("[data-role=result]", panel);
        let path = o.path;
        const query = new URLSearchParams();
        const headers = {};
        for (const input of panel.querySelectorAll("[data-param]")) {
          const value = input.value.trim();
          if (!value) continue;
          const name = input.dataset.param;
          if (input.dataset.in === "query") query.append(name, value);
          else if (input.dataset.in === "header") headers[name] = value;
          else if (input.dataset.in === "path") path = path.replace(`{${name}}`, encodeURIComponent(value));
        }
        const accept = $("[data-role=accept]", panel);
        if (accept && accept.value) headers.Accept = accept.value;
        const key = $("#api-key").value.trim();
        if (key && F.securityText(o.op)) headers["X-API-Key"] = key;
        const init = { method: o.method.toUpperCase(), headers };
        const textarea = $("[data-role=body]", panel);
        if (textarea) {
          headers["Content-Type"] = "application/json";
          init.body = textarea.value;
        }
        const url = path + (query.toString() ? `?${query}` : "");
        result.hidden = false;
        result.innerHTML = '<div class="muted">Sending&hellip;</div>';
        button.disabled = true;
        const started = performance.now();
        try {
          const res = await fetch(url, init);
          const text = await res.text();
          showResult(result, res, text, Math.round(performance.now() - started), url, init);
        } catch (err) {
          result.innerHTML = `<div class="status s0">The request failed: ${esc(err.message)}</div>`;
        } finally {
          button.disabled = false;
        }
      }

      function resetBody(o, panel) {
        const textarea = $("[data-role=body]", panel);
        if (!textarea) return;
        const picker = $("[data-role=example]", panel);
        const example = o.examples[picker ? Number(picker.value) : 0];
        textarea.value = example ? F.pretty(example.value) : "{}";
      }

      function wire() {
        document.addEventListener("click", (event) => {
          const link = event.target.closest('a[href^="#"]');
          if (link) F.reveal(decodeURIComponent(link.getAttribute("href").slice(1)));
          const button = event.target.closest("[data-action]");
          if (!button) return;
          const panel = button.closest(".try");
          const o = ops[Number(panel.dataset.index)];
          if (button.dataset.action === "send") send(o, panel, button);
          else if (button.dataset.action === "reset") resetBody(o, panel);
        });
        document.addEventListener("change", (event) => {
          if (!event.target.matches("select[data-role=example]")) return;
          const panel = event.target.closest(".try");
          resetBody(ops[Number(panel.dataset.index)], panel);
        });
        const keyInput = $("#api-key");
        try { keyInput.value = sessionStorage.getItem("flowguard.apiKey") || ""; } catch (e) { keyInput.value = ""; }
        keyInput.addEventListener("input", () => {
          try { sessionStorage.setItem("flowguard.apiKey", keyInput.value); } catch (e) { }
        });
        $("#show-key").addEventListener("change", (event) => { keyInput.type = event.target.checked ? "text" : "password"; });
        window.addEventListener("hashchange", () => F.reveal(decodeURIComponent(location.hash.slice(1))));
      }

      async function main() {
        $("#base").textContent = location.origin;
        wire();
        try {
          const doc = await F.load("/openapi.json");
          renderIntro(doc);
          const groups = F.operations();
          ops = [];
          const html = groups.map((g) => {
            for (const o of g.ops) {
              const body = o.op.requestBody ? F.resolve(o.op.requestBody) : null;
              const media = body && body.content ? Object.values(body.content)[0] : null;
              o.examples = F.examplesOf(media);
              ops[o.index] = o;
            }
            return `<h2 class="tag">${esc(g.tag.name)}</h2>${g.tag.description ? `<p class="tag-desc">${F.inline(g.tag.description)}</p>` : ""}
              ${g.ops.map(operationHTML).join("")}`;
          }).join("");
          $("#ops").innerHTML = html;
          $("#schemas").innerHTML = schemasHTML(doc);
          if (location.hash) {
            F.reveal(decodeURIComponent(location.hash.slice(1)));
            const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
            if (target) target.scrollIntoView({ behavior: "instant" });
          }
        } catch (err) {
          $("#intro").innerHTML = `<div class="error">Could not load <code>/openapi.json</code>: ${esc(err.message)}</div>`;
        }
      }

      main();
    })();

    """#
}
