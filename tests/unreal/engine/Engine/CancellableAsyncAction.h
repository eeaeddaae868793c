#pragma once

#include "Kismet/BlueprintAsyncActionBase.h"

class UCancellableAsyncAction : public UBlueprintAsyncActionBase
{
public:
    virtual void Cancel();
    virtual bool IsActive() const;
    virtual bool ShouldBroadcastDelegates() const;
    virtual bool IsRegistered() const;
    virtual void BeginDestroy() override;
};
