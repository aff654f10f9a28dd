/// The console's one JavaScript file, served as `/assets/console.js`. Pages work without it; it adds
/// live mode. It never puts record data into markup: every piece goes in through `textContent`.
enum ConsoleScript {
    static let source = #"""
        "use strict";
        document.documentElement.classList.add("js");

        function cell(row, content) {
          const td = document.createElement("td");
          if (content instanceof Node) td.appendChild(content); else td.textContent = content;
          row.appendChild(td);
        }

        function text(tag, value, className) {
          const element = document.createElement(tag);
          element.textContent = value;
          if (className) element.className = className;
          return element;
        }

        // One record of `flowguard tail --format json` as a table row, built like the server's.
        function recordRow(record, topicPath) {
          const row = document.createElement("tr");
          row.className = "live";
          cell(row, String(record.partition));
          const link = document.createElement("a");
          link.href = topicPath + "/records/" + encodeURIComponent(record.partition) + "/" + encodeURIComponent(record.offset);
          link.textContent = String(record.offset);
          cell(row, link);
          cell(row, record.timestamp === null ? "-" : String(record.timestamp));
          cell(row, record.key === null ? text("span", "null", "badge null") : text("code", String(record.key)));
          const headers = document.createElement("ul");
          headers.className = "headers";
          for (const name of Object.keys(record.headers || {})) {
            const value = record.headers[name];
            headers.appendChild(text("li", name + ": " + (value === null ? "null" : value)));
          }
          cell(row, headers);
          let value = record.value;
          let shown;
          if (value !== null && typeof value === "object") {
            const details = document.createElement("details");
            details.className = "json";
            details.open = true;
            details.appendChild(text("summary", "JSON"));
            details.appendChild(text("pre", JSON.stringify(value, null, 2).slice(0, 2000)));
            shown = details;
          } else if (value === null) {
            shown = text("span", "null", "badge null");
          } else {
            value = String(value);
            shown = text("pre", value.length > 2000 ? value.slice(0, 2000) + "…" : value, "text");
          }
          cell(row, shown);
          return row;
        }

        function setUpLive() {
          const toggle = document.getElementById("live-toggle");
          const pause = document.getElementById("live-pause");
          const status = document.getElementById("live-status");
          const body = document.querySelector("#records tbody");
          if (!toggle || !pause || !body) return;
          const cap = parseInt(toggle.dataset.cap, 10) || 500;
          const topicPath = location.pathname.replace(/\/messages$/, "");
          let source = null;
          let paused = false;
          let waiting = [];

          function show(record) {
            body.insertBefore(recordRow(record, topicPath), body.firstChild);
            while (body.rows.length > cap) body.deleteRow(body.rows.length - 1);
          }
          function describe() {
            if (!source) { status.textContent = ""; return; }
            status.textContent = paused ? "paused, " + waiting.length + " new waiting" : "live: new records appear at the top";
          }
          toggle.addEventListener("click", function () {
            if (source) {
              source.close();
              source = null;
              toggle.textContent = "Live";
              pause.hidden = true;
              waiting = [];
              paused = false;
            } else {
              source = new EventSource(toggle.dataset.stream);
              source.onmessage = function (event) {
                const record = JSON.parse(event.data);
                if (paused) {
                  waiting.push(record);
                  if (waiting.length > cap) waiting.shift();
                } else {
                  show(record);
                }
                describe();
              };
              source.onerror = function () { status.textContent = "live: reconnecting…"; };
              toggle.textContent = "Stop live";
              pause.hidden = false;
              pause.textContent = "Pause";
            }
            describe();
          });
          pause.addEventListener("click", function () {
            paused = !paused;
            pause.textContent = paused ? "Resume" : "Pause";
            if (!paused) { waiting.forEach(show); waiting = []; }
            describe();
          });
        }

        document.addEventListener("DOMContentLoaded", setUpLive);
        """#
}
