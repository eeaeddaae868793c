#pragma once

// Engine/GameInstance.h: the game instance, which outlives map changes.
#include "UObject/Object.h"

class UGameInstance : public UObject
{
public:
    virtual UWorld* GetWorld() const override;
};
