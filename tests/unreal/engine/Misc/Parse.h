#pragma once

#include "CoreMinimal.h"

struct FParse
{
    static bool Value(const TCHAR* Stream, const TCHAR* Match, FString& Value, bool bShouldStopOnSeparator = true);
};
