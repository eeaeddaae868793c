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
    // Both overloads, as the engine has them: a key that is neither int32 nor uint64 is ambiguous.
    void AddOnScreenDebugMessage(uint64 Key, float TimeToDisplay, FColor DisplayColor, const FString& DebugMessage,
                                 bool bNewerOnTop = true);
    void AddOnScreenDebugMessage(int32 Key, float TimeToDisplay, FColor DisplayColor, const FString& DebugMessage,
                                 bool bNewerOnTop = true);
};

extern UEngine* GEngine;
