#pragma once

#include "UObject/Object.h"

enum ENetMode
{
    NM_Standalone,
    NM_DedicatedServer,
    NM_ListenServer,
    NM_Client,
    NM_MAX,
};

class UWorld : public UObject
{
public:
    bool IsGameWorld() const;
    ENetMode GetNetMode() const;
    bool bIsTearingDown;
};

class FWorldDelegates
{
public:
    using FWorldCleanupEvent = TMulticastDelegate<void(UWorld*, bool, bool)>;
    static FWorldCleanupEvent OnWorldCleanup;
};
