#include "GameyeServerComponent.h"

#include "GameFramework/GameModeBase.h"
#include "GameFramework/PlayerController.h"
#include "GameFramework/PlayerState.h"
#include "GameyeConversions.h"
#include "GameyeLog.h"
#include "GameyeSettings.h"
#include "GameyeSubsystem.h"
#include "Misc/CoreDelegates.h"

#if WITH_GAMEYE
namespace
{
uint32 FlushMs()
{
    return static_cast<uint32>(GetDefault<UGameyeSettings>()->GetClampedTeardownFlushSeconds() * 1000.f);
}
}  // namespace
#endif

void UGameyeServerComponent::BeginPlay()
{
    Super::BeginPlay();
#if WITH_GAMEYE
    if (!GetDefault<UGameyeSettings>()->bReportPlayers)
    {
        InactiveReason = TEXT("Report Players is off in Project Settings > Gameye");
        return;
    }
    if (!IsRunningDedicatedServer())
    {
        InactiveReason = TEXT("players are reported by dedicated servers only");
        return;
    }
    const UGameyeSubsystem* Subsystem = UGameyeSubsystem::Get();
    if (Subsystem == nullptr || !Subsystem->IsAvailable())
    {
        InactiveReason = Subsystem ? Subsystem->GetUnavailableReason() : FString(TEXT("no Gameye subsystem"));
        UE_LOG(LogGameye, Warning, TEXT("Gameye: players are not reported: %s"), *InactiveReason);
        return;
    }
    gameye::Result<FGameyeServerRoster> Started = FGameyeServerRoster::Start(*Subsystem->GetClient(), nullptr);
    if (!Started)
    {
        if (Started.status() == gameye::Status::NotFound)
        {
            // Run outside Gameye (a local test): nothing to report to.
            InactiveReason = TEXT("not inside a Gameye session (GAMEYE_SESSION_ID is not set)");
            UE_LOG(LogGameye, Log, TEXT("Gameye: %s; players are not reported"), *InactiveReason);
        }
        else
        {
            InactiveReason = GameyeConvert::ToError(Started.error()).Message;
            UE_LOG(LogGameye, Warning, TEXT("Gameye: players are not reported: %s"), *InactiveReason);
        }
        return;
    }
    Roster.Emplace(std::move(Started).value());
    PostLoginHandle = FGameModeEvents::GameModePostLoginEvent.AddUObject(this, &UGameyeServerComponent::OnPostLogin);
    LogoutHandle = FGameModeEvents::GameModeLogoutEvent.AddUObject(this, &UGameyeServerComponent::OnLogout);
    PreExitHandle = FCoreDelegates::OnPreExit.AddUObject(this, &UGameyeServerComponent::OnPreExit);
    UE_LOG(LogGameye, Log, TEXT("Gameye: reporting the players of session %s"), *GetSessionId());
#else
    InactiveReason = TEXT("Gameye is compiled only into dedicated server and editor targets");
#endif
}

void UGameyeServerComponent::EndPlay(const EEndPlayReason::Type EndPlayReason)
{
    FGameModeEvents::GameModePostLoginEvent.Remove(PostLoginHandle);
    FGameModeEvents::GameModeLogoutEvent.Remove(LogoutHandle);
    FCoreDelegates::OnPreExit.Remove(PreExitHandle);
    Flush(TEXT("at the end of play"));
#if WITH_GAMEYE
    Roster.Reset();
#endif
    Super::EndPlay(EndPlayReason);
}

bool UGameyeServerComponent::IsReporting() const
{
#if WITH_GAMEYE
    return Roster.IsSet();
#else
    return false;
#endif
}

FString UGameyeServerComponent::GetSessionId() const
{
#if WITH_GAMEYE
    return Roster.IsSet() ? GameyeConvert::ToFString(std::string_view(Roster->SessionId())) : FString();
#else
    return FString();
#endif
}

FString UGameyeServerComponent::GetGameyePlayerId_Implementation(APlayerController* Player) const
{
    const APlayerState* State = Player != nullptr ? Player->GetPlayerState<APlayerState>() : nullptr;
    return State != nullptr && State->GetUniqueId().IsValid() ? State->GetUniqueId().ToString() : FString();
}

FString UGameyeServerComponent::PlayerIdOf(APlayerController* Player)
{
    FString Id = GetGameyePlayerId(Player);
    if (Id.IsEmpty() && !bWarnedEmptyId)
    {
        bWarnedEmptyId = true;
        UE_LOG(LogGameye, Warning, TEXT("Gameye: a player has no id to report (no unique net id: is an online subsystem "
                                        "configured?). Override GetGameyePlayerId to report your own ids."));
    }
    return Id;
}

void UGameyeServerComponent::OnPostLogin(AGameModeBase* GameMode, APlayerController* Player)
{
    if (GameMode == GetOwner())
    {
        Report(Player, true);
    }
}

void UGameyeServerComponent::OnLogout(AGameModeBase* GameMode, AController* Exiting)
{
    // AI controllers log out too; only players were reported.
    APlayerController* Player = Cast<APlayerController>(Exiting);
    if (GameMode == GetOwner() && Player != nullptr)
    {
        Report(Player, false);
    }
}

void UGameyeServerComponent::Report(APlayerController* Player, bool bJoined)
{
#if WITH_GAMEYE
    const FString Id = Roster.IsSet() ? PlayerIdOf(Player) : FString();
    if (Id.IsEmpty())
    {
        return;
    }
    const std::string Native = GameyeConvert::ToUtf8(Id);
    const gameye::Result<void> Reported = bJoined ? Roster->LoggedIn(Native) : Roster->LoggedOut(Native);
    if (!Reported)
    {
        UE_LOG(LogGameye, Warning, TEXT("Gameye: player %s's %s is not reported: %s"), *Id, bJoined ? TEXT("join") : TEXT("leave"),
               *GameyeConvert::ToError(Reported.error()).Message);
    }
#else
    static_cast<void>(Player);
    static_cast<void>(bJoined);
#endif
}

void UGameyeServerComponent::OnPreExit()
{
    Flush(TEXT("before the engine exits"));
}

void UGameyeServerComponent::Flush(const TCHAR* When)
{
#if WITH_GAMEYE
    if (!Roster.IsSet())
    {
        return;
    }
    const gameye::Result<void> Flushed = Roster->Flush(FlushMs());
    if (!Flushed)
    {
        UE_LOG(LogGameye, Warning, TEXT("Gameye: the player reports were not all delivered %s: %s"), When,
               *GameyeConvert::ToError(Flushed.error()).Message);
    }
#else
    static_cast<void>(When);
#endif
}

bool UGameyeServerComponent::StopThisSession(FGameyeError& Error)
{
#if WITH_GAMEYE
    if (!Roster.IsSet())
    {
        Error = GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, InactiveReason);
        return false;
    }
    const gameye::Result<void> Stopped = Roster->StopThisSession(FlushMs());
    if (!Stopped)
    {
        Error = GameyeConvert::ToError(Stopped.error());
        UE_LOG(LogGameye, Error, TEXT("Gameye: could not stop session %s: %s"), *GetSessionId(), *Error.Message);
        return false;
    }
    UE_LOG(LogGameye, Log, TEXT("Gameye: stopped session %s"), *GetSessionId());
    Error = FGameyeError();
    return true;
#else
    Error = FGameyeError();
    Error.Status = EGameyeStatus::InvalidArgument;
    Error.Message = InactiveReason;
    return false;
#endif
}
