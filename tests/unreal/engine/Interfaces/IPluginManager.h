#pragma once

// Projects module, Interfaces/IPluginManager.h (UE 5.1+: FindPlugin takes an FStringView).
#include "CoreMinimal.h"

class IPlugin
{
public:
    virtual ~IPlugin() = default;
    virtual FString GetBaseDir() const = 0;
};

class IPluginManager
{
public:
    virtual ~IPluginManager() = default;
    static IPluginManager& Get();
    virtual TSharedPtr<IPlugin> FindPlugin(const FStringView Name) = 0;
    virtual TSharedPtr<IPlugin> FindPlugin(const ANSICHAR* Name) = 0;
};
