#include "GameyeSubsystem.h"

#include "Engine/Engine.h"
#include "Engine/World.h"
#include "GameyeAsyncAction.h"
#include "GameyeConversions.h"
#include "GameyeFlush.h"
#include "GameyeLog.h"
#include "GameyeModule.h"
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
    if (!FGameyeModule::LibraryProblem().IsEmpty())
    {
        // Logged by the module already; no call may reach the library.
        UnavailableReason = FGameyeModule::LibraryProblem();
        return;
    }
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
#if WITH_GAMEYE
    if (Client.IsSet())
    {
        Flush();
    }
#endif
    // No Blueprint event fires during shutdown: the nodes left end quietly.
    CancelAll();
#if WITH_GAMEYE
    // Cancels what is still in flight and runs the remaining completions (a stop of a lost
    // session reports its cancellation), which find their nodes ended. A lost session found now
    // is only logged: the client being freed takes no new request.
    bFreeingClient = true;
    Client.Reset();
    LostSessions.Reset();
#endif
    Super::Deinitialize();
}

#if WITH_GAMEYE
void UGameyeSubsystem::Flush()
{
    using GameyeFlush::FClock;
    bTearingDown = true;
    // An FReport, not the lambda itself: TOptional::Emplace is a template over its arguments.
    LostSessions.Emplace(GameyeFlush::FLostSessions::FReport([](const std::string& SessionId, const gameye::Error* Failure) {
        const FString Id = GameyeConvert::ToFString(std::string_view(SessionId));
        if (Failure == nullptr)
        {
            UE_LOG(LogGameye, Log, TEXT("Gameye: stopped session %s, which nobody was left to receive"), *Id);
        }
        else
        {
            UE_LOG(LogGameye, Error, TEXT("Gameye: could not stop session %s (%s); it may be running: stop it with "
                                          "`gameye sessions stop %s`"),
                   *Id, *GameyeConvert::ToFString(Failure->message()), *Id);
        }
    }));

    // Reads end at once, quietly; writes (start, stop, join, leave) get the flush to finish: a
    // "stop the session, then quit" reaches Gameye. Their events do not fire (the engine is
    // exiting), but a start's session is not forgotten (LostSession).
    const TArray<TObjectPtr<UGameyeAsyncAction>> Running = RunningActions;
    for (UGameyeAsyncAction* Action : Running)
    {
        if (Action != nullptr && !Action->IsWrite())
        {
            Action->Cancel();
        }
    }
    const auto WritesDone = [&Running] {
        for (UGameyeAsyncAction* Action : Running)
        {
            if (Action != nullptr && !Action->IsFinished())
            {
                return false;
            }
        }
        return true;
    };
    const double Seconds = static_cast<double>(GetDefault<UGameyeSettings>()->GetClampedTeardownFlushSeconds());
    const auto FlushEnd = FClock::now() + std::chrono::duration_cast<FClock::duration>(std::chrono::duration<double>(Seconds));
    GameyeFlush::PollUntil(Client.GetValue(), FlushEnd, WritesDone);

    // What did not finish is cancelled: each cancelled start names the session it may have made,
    // and LostSession stops it. The stops get two seconds of their own.
    int32 Unfinished = 0;
    for (UGameyeAsyncAction* Action : Running)
    {
        if (Action != nullptr && !Action->IsFinished())
        {
            ++Unfinished;
            Action->Cancel();
        }
    }
    if (Unfinished > 0)
    {
        UE_LOG(LogGameye, Warning, TEXT("Gameye: %d write(s) did not finish within the teardown flush (%.1f s) and were cancelled"),
               Unfinished, Seconds);
    }
    // The cancellations arrive at once; the stops they lead to get two seconds.
    GameyeFlush::PollUntil(Client.GetValue(), FClock::now() + std::chrono::milliseconds(100), [] { return false; });
    GameyeFlush::PollUntil(Client.GetValue(), FClock::now() + std::chrono::seconds(2), [this] { return LostSessions->AllReported(); });
}
#endif

void UGameyeSubsystem::LostSession(const FString& SessionId, const TCHAR* What)
{
    if (SessionId.IsEmpty())
    {
        return;  // the start never reached the server
    }
#if WITH_GAMEYE
    if (bTearingDown && !bFreeingClient && Client.IsSet() && LostSessions.IsSet())
    {
        UE_LOG(LogGameye, Warning, TEXT("Gameye: session %s was %s while the engine shut down, with nobody left to "
                                        "receive it: stopping it"),
               *SessionId, What);
        LostSessions->Stop(Client.GetValue(), GameyeConvert::ToUtf8(SessionId));
        return;
    }
#endif
    UE_LOG(LogGameye, Warning, TEXT("Gameye: session %s was %s after the node that asked for it ended (its world went "
                                    "away): it may be running; stop it if nobody uses it"),
           *SessionId, What);
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
#ifdef GAMEYE_NO_LIBRARY
        OutReason = TEXT("the Gameye plugin ships no library for this platform (it has Linux, LinuxArm64 and Win64)");
#else
        OutReason = TEXT("Gameye runs only in dedicated servers and the editor, never in a game client");
#endif
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
        if (World->WorldType == EWorldType::PIE)
        {
            // Said where the developer looks, once per process: an unwired OnFailure is silent.
            OutReason += TEXT(". In Play-In-Editor, set Net Mode to \"Play As Client\": the server world then runs as a "
                              "dedicated server, where the Gameye nodes run");
            static bool bTold = false;
            if (!bTold)
            {
                bTold = true;
                UE_LOG(LogGameye, Warning, TEXT("Gameye: %s"), *OutReason);
                GEngine->AddOnScreenDebugMessage(-1, 15.f, FColor::Yellow, FString(TEXT("Gameye: ")) + OutReason);
            }
        }
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
    // PollFrame may end a node (which untracks it): walk a copy.
    const TArray<TObjectPtr<UGameyeAsyncAction>> Running = RunningActions;
    for (UGameyeAsyncAction* Action : Running)
    {
        if (Action != nullptr && !Action->IsFinished())
        {
            Action->PollFrame();
        }
    }
    return true;
}

void UGameyeSubsystem::OnWorldCleanup(UWorld* World, bool, bool)
{
    // Cancel() untracks, so walk a copy.
    const TArray<TObjectPtr<UGameyeAsyncAction>> Running = RunningActions;
    for (UGameyeAsyncAction* Action : Running)
    {
        // Writes finish: their events do not fire (the world is gone), but what they do is not
        // lost (a start's session is logged, see LostSession).
        if (Action != nullptr && !Action->IsWrite() && Action->EndsWithWorld(World))
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
