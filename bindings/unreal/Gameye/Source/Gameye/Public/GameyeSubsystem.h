// UGameyeSubsystem: one gameye client per game instance. Completions are delivered on the game
// thread: the subsystem polls the client from the core ticker once per frame.
#pragma once

#include "CoreMinimal.h"
#include "Containers/Ticker.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "GameyeTypes.h"
#include "GameyeSubsystem.generated.h"

#if WITH_GAMEYE
#include "gameye.hpp"
#endif

UCLASS()
class GAMEYE_API UGameyeSubsystem : public UGameInstanceSubsystem
{
    GENERATED_BODY()

public:
    virtual void Initialize(FSubsystemCollectionBase& Collection) override;
    virtual void Deinitialize() override;

    /** Whether a client is ready (a server or editor build with a token). */
    UFUNCTION(BlueprintPure, Category = "Gameye")
    bool IsAvailable() const;

    /** Why it is not available, when it is not. */
    UFUNCTION(BlueprintPure, Category = "Gameye")
    FString GetUnavailableReason() const { return UnavailableReason; }

#if WITH_GAMEYE
    /** The client, for C++ callers (nullptr when unavailable). Use its *_async calls. */
    const gameye::Client* GetClient() const { return Client.IsSet() ? &Client.GetValue() : nullptr; }

    static FGameyeSession ToSession(gameye::Session Session);
    static FGameyeError ToError(const gameye::Error& Error);
#endif

private:
    bool Tick(float DeltaSeconds);

    FString UnavailableReason;
    FTSTicker::FDelegateHandle TickHandle;
#if WITH_GAMEYE
    TOptional<gameye::Client> Client;
#endif
};
