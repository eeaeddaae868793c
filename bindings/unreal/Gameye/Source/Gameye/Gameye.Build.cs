// The Gameye module: Blueprint nodes and an engine subsystem over the C++ wrapper (gameye.hpp).
// The library itself, and WITH_GAMEYE, come from the External module in Source/ThirdParty/GameyeLibrary.
using UnrealBuildTool;

public class Gameye : ModuleRules
{
    public Gameye(ReadOnlyTargetRules Target) : base(Target)
    {
        PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
        bEnableExceptions = false; // gameye.hpp needs none

        PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "DeveloperSettings", "GameyeLibrary" });
        // IPluginManager: where the plugin is, to load the Win64 DLL from its folder.
        PrivateDependencyModuleNames.Add("Projects");
    }
}
