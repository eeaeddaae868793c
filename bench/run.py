#!/usr/bin/env python3
"""Benchmarks: this library against a hand-written libcurl + cJSON C client, side by side.

One command (see BENCHMARKS.md): `python3 bench/run.py`. It builds the contenders (release),
generates identical response bodies, serves them from nginx on 127.0.0.1 with keep-alive, runs the
contenders interleaved (shuffled each round), checks that they all read the same data (their
checksums must match), and writes BENCHMARKS.md and bench/benchmarks.svg.

Contenders: (a) the library through its C ABI, from C; (b) libcurl (one kept-alive easy handle)
+ cJSON, reading the same fields; (c) the Rust API directly; (d) Python requests + json.
Setup (Debian): nginx-light, libcjson-dev, libcurl4-openssl-dev (see setup() for the version pin),
time (GNU time, for peak memory), valgrind (massif, for the peak heap of the largest list).
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
WWW = os.path.join(OUT, "www")
PORT = 18631
ROUNDS = 5
# workload -> (path prefix, mode, sessions, iterations per round)
WORKLOADS = [
    ("list 1", "w1", "list", 1, 600),
    ("list 100", "w100", "list", 100, 200),
    ("list 1,000", "w1000", "list", 1000, 40),
    ("list 10,000", "w10000", "list", 10000, 6),
    ("describe", "describe", "describe", 1, 600),
    ("64 concurrent lists of 100", "w100", "concurrent", 100, 15),
]
CONTENDERS = [
    ("a", "gameye (C ABI, from C)"),
    ("b", "libcurl + cJSON (C)"),
    ("c", "gameye (Rust API)"),
    ("d", "Python requests + json"),
]


def run(command, **kwargs):
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)


def setup():
    """Installs what the benchmark needs (Debian), pinning libcurl4 to the -dev package's version
    when the mirror lags behind the installed library."""
    missing = [p for p, probe in (("nginx-light", "/usr/sbin/nginx"), ("libcjson-dev", "/usr/include/cjson/cJSON.h"),
                                  ("time", "/usr/bin/time"), ("valgrind", "/usr/bin/valgrind"),
                                  ("libcurl4-openssl-dev", "/usr/include/x86_64-linux-gnu/curl/curl.h")) if not os.path.exists(probe)]
    if not missing:
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    packages = [p for p in missing if p != "libcurl4-openssl-dev"]
    if "libcurl4-openssl-dev" in missing:
        version = subprocess.run(["apt-cache", "madison", "libcurl4-openssl-dev"], capture_output=True, text=True).stdout.split("|")[1].strip()
        packages += ["libcurl4=" + version, "libcurl4-openssl-dev=" + version]
    run(["apt-get", "install", "-y", "-qq", "--allow-downgrades"] + packages, env=env)


def build():
    run(["cargo", "build", "--quiet", "--release", "--lib", "--example", "bench_rust"], cwd=ROOT)
    os.makedirs(OUT, exist_ok=True)
    common = ["gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-I" + os.path.join(ROOT, "include")]
    run(common + [os.path.join(ROOT, "bench/c_gameye.c"), os.path.join(ROOT, "target/release/libgameye.a"),
                  "-lpthread", "-ldl", "-lm", "-lrt", "-o", os.path.join(OUT, "c_gameye")])
    run(common + [os.path.join(ROOT, "bench/c_curl_cjson.c"), "-lcurl", "-lcjson", "-o", os.path.join(OUT, "c_curl_cjson")])


def session(n, described=False):
    """A realistic session: two ports, packed labels (env, tags, gameye) as the API sends them."""
    sid = "%08x-1d2c-4e5f-8a9b-%012x" % (n * 2654435761 % 2**32, n)
    host = "203.0.%d.%d" % (n // 250 % 250, n % 250 + 1)
    env = {"GAMEYE_SESSION_ID": sid, "GAMEYE_HOST": host, "MAP": "dust%d" % (n % 7), "MODE": "ranked"}
    tags = {"mode": ["ffa", "tdm", "ctf"][n % 3], "region-pool": "eu-west", "build": "2026.11.%d" % (n % 28)}
    item = {
        "id": sid, "image": "my-very-special-game", "tag": "1.%d.0" % (n % 5), "location": ["europe", "asia"][n % 2],
        "host": host, "created": 1795864418948 + n, "port": {"7777/udp": 20000 + n % 10000, "7778/tcp": 20001 + n % 10000},
        "status": "running",
        "labels": {"env": json.dumps(env, separators=(",", ":")), "tags": json.dumps(tags, separators=(",", ":")),
                   "gameye": json.dumps({"location": "europe", "image": "my-very-special-game", "version": "1.0.0"}, separators=(",", ":"))},
    }
    if described:
        item["players"] = {"joined": ["player-%d" % p for p in range(n % 8)], "joinedCount": n % 8}
    else:
        item["playerCount"] = n % 8
    return item


def generate():
    shutil.rmtree(WWW, ignore_errors=True)
    sizes = {}
    for name, prefix, mode, count, _ in WORKLOADS:
        if mode == "concurrent":
            sizes[name] = 64 * sizes["list 100"]
            continue
        if mode == "describe":
            path = os.path.join(WWW, prefix, "session", "bench-describe")
            body = json.dumps(session(5, described=True), separators=(",", ":"))
        else:
            path = os.path.join(WWW, prefix, "session")
            body = json.dumps({"sessions": [session(n) for n in range(count)]}, separators=(",", ":"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(body)
        sizes[name] = len(body)
    return sizes


def start_nginx():
    conf = os.path.join(OUT, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""user root;
worker_processes 1;
pid %(out)s/nginx.pid;
error_log %(out)s/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    sendfile on;
    tcp_nodelay on;
    default_type application/json;
    server {
        listen 127.0.0.1:%(port)d;
        root %(www)s;
        location / { try_files $uri =404; }
    }
}
""" % {"out": OUT, "port": PORT, "www": WWW})
    process = subprocess.Popen(["nginx", "-c", conf, "-p", OUT, "-g", "daemon off;"])
    time.sleep(0.5)
    return process


