#pragma once

#include "CoreMinimal.h"

using FTickerDelegate = TDelegate<bool(float)>;

class FTSTicker
{
public:
    class FDelegateHandle
    {
    };
    static FTSTicker& GetCoreTicker();
    FDelegateHandle AddTicker(const FTickerDelegate& Delegate, float Delay = 0.0f);
    static void RemoveTicker(FDelegateHandle Handle);
};
