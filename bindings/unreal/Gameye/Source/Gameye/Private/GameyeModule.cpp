#include "GameyeModule.h"

#include "GameyeLog.h"
#include "HAL/PlatformProcess.h"
#include "Interfaces/IPluginManager.h"
#include "Misc/Paths.h"

DEFINE_LOG_CATEGORY(LogGameye);

namespace
{
FString GLibraryProblem;
}

void FGameyeModule::StartupModule()
{
#if WITH_GAMEYE && PLATFORM_WINDOWS
    // GameyeLibrary.Build.cs stages the DLL here (RuntimeDependencies) and delay-loads it.
    const TSharedPtr<IPlugin> Plugin = IPluginManager::Get().FindPlugin(TEXT("Gameye"));
    const FString Path = Plugin.IsValid()
                             ? FPaths::Combine(Plugin->GetBaseDir(), TEXT("Binaries/ThirdParty/GameyeLibrary/Win64/gameye.dll"))
                             : FString();
    LibraryHandle = Path.IsEmpty() ? nullptr : FPlatformProcess::GetDllHandle(*Path);
    if (LibraryHandle == nullptr)
    {
        GLibraryProblem = FString::Printf(TEXT("gameye.dll did not load from %s: Gameye is unavailable in this process "
                                               "(was the plugin's Binaries/ThirdParty folder left out of the build?)"),
                                          Path.IsEmpty() ? TEXT("the Gameye plugin's folder") : *Path);
        UE_LOG(LogGameye, Error, TEXT("%s"), *GLibraryProblem);
    }
#endif
}

void FGameyeModule::ShutdownModule()
{
    // The subsystem, which owns the client, is gone by now (engine subsystems end before modules
    // shut down), so nothing calls into the DLL after this.
    if (LibraryHandle != nullptr)
    {
        FPlatformProcess::FreeDllHandle(LibraryHandle);
        LibraryHandle = nullptr;
    }
}

const FString& FGameyeModule::LibraryProblem()
{
    return GLibraryProblem;
}

IMPLEMENT_MODULE(FGameyeModule, Gameye)
