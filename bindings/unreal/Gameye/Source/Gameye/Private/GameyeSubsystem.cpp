#include "GameyeSubsystem.h"

#include "Engine/Engine.h"
#include "Engine/World.h"
#include "GameyeAsyncAction.h"
#include "GameyeConversions.h"
#include "GameyeLog.h"
#include "GameyeSettings.h"
#include "GameyeToken.h"
#include "Misc/CommandLine.h"

bool UGameyeSubsystem::ShouldCreateSubsystem(UObject* /*Outer*/) const
{
#if WITH_GAMEYE
    // A game started from the editor binary (-game) is a game client: no token there.
    return IsRunningDedicatedServer() || (GIsEditor && !IsRunningCommandlet() && !IsRunningGame());
#else
    return false;
#endif
}

void UGameyeSubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
    Super::Initialize(Collection);
    WorldCleanupHandle = FWorldDelegates::OnWorldCleanup.AddUObject(this, &UGameyeSubsystem::OnWorldCleanup);
#if WITH_GAMEYE
    const UGameyeSettings* Settings = GetDefault<UGameyeSettings>();
    const FGameyeToken Token = ReadGameyeToken(FCommandLine::Get(), Settings->TokenFile);
    if (!Token.Problem.IsEmpty())
    {
        UnavailableReason = Token.Problem;
        UE_LOG(LogGameye, Warning, TEXT("Gameye is unavailable: %s"), *UnavailableReason);
        return;
    }
    gameye::Config Config;
    Config.base_url(GameyeConvert::ToUtf8(Settings->BaseUrl))
        .token(GameyeConvert::ToUtf8(Token.Value))
        .timeout_ms(static_cast<uint32_t>(Settings->GetClampedTimeoutMs()));
    gameye::Result<gameye::Client> Created = gameye::Client::create(Config);
    if (!Created)
    {
        // The library's message never holds the token.
        UnavailableReason = FString::Printf(TEXT("%s (token from %s)"), *GameyeConvert::ToFString(Created.error().message()), *Token.Source);
        UE_LOG(LogGameye, Warning, TEXT("Gameye is unavailable: %s"), *UnavailableReason);
        return;
    }
    Client.Emplace(std::move(Created).value());
    TickHandle = FTSTicker::GetCoreTicker().AddTicker(FTickerDelegate::CreateUObject(this, &UGameyeSubsystem::Tick));
    UE_LOG(LogGameye, Log, TEXT("Gameye client ready: %s, token from %s (%d characters)"), *Settings->BaseUrl, *Token.Source,
           Token.Value.Len());
#else
    UnavailableReason = TEXT("Gameye is compiled only into dedicated server and editor targets");
#endif
}

void UGameyeSubsystem::Deinitialize()
{
    FTSTicker::GetCoreTicker().RemoveTicker(TickHandle);
    FWorldDelegates::OnWorldCleanup.Remove(WorldCleanupHandle);
    // No Blueprint event fires during shutdown: the nodes end quietly first.
    CancelAll();
#if WITH_GAMEYE
    // Cancels what is in flight and runs the remaining completions, which find their nodes ended.
    Client.Reset();
#endif
    Super::Deinitialize();
}

UGameyeSubsystem* UGameyeSubsystem::Get()
{
    return GEngine ? GEngine->GetEngineSubsystem<UGameyeSubsystem>() : nullptr;
}

UGameyeSubsystem* UGameyeSubsystem::ResolveFor(const UObject* WorldContext, FString& OutReason)
{
    UGameyeSubsystem* Subsystem = Get();
    if (Subsystem == nullptr)
    {
        OutReason = TEXT("Gameye runs only in dedicated servers and the editor, never in a game client");
        return nullptr;
    }
    const UWorld* World = GEngine->GetWorldFromContextObject(WorldContext, EGetWorldErrorMode::ReturnNull);
    if (World == nullptr)
    {
        OutReason = TEXT("no world context");
        return nullptr;
    }
    if (World->IsGameWorld() && World->GetNetMode() != NM_DedicatedServer)
    {
        // As in a packaged game: only the server side of a PIE session may call Gameye.
        OutReason = TEXT("Gameye runs only on dedicated servers and in editor tooling; this game world is a client, "
                         "standalone or listen server");
        return nullptr;
    }
    if (!Subsystem->IsAvailable())
    {
        OutReason = Subsystem->GetUnavailableReason();
        return nullptr;
    }
    return Subsystem;
}

bool UGameyeSubsystem::IsAvailable() const
{
#if WITH_GAMEYE
    return Client.IsSet();
#else
    return false;
#endif
}

void UGameyeSubsystem::Track(UGameyeAsyncAction* Action)
{
    RunningActions.AddUnique(Action);
}

void UGameyeSubsystem::Untrack(UGameyeAsyncAction* Action)
{
    RunningActions.RemoveSingleSwap(Action);
}

bool UGameyeSubsystem::CancelRequest(uint64 RequestId) const
{
#if WITH_GAMEYE
    return Client.IsSet() && RequestId != 0 && Client->cancel(RequestId);
#else
    static_cast<void>(RequestId);
    return false;
#endif
}

bool UGameyeSubsystem::Tick(float)
{
#if WITH_GAMEYE
    if (Client.IsSet())
    {
        Client->poll();
    }
#endif
    return true;
}

void UGameyeSubsystem::OnWorldCleanup(UWorld* World, bool, bool)
{
    // Cancel() untracks, so walk a copy.
    const TArray<TObjectPtr<UGameyeAsyncAction>> Running = RunningActions;
    for (UGameyeAsyncAction* Action : Running)
    {
        if (Action != nullptr && Action->RunsIn(World))
        {
            Action->Cancel();
        }
    }
}

void UGameyeSubsystem::CancelAll()
{
    const TArray<TObjectPtr<UGameyeAsyncAction>> Running = RunningActions;
    for (UGameyeAsyncAction* Action : Running)
    {
        if (Action != nullptr)
        {
            Action->Cancel();
        }
    }
    RunningActions.Empty();
}
