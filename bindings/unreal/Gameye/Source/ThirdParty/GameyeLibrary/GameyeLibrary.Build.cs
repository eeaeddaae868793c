// The gameye C library as an Unreal External module: its headers and the prebuilt libraries that
// scripts/package.sh lays out here, one folder per platform (see README.md in this folder).
//
// Named GameyeLibrary, as Epic's ThirdPartyLibrary template names it (<Plugin>Library): UBT looks
// module names up without regard to case (RulesAssembly keys ModuleNameToModuleFile with
// InvariantCultureIgnoreCase and keeps the first file it finds), so an External module "gameye"
// next to the C++ module "Gameye" would be built with the other one's directory.
//
// WITH_GAMEYE is 1 only where the library is linked: dedicated server and editor targets on
// Linux, LinuxArm64 and Win64. Game and client targets link nothing and get WITH_GAMEYE=0, so no
// build that ships to players can carry the API; so does a server or editor target on a platform
// the plugin ships no library for (GAMEYE_NO_LIBRARY=1 tells the module why), with a warning. A
// server or editor target whose library is missing on a shipped platform fails here, naming the
// file it expected, instead of failing later at link time.
using System;
using System.Collections.Generic;
using System.IO;
using EpicGames.Core;
using UnrealBuildTool;

public class GameyeLibrary : ModuleRules
{
    /// Where the Win64 DLL is staged and loaded from (GameyeModule.cpp loads it from there).
    const string StagedDll = "$(PluginDir)/Binaries/ThirdParty/GameyeLibrary/Win64/gameye.dll";

    public GameyeLibrary(ReadOnlyTargetRules Target) : base(Target)
    {
        Type = ModuleType.External;
        PublicSystemIncludePaths.Add(Path.Combine(ModuleDirectory, "include"));

        if (Target.Type != TargetType.Server && !Target.bBuildEditor)
        {
            // The API token belongs to servers and tools, never to a build that players run.
            PublicDefinitions.Add("WITH_GAMEYE=0");
            return;
        }

        string LibraryDirectory = Path.Combine(ModuleDirectory, "lib", Target.Platform.ToString());
        if (Target.Platform == UnrealTargetPlatform.Win64)
        {
            // A DLL with an MSVC import library: the library is built with the GNU toolchain,
            // whose static archives MSVC's linker cannot take, while its DLL loads anywhere.
            // Delay-loaded, as in Epic's template: the module loads it from the plugin's folder
            // in StartupModule, so a missing DLL is a log line rather than an editor that does
            // not start.
            PublicAdditionalLibraries.Add(Required(Path.Combine(LibraryDirectory, "gameye.lib")));
            PublicDelayLoadDLLs.Add("gameye.dll");
            RuntimeDependencies.Add(StagedDll, Required(Path.Combine(LibraryDirectory, "gameye.dll")));
        }
        else if (Target.Platform == UnrealTargetPlatform.Linux || Target.Platform == UnrealTargetPlatform.LinuxArm64)
        {
            if (LinkSharedLibrary(Target))
            {
                // For a server that wants the library in its own file. (The static library
                // exports only gameye_*, so it also links beside other Rust libraries.)
                string Shared = Required(Path.Combine(LibraryDirectory, "libgameye.so.0"));
                PublicAdditionalLibraries.Add(Shared);
                RuntimeDependencies.Add("$(TargetOutputDir)/libgameye.so.0", Shared);
            }
            else
            {
                PublicAdditionalLibraries.Add(Required(Path.Combine(LibraryDirectory, "libgameye.a")));
                PublicSystemLibraries.AddRange(NativeStaticLibraries(LibraryDirectory));
            }
        }
        else
        {
            // Blueprints that use the nodes still load: the module builds, without the library.
            // Console output is how rules files warn on every UBT version (its logger API moved
            // between 5.x releases).
            Console.WriteLine("warning: gameye: the plugin ships no library for {0}; this {1} target gets "
                + "WITH_GAMEYE=0 and its Gameye nodes fail with a message (libraries: Linux, LinuxArm64, Win64)",
                Target.Platform.ToString(), Target.Type.ToString());
            PublicDefinitions.Add("WITH_GAMEYE=0");
            PublicDefinitions.Add("GAMEYE_NO_LIBRARY=1");
            return;
        }
        PublicDefinitions.Add("WITH_GAMEYE=1");
    }

    // The path, when that file exists; else a BuildException that names it.
    static string Required(string FilePath)
    {
        if (!File.Exists(FilePath))
        {
            throw new BuildException("gameye: {0} is missing. Unpack the Gameye plugin bundle (it holds the "
                + "libraries), or build them with scripts/package.sh.", FilePath);
        }
        return FilePath;
    }

    // The system libraries the static library needs, as rustc printed them when it was built
    // (`--print native-static-libs`, recorded by scripts/package.sh), without the C library itself.
    static List<string> NativeStaticLibraries(string LibraryDirectory)
    {
        string Recorded = File.ReadAllText(Required(Path.Combine(LibraryDirectory, "native-static-libs.txt")));
        List<string> Libraries = new List<string>();
        foreach (string Flag in Recorded.Split((char[])null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Flag.StartsWith("-l") || Flag.Length == 2)
            {
                throw new BuildException("gameye: unexpected flag \"{0}\" in {1}", Flag, LibraryDirectory);
            }
            string Name = Flag.Substring(2);
            if (Name != "c" && !Libraries.Contains(Name))
            {
                Libraries.Add(Name);
            }
        }
        return Libraries;
    }

    // Project Settings > Plugins > Gameye > "Link the shared library" (DefaultEngine.ini).
    static bool LinkSharedLibrary(ReadOnlyTargetRules Target)
    {
        DirectoryReference ProjectDirectory = Target.ProjectFile != null ? Target.ProjectFile.Directory : null;
        ConfigHierarchy Engine = ConfigCache.ReadHierarchy(ConfigHierarchyType.Engine, ProjectDirectory, Target.Platform);
        bool bShared = false;
        Engine.GetBool("/Script/Gameye.GameyeSettings", "bLinkSharedLibrary", out bShared);
        return bShared;
    }
}
