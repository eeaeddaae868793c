#!/usr/bin/env python3
"""The system libraries a static library needs, from rustc's `native-static-libs` note.

    native_libs.py FORMAT NOTE_FILE

NOTE_FILE is rustc's stderr; FORMAT is `raw` (the note's flags as printed, for Unreal's
Build.cs), `cmake` (a CMake list) or `flags` (linker flags, for pkg-config). `cmake` and `flags`
keep the first of duplicates and drop the C library, which every C compiler links anyway.
"""
import sys

form, path = sys.argv[1:]
lines = [line for line in open(path) if line.startswith("note: native-static-libs: ")]
if not lines:
    sys.exit(f"native_libs.py: {path} has no native-static-libs note")
flags = lines[-1].split(": ", 2)[2].split()
if form == "raw":
    print(" ".join(flags))
    sys.exit(0)
items, index = [], 0
while index < len(flags):
    flag = flags[index]
    if flag == "-framework":
        item = f"-framework {flags[index + 1]}"
        index += 2
    elif flag.startswith("-l"):
        item = flag if form == "flags" else flag[2:]
        index += 1
    else:
        sys.exit(f"native_libs.py: unexpected flag {flag}")
    if item not in items and item not in ("c", "-lc"):
        items.append(item)
print(";".join(items) if form == "cmake" else " ".join(items))
