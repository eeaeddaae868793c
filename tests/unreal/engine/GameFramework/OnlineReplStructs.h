#pragma once

// GameFramework/OnlineReplStructs.h: a replicated unique net id.
#include "CoreMinimal.h"

struct FUniqueNetIdRepl
{
    bool IsValid() const;
    FString ToString() const;
};
