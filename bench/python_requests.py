"""Contender (d): Python requests + json, reading the same fields.
Usage: python_requests.py BASE_URL list|describe|concurrent ITERATIONS"""
import json
import sys
import time

import requests


def read_map(text):
    if not text:
        return 0
    try:
        data = json.loads(text)
    except ValueError:
        return 0
    return sum(len(k) + len(v) for k, v in data.items())


def read_session(s):
    total = sum(len(s.get(k) or "") for k in ("id", "image", "tag", "location", "host", "status"))
    total += int(s["created"]) % 1000
    if "playerCount" in s:
        total += s["playerCount"]
    elif "players" in s:
        total += s["players"]["joinedCount"]
    for name, host in s.get("port", {}).items():
        container, _, protocol = name.partition("/")
        total += int(container) + int(host) + len(name) + len(protocol)
    labels = s.get("labels", {})
    return total + read_map(labels.get("tags")) + read_map(labels.get("env"))


def concurrent(base, iterations):
    """64 requests per batch on a pool of 64 threads, each with its own kept-alive session."""
    from concurrent.futures import ThreadPoolExecutor
    import threading
    local = threading.local()

    def one(_):
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["Authorization"] = "Bearer bench"
        return sum(read_session(s) for s in local.session.get(base + "/session").json()["sessions"])

    samples, checksum = [], 0
    with ThreadPoolExecutor(64) as pool:
        for i in range(iterations + 1):
            start = time.perf_counter_ns()
            total = sum(pool.map(one, range(64)))
            if i > 0:
                samples.append(time.perf_counter_ns() - start)
                checksum = total
    samples.sort()
    print("checksum=%d samples=%s" % (checksum, ",".join(str(x) for x in samples)))


def main():
    base, mode, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "concurrent":
        return concurrent(base, iterations)
    session = requests.Session()
    session.headers["Authorization"] = "Bearer bench"
    url = base + ("/session/bench-describe" if mode == "describe" else "/session")
    samples, checksum = [], 0
    for i in range(iterations + 1):
        start = time.perf_counter_ns()
        body = session.get(url).json()
        total = read_session(body) if mode == "describe" else sum(read_session(s) for s in body["sessions"])
        if i > 0:
            samples.append(time.perf_counter_ns() - start)
            checksum = total
    samples.sort()
    print("checksum=%d samples=%s" % (checksum, ",".join(str(x) for x in samples)))


main()
