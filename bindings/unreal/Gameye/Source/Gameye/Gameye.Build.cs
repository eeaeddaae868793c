// The Gameye module: a thin Unreal layer over gameye.hpp, linking the static library that cargo
// builds (copy it and the headers into Source/ThirdParty/gameye; see README.md).
using System.IO;
using UnrealBuildTool;

public class Gameye : ModuleRules
{
    public Gameye(ReadOnlyTargetRules Target) : base(Target)
    {
        PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
        CppStandard = CppStandardVersion.Cpp17;
        bEnableExceptions = false; // gameye.hpp needs none

        PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "DeveloperSettings" });

        string ThirdParty = Path.Combine(ModuleDirectory, "..", "ThirdParty", "gameye");
        PublicIncludePaths.Add(Path.Combine(ThirdParty, "include"));

        // The token must never ship in a game client: the API is compiled in only for dedicated
        // servers and the editor; everywhere else the subsystem reports that it is unavailable.
        bool bWithGameye = Target.Type == TargetType.Server || Target.bBuildEditor;
        PublicDefinitions.Add("WITH_GAMEYE=" + (bWithGameye ? "1" : "0"));
        if (!bWithGameye)
        {
            return;
        }

        if (Target.Platform == UnrealTargetPlatform.Win64)
        {
            PublicAdditionalLibraries.Add(Path.Combine(ThirdParty, "lib", "Win64", "gameye.lib"));
            PublicSystemLibraries.AddRange(new string[] { "ws2_32.lib", "userenv.lib", "bcrypt.lib", "ntdll.lib" });
        }
        else if (Target.Platform == UnrealTargetPlatform.Linux)
        {
            PublicAdditionalLibraries.Add(Path.Combine(ThirdParty, "lib", "Linux", "libgameye.a"));
            PublicSystemLibraries.AddRange(new string[] { "pthread", "dl", "m", "rt" });
        }
        else if (Target.Platform == UnrealTargetPlatform.Mac)
        {
            PublicAdditionalLibraries.Add(Path.Combine(ThirdParty, "lib", "Mac", "libgameye.a"));
            PublicFrameworks.AddRange(new string[] { "CoreFoundation", "Security" });
        }
    }
}
