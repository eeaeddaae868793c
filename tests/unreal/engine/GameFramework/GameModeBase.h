#pragma once

// GameFramework/GameModeBase.h: the game mode, and the events it raises for plugins
// (FGameModeEvents: DECLARE_EVENT_TwoParams, static members).
#include "GameFramework/Actor.h"

class AController;
class APlayerController;

class AGameModeBase : public AActor
{
};

class FGameModeEvents
{
public:
    using FGameModePostLoginEvent = TMulticastDelegate<void(AGameModeBase*, APlayerController*)>;
    using FGameModeLogoutEvent = TMulticastDelegate<void(AGameModeBase*, AController*)>;
    static FGameModePostLoginEvent GameModePostLoginEvent;
    static FGameModeLogoutEvent GameModeLogoutEvent;
};
