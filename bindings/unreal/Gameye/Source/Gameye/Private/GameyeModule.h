// FGameyeModule: the Gameye module's startup. On Win64 it loads the delay-loaded gameye.dll from
// the plugin's Binaries/ThirdParty folder, as Epic's ThirdPartyLibrary template does, so that a
// missing DLL is a log line and an unavailable subsystem rather than an editor that fails to start.
#pragma once

#include "CoreMinimal.h"
#include "Modules/ModuleManager.h"

class FGameyeModule : public IModuleInterface
{
public:
    virtual void StartupModule() override;
    virtual void ShutdownModule() override;

    /**
     * Why the library cannot be called in this process, or empty when it can. Nothing may call
     * into the library while this is not empty: on Win64 a delay-loaded call whose DLL did not
     * load crashes the process. Game thread.
     */
    static const FString& LibraryProblem();

private:
    void* LibraryHandle = nullptr;
};
