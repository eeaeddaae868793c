// UGameyeServerComponent: the dedicated server's side of Gameye. Add it to your GameMode: inside a
// Gameye session (GAMEYE_SESSION_ID set by Gameye) it reports the players the GameMode lets in
// and out, flushes those reports when play ends and before the engine exits, and offers
// Stop This Session for the end of the match. Anywhere else (a client, the editor, a server
// outside a session, Project Settings > Gameye > Report Players off) it does nothing, and says
// why (GetInactiveReason). The logic is FGameyeServerRoster's (GameyeServerRoster.h).
#pragma once

#include "CoreMinimal.h"
#include "Components/ActorComponent.h"
#include "GameyeTypes.h"

#if WITH_GAMEYE
#include "GameyeServerRoster.h"
#endif

// UHT: the .generated.h is always the last include.
#include "GameyeServerComponent.generated.h"

class AController;
class AGameModeBase;
class APlayerController;

UCLASS(Blueprintable, ClassGroup = (Gameye), meta = (BlueprintSpawnableComponent))
class GAMEYE_API UGameyeServerComponent : public UActorComponent
{
    GENERATED_BODY()

public:
    /** Whether it reports players: a dedicated server inside a Gameye session, with a client. */
    UFUNCTION(BlueprintPure, Category = "Gameye|Server")
    bool IsReporting() const;

    /** Why it does not report, when it does not. */
    UFUNCTION(BlueprintPure, Category = "Gameye|Server")
    FString GetInactiveReason() const { return InactiveReason; }

    /** The session this server runs in; empty when it does not report. */
    UFUNCTION(BlueprintPure, Category = "Gameye|Server")
    FString GetSessionId() const;

    /**
     * The id Gameye knows `Player` by: by default the unique net id of its PlayerState. Override
     * it (in a Blueprint subclass, or C++) to report your own ids, e.g. your backend's account id.
     * An empty id is not reported (logged once). Asked at login and again at logout.
     */
    UFUNCTION(BlueprintNativeEvent, Category = "Gameye|Server")
    FString GetGameyePlayerId(APlayerController* Player) const;
    virtual FString GetGameyePlayerId_Implementation(APlayerController* Player) const;

    /**
     * The end of the match: reports what is pending, then stops this session (Gameye then ends
     * this process). Blocks the game thread for up to Project Settings > Gameye > Teardown Flush
     * Seconds, plus the stop itself. False, with Error, when it failed.
     */
    UFUNCTION(BlueprintCallable, Category = "Gameye|Server")
    bool StopThisSession(FGameyeError& Error);

protected:
    virtual void BeginPlay() override;
    virtual void EndPlay(const EEndPlayReason::Type EndPlayReason) override;

private:
    void OnPostLogin(AGameModeBase* GameMode, APlayerController* Player);
    void OnLogout(AGameModeBase* GameMode, AController* Exiting);
    /** Reports `Player`'s join or leave to the roster (nothing when it is inactive or has no id). */
    void Report(APlayerController* Player, bool bJoined);
    void OnPreExit();
    /** The player's id as Gameye gets it; empty (logged once) when there is none. */
    FString PlayerIdOf(APlayerController* Player);
    void Flush(const TCHAR* When);

    FString InactiveReason;
    FDelegateHandle PostLoginHandle;
    FDelegateHandle LogoutHandle;
    FDelegateHandle PreExitHandle;
    bool bWarnedEmptyId = false;

#if WITH_GAMEYE
    TOptional<FGameyeServerRoster> Roster;
#endif
};
