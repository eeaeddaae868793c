#pragma once

// GameFramework/Controller.h: the members the plugin uses.
#include "GameFramework/Actor.h"

class APlayerState;

class AController : public AActor
{
public:
    template <class T>
    T* GetPlayerState() const;
};
