#!/usr/bin/env python3
"""Summarises one bench/run.sh results folder.

    bench/summarize.py bench/results/<folder>

Reads what bench/run.sh left there (each part is optional; what is missing is reported as not
measured):

    env.txt                         machine, versions, settings
    side-by-side-c<N>/results.txt   RESULT lines of ../shared/peer-bench/run_side_by_side.sh
    fixed-rate/results.txt          FIXED lines, with the simulate reports (*.json) they name
    batch/results.txt               BATCH lines (bench/wrk/post_order_batch.lua + Kafka counts)
    cold-start/results.txt          COLDSTART lines (bench/coldstart.py)
    footprint/results.txt           FOOTPRINT line

and writes into the same folder:

    results.md          the full report: every table, ratios, and issue 7's targets, met or not
    readme-section.md   the README's "Measured figures" section, headline ratios first
    throughput.png      2xx req/s per server at each connection count (needs matplotlib)
    latency.png         p50 / p99 / p99.9 of the fixed-rate runs per server (needs matplotlib)

The tables need only the standard library; without matplotlib the plots are skipped.
"""
import json
import math
import os
import shlex
import statistics
import sys

SYSTEMS = ["nginx", "peer_async", "peer_sync", "flowguard"]
LABELS = {
    "nginx": "nginx `return 202` (HTTP ceiling, no Kafka)",
    "peer_async": "Python peer, fire-and-forget (async: 202 before Kafka has it)",
    "peer_sync": "Python peer, ack-awaited (sync: 202 after acks=all)",
    "flowguard": "**FlowGuard** (202 after acks=all, with partition and offset)",
}
SHORT = {"nginx": "nginx 202", "peer_async": "peer async", "peer_sync": "peer sync", "flowguard": "FlowGuard"}
ROLE_TO_SYSTEM = {"nginx": "nginx", "peer_async": "peer_async", "peer_sync": "peer_sync", "gateway": "flowguard"}
ENDPOINTS = ["orders", "clicks"]
MIB = 1024 * 1024

# Issue 7's targets.
TARGET_SYNC, TARGET_ASYNC, TARGET_NGINX = 5.0, 3.0, 0.30
TARGET_P99_MS, TARGET_P999_MS = 10.0, 25.0
TARGET_BATCH_EPS = 300_000
TARGET_IDLE_MIB, TARGET_PEAK_MIB = 40.0, 80.0
TARGET_COLD_MS = 200.0


# ---------------------------------------------------------------------------------------------
# Reading

def read_lines(path, tag):
    """key=value dicts of the lines of PATH that start with TAG (values may be "quoted")."""
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            words = shlex.split(line)
            if not words or words[0] != tag:
                continue
            row = {}
            for w in words[1:]:
                key, _, value = w.partition("=")
                row[key] = value
            rows.append(row)
    return rows


def num(value):
    """A number from a RESULT value; None for '-' or ''."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_env(folder):
    path = os.path.join(folder, "env.txt")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def settings(env):
    """KEY=value words of env.txt's settings line."""
    for line in env:
        if line.startswith("settings:"):
            return {k: v.strip('"') for k, _, v in (w.partition("=") for w in shlex.split(line[9:]))}
    return {}


def read_side_by_side(folder):
    """{conns: {system: {rep: {"orders": row, "clicks": row, "proc": row}}}}"""
    out = {}
    for name in sorted(os.listdir(folder)):
        if not name.startswith("side-by-side-c"):
            continue
        path = os.path.join(folder, name, "results.txt")
        if not os.path.isdir(os.path.join(folder, name)):
            continue
        conns = int(name[len("side-by-side-c"):])
        runs = {}
        for row in read_lines(path, "RESULT"):
            system = ROLE_TO_SYSTEM.get(row.get("role"))
            if system is None:
                continue
            runs.setdefault(system, {}).setdefault(int(row["rep"]), {})[row["endpoint"]] = row
        if runs:
            out[conns] = runs
    return out


def read_fixed(folder):
    """{system: [run dict, ...]} with the simulate report merged in (key "report")."""
    base = os.path.join(folder, "fixed-rate")
    out = {}
    for row in read_lines(os.path.join(base, "results.txt"), "FIXED"):
        try:
            with open(os.path.join(base, row["report"])) as f:
                row["report"] = json.load(f)
        except (OSError, ValueError):
            continue
        out.setdefault(row["system"], []).append(row)
    return out


