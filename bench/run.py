#!/usr/bin/env python3
"""Benchmarks: this library against a hand-written libcurl + cJSON C client, side by side.

One command (see BENCHMARKS.md): `python3 bench/run.py`. It builds the contenders (release),
generates identical response bodies, serves them from nginx on 127.0.0.1 with keep-alive, runs the
contenders interleaved (shuffled each round), checks that they all read the same data (their
checksums must match), and writes BENCHMARKS.md and bench/benchmarks.svg.

Contenders: (a) the library through its C ABI, from C, as it ships (its private heap on); (b)
libcurl (one kept-alive easy handle) + cJSON, reading the same fields; (c) the Rust API directly;
(d) Python requests + json; (e) the floor: the same exchange without decoding; (a3) the library on
glibc's heap (built without the private heap). The interleaved workloads run (a) and (b) in one
process, alternating (bench/c_interleaved.c). `--before REF` adds (a0): the library as of git
REF, through C, on every workload. A decode-only comparison (bench/decode)
runs this library's decoder, serde_json and simd-json on the same bodies. `--runs N` repeats it
all N times; the targets table shows every run, the other tables the last.
Setup (Debian): nginx-light, libcjson-dev, libcurl4-openssl-dev (see setup() for the version pin),
time (GNU time, for peak memory), valgrind (massif, for the peak heap of the largest list).
"""
import argparse
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
    ("10,000 interleaved, gameye first", "w10000", "library-first", 10000, 6),
    ("10,000 interleaved, libcurl first", "w10000", "curl-first", 10000, 6),
]
INTERLEAVED = ("library-first", "curl-first")
CONTENDERS = [
    ("a", "gameye (C ABI, from C)"),
    ("b", "libcurl + cJSON (C)"),
    ("c", "gameye (Rust API)"),
    ("d", "Python requests + json"),
    ("e", "floor: receive, no decode (ureq)"),
    ("a1", "gameye non-blocking (C ABI)"),
    ("a3", "gameye on glibc's heap (C ABI)"),
]
# (a1) runs only the interleaved workloads: the library's non-blocking list, run on a worker thread.
# (a3) runs what (a) runs, with the library built without its private heap (src/private_heap.rs).
# The library as it ships: the private heap on, and the host's MIMALLOC_* variables not read
# (scripts/package.sh builds it so).
HEAP_FEATURES = ["--features", "private-heap"]
HEAP_ENV = {"CFLAGS": "-DMI_NO_GETENV"}
BEFORE = ("a0", "gameye before the change (C ABI)")
DECODE_SIZES = ("list 1", "list 100", "list 10,000")


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


def build(before=None):
    # First without the private heap: (c) and (e), which a Rust program gets, and (a3)'s library,
    # copied out before the library is built again as it ships, for (a).
    os.makedirs(OUT, exist_ok=True)
    run(["cargo", "build", "--quiet", "--release", "--lib", "--example", "bench_rust"], cwd=ROOT)
    shutil.copy(os.path.join(ROOT, "target/release/libgameye.a"), os.path.join(OUT, "libgameye-glibc.a"))
    run(["cargo", "build", "--quiet", "--release", "--lib"] + HEAP_FEATURES, cwd=ROOT, env=dict(os.environ, **HEAP_ENV))
    run(["cargo", "build", "--quiet", "--release", "--manifest-path", os.path.join(ROOT, "bench/decode/Cargo.toml"),
         "--target-dir", os.path.join(ROOT, "target/bench-decode")], cwd=ROOT)
    libraries = {"": os.path.join(ROOT, "target/release/libgameye.a"), "_glibc": os.path.join(OUT, "libgameye-glibc.a")}
    if before:
        # The library as of git REF, built in a worktree of its own (its code, this harness).
        tree = os.path.join(OUT, "before")
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT, capture_output=True)
        run(["git", "worktree", "add", "--detach", tree, before], cwd=ROOT)
        run(["cargo", "build", "--quiet", "--release", "--lib", "--target-dir", os.path.join(ROOT, "target/bench-before")], cwd=tree)
        libraries["_before"] = os.path.join(ROOT, "target/bench-before/release/libgameye.a")
    common = ["gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-I" + os.path.join(ROOT, "include")]
    system = ["-lpthread", "-ldl", "-lm", "-lrt"]
    for suffix, library in libraries.items():
        run(common + [os.path.join(ROOT, "bench/c_gameye.c"), library] + system + ["-o", os.path.join(OUT, "c_gameye" + suffix)])
        run(common + [os.path.join(ROOT, "bench/c_interleaved.c"), library, "-lcurl", "-lcjson"] + system +
            ["-o", os.path.join(OUT, "c_interleaved" + suffix)])
    run(common + [os.path.join(ROOT, "bench/c_curl_cjson.c"), "-lcurl", "-lcjson", "-o", os.path.join(OUT, "c_curl_cjson")])
    run(common + [os.path.join(ROOT, "bench/c_roster.c"), libraries[""]] + system + ["-o", os.path.join(OUT, "c_roster")])


