#pragma once

#include "UObject/Object.h"

class FSubsystemCollectionBase
{
};

class USubsystem : public UObject
{
public:
    virtual bool ShouldCreateSubsystem(UObject* Outer) const;
    virtual void Initialize(FSubsystemCollectionBase& Collection);
    virtual void Deinitialize();
};

class UDynamicSubsystem : public USubsystem
{
};

class UEngineSubsystem : public UDynamicSubsystem
{
};
