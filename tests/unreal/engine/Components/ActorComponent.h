#pragma once

// Components/ActorComponent.h: the members the plugin uses.
#include "Engine/EngineTypes.h"
#include "GameFramework/Actor.h"

class UActorComponent : public UObject
{
public:
    virtual void BeginPlay();
    virtual void EndPlay(const EEndPlayReason::Type EndPlayReason);
    AActor* GetOwner() const;
};