def read_batch(folder):
    return read_lines(os.path.join(folder, "batch", "results.txt"), "BATCH")


def read_cold(folder):
    return read_lines(os.path.join(folder, "cold-start", "results.txt"), "COLDSTART")


def read_footprint(folder):
    rows = read_lines(os.path.join(folder, "footprint", "results.txt"), "FOOTPRINT")
    return rows[-1] if rows else None


# ---------------------------------------------------------------------------------------------
# Derived figures

def rps_2xx(row):
    """2xx answers per second of one wrk run (what the ratios compare)."""
    return num(row["acked"]) / num(row["duration_s"])


def cpu_ms_per_1000(cpu_s, events):
    if cpu_s is None or not events:
        return None
    return cpu_s * 1e6 / events


def sbs_ratios(runs, ref):
    """FlowGuard's 2xx req/s ÷ REF's, per repeat (mean over endpoints) and overall mean."""
    per_rep = []
    for rep in sorted(runs.get("flowguard", {})):
        fg = runs["flowguard"][rep]
        other = runs.get(ref, {}).get(rep)
        if not other:
            continue
        r = [rps_2xx(fg[e]) / rps_2xx(other[e]) for e in ENDPOINTS
             if e in fg and e in other and rps_2xx(other[e]) > 0]
        if r:
            per_rep.append(statistics.mean(r))
    return (statistics.mean(per_rep) if per_rep else None), per_rep


def system_rps(runs, system):
    """Mean 2xx req/s over endpoints and repeats."""
    values = [rps_2xx(row[e]) for row in runs.get(system, {}).values() for e in ENDPOINTS if e in row]
    return statistics.mean(values) if values else None


def fixed_latency(run, key):
    return num(run["report"].get("latency_ms", {}).get(key))


def batch_eps(row):
    return num(row["accepted"]) / num(row["duration_s"])


def best_batch(rows):
    return max(rows, key=batch_eps) if rows else None


def flowguard_peaks(sbs, fixed, batch):
    """(kB, where) of every FlowGuard peak RSS seen under load."""
    peaks = []
    for conns, runs in sbs.items():
        for rep, row in runs.get("flowguard", {}).items():
            if "proc" in row:
                peaks.append((num(row["proc"]["vmhwm_kb"]), f"side by side, {conns} connections, repeat {rep}"))
    for run in fixed.get("flowguard", []):
        peaks.append((num(run["vmhwm_kb"]), f"fixed rate {run['rate']}/s, repeat {run['rep']}"))
    for row in batch:
        peaks.append((num(row["vmhwm_kb"]), f"batch, {row['conns']} connections"))
    return [p for p in peaks if p[0]]


def loss_checks(sbs, fixed, batch):
    """(description, stored - acked) of every FlowGuard run where both were counted."""
    checks = []
    for conns, runs in sorted(sbs.items()):
        for rep, row in sorted(runs.get("flowguard", {}).items()):
            for e in ENDPOINTS:
                if e in row and num(row[e].get("stored")) is not None:
                    checks.append((f"side by side c{conns} #{rep} {e}", num(row[e]["stored"]) - num(row[e]["acked"])))
    for run in fixed.get("flowguard", []):
        if num(run["stored"]) is not None:
            checks.append((f"fixed rate #{run['rep']}", num(run["stored"]) - run["report"]["acknowledged"]))
    for row in batch:
        checks.append((f"batch c{row['conns']}", num(row["stored"]) - num(row["accepted"])))
    return checks


# ---------------------------------------------------------------------------------------------
# Formatting

def fmt(value, digits=0, suffix=""):
    if value is None:
        return "–"
    if digits == 0:
        return f"{value:,.0f}{suffix}"
    return f"{value:,.{digits}f}{suffix}"


def cell(values, digits=0, suffix=""):
    """'mean (r1 / r2)' over repeats, or the single value."""
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return fmt(values[0], digits, suffix)
    parts = " / ".join(fmt(v, digits) for v in values)
    return f"{fmt(statistics.mean(values), digits, suffix)} ({parts})"


def ratio_cell(mean, per_rep):
    if mean is None:
        return "–"
    if len(per_rep) <= 1:
        return f"{mean:.2f}×"
    return f"{mean:.2f}× ({' / '.join(f'{r:.2f}' for r in per_rep)})"


def met(ok):
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Sections of results.md

