#pragma once

#include "CoreMinimal.h"

class FPaths
{
public:
    static FString ProjectDir();
    static FString ProjectSavedDir();
    static bool IsRelative(const FString& Path);
    template <typename... PathTypes>
    static FString Combine(PathTypes&&... InPaths);
};
