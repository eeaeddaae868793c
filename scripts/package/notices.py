#!/usr/bin/env python3
"""The third-party notices of the native library: every crate whose code it contains.

    notices.py TRIPLE... > "Third Party Notices.md"

Reads `cargo metadata` (offline: the crates are fetched by then) for each target the bundles
ship, and lists the crates the library's normal dependencies reach on those targets, with their
version, licence and repository. Proc-macro crates run only at build time, and their code is not
in the library: they and what only they depend on are left out. By hand because cargo has no
such report and cargo-about would be a large install for one list.
"""
import json
import subprocess
import sys


def reached(triple: str) -> dict:
    # The Linux libraries are built with the private heap (scripts/package.sh): mimalloc is in them.
    features = ["--features", "private-heap"] if "-linux-" in triple else []
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--offline", "--filter-platform", triple] + features,
        check=True, capture_output=True, text=True).stdout)
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    root = metadata["resolve"]["root"]
    found, stack = {}, [root]
    while stack:
        for dep in nodes[stack.pop()]["deps"]:
            if not any(kind["kind"] is None for kind in dep["dep_kinds"]) or dep["pkg"] in found:
                continue
            package = packages[dep["pkg"]]
            if any("proc-macro" in target["kind"] for target in package["targets"]):
                continue
            found[dep["pkg"]] = package
            stack.append(dep["pkg"])
    return found


def main() -> None:
    crates = {}
    for triple in sys.argv[1:]:
        crates.update(reached(triple))
    print("# Third-party notices\n")
    print("The native gameye library in this bundle contains code from these crates, each under the")
    print("licence shown (its full text is in the crate's repository and on crates.io). The library")
    print("itself, and the Rust standard library built into it, are licensed under MIT OR")
    print("Apache-2.0.\n")
    print("| Crate | Version | Licence | Repository |")
    print("|---|---|---|---|")
    for package in sorted(crates.values(), key=lambda p: (p["name"], p["version"])):
        print(f"| {package['name']} | {package['version']} | {package.get('license') or 'see repository'} "
              f"| {package.get('repository') or ''} |")


if __name__ == "__main__":
    main()
