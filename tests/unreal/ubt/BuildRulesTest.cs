// Runs the plugin's Build.cs files (compiled with the UnrealBuildTool stub) the way UBT finds and
// constructs them (RulesAssembly in UnrealBuildTool.cs), for each kind of target and platform,
// against a scratch copy of the plugin's rules with scratch library folders, and checks what they
// link, stage and define. Usage: mono BuildRulesTest.exe <plugin folder>; exit 0 when all pass.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UnrealBuildTool;

static class BuildRulesTest
{
    static int Failures;
    static string Plugin;     // the scratch copy: the .uplugin and every Build.cs
    static string ThirdParty; // the folder of the External module's Build.cs in that copy
    static RulesAssembly Rules;
    static string External;   // the External module's name: Gameye's dependency in this plugin

    static readonly TargetType[] Targets = { TargetType.Game, TargetType.Client, TargetType.Server, TargetType.Editor };

    static void Check(bool Condition, string What)
    {
        Console.WriteLine((Condition ? "ok   " : "FAIL ") + What);
        if (!Condition)
        {
            Failures++;
        }
    }

    static ReadOnlyTargetRules Target(TargetType Type, UnrealTargetPlatform Platform)
    {
        return new ReadOnlyTargetRules { Type = Type, bBuildEditor = Type == TargetType.Editor, Platform = Platform };
    }

    static ModuleRules Ext(ReadOnlyTargetRules Target)
    {
        return Rules.CreateModuleRules(External, Target);
    }

    static string Failure(ReadOnlyTargetRules Target)
    {
        try
        {
            Ext(Target);
            return null;
        }
        catch (BuildException Error)
        {
            return Error.Message;
        }
    }

    // What the rules print (UBT shows it in the build log), with the rules' result.
    static string Printed(Func<ModuleRules> Run, out ModuleRules Result)
    {
        TextWriter Out = Console.Out;
        StringWriter Captured = new StringWriter();
        Console.SetOut(Captured);
        try
        {
            Result = Run();
        }
        finally
        {
            Console.SetOut(Out);
        }
        return Captured.ToString();
    }

