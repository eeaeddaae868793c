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

// Engine/EngineTypes.h: what a world is for.
namespace EWorldType
{
enum Type
{
    None,
    Game,
    Editor,
    PIE,
    EditorPreview,
    GamePreview,
    GameRPC,
    Inactive,
};
}

class UWorld : public UObject
{
public:
    EWorldType::Type WorldType;
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
