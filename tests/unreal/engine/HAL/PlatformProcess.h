#pragma once

// HAL/PlatformProcess.h: FPlatformProcess is the platform's FGenericPlatformProcess.
#include "CoreMinimal.h"

struct FPlatformProcess
{
    static void* GetDllHandle(const TCHAR* Filename);
    static void FreeDllHandle(void* DllHandle);
};
