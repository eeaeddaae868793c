#pragma once

#include "CoreMinimal.h"

struct FCommandLine
{
    static const TCHAR* Get();
};
