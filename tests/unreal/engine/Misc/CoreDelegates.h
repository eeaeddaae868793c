#pragma once

// Misc/CoreDelegates.h: the members the plugin uses.
#include "CoreMinimal.h"

using FSimpleMulticastDelegate = TMulticastDelegate<void()>;

class FCoreDelegates
{
public:
    // Called before the application is exiting.
    static FSimpleMulticastDelegate OnPreExit;
};
