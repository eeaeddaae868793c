// Runs the plugin's Build.cs files (compiled with the UnrealBuildTool stub) for each kind of
// target and platform, against a scratch copy of Source/ThirdParty/gameye, and checks what they
// link and define. Usage: mono BuildRulesTest.exe <Source folder of the plugin>; exit 0 when all pass.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UnrealBuildTool;

static class BuildRulesTest
{
    static int Failures;
    static string ThirdParty;

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

    static gameye External(ReadOnlyTargetRules Target)
    {
        ModuleRules.NextModuleDirectory = ThirdParty;
        return new gameye(Target);
    }

    static string Failure(ReadOnlyTargetRules Target)
    {
        try
        {
            External(Target);
            return null;
        }
        catch (BuildException Error)
        {
            return Error.Message;
        }
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

    static int Main(string[] Arguments)
    {
        string Source = Arguments[0];
        ThirdParty = Path.Combine(Path.GetTempPath(), "gameye-buildcs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(ThirdParty);
        try
        {
            Run(Source);
        }
        finally
        {
            Directory.Delete(ThirdParty, true);
        }
        Console.WriteLine(Failures == 0 ? "all passed" : Failures + " failed");
        return Failures == 0 ? 0 : 1;
    }

    static void Run(string Source)
    {
        ModuleRules.NextModuleDirectory = Path.Combine(Source, "Gameye");
        Gameye Module = new Gameye(Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Module.PublicDependencyModuleNames.Contains("gameye"), "Gameye depends on the gameye External module");
        Check(Module.CppStandard == null, "Gameye leaves the C++ standard to the engine (Cpp17 is an error from UE 5.6)");
        Check(!Module.bEnableExceptions, "Gameye builds without exceptions");
        Check(!Module.PublicDefinitions.Any(D => D.StartsWith("WITH_GAMEYE")), "Gameye leaves WITH_GAMEYE to the External module");

        string Linux = Library("Linux", "libgameye.a");
        File.WriteAllText(Path.Combine(Linux, "native-static-libs.txt"), "-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -lpthread\n");

        foreach (TargetType Type in new[] { TargetType.Game, TargetType.Client })
        {
            gameye Player = External(Target(Type, UnrealTargetPlatform.Linux));
            Check(Player.PublicDefinitions.Contains("WITH_GAMEYE=0") && Player.PublicAdditionalLibraries.Count == 0,
                Type + " target: WITH_GAMEYE=0 and nothing linked");
        }

        gameye Server = External(Target(TargetType.Server, UnrealTargetPlatform.Linux));
        Check(Server.Type == ModuleType.External, "gameye is an External module");
        Check(Server.PublicSystemIncludePaths.Contains(Path.Combine(ThirdParty, "include")), "headers come through PublicSystemIncludePaths");
        Check(Server.PublicDefinitions.Contains("WITH_GAMEYE=1"), "Linux server: WITH_GAMEYE=1");
        Check(Server.PublicAdditionalLibraries.SequenceEqual(new[] { Path.Combine(Linux, "libgameye.a") }), "Linux server: links libgameye.a");
        Check(Server.PublicSystemLibraries.SequenceEqual(new[] { "gcc_s", "util", "rt", "pthread", "m", "dl" }),
            "Linux server: system libraries as recorded, once each, without libc: " + string.Join(" ", Server.PublicSystemLibraries));

        gameye Editor = External(Target(TargetType.Editor, UnrealTargetPlatform.Linux));
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
        gameye Shared = External(Target(TargetType.Server, UnrealTargetPlatform.LinuxArm64));
        ConfigCache.EngineValues.Clear();
        Check(Shared.PublicAdditionalLibraries.SequenceEqual(new[] { Path.Combine(Arm, "libgameye.so.0") })
            && Shared.RuntimeDependencies.Items.Any(Item => Item.Key == "$(TargetOutputDir)/libgameye.so.0" && Item.Value == Path.Combine(Arm, "libgameye.so.0"))
            && Shared.PublicSystemLibraries.Count == 0,
            "LinuxArm64 with bLinkSharedLibrary: links libgameye.so.0 and stages it beside the binary");
        Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.LinuxArm64));
        Check(Message != null && Message.Contains(Path.Combine(Arm, "libgameye.a")), "LinuxArm64 static by default: a BuildException without libgameye.a");

        string Windows = Library("Win64", "gameye.lib", "gameye.dll");
        gameye Win = External(Target(TargetType.Editor, UnrealTargetPlatform.Win64));
        Check(Win.PublicDefinitions.Contains("WITH_GAMEYE=1")
            && Win.PublicAdditionalLibraries.SequenceEqual(new[] { Path.Combine(Windows, "gameye.lib") })
            && Win.RuntimeDependencies.Items.Any(Item => Item.Key == "$(TargetOutputDir)/gameye.dll" && Item.Value == Path.Combine(Windows, "gameye.dll")),
            "Win64 editor: the import library, and gameye.dll staged beside the binary");
        File.Delete(Path.Combine(Windows, "gameye.dll"));
        Message = Failure(Target(TargetType.Server, UnrealTargetPlatform.Win64));
        Check(Message != null && Message.Contains(Path.Combine(Windows, "gameye.dll")), "Win64 without gameye.dll: a BuildException naming it");

        Message = Failure(Target(TargetType.Editor, UnrealTargetPlatform.Mac));
        Check(Message != null && Message.Contains("Mac"), "Mac: a BuildException saying the platform is not shipped");
    }
}
