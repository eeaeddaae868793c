// UGameyeSubsystem: one gameye client per process, for dedicated servers and the editor.
//
// An engine subsystem, so that editor tooling (Editor Utility Widgets, which run outside any game
// instance) and every PIE world share one client. It exists only where Gameye belongs: a
// dedicated server, or the editor (not a commandlet, not a game started from the editor binary
// with -game). Completions run on the game thread: the subsystem polls the client from the core
// ticker once per frame.
#pragma once

#include "CoreMinimal.h"
#include "Containers/Ticker.h"
#include "Subsystems/EngineSubsystem.h"

#if WITH_GAMEYE
#include "gameye.hpp"
#include "GameyeFlush.h"
#endif

// UHT: the .generated.h is always the last include.
#include "GameyeSubsystem.generated.h"

class UGameyeAsyncAction;
class UWorld;

UCLASS()
class GAMEYE_API UGameyeSubsystem : public UEngineSubsystem
{
    GENERATED_BODY()

public:
    /** Dedicated servers and the editor only; a game or client process gets none. */
    virtual bool ShouldCreateSubsystem(UObject* Outer) const override;
    virtual void Initialize(FSubsystemCollectionBase& Collection) override;
    virtual void Deinitialize() override;

    /** The subsystem, or nullptr in a process that has none (a game client). */
    static UGameyeSubsystem* Get();

    /**
     * The subsystem a node running in `WorldContext`'s world may use, or nullptr with the reason.
     * Editor worlds (editor tooling) and dedicated-server worlds may; a PIE client, a standalone
     * or listen-server game world may not, as in a packaged game.
     */
    static UGameyeSubsystem* ResolveFor(const UObject* WorldContext, FString& OutReason);

    /** Whether a client is ready (a server or editor with a token). */
    UFUNCTION(BlueprintPure, Category = "Gameye")
    bool IsAvailable() const;

    /** Why it is not available, when it is not. */
    UFUNCTION(BlueprintPure, Category = "Gameye")
    FString GetUnavailableReason() const { return UnavailableReason; }

#if WITH_GAMEYE
    /**
     * The client, for C++ callers (nullptr when unavailable). Use its *_async calls: their
     * completions run on the game thread, inside this subsystem's tick. Valid until the engine
     * shuts down; do not keep it past Deinitialize.
     */
    const gameye::Client* GetClient() const { return Client.IsSet() ? &Client.GetValue() : nullptr; }
#endif

    /** Keeps a running node alive (editor worlds have no game instance to hold it). */
    void Track(UGameyeAsyncAction* Action);
    void Untrack(UGameyeAsyncAction* Action);
    /** Cancels a native request by id; false when it had finished. */
    bool CancelRequest(uint64 RequestId) const;

    /**
     * A start's result that no node could deliver (its node was cancelled, or its world went
     * away): `SessionId` (empty: nothing reached the server) may be running with nobody knowing
     * it. Logged with the id; during teardown the session is also stopped. Game thread.
     */
    void LostSession(const FString& SessionId, const TCHAR* What);

    /** True from the start of the teardown flush: no node's event fires any more. */
    bool IsTearingDown() const { return bTearingDown; }

private:
    bool Tick(float DeltaSeconds);
    /** Quietly cancels the reads of a world that is going away; its writes finish. */
    void OnWorldCleanup(UWorld* World, bool bSessionEnded, bool bCleanupResources);
    void CancelAll();
#if WITH_GAMEYE
    /**
     * Teardown: reads cancelled, writes given TeardownFlushSeconds to finish, the rest cancelled,
     * and the sessions that cancelled or undelivered starts name stopped (two more seconds).
     */
    void Flush();
#endif

    FString UnavailableReason;
    FTSTicker::FDelegateHandle TickHandle;
    FDelegateHandle WorldCleanupHandle;

    UPROPERTY(Transient)
    TArray<TObjectPtr<UGameyeAsyncAction>> RunningActions;

    /** Set for the teardown flush: a lost session is then stopped, not only logged. */
    bool bTearingDown = false;
    /** Set while the client is freed: a lost session is then only logged. */
    bool bFreeingClient = false;

#if WITH_GAMEYE
    TOptional<gameye::Client> Client;
    /** The stops of lost sessions during the flush; reset after the client. */
    TOptional<GameyeFlush::FLostSessions> LostSessions;
#endif
};
