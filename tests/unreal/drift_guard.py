#!/usr/bin/env python3
"""The Unreal plugin's drift guard: compiles every plugin source against stub engine headers.

Each source in Source/Gameye/Private is compiled with g++ -fsyntax-only at C++17 and C++20, with
WITH_GAMEYE 0 and 1, with -fno-exceptions -fno-rtti -Wall -Wextra -Wshadow -Wundef -Werror, and
once more all together as one unity-build file (as UBT merges them). Before that it writes each
public header's .generated.h, the way UHT names its macros, so that GENERATED_BODY() gives each
class its Super and ThisClass. It also holds each reflected header to UHT's rule that its
.generated.h is its last #include.

This is not an Unreal build: see README.md in this folder for what it cannot catch.

    drift_guard.py [--plugin DIR] [--include DIR]...

--plugin is the plugin folder (default: bindings/unreal/Gameye). --include adds a folder holding
gameye.h and gameye.hpp; by default the plugin's Source/ThirdParty/GameyeLibrary/include when it holds
them (an unpacked bundle), else this repository's include/ and bindings/cpp/.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FLAGS = ["-fsyntax-only", "-fno-exceptions", "-fno-rtti", "-Wall", "-Wextra", "-Wshadow", "-Wundef", "-Werror"]
DECLARATION = re.compile(r"^\s*(class|struct)\s+(?:\w+_API\s+)?(\w+)\s*(?::\s*public\s+(\w+))?")


def generated_header(header: Path) -> str:
    """The .generated.h of one header: a GENERATED_BODY macro per reflected type, keyed by line."""
    file_id = "FID_" + header.stem + "_h"
    lines = header.read_text().splitlines()
    out = ["#pragma once", '#include "UObject/ObjectMacros.h"', "#undef CURRENT_FILE_ID", f"#define CURRENT_FILE_ID {file_id}"]
    pending = None  # "UCLASS" or "USTRUCT", until its declaration line
    declared = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(("UCLASS(", "USTRUCT(")):
            pending = stripped.split("(")[0]
            continue
        if pending:
            match = DECLARATION.match(line)
            if match:
                declared = (pending, match.group(2), match.group(3))
                pending = None
            continue
        if stripped.startswith("GENERATED_BODY()") and declared:
            kind, name, base = declared
            if kind == "UCLASS":
                if not base:
                    sys.exit(f"{header}:{number}: a UCLASS without a public base class")
                body = f"public: using Super = {base}; using ThisClass = {name}; static UClass* StaticClass(); private:"
            else:
                body = "static UScriptStruct* StaticStruct();"
            out.append(f"#define {file_id}_{number}_GENERATED_BODY {body}")
            declared = None
    return "\n".join(out) + "\n"


def generated_include_is_last(header: Path) -> str:
    """UHT refuses a header that includes anything after its .generated.h; the problem, or ""."""
    includes = [line.strip() for line in header.read_text().splitlines() if line.strip().startswith("#include")]
    generated = f'#include "{header.stem}.generated.h"'
    if generated in includes and includes[-1] != generated:
        return f"{header}: {includes[-1]} comes after {generated} (UHT wants the .generated.h last)"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", type=Path, default=ROOT / "bindings/unreal/Gameye")
    parser.add_argument("--include", type=Path, action="append", default=[])
    args = parser.parse_args()
    args.plugin = args.plugin.resolve()

    module = args.plugin / "Source/Gameye"
    includes = args.include
    if not includes:
        bundled = args.plugin / "Source/ThirdParty/GameyeLibrary/include"
        includes = [bundled] if (bundled / "gameye.hpp").exists() else [ROOT / "include", ROOT / "bindings/cpp"]
    sources = sorted((module / "Private").glob("*.cpp"))
    headers = sorted((module / "Public").glob("*.h")) + sorted((module / "Private").glob("*.h"))
    if not sources:
        sys.exit(f"drift_guard: no sources in {module / 'Private'}")

    misplaced = [problem for problem in map(generated_include_is_last, headers) if problem]
    for problem in misplaced:
        print(f"FAIL {problem}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="gameye-drift-") as work:
        generated = Path(work) / "generated"
        generated.mkdir()
        for header in headers:
            if f'#include "{header.stem}.generated.h"' in header.read_text():
                (generated / f"{header.stem}.generated.h").write_text(generated_header(header))
        unity = Path(work) / "Module.Gameye.cpp"
        unity.write_text("".join(f'#include "{source}"\n' for source in sources))

        # The engine's headers are system headers to the module, as UBT passes them.
        search = [generated, module / "Public", module / "Private", *includes]
        common = [f"-isystem{HERE / 'engine'}", *(f"-I{path}" for path in search), "-DGAMEYE_API="]
        # UBT defines PLATFORM_* for the target; GameyeLibrary.Build.cs defines WITH_GAMEYE, and
        # GAMEYE_NO_LIBRARY on a platform it ships no library for.
        linux = ["-DPLATFORM_WINDOWS=0", "-DPLATFORM_LINUX=1"]
        jobs = []
        for standard in ("c++17", "c++20"):
            for with_gameye in ("0", "1"):
                for source in [*sources, unity]:
                    jobs.append([os.environ.get("CXX", "g++"), f"-std={standard}", f"-DWITH_GAMEYE={with_gameye}", *FLAGS, *common, *linux, str(source)])
            # The unity file once more as a Win64 build, and as a platform without a library.
            jobs.append([os.environ.get("CXX", "g++"), f"-std={standard}", "-DWITH_GAMEYE=1", *FLAGS, *common,
                         "-DPLATFORM_WINDOWS=1", "-DPLATFORM_LINUX=0", str(unity)])
            jobs.append([os.environ.get("CXX", "g++"), f"-std={standard}", "-DWITH_GAMEYE=0", *FLAGS, *common,
                         "-DPLATFORM_WINDOWS=0", "-DPLATFORM_LINUX=0", "-DGAMEYE_NO_LIBRARY=1", str(unity)])

        def compile_one(command):
            result = subprocess.run(command, capture_output=True, text=True)
            return command, result

        failures = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for command, result in pool.map(compile_one, jobs):
                label = f"{Path(command[-1]).name} ({command[1][5:]}, {', '.join(c[2:] for c in command if c.startswith('-DPLATFORM_WINDOWS=1') or c.startswith('-DWITH_') or c.startswith('-DGAMEYE_NO'))})"
                if result.returncode != 0:
                    failures += 1
                    print(f"FAIL {label}\n{result.stdout}{result.stderr}", file=sys.stderr)
        print(f"drift_guard: {len(jobs) - failures} of {len(jobs)} compiles passed ({len(sources)} sources + a unity file, C++17/20, WITH_GAMEYE 0/1; the unity file for Win64 and without a library)")
        return 1 if failures or misplaced else 0


if __name__ == "__main__":
    sys.exit(main())
