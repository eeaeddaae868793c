#include "GameyeAsyncAction.h"

#include "Engine/Engine.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "GameyeConversions.h"
#include "GameyeSubsystem.h"

void UGameyeAsyncAction::Activate()
{
    FString Reason;
    UGameyeSubsystem* Subsystem = UGameyeSubsystem::ResolveFor(WorldContext.Get(), Reason);
    if (Subsystem == nullptr)
    {
        FGameyeError Error;
        Error.Status = EGameyeStatus::InvalidArgument;
        Error.Message = Reason;
        // Fired at once, inside the Blueprint's own call: also without a world ("no world context").
        BroadcastFailure(Error);
        Finish();
        return;
    }
    Owner = Subsystem;
    Subsystem->Track(this);
    Submit(*Subsystem);
}

void UGameyeAsyncAction::Cancel()
{
    if (!bFinished)
    {
        if (UGameyeSubsystem* Subsystem = Owner.Get())
        {
            // Its completion (Cancelled) still comes through poll, and finds the node finished.
            Subsystem->CancelRequest(RequestId);
        }
        Finish();
    }
    Super::Cancel();
}

bool UGameyeAsyncAction::ShouldBroadcastDelegates() const
{
    if (bFinished || IsEngineExitRequested())
    {
        return false;
    }
    if (const UGameyeSubsystem* Subsystem = Owner.Get(); Subsystem != nullptr && Subsystem->IsTearingDown())
    {
        return false;
    }
    if (const UGameInstance* GameInstance = Cast<const UGameInstance>(WorldContext.Get()))
    {
        // Lives across map changes: while a travel tears the old world down, its events still fire.
        return IsValid(GameInstance);
    }
    const UWorld* World = GEngine ? GEngine->GetWorldFromContextObject(WorldContext.Get(), EGetWorldErrorMode::ReturnNull) : nullptr;
    return World != nullptr && !World->bIsTearingDown;
}

bool UGameyeAsyncAction::EndsWithWorld(const UWorld* World) const
{
    const UObject* Context = WorldContext.Get();
    if (Context != nullptr && Cast<const UGameInstance>(Context) != nullptr)
    {
        return false;
    }
    return Context == nullptr || (GEngine && GEngine->GetWorldFromContextObject(Context, EGetWorldErrorMode::ReturnNull) == World);
}

bool UGameyeAsyncAction::TakeCompletion()
{
    if (bFinished)
    {
        return false;
    }
    if (!ShouldBroadcastDelegates())
    {
        Finish();
        return false;
    }
    return true;
}

void UGameyeAsyncAction::Fail(const FGameyeError& Error)
{
    if (ShouldBroadcastDelegates())
    {
        BroadcastFailure(Error);
    }
    Finish();
}

void UGameyeAsyncAction::Finish()
{
    bFinished = true;
    if (UGameyeSubsystem* Subsystem = Owner.Get())
    {
        Subsystem->Untrack(this);
    }
    SetReadyToDestroy();
}