def command(contender, base, mode, iterations):
    return {
        "a": [os.path.join(OUT, "c_gameye"), base, mode, str(iterations)],
        "b": [os.path.join(OUT, "c_curl_cjson"), base, mode, str(iterations)],
        "c": [os.path.join(ROOT, "target/release/examples/bench_rust"), base, mode, str(iterations)],
        "d": [sys.executable, os.path.join(ROOT, "bench/python_requests.py"), base, mode, str(iterations)],
    }[contender]


def measure(cmd):
    """Runs one contender process; returns (samples in ns, checksum, peak RSS in bytes). The peak
    comes from GNU time: measuring the child of this Python process directly would count the
    memory of the forked interpreter before it execs."""
    process = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M"] + cmd, capture_output=True, text=True)
    if process.returncode != 0:
        raise SystemExit("%s failed: %s %s" % (" ".join(cmd), process.stdout, process.stderr))
    fields = dict(part.split("=", 1) for part in (process.stdout + " " + process.stderr).split() if "=" in part)
    return [int(x) for x in fields["samples"].split(",")], int(fields["checksum"]), int(fields["maxrss_kb"]) * 1024


def heap_peak(cmd):
    """The highest heap (bytes requested from the allocator) of one run, by valgrind's massif."""
    out = os.path.join(OUT, "massif.out")
    subprocess.run(["valgrind", "--tool=massif", "--massif-out-file=" + out] + cmd, check=True, capture_output=True)
    return max(int(line.split("=")[1]) for line in open(out) if line.startswith("mem_heap_B="))


def sizes():
    def stripped(path):
        copy = os.path.join(OUT, "stripped-" + os.path.basename(path))
        shutil.copy(path, copy)
        subprocess.run(["strip", "--strip-unneeded", copy], check=True)
        return os.path.getsize(copy)

    curl = subprocess.run(["ldd", "/usr/lib/x86_64-linux-gnu/libcurl.so.4"], capture_output=True, text=True).stdout
    libraries = ["/usr/lib/x86_64-linux-gnu/libcurl.so.4"] + [line.split("=>")[1].split("(")[0].strip()
                                                               for line in curl.splitlines() if "=>" in line and "/" in line]
    system = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2"}
    curl_total = sum(os.path.getsize(os.path.realpath(lib)) for lib in libraries if os.path.basename(lib) not in system)
    return {
        "libgameye.so (stripped)": stripped(os.path.join(ROOT, "target/release/libgameye.so")),
        "libgameye.a (stripped)": stripped(os.path.join(ROOT, "target/release/libgameye.a")),
        "libcurl.so.4 + the libraries it pulls in (not libc)": curl_total,
    }


def svg(results, body_sizes):
    """Time per call (median) against the number of sessions, one line per contender, log-log."""
    import math
    width, height, margin = 640, 400, 60
    points = [(n, w) for (w, _, mode, n, _) in WORKLOADS if mode == "list" for w in [w]]
    xs = [math.log10(n) for n, _ in points]
    ys = [math.log10(results[c][w]["median"] / 1e6) for c, _ in CONTENDERS for _, w in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys) - 0.2, max(ys) + 0.2
    sx = lambda v: margin + (v - x0) / (x1 - x0) * (width - 2 * margin)
    sy = lambda v: height - margin - (v - y0) / (y1 - y0) * (height - 2 * margin)
    colours = {"a": "#d62728", "b": "#1f77b4", "c": "#ff7f0e", "d": "#7f7f7f"}
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (width, height),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="20" font-size="14">Time per list call (median, ms, log scale) vs sessions</text>' % margin]
    for tick in range(int(math.floor(y0)), int(math.ceil(y1)) + 1):
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="5" y="%.1f">%g ms</text>' %
                     (margin, width - margin, sy(tick), sy(tick), sy(tick) + 4, 10 ** tick))
    for n, _ in points:
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (sx(math.log10(n)), height - margin + 18, n))
    for i, (c, name) in enumerate(CONTENDERS):
        line = " ".join("%.1f,%.1f" % (sx(math.log10(n)), sy(math.log10(results[c][w]["median"] / 1e6))) for n, w in points)
        parts.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colours[c], line))
        parts.append('<text x="%d" y="%d" fill="%s">(%s) %s</text>' % (margin + 10, 40 + 16 * i, colours[c], c, name))
    parts.append("</svg>")
    return "\n".join(parts)