def roster_reports():
    """The cost of one roster report on the caller's thread, through the C ABI (bench/c_roster.c)."""
    return subprocess.run([os.path.join(OUT, "c_roster")], check=True, capture_output=True, text=True).stdout


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
    """The command line of one contender on one workload; None when it does not run it."""
    if mode in INTERLEAVED:
        side = {"a": ("", "library"), "a0": ("_before", "library"), "a1": ("", "library-async"),
                "a3": ("_glibc", "library"), "b": ("", "curl")}.get(contender)
        return side and [os.path.join(OUT, "c_interleaved" + side[0]), base, side[1], mode, str(iterations)]
    if contender == "a1":
        return None
    if contender == "e":
        return [os.path.join(ROOT, "target/release/examples/bench_rust"), base, "floor", str(iterations)] if mode == "list" else None
    if contender == "a0":
        return [os.path.join(OUT, "c_gameye_before"), base, mode, str(iterations)]
    return {
        "a": [os.path.join(OUT, "c_gameye"), base, mode, str(iterations)],
        "a3": [os.path.join(OUT, "c_gameye_glibc"), base, mode, str(iterations)],
        "b": [os.path.join(OUT, "c_curl_cjson"), base, mode, str(iterations)],
        "c": [os.path.join(ROOT, "target/release/examples/bench_rust"), base, mode, str(iterations)],
        "d": [sys.executable, os.path.join(ROOT, "bench/python_requests.py"), base, mode, str(iterations)],
    }[contender]


