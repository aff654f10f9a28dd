"""Checks of deploy/ used by scripts/test-deploy.sh and scripts/test-prometheus.sh.

Subcommands (each exits non-zero with a message naming what is wrong):
  compose-service CONFIG SERVICE      the service of `docker-compose config` output as JSON
  declared-variables SERVICE_JSON HELP_FILE
                                      every variable of the service's environment is one the command
                                      declares (named in its --help, or a KAFKA_*__ pass-through)
  dashboard DASHBOARD METRICS_FILE    the dashboard's structure; its expressions name only metrics
                                      the gateway's live /metrics exposes, but for the phase2 jobs'
  job-metrics DASHBOARD PREFIX METRICS_FILE [NAME...]
                                      the dashboard's metrics starting with PREFIX are all in that job's
                                      /metrics (run by the job's own script test, where it has data),
                                      but the NAMEs, which exist only once their event happened
  alerts ALERTS METRICS_FILE          the alert rules name only those metrics (and Prometheus' `up`)
  docker-context PACKAGE_JSON DOCKERFILE DOCKERIGNORE
                                      every target folder of the package reaches the build stage
  prometheus-config CONFIG PORT OUT   the scrape config pointed at one gateway on 127.0.0.1:PORT
  evaluate DASHBOARD PROM_URL TIME RATE_INTERVAL SIMULATE_JSON
                                      every dashboard expression evaluated by Prometheus at TIME;
                                      the request-rate panel within 10 % of simulate's rate
"""
import json
import re
import sys
import urllib.parse
import urllib.request

import yaml

# PromQL words that are not metric names.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"}
# The metrics of the phase2 jobs, checked by their own script tests (job-metrics), where each job has
# run on data; the gateway's tests run neither, and Prometheus there has no target for them.
JOB_PREFIXES = ("flowguard_dump_", "flowguard_attribution_")
JOB_SELECTORS = ('job="flowguard-dump"', 'job="flowguard-attribute"')
# The dashboard panel whose expression must agree with the rate simulate sent.
REQUEST_RATE_PANEL = "Event requests per second"


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def metric_names(expr):
    """The metric names an expression reads (label matchers, ranges and grouping clauses removed)."""
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        start, end = match.span()
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in "."):
            continue  # the exponent of a number such as 1e3
        if re.match(r"\s*\(", text[end:]):
            continue  # a function or aggregation
        if match.group(0).lower() in KEYWORDS:
            continue
        names.add(match.group(0))
    return names


