#pragma once

// GameFramework/PlayerState.h: the members the plugin uses.
#include "GameFramework/Actor.h"
#include "GameFramework/OnlineReplStructs.h"

class APlayerState : public AActor
{
public:
    const FUniqueNetIdRepl& GetUniqueId() const;
};