def decode_only():
    """The decode-only comparison: {size name: [(decoder, median ns, peak heap)]}."""
    paths = {name: os.path.join(WWW, prefix, "session") for name, prefix, mode, *_ in WORKLOADS if name in DECODE_SIZES}
    out = subprocess.run([os.path.join(ROOT, "target/bench-decode/release/gameye-bench-decode")] + list(paths.values()),
                         check=True, capture_output=True, text=True).stdout
    by_bytes = {os.path.getsize(p): name for name, p in paths.items()}
    table = {}
    for line in out.splitlines():
        fields = dict(part.split("=", 1) for part in line.split())
        name = by_bytes[int(fields["bytes"])]
        table.setdefault(name, []).append((fields["decoder"].replace("_", " "), int(fields["median_ns"]),
                                           int(fields["peak_heap"]), fields["checksum"]))
    for name, rows in table.items():
        if len({checksum for *_, checksum in rows}) != 1:
            raise SystemExit("the decoders read different data for %s: %s" % (name, rows))
    return {name: [row[:3] for row in rows] for name, rows in table.items()}


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
    drawn = [(c, name) for c, name in CONTENDERS if all(results[c][w] for _, w in points)]
    ys = [math.log10(results[c][w]["median"] / 1e6) for c, _ in drawn for _, w in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys) - 0.2, max(ys) + 0.2
    sx = lambda v: margin + (v - x0) / (x1 - x0) * (width - 2 * margin)
    sy = lambda v: height - margin - (v - y0) / (y1 - y0) * (height - 2 * margin)
    colours = {"a": "#d62728", "b": "#1f77b4", "c": "#ff7f0e", "d": "#7f7f7f", "e": "#2ca02c",
               "a0": "#9467bd", "a3": "#8c564b"}
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (width, height),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="20" font-size="14">Time per list call (median, ms, log scale) vs sessions</text>' % margin]
    for tick in range(int(math.floor(y0)), int(math.ceil(y1)) + 1):
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="5" y="%.1f">%g ms</text>' %
                     (margin, width - margin, sy(tick), sy(tick), sy(tick) + 4, 10 ** tick))
    for n, _ in points:
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (sx(math.log10(n)), height - margin + 18, n))
    for i, (c, name) in enumerate(drawn):
        line = " ".join("%.1f,%.1f" % (sx(math.log10(n)), sy(math.log10(results[c][w]["median"] / 1e6))) for n, w in points)
        parts.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colours[c], line))
        parts.append('<text x="%d" y="%d" fill="%s">(%s) %s</text>' % (margin + 10, 40 + 16 * i, colours[c], c, name))
    parts.append("</svg>")
    return "\n".join(parts)


def measure_run(contenders, rounds):
    """One run: every workload, every contender that runs it, `rounds` times in shuffled order.
    Returns {contender: {workload: {"median", "p90", "peak"} or None}}."""
    samples = {c: {w: [] for w, *_ in WORKLOADS} for c, _ in contenders}
    checksums = {w: {} for w, *_ in WORKLOADS}
    peaks = {c: {w: 0 for w, *_ in WORKLOADS} for c, _ in contenders}
    for round_number in range(rounds):
        for name, prefix, mode, _, iterations in WORKLOADS:
            order = [c for c, _ in contenders]
            random.shuffle(order)
            for contender in order:
                base = "http://127.0.0.1:%d/%s" % (PORT, prefix)
                cmd = command(contender, base, mode, iterations)
                if cmd is None:
                    continue
                taken, checksum, peak = measure(cmd)
                samples[contender][name] += taken
                if contender != "e":  # the floor reads bytes, not fields
                    checksums[name].setdefault(checksum, []).append(contender)
                peaks[contender][name] = max(peaks[contender][name], peak)
        print("round %d of %d done" % (round_number + 1, rounds), flush=True)
    for name, seen in checksums.items():
        if len(seen) != 1:
            raise SystemExit("the contenders read different data for %s: %s" % (name, seen))
    return {c: {w: ({"median": statistics.median(s), "p90": sorted(s)[int(len(s) * 0.9)], "peak": peaks[c][w]} if s else None)
                for w, s in by_workload.items()} for c, by_workload in samples.items()}


def main():
    parser = argparse.ArgumentParser(description="Benchmarks: writes BENCHMARKS.md and bench/benchmarks.svg")
    parser.add_argument("--runs", type=int, default=1, help="full runs (the targets table shows each)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds per run")
    parser.add_argument("--before", metavar="REF", help="also measure the library as of this git ref (a0)")
    args = parser.parse_args()
    setup()
    build(args.before)
    body_sizes = generate()
    contenders = CONTENDERS + ([BEFORE] if args.before else [])
    nginx = start_nginx()
    runs = []
    try:
        for number in range(args.runs):
            runs.append((measure_run(contenders, args.rounds), decode_only()))
            print("run %d of %d done" % (number + 1, args.runs), flush=True)
        largest = [w for w in WORKLOADS if w[0] == "list 10,000"][0]
        base = "http://127.0.0.1:%d/%s" % (PORT, largest[1])
        # Python under valgrind measures the interpreter more than the list: left out. massif
        # counts what reaches malloc, which the private heap does not: the library's demand is
        # measured on its glibc build (a3), the same code.
        heaps = {c: heap_peak(command(c, base, "list", 1)) for c in ("a3", "b", "c")}
    finally:
        nginx.terminate()
        nginx.wait()
    library_sizes = sizes()
    roster = roster_reports()
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"runs": runs, "body_sizes": body_sizes, "sizes": library_sizes, "heaps": heaps}, f, indent=1)
    with open(os.path.join(ROOT, "bench", "benchmarks.svg"), "w") as f:
        f.write(svg(runs[-1][0], body_sizes))
    write_report(runs, contenders, args, body_sizes, library_sizes, heaps, roster)