def exposed(metrics_file):
    """The sample names of a Prometheus text exposition (histograms' _bucket, _sum and _count included)."""
    names = set()
    for line in open(metrics_file, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            names.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    if not names:
        fail(f"{metrics_file}: no samples")
    return names


def panels(dashboard):
    """Every panel that is not a row, rows' nested panels included."""
    for panel in dashboard["panels"]:
        if panel.get("type") == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def compose_service(config_file, service):
    config = yaml.safe_load(open(config_file, encoding="utf-8"))
    if service not in config.get("services", {}):
        fail(f"{config_file}: no service {service}")
    print(json.dumps(config["services"][service]))


def declared_variables(service_file, help_file):
    service = json.load(open(service_file, encoding="utf-8"))
    help_text = open(help_file, encoding="utf-8").read()
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    unknown = [name for name in environment
               if not re.match(r"KAFKA_(COMMON|PRODUCER|CONSUMER)__[A-Z0-9_]+$", name)
               and not re.search(rf"(?<![A-Z0-9_]){re.escape(name)}(?![A-Z0-9_])", help_text)]
    if unknown:
        fail(f"variables the command does not declare (a typo, or not read at all): {', '.join(unknown)}")
    print(f"{len(environment)} variables, each declared by the command")


def check_dashboard(dashboard_file, metrics_file):
    dashboard = json.load(open(dashboard_file, encoding="utf-8"))
    names = exposed(metrics_file)
    problems = []
    found = list(panels(dashboard))
    if not found:
        fail("the dashboard has no panels")
    ids = [panel.get("id") for panel in dashboard["panels"]] + [panel.get("id") for panel in found if panel not in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        problems.append("panel ids are not unique")
    for panel in found:
        title = panel.get("title") or f"panel {panel.get('id')}"
        if not (panel.get("datasource") or {}).get("uid"):
            problems.append(f"{title}: no data source")
        if not (panel.get("fieldConfig", {}).get("defaults", {}).get("unit")):
            problems.append(f"{title}: no unit")
        if not all(key in panel.get("gridPos", {}) for key in ("x", "y", "w", "h")):
            problems.append(f"{title}: no position")
        targets = panel.get("targets") or []
        if not targets:
            problems.append(f"{title}: no query")
        for target in targets:
            expr = (target.get("expr") or "").strip()
            if not expr:
                problems.append(f"{title}: a target without an expression")
                continue
            if not target.get("refId"):
                problems.append(f"{title}: a target without a refId")
            missing = sorted(name for name in metric_names(expr) - names if not name.startswith(JOB_PREFIXES))
            if missing:
                problems.append(f"{title}: metrics the gateway does not export: {', '.join(missing)}")
    if not any(panel.get("title") == REQUEST_RATE_PANEL for panel in found):
        problems.append(f"no panel titled {REQUEST_RATE_PANEL!r}")
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        expr = query.get("query") if isinstance(query, dict) else query
        inner = re.match(r"label_values\((.*),\s*\w+\)$", expr or "")
        if inner and metric_names(inner.group(1)) - names:
            problems.append(f"variable {variable['name']}: metrics the gateway does not export")
    if problems:
        fail("dashboard:\n  " + "\n  ".join(problems))
    print(f"dashboard: {len(found)} panels, each with a data source, a query and a unit; every metric is exported")


def check_alerts(alerts_file, metrics_file):
    names = exposed(metrics_file) | {"up"}
    rules = [rule for group in yaml.safe_load(open(alerts_file, encoding="utf-8"))["groups"] for rule in group["rules"]]
    problems = []
    for rule in rules:
        missing = sorted(metric_names(rule["expr"]) - names)
        if missing:
            problems.append(f"{rule.get('alert')}: metrics the gateway does not export: {', '.join(missing)}")
        if not rule.get("annotations", {}).get("runbook"):
            problems.append(f"{rule.get('alert')}: no runbook annotation")
    if problems:
        fail("alerts:\n  " + "\n  ".join(problems))
    print(f"alerts: {len(rules)} rules read only exported metrics (and up)")


def docker_context(package_file, dockerfile, dockerignore):
    """Every target folder of Package.swift (from `swift package dump-package`) reaches the build
    stage: the .dockerignore lets it into the context, and a COPY of the build stage copies it."""
    package = json.load(open(package_file, encoding="utf-8"))
    allowed = [line[1:].strip().rstrip("/") for line in open(dockerignore, encoding="utf-8") if line.startswith("!")]
    stages = re.split(r"^FROM ", open(dockerfile, encoding="utf-8").read(), flags=re.M)
    build_stage = stages[1] if len(stages) > 2 else ""
    copied = [match.group(1).rstrip("/") for match in re.finditer(r"^COPY\s+(?!--)(\S+)\s+\S+\s*$", build_stage, re.M)]
    problems = []
    for target in package["targets"]:
        folder = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
        within = lambda roots: any(folder == root or folder.startswith(root + "/") for root in roots)
        if not within(allowed):
            problems.append(f"{target['name']}: {folder} is left out of the build context by {dockerignore}")
        if not within(copied):
            problems.append(f"{target['name']}: no COPY of the build stage copies {folder}")
    if "Package.swift" not in copied or "Package.swift" not in allowed:
        problems.append("Package.swift is not copied into the build stage")
    if problems:
        fail("Dockerfile:\n  " + "\n  ".join(problems))
    print(f"Dockerfile: the build stage gets the folders of all {len(package['targets'])} targets of Package.swift ({', '.join(copied)})")


def prometheus_config(config_file, port, out_file):
    """The project's scrape config with one change of substance: the gateway job scrapes the test's
    gateway instead of Docker's DNS name. The other jobs (console, dump, attribute: nothing runs
    them here) are left out, and the intervals are 1 s so that the test needs seconds, not minutes."""
    config = yaml.safe_load(open(config_file, encoding="utf-8"))
    config["global"]["scrape_interval"] = "1s"
    config["global"]["evaluation_interval"] = "1s"
    jobs = [job for job in config["scrape_configs"] if job["job_name"] == "flowguard-gateway"]
    if len(jobs) != 1:
        fail(f"{config_file}: no single flowguard-gateway job")
    job = jobs[0]
    job.pop("dns_sd_configs", None)
    job["static_configs"] = [{"targets": [f"127.0.0.1:{port}"]}]
    config["scrape_configs"] = [job]
    yaml.safe_dump(config, open(out_file, "w", encoding="utf-8"), sort_keys=False)


def job_metrics(dashboard_file, prefix, metrics_file, *only_after_an_event):
    dashboard = json.load(open(dashboard_file, encoding="utf-8"))
    named = {name for panel in panels(dashboard) for target in panel.get("targets") or []
             for name in metric_names(target.get("expr") or "") if name.startswith(prefix)}
    if not named:
        fail(f"the dashboard names no {prefix}* metric")
    # A counter with a label whose values are not known in advance (a retry's cause) exists only
    # once its event happened; the script that names it says which test makes it happen.
    missing = sorted(named - exposed(metrics_file) - set(only_after_an_event))
    if missing:
        fail(f"dashboard: {prefix}* metrics the job does not export: {', '.join(missing)}")
    print(f"dashboard: its {len(named)} {prefix}* metrics are all in the job's /metrics")


def query(prometheus, expr, time):
    url = f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": f"{time:.3f}"})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def evaluate(dashboard_file, prometheus, time, rate_interval, simulate_file):
    dashboard = json.load(open(dashboard_file, encoding="utf-8"))
    time = float(time)
    errors, empty, evaluated = [], [], 0
    rate_value = None
    for panel in panels(dashboard):
        for target in panel["targets"]:
            expr = target["expr"].replace("$__rate_interval", rate_interval).replace("$instance", ".*")
            answer = query(prometheus, expr, time)
            evaluated += 1
            if answer.get("status") != "success":
                errors.append(f"{panel['title']} [{target['refId']}]: {answer.get('errorType')}: {answer.get('error')}")
                continue
            result = answer["data"]["result"]
            if not result and not any(selector in expr for selector in JOB_SELECTORS):
                empty.append(f"{panel['title']} [{target['refId']}]")
            if panel["title"] == REQUEST_RATE_PANEL and result:
                rate_value = float(result[0]["value"][1])
    if errors:
        fail("expressions Prometheus refused:\n  " + "\n  ".join(errors))
    # Every expression has data after the run except the one of failures, which the run does not
    # cause (scripts/test-deploy.sh shows its metric exported, after a 503).
    allowed_empty = {"Events refused or not stored (503, 504) [A]"}
    unexpected = [name for name in empty if name not in allowed_empty]
    if unexpected:
        fail("expressions without data after the run:\n  " + "\n  ".join(unexpected))
    print(f"dashboard: {evaluated} expressions evaluated by Prometheus without error"
          + (f" ({len(empty)} without data: {', '.join(empty)})" if empty else ""))
    report = json.load(open(simulate_file, encoding="utf-8"))
    sent = float(report["achieved_rate"])
    if rate_value is None:
        fail(f"{REQUEST_RATE_PANEL}: no value")
    deviation = abs(rate_value - sent) / sent
    print(f"{REQUEST_RATE_PANEL}: {rate_value:.1f}/s in Prometheus, {sent:.1f}/s sent by simulate ({deviation:.1%} apart)")
    if deviation > 0.10:
        fail(f"{REQUEST_RATE_PANEL} is {rate_value:.1f}/s, simulate sent {sent:.1f}/s: more than 10 % apart")


if __name__ == "__main__":
    commands = {
        "compose-service": compose_service,
        "declared-variables": declared_variables,
        "job-metrics": job_metrics,
        "dashboard": check_dashboard,
        "docker-context": docker_context,
        "alerts": check_alerts,
        "prometheus-config": prometheus_config,
        "evaluate": evaluate,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    commands[sys.argv[1]](*sys.argv[2:])