def section_side_by_side(conns, runs, conf):
    reps = sorted({rep for system in runs.values() for rep in system})
    out = [f"### Closed loop, {conns} connections",
           "",
           f"`run_side_by_side.sh {conf.get('DURATION', 'DURATION')} {conns} {len(reps)}`: wrk, 2 threads, "
           f"{conns} keep-alive connections, POST orders then POST clicks, each server fresh on a fresh mock "
           f"cluster after a {conf.get('WARMUP', '3s')} warm-up. Cells: mean over repeats (each repeat). Peak "
           "RSS and CPU are per server run and cover both endpoints; CPU per 1000 events counts every 2xx "
           "answer of the run.",
           ""]
    rows = []
    for system in SYSTEMS:
        per_rep = runs.get(system)
        if not per_rep:
            continue
        procs = [per_rep[r].get("proc") for r in sorted(per_rep)]
        hwm = [num(p["vmhwm_kb"]) / 1024 if p else None for p in procs]
        cpu = []
        for r in sorted(per_rep):
            p = per_rep[r].get("proc")
            acked = sum(num(per_rep[r][e]["acked"]) for e in ENDPOINTS if e in per_rep[r])
            cpu.append(cpu_ms_per_1000(num(p["cpu_s"]) if p else None, acked))
        for e in ENDPOINTS:
            rs = [per_rep[r][e] for r in sorted(per_rep) if e in per_rep[r]]
            if not rs:
                continue
            stored = [num(x.get("stored")) for x in rs]
            diff = [num(x["stored"]) - num(x["acked"]) if num(x.get("stored")) is not None else None for x in rs]
            rows.append([LABELS[system], e,
                         cell([rps_2xx(x) for x in rs]),
                         cell([num(x["p50_ms"]) for x in rs], 2),
                         cell([num(x["p99_ms"]) for x in rs], 2),
                         cell([num(x["non2xx"]) for x in rs]),
                         cell([sum(num(x[k]) for k in ("connect_err", "read_err", "write_err", "timeout_err")) for x in rs]),
                         cell([num(x["acked"]) for x in rs]),
                         cell(stored), cell(diff),
                         cell(hwm, 1), cell(cpu, 1)])
    out.append(table(["server", "endpoint", "2xx req/s", "p50 ms", "p99 ms", "non-2xx", "socket errors",
                      "acked (2xx)", "stored in Kafka", "stored − acked", "peak RSS MiB",
                      "CPU ms / 1000 events"], rows))
    out += ["", "FlowGuard's 2xx req/s divided by each reference's, paired by repeat (mean over both "
            "endpoints; each repeat in brackets):", ""]
    out.append(table(["FlowGuard ÷", f"{conns} connections"],
                     [[SHORT[ref], ratio_cell(*sbs_ratios(runs, ref))] for ref in ("peer_sync", "peer_async", "nginx")]))
    return "\n".join(out)


def section_fixed(fixed, conf):
    if not fixed:
        return "### Fixed rate, open loop\n\nNot measured."
    any_run = next(iter(fixed.values()))[0]
    out = ["### Fixed rate, open loop (no coordinated omission)",
           "",
           f"`flowguard simulate --rate {any_run['rate']} --duration {any_run['duration']} --mix orders "
           f"--concurrency 512` against each server, fresh (and on a fresh mock cluster) after a "
           f"{conf.get('WARMUP', '3s')} wrk warm-up. Latency counts from each event's scheduled send time, "
           "so a server that falls behind shows its queue. Errors: answers other than 2xx, timeouts, "
           "events never sent. Sent late: events that found all 512 slots busy and waited for one (the "
           "server was not keeping up). Cells: mean over repeats (each repeat). The load generator shares "
           "the cores (about 0.7 of a core against FlowGuard at 5000/s, bench/NOTES.md), so nginx's row is the "
           "floor of this measurement: "
           "no server can show less than the generator's own delays.",
           ""]
    rows = []
    for system in SYSTEMS:
        runs = fixed.get(system)
        if not runs:
            continue
        rep_rows = [r["report"] for r in runs]
        stored = [num(r["stored"]) for r in runs]
        diff = [num(r["stored"]) - r["report"]["acknowledged"] if num(r["stored"]) is not None else None for r in runs]
        cpu = [cpu_ms_per_1000(num(r["cpu_s"]), r["report"]["acknowledged"]) for r in runs]
        rows.append([LABELS[system],
                     cell([x["achieved_rate"] for x in rep_rows]),
                     cell([fixed_latency(r, "p50") for r in runs], 2),
                     cell([fixed_latency(r, "p99") for r in runs], 2),
                     cell([fixed_latency(r, "p99.9") for r in runs], 2),
                     cell([fixed_latency(r, "max") for r in runs], 2),
                     cell([x["failed"] + x.get("not_sent", 0) for x in rep_rows]),
                     cell([x.get("waited_for_slot", 0) for x in rep_rows]),
                     cell([x["acknowledged"] for x in rep_rows]),
                     cell(stored), cell(diff),
                     cell([num(r["vmhwm_kb"]) / 1024 for r in runs], 1), cell(cpu, 1)])
    out.append(table(["server", f"achieved events/s (asked {any_run['rate']})", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                      "errors (failed + not sent)", "sent late", "acked (2xx)", "stored in Kafka", "stored − acked", "peak RSS MiB",
                      "CPU ms / 1000 events"], rows))
    return "\n".join(out)