def ratio(results, c, w, base="b"):
    if results[c][w] is None or results[base][w] is None:
        return None
    return results[c][w]["median"] / results[base][w]["median"]


def targets(runs, heaps, body, library_sizes):
    """(target, [value per run], met per run) rows."""
    rows = []
    for label, c, w, base, limit in [
        ("list of 10,000 ≤ 0.35× (b)", "a", "list 10,000", "b", 0.35),
        ("10,000 interleaved, gameye first ≤ 0.4× (b)", "a", "10,000 interleaved, gameye first", "b", 0.4),
        ("10,000 interleaved, libcurl first ≤ 0.4× (b)", "a", "10,000 interleaved, libcurl first", "b", 0.4),
        ("list of 100 ≤ 0.5× (b)", "a", "list 100", "b", 0.5),
        ("the library's 10,000 list ≤ 3× the floor (e)", "a", "list 10,000", "e", 3.0),
    ]:
        values = [ratio(results, c, w, base) for results, _ in runs]
        rows.append((label, ["%.2f×" % v for v in values], [v <= limit for v in values]))
    if any(results.get("a0") for results, _ in runs):
        # Against the library before the change, each workload both run (ratio of medians, 5 %
        # allowed for noise).
        cells, met = [], []
        for results, _ in runs:
            worst = max((results["a"][w]["median"] / results["a0"][w]["median"], w) for w, *_ in WORKLOADS
                        if results["a"][w] and results["a0"][w])
            cells.append("worst %.2f× (%s)" % worst)
            met.append(worst[0] <= 1.05)
        rows.append(("no workload slower than before (a0), within 5 %", cells, met))
    rows.append(("peak heap of the 10,000 list ≤ 2× the body", ["%.2f×" % (heaps["a3"] / body)] * len(runs),
                 [heaps["a3"] <= 2 * body] * len(runs)))
    so = library_sizes["libgameye.so (stripped)"]
    rows.append(("stripped shared library ≤ 3 MB", ["{:,} B".format(so)] * len(runs), [so <= 3_000_000] * len(runs)))
    for size in ("list 100", "list 10,000"):
        cells, met = [], []
        for _, decode in runs:
            mine = next(r for r in decode[size] if r[0] == "gameye")
            others = [r for r in decode[size] if not r[0].startswith("gameye")]
            fastest = min(others, key=lambda r: r[1])
            least = min(others, key=lambda r: r[2])
            cells.append("%.2f× %s's time, %.2f× %s's heap" % (mine[1] / fastest[1], fastest[0], mine[2] / least[2], least[0]))
            met.append(mine[1] <= fastest[1] and mine[2] < least[2])
        rows.append(("decode-only %s: no slower than the fastest other decoder, less peak heap" % size.replace("list ", ""),
                     cells, met))
    return rows


