// The one place where a node's request is submitted and its completion turned into one Blueprint
// event. Each node's Submit is a call to GameyeCompletion::Submit with two lambdas: the *_async
// call to make, and the conversion of the native result into the node's Blueprint type.
#pragma once

#include "CoreMinimal.h"
#include "GameyeAsyncAction.h"
#include "GameyeConversions.h"
#include "GameyeSubsystem.h"

#if WITH_GAMEYE
#include <functional>
#include <type_traits>
#include <utility>

namespace GameyeCompletion
{
/** The session a start's result names: the one it started, or the id a failed start sent. */
template <typename TValue>
FString StartedSessionId(const gameye::Result<TValue>& Result)
{
    if (!Result)
    {
        return GameyeConvert::ToFString(Result.error().session_id());
    }
    if constexpr (std::is_same_v<TValue, gameye::StartedSession>)
    {
        return GameyeConvert::ToFString(Result.value().id());
    }
    else if constexpr (std::is_same_v<TValue, gameye::DescribedSession>)
    {
        return GameyeConvert::ToFString(Result.value().view().id());
    }
    else
    {
        return FString();
    }
}

/**
 * Submits `Call(Client, Done)` for `Node`. The completion runs on the game thread (inside the
 * subsystem's poll), once: it fires OnSuccess with `Convert(Value)` or OnFailure with the error,
 * unless the node was cancelled or its world is going away, and then ends the node. `TValue` is
 * the wrapper's result type; void for a call without one (Stop), whose events carry only Error.
 * A start's result that no node can deliver any more goes to UGameyeSubsystem::LostSession, so
 * that the session it names is never silently forgotten.
 */
template <typename TValue, typename TNode, typename TCall, typename TConvert>
void Submit(TNode& Node, const gameye::Client& Client, TCall&& Call, TConvert Convert)
{
    TWeakObjectPtr<TNode> Weak(&Node);
    TWeakObjectPtr<UGameyeSubsystem> Owner(Node.GetOwnerSubsystem());
    const bool bStarts = Node.StartsSession();
    std::function<void(gameye::Result<TValue>)> Done = [Weak, Owner, bStarts, Convert](gameye::Result<TValue> Result) {
        TNode* Self = Weak.Get();
        if (Self == nullptr || !Self->TakeCompletion())
        {
            UGameyeSubsystem* Subsystem = Owner.Get();
            if (bStarts && Subsystem != nullptr)
            {
                Subsystem->LostSession(StartedSessionId(Result), Result ? TEXT("started") : TEXT("cancelled after it was sent"));
            }
            return;
        }
        if (!Result)
        {
            Self->Fail(GameyeConvert::ToError(Result.error()));
            return;
        }
        if constexpr (std::is_void_v<TValue>)
        {
            Self->OnSuccess.Broadcast(FGameyeError());
        }
        else
        {
            Self->OnSuccess.Broadcast(Convert(Result.value()), FGameyeError());
        }
        Self->Finish();
    };
    gameye::Result<gameye::Request> Request = std::forward<TCall>(Call)(Client, std::move(Done));
    if (!Request)
    {
        Node.Fail(GameyeConvert::ToError(Request.error()));
        return;
    }
    Node.Submitted(Request.value().id());
}

/** For calls without a result (Stop). */
struct FNoResult
{
};
}  // namespace GameyeCompletion
#endif  // WITH_GAMEYE