def section_batch(batch, conf):
    if not batch:
        return "### Batch\n\nNot measured."
    rows = []
    for row in batch:
        rows.append([row["conns"], fmt(num(row["requests"])), fmt(num(row["rps"]), 1),
                     fmt(batch_eps(row)), fmt(num(row["rejected"])), fmt(num(row["failed"])),
                     fmt(num(row["non200"]) + num(row["socket_errors"]) + num(row["unparsed"])),
                     fmt(num(row["accepted"])), fmt(num(row["produced"])), fmt(num(row["stored"])),
                     fmt(num(row["stored"]) - num(row["accepted"])),
                     f"{num(row['p50_ms']):.1f} / {num(row['p99_ms']):.1f}",
                     fmt(num(row["vmhwm_kb"]) / 1024, 1),
                     fmt(cpu_ms_per_1000(num(row["cpu_s"]), num(row["accepted"])), 1)])
    best = best_batch(batch)
    return "\n".join([
        "### Batch",
        "",
        f"wrk, 2 threads, POST /api/v1/orders/batch with {best['batch']} orders per request (fresh event ids "
        f"in every request, `bench/wrk/post_order_batch.lua`), fresh gateway on a fresh mock cluster, "
        f"{conf.get('WARMUP', '3s')} warm-up. accepted is the sum of the answers' `summary.accepted`; produced is the growth of "
        "`flowguard_events_produced_total{topic=\"raw.orders.v1\"}`; stored is the growth of the topic's "
        "end offsets. Both may exceed accepted by the requests still in flight when wrk stopped.",
        "",
        table(["connections", "requests", "requests/s", "events/s accepted", "rejected", "failed",
               "non-200 / socket errors / unreadable", "accepted", "produced", "stored", "stored − accepted",
               "p50 / p99 ms per request", "peak RSS MiB", "CPU ms / 1000 events"], rows),
        "",
        f"Best: **{fmt(batch_eps(best))} events/s** acknowledged ({best['conns']} connections)."])


def section_cold(cold):
    if not cold:
        return "### Cold start\n\nNot measured."
    ms = [num(r["first_202_ms"]) for r in cold]
    return "\n".join([
        "### Cold start",
        "",
        "From spawning `flowguard start-gateway` (Kafka already running) to reading the first 202 of "
        "POST /api/v1/orders, retried every 1 ms on a fresh connection (`bench/coldstart.py`).",
        "",
        table(["runs", "median ms", "max ms", "each run ms", "port first accepted, median ms"],
              [[len(ms), fmt(statistics.median(ms), 1), fmt(max(ms), 1), " / ".join(fmt(v, 1) for v in ms),
                fmt(statistics.median(num(r["first_connect_ms"]) for r in cold), 1)]])])


def section_footprint(fp, peaks):
    if not fp and not peaks:
        return "### Footprint\n\nNot measured."
    rows = []
    if fp:
        rows.append(["release binary", f"{fmt(num(fp['binary_bytes']))} bytes ({num(fp['binary_bytes']) / MIB:.1f} MiB)"])
        rows.append(["stripped copy", f"{fmt(num(fp['stripped_bytes']))} bytes ({num(fp['stripped_bytes']) / MIB:.1f} MiB)"])
        rows.append(["idle RSS (2 s after /health answers, external Kafka)", f"{num(fp['idle_rss_kb']) / 1024:.1f} MiB"])
    if peaks:
        kb, where = max(peaks)
        rows.append(["peak RSS under load (highest VmHWM of all FlowGuard runs)", f"{kb / 1024:.1f} MiB ({where})"])
    return "\n".join(["### Footprint", "", "MiB = 2^20 bytes, MB = 10^6 bytes; the memory targets are read "
                       "in MiB (40 MiB = 41.9 MB, 80 MiB = 83.9 MB).", "", table(["what", "value"], rows)])


