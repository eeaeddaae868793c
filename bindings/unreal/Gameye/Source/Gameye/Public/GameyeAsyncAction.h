// UGameyeAsyncAction: the base of every Gameye Blueprint node. It resolves the client, submits one
// request, delivers exactly one event on the game thread, and lets Cancel() cancel the request.
// Each node adds a factory, its delegates and Submit (see GameyeAsyncActions.h).
#pragma once

#include "CoreMinimal.h"
#include "Engine/CancellableAsyncAction.h"
#include "GameyeTypes.h"
#include "GameyeAsyncAction.generated.h"

class UGameyeSubsystem;
class UWorld;

UCLASS(Abstract)
class GAMEYE_API UGameyeAsyncAction : public UCancellableAsyncAction
{
    GENERATED_BODY()

public:
    virtual void Activate() override;
    /** Cancels the request; the node then fires no event. */
    virtual void Cancel() override;
    /** False once the node has fired or was cancelled, while its world tears down, and at exit. */
    virtual bool ShouldBroadcastDelegates() const override;

    /**
     * Whether the cleanup of `World` (map change, PIE stop) ends this node: true when it runs in
     * that world or its world is gone. A node whose world context is a GameInstance survives map
     * changes; it ends with its GameInstance, or at teardown.
     */
    bool EndsWithWorld(const UWorld* World) const;

    /** Called once per frame, on the game thread, while the node runs (after the completions). */
    virtual void PollFrame() {}

    /** A write (start, stop, join, leave): teardown gives it time to finish instead of cancelling it. */
    virtual bool IsWrite() const { return false; }
    /** Starts a session: a result it cannot deliver names a session nobody may know of. */
    virtual bool StartsSession() const { return false; }
    /** True once the node has fired its event, failed or been cancelled. */
    bool IsFinished() const { return bFinished; }
    /** The subsystem the node runs on; null before Activate resolved one. */
    UGameyeSubsystem* GetOwnerSubsystem() const { return Owner.Get(); }

    // For the completion helper (GameyeCompletion.h), not for Blueprint.

    /** Records the submitted request, so that Cancel() can cancel it. */
    void Submitted(uint64 InRequestId) { RequestId = InRequestId; }
    /** True when the completion may fire now; otherwise the node has ended quietly. */
    bool TakeCompletion();
    /** Fires OnFailure with `Error` (if it still may) and ends the node. */
    void Fail(const FGameyeError& Error);
    /** Ends the node after its one event. */
    void Finish();

protected:
    /** Factories call it: the world whose lifetime the node follows. */
    void SetWorldContext(UObject* InWorldContext) { WorldContext = InWorldContext; }
    /** Submits the request (through GameyeCompletion::Submit). */
    virtual void Submit(UGameyeSubsystem& /*Subsystem*/) PURE_VIRTUAL(UGameyeAsyncAction::Submit, );
    /** Broadcasts OnFailure with an empty result and `Error`. */
    virtual void BroadcastFailure(const FGameyeError& /*Error*/) PURE_VIRTUAL(UGameyeAsyncAction::BroadcastFailure, );

private:
    TWeakObjectPtr<UObject> WorldContext;
    TWeakObjectPtr<UGameyeSubsystem> Owner;
    uint64 RequestId = 0;
    bool bFinished = false;
};