def main():
    setup()
    build()
    body_sizes = generate()
    nginx = start_nginx()
    samples = {c: {w: [] for w, *_ in WORKLOADS} for c, _ in CONTENDERS}
    checksums = {w: {} for w, *_ in WORKLOADS}
    peaks = {c: {w: 0 for w, *_ in WORKLOADS} for c, _ in CONTENDERS}
    try:
        for round_number in range(ROUNDS):
            for name, prefix, mode, _, iterations in WORKLOADS:
                order = [c for c, _ in CONTENDERS]
                random.shuffle(order)
                for contender in order:
                    base = "http://127.0.0.1:%d/%s" % (PORT, prefix)
                    taken, checksum, peak = measure(command(contender, base, mode, iterations))
                    samples[contender][name] += taken
                    checksums[name].setdefault(checksum, []).append(contender)
                    peaks[contender][name] = max(peaks[contender][name], peak)
            print("round %d of %d done" % (round_number + 1, ROUNDS), flush=True)
        largest = [w for w in WORKLOADS if w[0] == "list 10,000"][0]
        base = "http://127.0.0.1:%d/%s" % (PORT, largest[1])
        # Python under valgrind measures the interpreter more than the list: left out.
        heaps = {c: heap_peak(command(c, base, "list", 1)) for c in ("a", "b", "c")}
    finally:
        nginx.terminate()
        nginx.wait()
    for name, seen in checksums.items():
        if len(seen) != 1:
            raise SystemExit("the contenders read different data for %s: %s" % (name, seen))
    results = {c: {w: {"median": statistics.median(s), "p90": sorted(s)[int(len(s) * 0.9)], "peak": peaks[c][w]}
                   for w, s in by_workload.items()} for c, by_workload in samples.items()}
    library_sizes = sizes()
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"results": results, "body_sizes": body_sizes, "sizes": library_sizes, "heaps": heaps}, f, indent=1)
    with open(os.path.join(ROOT, "bench", "benchmarks.svg"), "w") as f:
        f.write(svg(results, body_sizes))
    write_report(results, body_sizes, library_sizes, heaps)


def write_report(results, body_sizes, library_sizes, heaps):
    lines = ["## Results (%s, %s)" % (time.strftime("%Y-%m-%d"), os.uname().machine), "",
             "Median time per call (ms; for the concurrent workload, per batch of 64), and the ratio "
             "against (b), libcurl + cJSON. Lower is better.", "",
             "| workload | body | " + " | ".join("(%s) %s" % c for c in CONTENDERS) + " |",
             "|---|---:|" + "---:|" * len(CONTENDERS)]
    for name, *_ in WORKLOADS:
        base = results["b"][name]["median"]
        cells = ["%.3f (%.2f×)" % (results[c][name]["median"] / 1e6, results[c][name]["median"] / base) for c, _ in CONTENDERS]
        lines.append("| %s | %s | %s |" % (name, "{:,} B".format(body_sizes[name]), " | ".join(cells)))
    lines += ["", "Peak memory (resident set of the whole process, MB):", "",
              "| workload | body | " + " | ".join("(%s)" % c for c, _ in CONTENDERS) + " |", "|---|---:|" + "---:|" * len(CONTENDERS)]
    for name, *_ in WORKLOADS:
        lines.append("| %s | %.2f MB | %s |" % (name, body_sizes[name] / 1e6, " | ".join("%.1f" % (results[c][name]["peak"] / 1e6) for c, _ in CONTENDERS)))
    body = body_sizes["list 10,000"]
    lines += ["", "Peak heap for the 10,000 list (valgrind massif: bytes requested from the allocator at the "
              "highest point, one call after a warm-up; (d) is left out, the interpreter dominating it):", "",
              "| contender | peak heap | × body (%s B) |" % "{:,}".format(body), "|---|---:|---:|"]
    for c, name in CONTENDERS:
        if c in heaps:
            lines.append("| (%s) %s | {:,} B | %.2f× |".format(heaps[c]) % (c, name, heaps[c] / body))
    lines += ["", "Sizes:", "", "| file | bytes |", "|---|---:|"]
    for name, size in library_sizes.items():
        lines.append("| %s | {:,} |".format(size) % name)
    lines += ["", "![time per call against sessions](bench/benchmarks.svg)", ""]
    report = "\n".join(lines)
    path = os.path.join(ROOT, "BENCHMARKS.md")
    head = open(path).read().split("## Results")[0] if os.path.exists(path) else ""
    with open(path, "w") as f:
        f.write(head + report)
    print(report)


if __name__ == "__main__":
    main()
