#!/usr/bin/env python3
"""Writes the Unity .meta files of the C# package (bindings/csharp) that are missing.

Unity imports only files and folders that have a .meta, and a package installed from git or a
registry is read-only, so the package must ship them. Each GUID is derived from the package name
and the file's path (an MD5, as Unity's GUIDs are 128 bits written as 32 hex digits), so it is
stable: regenerating never changes one, and two paths never share one. Folders whose name ends
in "~" (Samples~) are ignored by Unity and get none.

The native plugins (see PLUGINS) get their .meta with the import settings of their platform even
while the binary itself is absent: the binaries are built per platform and put in place when the
package is assembled; their import settings live here, under version control.

    python3 scripts/unity_meta.py          # writes what is missing, prints what it wrote
    python3 scripts/unity_meta.py DIR      # the same for a copy of the package in DIR
                                           # (scripts/package.sh: the files it adds, licenses)
"""
import hashlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "bindings" / "csharp"
PACKAGE = "com.gameye.sdk"

# Plugin path -> (the Editor's OS, the CPU, the standalone platform it is for).
PLUGINS = {
    "Plugins/Linux/x86_64/libgameye.so": ("Linux", "x86_64", "Linux64"),
    "Plugins/Windows/x86_64/gameye.dll": ("Windows", "x86_64", "Win64"),
    "Plugins/macOS/libgameye.dylib": ("OSX", "AnyCPU", "OSXUniversal"),
}
STANDALONE = ["Linux64", "OSXUniversal", "Win", "Win64"]

TAIL = "  userData: \n  assetBundleName: \n  assetBundleVariant: \n"

# The extensions Unity imports as TextAssets (TextScriptImporter).
TEXT_ASSETS = {".txt", ".html", ".htm", ".xml", ".bytes", ".json", ".csv", ".yaml", ".fnt", ".md"}


def guid(relative: str) -> str:
    return hashlib.md5(f"{PACKAGE}/{relative}".encode()).hexdigest()


def importer(relative: str, is_dir: bool) -> str:
    if is_dir:
        return "folderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n" + TAIL
    if relative in PLUGINS:
        return plugin(*PLUGINS[relative])
    if relative.endswith(".cs"):
        return ("MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n"
                "  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n" + TAIL)
    if relative.endswith(".asmdef"):
        return "AssemblyDefinitionImporter:\n  externalObjects: {}\n" + TAIL
    if relative == "package.json":
        return "PackageManifestImporter:\n  externalObjects: {}\n" + TAIL
    if pathlib.PurePosixPath(relative).suffix in TEXT_ASSETS:
        return "TextScriptImporter:\n  externalObjects: {}\n" + TAIL
    # What Unity itself uses for a file it has no importer for (LICENSE-MIT, say).
    return "DefaultImporter:\n  externalObjects: {}\n" + TAIL


def plugin(os_name: str, cpu: str, standalone: str) -> str:
    """A native plugin for the Editor on `os_name` and the `standalone` player only: never WebGL,
    iOS or Android (game clients, where the API token must never ship)."""
    excludes = "".join(
        f"        Exclude {p}: {0 if p == standalone else 1}\n" for p in ["Editor"] + STANDALONE
    ).replace("Exclude Editor: 1", "Exclude Editor: 0")
    lanes = "".join(
        f"  - first:\n      Standalone: {p}\n    second:\n      enabled: {1 if p == standalone else 0}\n"
        f"      settings:\n        CPU: {cpu if p == standalone else 'None'}\n"
        for p in STANDALONE
    )
    return (
        "PluginImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  iconMap: {}\n"
        "  executionOrder: {}\n  defineConstraints: []\n  isPreloaded: 0\n  isOverridable: 0\n"
        "  isExplicitlyReferenced: 0\n  validateReferences: 1\n  platformData:\n"
        "  - first:\n      : Any\n    second:\n      enabled: 0\n      settings:\n" + excludes +
        "  - first:\n      Any: \n    second:\n      enabled: 0\n      settings: {}\n"
        "  - first:\n      Editor: Editor\n    second:\n      enabled: 1\n      settings:\n"
        f"        CPU: {cpu}\n        DefaultValueInitialized: true\n        OS: {os_name}\n" + lanes + TAIL
    )


def assets() -> list:
    """Every file and folder Unity imports (relative paths), plugins included."""
    found = set()
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part.endswith("~") or part.startswith(".") for part in relative.parts):
            continue
        if path.name.endswith(".meta"):
            continue
        found.add((relative.as_posix(), path.is_dir()))
    for plugin_path in PLUGINS:
        parts = plugin_path.split("/")
        for depth in range(1, len(parts)):
            found.add(("/".join(parts[:depth]), True))
        found.add((plugin_path, False))
    return sorted(found)


def main() -> int:
    global ROOT
    if len(sys.argv) > 1:
        ROOT = pathlib.Path(sys.argv[1]).resolve()
    for relative, is_dir in assets():
        meta = ROOT / (relative + ".meta")
        if meta.exists():
            continue
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(f"fileFormatVersion: 2\nguid: {guid(relative)}\n{importer(relative, is_dir)}")
        print(f"wrote {meta.relative_to(ROOT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