def write_report(runs, contenders, args, body_sizes, library_sizes, heaps, roster):
    results, decode = runs[-1]
    lines = ["## Results (%s, %s; %d run%s of %d rounds)" % (time.strftime("%Y-%m-%d"), os.uname().machine, len(runs),
                                                           "s" if len(runs) > 1 else "", args.rounds), ""]
    lines += ["Targets, each run's ratio (medians within that run):", "",
              "| target | " + " | ".join("run %d" % (i + 1) for i in range(len(runs))) + " | status |",
              "|---|" + "---|" * len(runs) + "---|"]
    for label, cells, met in targets(runs, heaps, body_sizes["list 10,000"], library_sizes):
        status = "met" if all(met) else ("missed in %d of %d runs" % (met.count(False), len(met)))
        lines.append("| %s | %s | %s |" % (label, " | ".join(cells), status))
    lines += ["", "Median time per call in the last run (ms; for the concurrent workload, per batch of 64), and the "
              "ratio against (b), libcurl + cJSON. Lower is better. n/a: the contender does not run that workload.", "",
              "| workload | body | " + " | ".join("(%s) %s" % c for c in contenders) + " |",
              "|---|---:|" + "---:|" * len(contenders)]
    for name, *_ in WORKLOADS:
        cells = []
        for c, _ in contenders:
            r = results[c][name]
            cells.append("n/a" if r is None else "%.3f (%.2f×)" % (r["median"] / 1e6, ratio(results, c, name)))
        lines.append("| %s | %s | %s |" % (name, "{:,} B".format(body_sizes[name]), " | ".join(cells)))
    if args.before:
        lines += ["", "Every workload before and after the change (a0 is the library as of `%s`), each run, "
                  "ratio against (b) in the same run:" % args.before, "",
                  "| workload | " + " | ".join("run %d: before → after" % (i + 1) for i in range(len(runs))) + " |",
                  "|---|" + "---|" * len(runs)]
        for name, *_ in WORKLOADS:
            lines.append("| %s | %s |" % (name, " | ".join("%.2f× → %.2f×" % (ratio(r, "a0", name), ratio(r, "a", name)) for r, _ in runs)))
    lines += ["", "Decode-only, last run: each decoder starts from the body in a buffer of its own and reads every "
              "field (tags and env decoded from the labels' JSON); median time and the peak heap the decode adds "
              "(bench/decode):", "",
              "| body | decoder | time (ms) | × gameye | peak heap | × body |", "|---|---|---:|---:|---:|---:|"]
    for size in DECODE_SIZES:
        mine = next(r for r in decode[size] if r[0] == "gameye")
        for decoder, median, heap in decode[size]:
            lines.append("| %s (%s B) | %s | %.3f | %.2f× | {:,} B | %.2f× |".format(heap) % (
                size.replace("list ", ""), "{:,}".format(body_sizes[size]), decoder, median / 1e6, median / mine[1], heap / body_sizes[size]))
    lines += ["", "Peak memory in the last run (resident set of the whole process, MB):", "",
              "| workload | body | " + " | ".join("(%s)" % c for c, _ in contenders) + " |", "|---|---:|" + "---:|" * len(contenders)]
    for name, *_ in WORKLOADS:
        if "interleaved" in name:
            continue
        lines.append("| %s | %.2f MB | %s |" % (name, body_sizes[name] / 1e6, " | ".join(
            "n/a" if results[c][name] is None else "%.1f" % (results[c][name]["peak"] / 1e6) for c, _ in contenders)))
    body = body_sizes["list 10,000"]
    lines += ["", "Peak heap for the 10,000 list (valgrind massif: bytes requested from the allocator at the "
              "highest point, one call after a warm-up; (d) is left out, the interpreter dominating it):", "",
              "| contender | peak heap | × body (%s B) |" % "{:,}".format(body), "|---|---:|---:|"]
    for c, name in contenders:
        if c in heaps:
            lines.append("| (%s) %s | {:,} B | %.2f× |".format(heaps[c]) % (c, name, heaps[c] / body))
    lines += ["", "Roster reports: one gameye_roster_reporter_player_joined / _player_left on the game thread, "
              "through the C ABI (bench/c_roster.c; no I/O happens there, the worker sends the batches):", ""]
    lines += roster.strip().splitlines()
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
