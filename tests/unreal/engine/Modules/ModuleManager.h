#pragma once

#include "CoreMinimal.h"

// Modules/ModuleInterface.h, which ModuleManager.h includes.
class IModuleInterface
{
public:
    virtual ~IModuleInterface();
    virtual void StartupModule() {}
    virtual void ShutdownModule() {}
};

class FDefaultModuleImpl : public IModuleInterface
{
};

#define IMPLEMENT_MODULE(ModuleImplClass, ModuleName) \
    extern "C" IModuleInterface* InitializeModule##ModuleName() { return new ModuleImplClass(); }