# ---------------------------------------------------------------------------------------------
# Targets

def targets(sbs, fixed, batch, cold, fp, peaks):
    """Rows of (target, measured, met: True/False/None)."""
    rows = []
    top = max(sbs) if sbs else None
    at = f"{top} conns" if top else "–"
    if top is not None and top != 128:
        at += " (128 not measured)"
    for ref, goal in (("peer_sync", TARGET_SYNC), ("peer_async", TARGET_ASYNC), ("nginx", TARGET_NGINX)):
        mean = sbs_ratios(sbs[top], ref)[0] if top else None
        rows.append((f"FlowGuard ÷ {SHORT[ref]} at 128 connections ≥ {goal:g}× (2xx req/s, mean)",
                     f"{mean:.2f}× ({at})" if mean is not None else "not measured",
                     None if mean is None else mean >= goal))
    fg = fixed.get("flowguard", [])
    rate = fg[0]["rate"] if fg else "5000"
    for key, goal in (("p99", TARGET_P99_MS), ("p99.9", TARGET_P999_MS)):
        vals = [fixed_latency(r, key) for r in fg]
        worst = max(vals) if vals else None
        achieved = min((r["report"]["achieved_rate"] for r in fg), default=None)
        note = f", achieved ≥ {achieved:,.0f}/s" if achieved is not None else ""
        floor = [fixed_latency(r, key) for r in fixed.get("nginx", [])]
        if floor:
            note += f"; nginx, the floor of this measurement: {max(floor):.2f} ms"
        rows.append((f"open loop at {rate}/s: {key} ≤ {goal:g} ms (worst repeat)",
                     f"{worst:.2f} ms{note}" if worst is not None else "not measured",
                     None if worst is None else worst <= goal))
    best = best_batch(batch)
    rows.append((f"batch ≥ {TARGET_BATCH_EPS:,} events/s acknowledged",
                 f"{batch_eps(best):,.0f} events/s ({best['conns']} connections)" if best else "not measured",
                 None if not best else batch_eps(best) >= TARGET_BATCH_EPS))
    idle = num(fp["idle_rss_kb"]) / 1024 if fp else None
    rows.append((f"idle RSS ≤ {TARGET_IDLE_MIB:g} MiB",
                 f"{idle:.1f} MiB ({idle * MIB / 1e6:.1f} MB)" if idle else "not measured",
                 None if idle is None else idle <= TARGET_IDLE_MIB))
    peak = max(peaks) if peaks else None
    rows.append((f"RSS at the highest load ≤ {TARGET_PEAK_MIB:g} MiB (VmHWM, every FlowGuard run)",
                 f"{peak[0] / 1024:.1f} MiB ({peak[0] * 1024 / 1e6:.1f} MB; {peak[1]})" if peak else "not measured",
                 None if peak is None else peak[0] / 1024 <= TARGET_PEAK_MIB))
    ms = [num(r["first_202_ms"]) for r in cold]
    rows.append((f"cold start to the first 202 ≤ {TARGET_COLD_MS:g} ms (slowest run)",
                 f"{max(ms):.1f} ms (median {statistics.median(ms):.1f} ms, {len(ms)} runs)" if ms else "not measured",
                 None if not ms else max(ms) <= TARGET_COLD_MS))
    checks = loss_checks(sbs, fixed, batch)
    if checks:
        worst = min(checks, key=lambda c: c[1])
        lost = [c for c in checks if c[1] < 0]
        text = (f"{len(checks)} runs, stored − acked ≥ {worst[1]:,.0f} in every one" if not lost else
                f"**{len(lost)} of {len(checks)} runs lost events**: " + ", ".join(f"{d} ({v:,.0f})" for d, v in lost))
        rows.append(("zero loss: stored ≥ acked in Kafka in every FlowGuard run", text, not lost))
    else:
        rows.append(("zero loss: stored ≥ acked in Kafka in every FlowGuard run", "not measured", None))
    return rows


# ---------------------------------------------------------------------------------------------
# Plots

def log_floor(value):
    """The power of ten at or below VALUE: where a log-scale bar starts."""
    return 10 ** math.floor(math.log10(value)) if value and value > 0 else None


