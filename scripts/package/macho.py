#!/usr/bin/env python3
"""Two Mach-O jobs for the macOS bundle that no tool here does (written by hand, see below).

    macho.py hide ARCHIVE PREFIX OUT     copy a static library, keeping only symbols that start
                                         with PREFIX (e.g. _gameye_) external; the rest become
                                         private externs, as ld64's -exported_symbols_list would
    macho.py fat OUT INPUT...            combine thin Mach-O files or archives of different
                                         architectures into one universal (fat) file, like lipo
    macho.py archs FILE                  the architectures of a universal file, e.g. "x86_64 arm64"

Why by hand: zig's Mach-O linker (cargo-zigbuild's, the only macOS linker that runs here)
ignores -exported_symbols_list, so a dylib it links exports every Rust symbol. It does honour
the private-extern bit (N_PEXT) of its input symbols, so the library is linked from objects
whose other symbols carry that bit. Debian has no lipo for current Rust objects (llvm-lipo 14
cannot read LLVM 22 bitcode sections), and a fat file is a 20-byte header per slice.
"""
import struct
import sys

AR_MAGIC = b"!<arch>\n"
MH_MAGIC_64 = 0xFEEDFACF
LC_SYMTAB = 0x2
N_EXT = 0x01
N_PEXT = 0x10
N_TYPE = 0x0E
N_SECT = 0x0E
N_STAB = 0xE0
FAT_MAGIC = 0xCAFEBABE
CPU_TYPE_X86_64 = 0x01000007
CPU_TYPE_ARM64 = 0x0100000C


def hide_object(data: bytearray, keep: bytes) -> int:
    """Sets N_PEXT on every defined external symbol not starting with `keep`; returns how many."""
    magic, _, _, _, ncmds = struct.unpack_from("<IiiII", data, 0)
    if magic != MH_MAGIC_64:
        return 0
    offset = 32
    hidden = 0
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, offset)
        if cmd == LC_SYMTAB:
            symoff, nsyms, stroff, _ = struct.unpack_from("<IIII", data, offset + 8)
            for index in range(nsyms):
                entry = symoff + 16 * index
                strx, n_type = struct.unpack_from("<IB", data, entry)
                defined = (n_type & N_TYPE) == N_SECT
                if n_type & N_STAB or not n_type & N_EXT or not defined:
                    continue
                end = data.index(b"\0", stroff + strx)
                if not bytes(data[stroff + strx : end]).startswith(keep):
                    data[entry + 4] = n_type | N_PEXT
                    hidden += 1
        offset += size
    return hidden


def members(data: bytes):
    """(header, name bytes, body offset, body size) of each member of a BSD or GNU archive."""
    assert data[:8] == AR_MAGIC, "not an archive"
    offset = 8
    while offset < len(data):
        header = data[offset : offset + 60]
        size = int(header[48:58])
        body = offset + 60
        name = header[:16].rstrip()
        yield header, name, body, size
        offset = body + size + (size & 1)


def hide(archive: str, prefix: str, out: str) -> None:
    data = bytearray(open(archive, "rb").read())
    keep = prefix.encode()
    hidden = 0
    for _, name, body, size in members(bytes(data)):
        start = body
        if name.startswith(b"#1/"):  # BSD long name: the name leads the body
            start += int(name[3:])
        member = bytearray(data[start : body + size])
        hidden += hide_object(member, keep)
        data[start : body + size] = member
    open(out, "wb").write(data)
    print(f"macho.py: {archive}: {hidden} symbols made private, {prefix}* kept external")


def fat(out: str, inputs: list) -> None:
    slices = []
    for path in inputs:
        data = open(path, "rb").read()
        cputype = None
        if data[:8] == AR_MAGIC:
            for _, name, body, size in members(data):
                start = body + (int(name[3:]) if name.startswith(b"#1/") else 0)
                if struct.unpack_from("<I", data, start)[0] == MH_MAGIC_64:
                    cputype, cpusubtype = struct.unpack_from("<ii", data, start + 4)
                    break
        elif struct.unpack_from("<I", data, 0)[0] == MH_MAGIC_64:
            cputype, cpusubtype = struct.unpack_from("<ii", data, 4)
        if cputype not in (CPU_TYPE_X86_64, CPU_TYPE_ARM64):
            sys.exit(f"macho.py: {path}: not a 64-bit Mach-O file or archive for x86_64 or arm64")
        slices.append((cputype, cpusubtype, data))
    align = 14  # 16 KiB, what lipo uses for arm64 (and accepts for x86_64)
    offset = 1 << align
    header = struct.pack(">II", FAT_MAGIC, len(slices))
    body = b""
    for cputype, cpusubtype, data in slices:
        pad = (-(offset + len(body))) % (1 << align)
        body += b"\0" * pad
        header += struct.pack(">iiIII", cputype, cpusubtype, offset + len(body), len(data), align)
        body += data
    header += b"\0" * (offset - len(header))
    open(out, "wb").write(header + body)


def archs(path: str) -> None:
    data = open(path, "rb").read()
    magic, count = struct.unpack_from(">II", data, 0)
    if magic != FAT_MAGIC:
        sys.exit(f"macho.py: {path} is not a universal file")
    names = {CPU_TYPE_X86_64: "x86_64", CPU_TYPE_ARM64: "arm64"}
    print(" ".join(names.get(struct.unpack_from(">i", data, 8 + 20 * i)[0], "other") for i in range(count)))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "hide":
        hide(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 4 and sys.argv[1] == "fat":
        fat(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 3 and sys.argv[1] == "archs":
        archs(sys.argv[2])
    else:
        sys.exit(__doc__)
