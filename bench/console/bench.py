"""Times the console's pages and API (issue 17's speed targets) against a console and a dev-cluster
started by bench/console/run.sh. Prints a Markdown report."""
import argparse
import json
import statistics
import time
import urllib.request

from confluent_kafka import Producer


def get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - started, status, body


def timed(url, runs):
    get(url)  # one warm-up: connections, the metadata cache
    times = []
    for _ in range(runs):
        seconds, status, _ = get(url)
        assert status == 200, (url, status)
        times.append(seconds * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--console", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    base = args.console
    for _ in range(300):
        try:
            get(base + "/api/overview")
            break
        except OSError:
            time.sleep(0.1)

    # A few records in every partition of the 20 topics, and one partition filled as far as it goes.
    producer = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 50, "batch.num.messages": 10000,
                         "queue.buffering.max.messages": 2_000_000, "queue.buffering.max.kbytes": 2_000_000})
    for topic in range(20):
        for partition in range(12):
            for n in range(5):
                producer.produce(f"bench.t{topic:02d}", value=json.dumps({"n": n}).encode(), partition=partition)
    failed = []
    started = time.perf_counter()
    for n in range(args.records):
        producer.produce("bench.big", value=b'{"n":%d,"v":"abcdefgh"}' % n, key=b"k%d" % (n % 1000), partition=0,
                         on_delivery=lambda err, _msg: failed.append(err) if err else None)
        if n % 100_000 == 0:
            producer.poll(0)
    producer.flush(300)
    fill_seconds = time.perf_counter() - started
    _, _, body = get(base + "/api/topics/bench.big")
    big = json.loads(body)
    stored = big["messages"]
    low = big["partition_details"][0]["low"]

    print("# Console figures (issue 17)\n")
    print(f"Release binary, `flowguard console` on a `flowguard dev-cluster` (librdkafka's mock, 3 brokers), "
          f"20 topics x 12 partitions with 5 records each, and `bench.big` (1 partition): {args.records:,} records "
          f"produced, {stored:,} held (offsets {low:,} to {low + stored - 1:,}: the mock keeps about 5 MiB per partition; "
          f"{len(failed):,} refused; fill {fill_seconds:.1f} s). "
          f"{args.runs} sequential requests per row after one warm-up; milliseconds.\n")
    print("| request | median | p95 | max |")
    print("|---|---:|---:|---:|")
    rows = [
        ("overview page `/`", "/"),
        ("topics page `/topics`", "/topics"),
        ("`/api/topics`", "/api/topics"),
        ("topic page `/topics/bench.t07`", "/topics/bench.t07"),
        ("messages page, all 12 partitions, newest 50", "/topics/bench.t07/messages"),
        ("consumer groups page `/groups`", "/groups"),
        (f"newest 50 of `bench.big` ({stored:,} records), API", "/api/topics/bench.big/messages?partition=0&limit=50"),
        (f"newest 50 of `bench.big`, page", "/topics/bench.big/messages?partition=0&limit=50"),
        ("offset in the middle of `bench.big`, 50 records", f"/api/topics/bench.big/messages?partition=0&from=offset&offset={low + stored // 2}&limit=50"),
    ]
    for label, path in rows:
        median, p95, worst = timed(base + path, args.runs)
        print(f"| {label} | {median:.1f} | {p95:.1f} | {worst:.1f} |")

    # The scan: a value-contains filter that matches nothing reads the whole partition.
    rates = []
    for _ in range(3):
        seconds, status, body = get(base + "/api/topics/bench.big/messages?partition=0&from=oldest&contains=no-such-text&limit=50")
        answer = json.loads(body)
        rates.append(answer["scanned"] / seconds)
    print(f"\nValue-contains scan of the whole partition ({answer['scanned']:,} records scanned, no match, "
          f"complete={answer['complete']}): {min(rates):,.0f} / {statistics.median(rates):,.0f} / {max(rates):,.0f} "
          f"records/s (min / median / max of 3).")


if __name__ == "__main__":
    main()