def plots(folder, sbs, fixed):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
    except ImportError:
        print("summarize: matplotlib not installed, no plots", file=sys.stderr)
        return []
    made = []
    colors = {"nginx": "#9e9e9e", "peer_async": "#f2b134", "peer_sync": "#d9534f", "flowguard": "#2b7bba"}

    if sbs:
        conns = sorted(sbs)
        systems = [s for s in SYSTEMS if any(s in sbs[c] for c in conns)]
        fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
        width = 0.8 / len(conns)
        hatches = ["", "//", "..", "xx"]
        for i, c in enumerate(conns):
            values = [system_rps(sbs[c], s) or 0 for s in systems]
            xs = [j + (i - (len(conns) - 1) / 2) * width for j in range(len(systems))]
            bars = ax.bar(xs, values, width * 0.95, color=[colors[s] for s in systems],
                          hatch=hatches[i % len(hatches)], edgecolor="black", linewidth=0.6)
            for bar, v in zip(bars, values):
                if v:
                    ax.annotate(f"{v:,.0f}", (bar.get_x() + bar.get_width() / 2, v), ha="center",
                                va="bottom", fontsize=7.5, xytext=(0, 2), textcoords="offset points")
        ax.set_yscale("log")
        ax.set_xticks(range(len(systems)), [SHORT[s] for s in systems])
        ax.set_ylabel("2xx responses per second (log scale)")
        ax.set_title("Closed loop (wrk), POST orders + clicks, mean over repeats")
        ax.set_ylim(bottom=log_floor(min(v for s in systems for c in conns for v in [system_rps(sbs[c], s)] if v)),
                    top=ax.get_ylim()[1] * 3)
        ax.grid(axis="y", which="both", alpha=0.25)
        legend = [Patch(facecolor="white", edgecolor="black", hatch=hatches[i % len(hatches)],
                        label=f"{c} connections") for i, c in enumerate(conns)]
        ax.legend(handles=legend, loc="upper right", fontsize=8)
        fig.tight_layout()
        path = os.path.join(folder, "throughput.png")
        fig.savefig(path)
        plt.close(fig)
        made.append(path)

    if fixed:
        systems = [s for s in SYSTEMS if s in fixed]
        keys = ["p50", "p99", "p99.9"]
        shades = {"p50": 0.45, "p99": 0.75, "p99.9": 1.0}
        fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
        width = 0.8 / len(keys)
        for i, key in enumerate(keys):
            values = [statistics.mean(fixed_latency(r, key) for r in fixed[s]) for s in systems]
            xs = [j + (i - 1) * width for j in range(len(systems))]
            bars = ax.bar(xs, values, width * 0.95, color=[colors[s] for s in systems], alpha=shades[key],
                          edgecolor="black", linewidth=0.6)
            for bar, v in zip(bars, values):
                ax.annotate(f"{key}\n{v:,.1f}" if v < 100 else f"{key}\n{v:,.0f}",
                            (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom",
                            fontsize=7, xytext=(0, 2), textcoords="offset points")
        rate = fixed[systems[0]][0]["rate"]
        labels = []
        for s in systems:
            achieved = statistics.mean(r["report"]["achieved_rate"] for r in fixed[s])
            labels.append(f"{SHORT[s]}\n{achieved:,.0f}/s achieved")
        ax.set_yscale("log")
        ax.set_xticks(range(len(systems)), labels)
        ax.axhline(TARGET_P99_MS, color="black", linestyle="--", linewidth=0.8,
                   label=f"FlowGuard's p99 target, {TARGET_P99_MS:g} ms")
        ax.axhline(TARGET_P999_MS, color="black", linestyle=":", linewidth=0.8,
                   label=f"FlowGuard's p99.9 target, {TARGET_P999_MS:g} ms")
        ax.legend(loc="upper left", fontsize=8)
        lowest = min(v for s in systems for r in fixed[s] for v in [fixed_latency(r, "p50")] if v)
        ax.set_ylim(bottom=min(log_floor(lowest), 1.0))
        ax.set_ylabel("latency, ms (log scale)")
        ax.set_title(f"Open loop at {rate} orders/s (flowguard simulate): p50 / p99 / p99.9")
        ax.set_ylim(top=ax.get_ylim()[1] * 3)
        ax.grid(axis="y", which="both", alpha=0.25)
        fig.tight_layout()
        path = os.path.join(folder, "latency.png")
        fig.savefig(path)
        plt.close(fig)
        made.append(path)
    return made


# ---------------------------------------------------------------------------------------------
# The two documents

def env_value(env, key):
    for line in env:
        if line.startswith(key + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def results_md(folder, env, sbs, fixed, batch, cold, fp, peaks, target_rows, pngs):
    conf = settings(env)
    out = [f"# FlowGuard benchmark, {os.path.basename(os.path.abspath(folder))}", "",
           "Made by `bench/run.sh` (`make bench`), summarised by `bench/summarize.py`. Every server, its load "
           "generator and Kafka (librdkafka's mock cluster, 3 brokers in one process) share this machine's "
           "cores: compare the servers with each other, not with figures taken elsewhere.", "",
           "## Machine and versions", ""]
    out += [f"- {line}" for line in env] or ["- env.txt missing"]
    busy = num(env_value(env, "cpu busy before").split("%")[0])
    if busy is not None and busy > 20:
        out += ["", f"**The machine was busy before the run began** ({busy:.0f}% of its cores used by other "
                "processes): if that went on, these figures are lower and noisier than on an idle machine."]
    out += ["", "## Issue 7's targets", "",
            table(["target", "measured", ""], [[t, m, met(ok)] for t, m, ok in target_rows]), ""]
    if sbs:
        top = max(sbs)
        out += ["## Headline: FlowGuard ÷ the references (2xx req/s, closed loop)", "",
                table(["FlowGuard ÷"] + [f"{c} connections" for c in sorted(sbs)],
                      [[LABELS[ref]] + [ratio_cell(*sbs_ratios(sbs[c], ref)) for c in sorted(sbs)]
                       for ref in ("peer_sync", "peer_async", "nginx")]), "",
                f"peer sync is the like-for-like comparison (both answer after Kafka acknowledged with "
                f"acks=all); peer async answers before Kafka has the event; nginx is the HTTP ceiling. "
                f"Differences under ~20% between repeats are noise on this machine. Target column: "
                f"{top} connections.", ""]
    out += ["## Results", ""]
    for conns in sorted(sbs):
        out += [section_side_by_side(conns, sbs[conns], conf), ""]
    out += [section_fixed(fixed, conf), "", section_batch(batch, conf), "", section_cold(cold), "",
            section_footprint(fp, peaks), ""]
    for path in pngs:
        out += [f"![{os.path.basename(path)}]({os.path.basename(path)})", ""]
    out += ["## Files", "",
            "- `side-by-side-c<N>/`: run_side_by_side.sh's own `side_by_side.md`, `results.txt`, `wrk.log`, logs",
            "- `fixed-rate/`: `results.txt`, the simulate reports (`<server>-r<N>.json`), histograms (`.hgrm`), output",
            "- `batch/`: `results.txt`, wrk's output; `cold-start/`, `footprint/`: `results.txt` and logs",
            "- `env.txt`: machine, versions, settings, the binary's sha256", ""]
    return "\n".join(out)


def readme_md(folder, env, sbs, fixed, batch, cold, fp, peaks, target_rows, pngs):
    name = os.path.basename(os.path.abspath(folder))
    rel = f"bench/results/{name}"
    conf_line = env_value(env, "settings")
    out = ["## Measured figures", "",
           f"From `make bench` (`bench/run.sh`) on {env_value(env, 'date')[:10] or name}: "
           f"{env_value(env, 'host')}; release build; the gateway, its load generator and Kafka "
           "(librdkafka's mock cluster) share the same cores, so the **ratios** below are what carries over "
           f"to another machine, not the absolute numbers. Full report: [`{rel}/results.md`]({rel}/results.md).",
           ""]
    busy = num(env_value(env, "cpu busy before").split("%")[0])
    if busy is not None and busy > 20:
        out += [f"(The machine was {busy:.0f}% busy with other work when this run began.)", ""]
    autogroup = env_value(env, "sched_autogroup_enabled")[:1]
    if autogroup == "1":
        out += ["Scheduling: `kernel.sched_autogroup_enabled=1` (Debian's default). The CPU is shared per session, "
                "and every server runs in a session of its own, so FlowGuard (multi-threaded) gets about one of the "
                "two cores against its load generator; nginx (1 worker) and the Python peer (one interpreter) "
                "need no more than one anyway.", ""]
    elif autogroup == "0":
        out += ["Scheduling: `kernel.sched_autogroup_enabled=0` (`AUTOGROUP=0`): the CPU is shared per thread, so a "
                "multi-threaded server can use both cores against its load generator, as on a machine of its own.", ""]
    if sbs:
        conns = sorted(sbs)
        out += ["**FlowGuard ÷ the original Python design and the HTTP ceiling** (2xx requests per second, "
                "closed-loop wrk, POST orders and clicks, mean over repeats):", "",
                table(["FlowGuard ÷"] + [f"{c} connections" for c in conns],
                      [[LABELS[ref].replace("**", "")] + [f"**{sbs_ratios(sbs[c], ref)[0]:.2f}×**"
                                                          if sbs_ratios(sbs[c], ref)[0] else "–" for c in conns]
                       for ref in ("peer_sync", "peer_async", "nginx")]), ""]
    out += ["**Issue 7's targets**:", "",
            table(["target", "measured", ""], [[t, m, met(ok)] for t, m, ok in target_rows]), ""]
    rows = []
    conns = sorted(sbs)
    for system in SYSTEMS:
        r = [LABELS[system]]
        for c in conns:
            r.append(fmt(system_rps(sbs[c], system)))
        runs = fixed.get(system, [])
        if runs:
            r.append(" / ".join(fmt(statistics.mean(fixed_latency(x, k) for x in runs), 1) for k in ("p50", "p99", "p99.9"))
                     + f" at {statistics.mean(x['report']['achieved_rate'] for x in runs):,.0f}/s")
        else:
            r.append("–")
        hwm = [num(p["proc"]["vmhwm_kb"]) for c in conns for p in sbs[c].get(system, {}).values() if "proc" in p]
        r.append(f"{max(hwm) / 1024:.0f} MiB" if hwm else "–")
        rows.append(r)
    rate = next(iter(fixed.values()))[0]["rate"] if fixed else "RATE"
    out += ["**Absolute figures on this machine**:", "",
            table(["server"] + [f"req/s, {c} conns" for c in conns]
                  + [f"open loop {rate}/s: p50 / p99 / p99.9 ms", "peak RSS, closed loop"], rows), ""]
    extra = []
    best = best_batch(batch)
    if best:
        extra.append(f"batch: **{batch_eps(best):,.0f} events/s** acknowledged ({best['batch']} orders per "
                     f"request, {best['conns']} connections)")
    if cold:
        ms = [num(r["first_202_ms"]) for r in cold]
        extra.append(f"cold start to the first 202: **{statistics.median(ms):.0f} ms** median, "
                     f"{max(ms):.0f} ms max ({len(ms)} runs)")
    if fp:
        extra.append(f"binary {num(fp['binary_bytes']) / MIB:.0f} MiB ({num(fp['stripped_bytes']) / MIB:.0f} MiB "
                     f"stripped); idle RSS **{num(fp['idle_rss_kb']) / 1024:.0f} MiB**")
    if peaks:
        extra.append(f"peak RSS under load **{max(peaks)[0] / 1024:.0f} MiB**")
    if extra:
        out += ["FlowGuard alone: " + "; ".join(extra) + ". (MiB = 2^20 bytes.)", ""]
    for path in pngs:
        out += [f"![{os.path.basename(path)}]({rel}/{os.path.basename(path)})"]
    if pngs:
        out.append("")
    if conf_line:
        out += [f"Settings: `{conf_line}`.", ""]
    return "\n".join(out)


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) == 2 else 2)
    folder = sys.argv[1]
    if not os.path.isdir(folder):
        sys.exit(f"summarize: no folder {folder}")
    env = read_env(folder)
    sbs = read_side_by_side(folder)
    fixed = read_fixed(folder)
    batch = read_batch(folder)
    cold = read_cold(folder)
    fp = read_footprint(folder)
    peaks = flowguard_peaks(sbs, fixed, batch)
    target_rows = targets(sbs, fixed, batch, cold, fp, peaks)
    pngs = plots(folder, sbs, fixed)
    args = (folder, env, sbs, fixed, batch, cold, fp, peaks, target_rows, pngs)
    with open(os.path.join(folder, "results.md"), "w") as f:
        f.write(results_md(*args))
    with open(os.path.join(folder, "readme-section.md"), "w") as f:
        f.write(readme_md(*args))
    print(f"summarize: wrote {folder}/results.md, readme-section.md" +
          "".join(f", {os.path.basename(p)}" for p in pngs), file=sys.stderr)


if __name__ == "__main__":
    main()
