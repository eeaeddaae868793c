#pragma once

#include "CoreMinimal.h"

struct FFileHelper
{
    enum class EHashOptions
    {
        None = 0,
    };
    static bool LoadFileToString(FString& Result, const TCHAR* Filename, EHashOptions VerifyFlags = EHashOptions::None,
                                 uint32 ReadFlags = 0);
};