    // A scratch library folder for one platform with these files; returns its path.
    static string Library(string Platform, params string[] Files)
    {
        string Directory = Path.Combine(ThirdParty, "lib", Platform);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, true);
        }
        System.IO.Directory.CreateDirectory(Directory);
        foreach (string File in Files)
        {
            System.IO.File.WriteAllText(Path.Combine(Directory, File), "");
        }
        return Directory;
    }

    // The plugin's descriptor and rules files, at the same paths under a scratch folder.
    static string CopyRules(string From)
    {
        string To = Path.Combine(Path.GetTempPath(), "gameye-buildcs-" + Guid.NewGuid().ToString("N"), Path.GetFileName(From.TrimEnd('/')));
        foreach (string File in Directory.GetFiles(From, "*.uplugin").Concat(Directory.GetFiles(Path.Combine(From, "Source"), "*.Build.cs", SearchOption.AllDirectories)))
        {
            string Copy = Path.Combine(To, File.Substring(From.TrimEnd('/').Length + 1));
            Directory.CreateDirectory(Path.GetDirectoryName(Copy));
            System.IO.File.Copy(File, Copy);
        }
        return To;
    }

    static int Main(string[] Arguments)
    {
        Plugin = CopyRules(Path.GetFullPath(Arguments[0]));
        try
        {
            ThirdParty = Path.GetDirectoryName(Directory.GetFiles(Path.Combine(Plugin, "Source", "ThirdParty"), "*.Build.cs", SearchOption.AllDirectories).Single());
            foreach (bool Reversed in new[] { false, true })
            {
                Rules = new RulesAssembly(Plugin, Reversed);
                Lookup(Reversed ? "ThirdParty first" : "Gameye first");
            }
            Rules = new RulesAssembly(Plugin, false);
            Linking();
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Plugin), true);
        }
        Console.WriteLine(Failures == 0 ? "all passed" : Failures + " failed");
        return Failures == 0 ? 0 : 1;
    }

    // Which modules UBT builds, and with which directory.
    static void Lookup(string Order)
    {
        foreach (UnrealTargetPlatform Platform in UnrealTargetPlatform.All)
        {
            foreach (TargetType Type in Targets)
            {
                ModuleDescriptor Module = Rules.Modules.FirstOrDefault(M => M.Name == "Gameye");
                Check(Module != null && Module.IsCompiledInConfiguration(Platform, Type),
                    Order + ": the .uplugin builds the Gameye module for a " + Type + " target on " + Platform
                    + " (a module left out breaks every Blueprint that uses its nodes)");
            }
        }

        // A game target: it needs no library, so only the lookup is tested here.
        ReadOnlyTargetRules Game = Target(TargetType.Game, UnrealTargetPlatform.Linux);
        ModuleRules Gameye = Rules.CreateModuleRules("Gameye", Game);
        List<string> Own = Gameye.PublicDependencyModuleNames.Concat(Gameye.PrivateDependencyModuleNames).Where(Rules.Contains).ToList();
        Check(Own.Count == 1, Order + ": Gameye depends on one module of its plugin (the External module): " + string.Join(", ", Own));
        External = Own.FirstOrDefault() ?? "GameyeLibrary";
        ModuleRules Library = Rules.CreateModuleRules(External, Game);
        foreach (ModuleRules Module in new[] { Gameye, Library })
        {
            // UBT sets a module's directory from the rules file its case-insensitive lookup found.
            bool bOwnFolder = Directory.GetFiles(Module.ModuleDirectory).Select(Path.GetFileName).Contains(Module.Name + ".Build.cs", StringComparer.Ordinal);
            Check(bOwnFolder, Order + ": module " + Module.Name + " is built from its own folder: " + Module.ModuleDirectory);
        }
    }

    static void Linking()
    {
        ModuleRules Module = Rules.CreateModuleRules("Gameye", Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Module.CppStandard == null, "Gameye leaves the C++ standard to the engine (Cpp17 is an error from UE 5.6)");
        Check(!Module.bEnableExceptions, "Gameye builds without exceptions");
        Check(!Module.PublicDefinitions.Any(D => D.StartsWith("WITH_GAMEYE")), "Gameye leaves WITH_GAMEYE to the External module");
        Check(Module.PrivateDependencyModuleNames.Contains("Projects"), "Gameye depends on Projects (IPluginManager finds the plugin's Win64 DLL)");

        string Linux = Library("Linux", "libgameye.a");
        File.WriteAllText(Path.Combine(Linux, "native-static-libs.txt"), "-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -lpthread\n");

        foreach (TargetType Type in new[] { TargetType.Game, TargetType.Client })
        {
            ModuleRules Player = Ext(Target(Type, UnrealTargetPlatform.Linux));
            Check(Player.PublicDefinitions.Contains("WITH_GAMEYE=0") && Player.PublicAdditionalLibraries.Count == 0,
                Type + " target: WITH_GAMEYE=0 and nothing linked");
        }

        ModuleRules Server = Ext(Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Server.Type == ModuleType.External, External + " is an External module");
        Check(Server.PublicSystemIncludePaths.Contains(Path.Combine(ThirdParty, "include")), "headers come through PublicSystemIncludePaths");
        Check(Server.PublicDefinitions.Contains("WITH_GAMEYE=1"), "Linux server: WITH_GAMEYE=1");
        Check(Server.PublicAdditionalLibraries.SequenceEqual(new[] { Path.Combine(Linux, "libgameye.a") }), "Linux server: links libgameye.a");
        Check(Server.PublicSystemLibraries.SequenceEqual(new[] { "gcc_s", "util", "rt", "pthread", "m", "dl" }),
            "Linux server: system libraries as recorded, once each, without libc: " + string.Join(" ", Server.PublicSystemLibraries));

        ModuleRules Editor = Ext(Target(TargetType.Editor, UnrealTargetPlatform.Linux));
        Check(Editor.PublicDefinitions.Contains("WITH_GAMEYE=1"), "Linux editor: WITH_GAMEYE=1");

        File.Delete(Path.Combine(Linux, "native-static-libs.txt"));
        string Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Message != null && Message.Contains(Path.Combine(Linux, "native-static-libs.txt")), "no recorded system libraries: a BuildException naming the file");
        File.WriteAllText(Path.Combine(Linux, "native-static-libs.txt"), "-lpthread -framework Security\n");
        Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Message != null && Message.Contains("-framework"), "an unexpected recorded flag: a BuildException naming it");

        Library("Linux");
        Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Message != null && Message.Contains(Path.Combine(Linux, "libgameye.a")), "no library: a BuildException naming the expected path: " + Message);

        string Arm = Library("LinuxArm64", "libgameye.so.0");
        ConfigCache.EngineValues["/Script/Gameye.GameyeSettings/bLinkSharedLibrary"] = "True";
        ModuleRules Shared = Ext(Target(TargetType.Server, UnrealTargetPlatform.LinuxArm64));
        ConfigCache.EngineValues.Clear();
        Check(Shared.PublicAdditionalLibraries.SequenceEqual(new[] { Path.Combine(Arm, "libgameye.so.0") })
            && Shared.RuntimeDependencies.Items.Any(Item => Item.Key == "$(TargetOutputDir)/libgameye.so.0" && Item.Value == Path.Combine(Arm, "libgameye.so.0"))
            && Shared.PublicSystemLibraries.Count == 0,
            "LinuxArm64 with bLinkSharedLibrary: links libgameye.so.0 and stages it beside the binary");
        Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.LinuxArm64));
        Check(Message != null && Message.Contains(Path.Combine(Arm, "libgameye.a")), "LinuxArm64 static by default: a BuildException without libgameye.a");

        string Windows = Library("Win64", "gameye.lib", "gameye.dll");
        ModuleRules Win = Ext(Target(TargetType.Editor, UnrealTargetPlatform.Win64));
        Check(Win.PublicDefinitions.Contains("WITH_GAMEYE=1")
            && Win.PublicAdditionalLibraries.SequenceEqual(new[] { Path.Combine(Windows, "gameye.lib") }),
            "Win64 editor: WITH_GAMEYE=1 and the import library");
        Check(Win.PublicDelayLoadDLLs.SequenceEqual(new[] { "gameye.dll" }), "Win64: gameye.dll is delay-loaded (Epic's ThirdPartyLibrary template)");
        Check(Win.RuntimeDependencies.Items.SequenceEqual(new[] { new KeyValuePair<string, string>(
                "$(PluginDir)/Binaries/ThirdParty/GameyeLibrary/Win64/gameye.dll", Path.Combine(Windows, "gameye.dll")) }),
            "Win64: gameye.dll staged under the plugin's Binaries/ThirdParty, where StartupModule loads it from");
        File.Delete(Path.Combine(Windows, "gameye.dll"));
        Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.Win64));
        Check(Message != null && Message.Contains(Path.Combine(Windows, "gameye.dll")), "Win64 without gameye.dll: a BuildException naming it");

        foreach (UnrealTargetPlatform Platform in new[] { UnrealTargetPlatform.Mac, UnrealTargetPlatform.Android, UnrealTargetPlatform.IOS })
        {
            foreach (TargetType Type in new[] { TargetType.Editor, TargetType.Server })
            {
                ModuleRules Without = null;
                string Warning = null;
                try
                {
                    Warning = Printed(() => Ext(Target(Type, Platform)), out Without);
                }
                catch (BuildException Error)
                {
                    Warning = "BuildException: " + Error.Message;
                }
                Check(Without != null && Without.PublicDefinitions.Contains("WITH_GAMEYE=0") && Without.PublicDefinitions.Contains("GAMEYE_NO_LIBRARY=1")
                    && Without.PublicAdditionalLibraries.Count == 0 && Warning.StartsWith("warning: ") && Warning.Contains(Platform.ToString()),
                    Platform + " " + Type + " (no shipped library): WITH_GAMEYE=0, GAMEYE_NO_LIBRARY=1 and a warning, not a failed build: " + Warning.Trim());
            }
        }
    }
}
