#!/usr/bin/env python3
"""Cold start of the gateway: time from spawning the process to its first 202 for an order.

    bench/coldstart.py --bin .build-release/release/flowguard --bootstrap HOST:PORT,... \
        --port 18112 --runs 5 --output coldstart.txt

Each run spawns `flowguard start-gateway` against an already running Kafka cluster (the bootstrap
given), then POSTs one order to /api/v1/orders in a tight loop (a fresh connection and a fresh
event_id per attempt, 1 ms between attempts) until an answer is 202. The clock starts just before
the spawn (fork + exec included) and stops when the 202 has been read. Also noted: when the port
first accepted a connection, and how many attempts it took. The gateway is then stopped (SIGTERM to
its process group, SIGKILL after 10 s) before the next run.

Writes one line per run to --output (and stdout):
    COLDSTART run=N first_202_ms=.. first_connect_ms=.. attempts=N statuses=refused:N,503:N
Exits 1 if a run gets no 202 within --timeout seconds.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

ORDER = {"user_id": 7, "order_id": "o1", "item_id": 3, "item_name": "pizza", "price": 9.5}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", required=True, help="the flowguard binary")
    p.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers (a running cluster)")
    p.add_argument("--port", type=int, default=18112)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a 202 per run")
    p.add_argument("--workdir", default=None, help="working directory of the gateway")
    p.add_argument("--log", default=os.devnull, help="append the gateway's output here")
    p.add_argument("--output", default=None, help="append the COLDSTART lines here")
    return p.parse_args()


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def post_order(port, event_id):
    """One attempt: returns the HTTP status, or 'refused' / 'error' without an answer."""
    body = json.dumps(dict(ORDER, event_id=event_id)).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/api/v1/orders", body, {"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except ConnectionRefusedError:
        return "refused"
    except (OSError, http.client.HTTPException):
        return "error"
    finally:
        conn.close()


def stop(proc):
    """SIGTERM to the gateway's process group, SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def one_run(args, run, log):
    cmd = [args.bin, "start-gateway", "--host", "127.0.0.1", "--port", str(args.port),
           "--access-log", "off", "--log-level", "warning"]
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=args.bootstrap)
    statuses = {}
    first_connect = None
    attempts = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=args.workdir, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log, start_new_session=True)
    try:
        while True:
            elapsed = time.perf_counter() - t0
            if elapsed > args.timeout:
                raise RuntimeError(f"run {run}: no 202 within {args.timeout:.0f} s ({statuses})")
            if proc.poll() is not None:
                raise RuntimeError(f"run {run}: the gateway exited with {proc.returncode} ({statuses})")
            attempts += 1
            status = post_order(args.port, f"coldstart-{os.getpid()}-{run}-{attempts}")
            if status not in ("refused", "error") and first_connect is None:
                first_connect = time.perf_counter() - t0
            if status == 202:
                first_202 = time.perf_counter() - t0
                break
            statuses[status] = statuses.get(status, 0) + 1
            time.sleep(0.001)
    finally:
        stop(proc)
    seen = ",".join(f"{k}:{v}" for k, v in statuses.items()) or "-"
    return (f"COLDSTART run={run} first_202_ms={first_202 * 1000:.1f} "
            f"first_connect_ms={first_connect * 1000:.1f} attempts={attempts} statuses={seen}")


def main():
    args = parse_args()
    # SIGTERM (the bench's clean-up) becomes an exception, so `finally` stops the gateway.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if port_open(args.port):
        sys.exit(f"coldstart: 127.0.0.1:{args.port} is already in use")
    with open(args.log, "ab") as log:
        for run in range(1, args.runs + 1):
            line = one_run(args, run, log)
            print(line, flush=True)
            if args.output:
                with open(args.output, "a") as out:
                    out.write(line + "\n")
            for _ in range(100):  # the port must be free before the next spawn
                if not port_open(args.port):
                    break
                time.sleep(0.05)


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as e:
        sys.exit(f"coldstart: {e}")
