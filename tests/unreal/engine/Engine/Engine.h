#pragma once

#include "UObject/Object.h"

class UWorld;

enum class EGetWorldErrorMode
{
    ReturnNull,
    LogAndReturnNull,
    Assert,
};

class UEngine : public UObject
{
public:
    template <typename TSubsystemClass>
    TSubsystemClass* GetEngineSubsystem() const;
    UWorld* GetWorldFromContextObject(const UObject* Object, EGetWorldErrorMode ErrorMode) const;
    void AddOnScreenDebugMessage(int32 Key, float TimeToDisplay, FColor DisplayColor, const FString& DebugMessage,
                                 bool bNewerOnTop = true);
};

extern UEngine* GEngine;
