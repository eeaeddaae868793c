#pragma once

#include "UObject/Object.h"

class UGameInstance;

class UBlueprintAsyncActionBase : public UObject
{
public:
    virtual void Activate();
    virtual void RegisterWithGameInstance(const UObject* WorldContextObject);
    virtual void SetReadyToDestroy();
};
