#pragma once

#include "CoreMinimal.h"

class IModuleInterface
{
public:
    virtual ~IModuleInterface();
};

class FDefaultModuleImpl : public IModuleInterface
{
};

#define IMPLEMENT_MODULE(ModuleImplClass, ModuleName) \
    extern "C" IModuleInterface* InitializeModule##ModuleName() { return new ModuleImplClass(); }
