// The nodes: each is a factory that copies its inputs, and a Submit that names its call and how
// its result is converted. Everything else (client, events, cancel, teardown) is the base's.
#include "GameyeAsyncActions.h"

#include "GameyeCompletion.h"
#include "GameyeSubsystem.h"

UGameyeStartSession* UGameyeStartSession::StartGameyeSession(UObject* WorldContext, const FGameyeStartOptions& Options)
{
    UGameyeStartSession* Node = NewObject<UGameyeStartSession>();
    Node->SetWorldContext(WorldContext);
    Node->Options = Options;
    return Node;
}

UGameyeStartSessionAndWait* UGameyeStartSessionAndWait::StartGameyeSessionAndWait(UObject* WorldContext, const FGameyeStartOptions& Options, float TimeoutSeconds)
{
    UGameyeStartSessionAndWait* Node = NewObject<UGameyeStartSessionAndWait>();
    Node->SetWorldContext(WorldContext);
    Node->Options = Options;
    Node->TimeoutSeconds = TimeoutSeconds;
    return Node;
}

UGameyeListSessions* UGameyeListSessions::ListGameyeSessions(UObject* WorldContext, const FGameyeListFilter& Filter)
{
    UGameyeListSessions* Node = NewObject<UGameyeListSessions>();
    Node->SetWorldContext(WorldContext);
    Node->Filter = Filter;
    return Node;
}

UGameyeDescribeSession* UGameyeDescribeSession::DescribeGameyeSession(UObject* WorldContext, const FString& SessionId)
{
    UGameyeDescribeSession* Node = NewObject<UGameyeDescribeSession>();
    Node->SetWorldContext(WorldContext);
    Node->SessionId = SessionId;
    return Node;
}

UGameyeStopSession* UGameyeStopSession::StopGameyeSession(UObject* WorldContext, const FString& SessionId)
{
    UGameyeStopSession* Node = NewObject<UGameyeStopSession>();
    Node->SetWorldContext(WorldContext);
    Node->SessionId = SessionId;
    return Node;
}

UGameyeJoinSession* UGameyeJoinSession::JoinGameyeSession(UObject* WorldContext, const FString& SessionId, const TArray<FString>& Players)
{
    UGameyeJoinSession* Node = NewObject<UGameyeJoinSession>();
    Node->SetWorldContext(WorldContext);
    Node->SessionId = SessionId;
    Node->Players = Players;
    return Node;
}

UGameyeLeaveSession* UGameyeLeaveSession::LeaveGameyeSession(UObject* WorldContext, const TArray<FString>& Players)
{
    UGameyeLeaveSession* Node = NewObject<UGameyeLeaveSession>();
    Node->SetWorldContext(WorldContext);
    Node->Players = Players;
    return Node;
}

UGameyeGetAvailableLocations* UGameyeGetAvailableLocations::GetGameyeAvailableLocations(UObject* WorldContext, const FString& Image)
{
    UGameyeGetAvailableLocations* Node = NewObject<UGameyeGetAvailableLocations>();
    Node->SetWorldContext(WorldContext);
    Node->Image = Image;
    return Node;
}

UGameyeTagExists* UGameyeTagExists::GameyeTagExists(UObject* WorldContext, const FString& Region, const FString& Image, const FString& Version)
{
    UGameyeTagExists* Node = NewObject<UGameyeTagExists>();
    Node->SetWorldContext(WorldContext);
    Node->Region = Region;
    Node->Image = Image;
    Node->Version = Version;
    return Node;
}

UGameyeGetLogs* UGameyeGetLogs::GetGameyeLogs(UObject* WorldContext, const FString& SessionId)
{
    UGameyeGetLogs* Node = NewObject<UGameyeGetLogs>();
    Node->SetWorldContext(WorldContext);
    Node->SessionId = SessionId;
    return Node;
}

#if WITH_GAMEYE
void UGameyeStartSession::Submit(UGameyeSubsystem& Subsystem)
{
    gameye::StartOptions Native;
    FString Problem;
    if (!GameyeConvert::ToStartOptions(Options, Native, Problem))
    {
        Fail(GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, Problem));
        return;
    }
    GameyeCompletion::Submit<gameye::StartedSession>(
        *this, *Subsystem.GetClient(),
        [&Native](const gameye::Client& Client, auto Done) { return Client.start_session_async(Native, std::move(Done)); },
        [Requested = Options](const gameye::StartedSession& Started) { return GameyeConvert::ToSession(Started, Requested); });
}

void UGameyeStartSessionAndWait::Submit(UGameyeSubsystem& Subsystem)
{
    gameye::StartOptions Native;
    FString Problem;
    if (!GameyeConvert::ToStartOptions(Options, Native, Problem))
    {
        Fail(GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, Problem));
        return;
    }
    uint32 TimeoutMs = 0;
    if (!GameyeConvert::ToMillis(TimeoutSeconds, TimeoutMs))
    {
        Fail(GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, TEXT("TimeoutSeconds must be 0 or more")));
        return;
    }
    GameyeCompletion::Submit<gameye::DescribedSession>(
        *this, *Subsystem.GetClient(),
        [&Native, TimeoutMs](const gameye::Client& Client, auto Done) { return Client.start_session_and_wait_async(Native, TimeoutMs, std::move(Done)); },
        [](const gameye::DescribedSession& Running) { return GameyeConvert::ToSession(Running.view()); });
}

void UGameyeListSessions::Submit(UGameyeSubsystem& Subsystem)
{
    gameye::ListOptions Native;
    FString Problem;
    if (!GameyeConvert::ToListOptions(Filter, Native, Problem))
    {
        Fail(GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, Problem));
        return;
    }
    GameyeCompletion::Submit<gameye::SessionList>(
        *this, *Subsystem.GetClient(),
        [&Native](const gameye::Client& Client, auto Done) { return Client.list_sessions_async(&Native, std::move(Done)); },
        [](const gameye::SessionList& List) {
            TArray<FGameyeSession> Sessions;
            Sessions.Reserve(static_cast<int32>(List.size()));
            for (gameye::Session Session : List)
            {
                Sessions.Add(GameyeConvert::ToSession(Session));
            }
            return Sessions;
        });
}

void UGameyeDescribeSession::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<gameye::DescribedSession>(
        *this, *Subsystem.GetClient(),
        [Id = GameyeConvert::ToUtf8(SessionId)](const gameye::Client& Client, auto Done) { return Client.describe_session_async(Id, std::move(Done)); },
        [](const gameye::DescribedSession& Described) { return GameyeConvert::ToSession(Described.view()); });
}

void UGameyeStopSession::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<void>(
        *this, *Subsystem.GetClient(),
        [Id = GameyeConvert::ToUtf8(SessionId)](const gameye::Client& Client, auto Done) { return Client.stop_session_async(Id, std::move(Done)); },
        GameyeCompletion::FNoResult());
}

void UGameyeJoinSession::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<gameye::Roster>(
        *this, *Subsystem.GetClient(),
        [Id = GameyeConvert::ToUtf8(SessionId), Ids = GameyeConvert::ToUtf8(Players)](const gameye::Client& Client, auto Done) {
            return Client.join_session_async(Id, Ids, std::move(Done));
        },
        [](const gameye::Roster& Roster) { return GameyeConvert::ToRoster(Roster); });
}

void UGameyeLeaveSession::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<gameye::Roster>(
        *this, *Subsystem.GetClient(),
        [Ids = GameyeConvert::ToUtf8(Players)](const gameye::Client& Client, auto Done) { return Client.leave_session_async(Ids, std::move(Done)); },
        [](const gameye::Roster& Roster) { return GameyeConvert::ToRoster(Roster); });
}

void UGameyeGetAvailableLocations::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<gameye::LocationList>(
        *this, *Subsystem.GetClient(),
        [Name = GameyeConvert::ToUtf8(Image)](const gameye::Client& Client, auto Done) { return Client.available_locations_async(Name, std::move(Done)); },
        [](const gameye::LocationList& Locations) { return GameyeConvert::ToLocations(Locations); });
}

void UGameyeTagExists::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<bool>(
        *this, *Subsystem.GetClient(),
        [In = GameyeConvert::ToUtf8(Region), Name = GameyeConvert::ToUtf8(Image), Tag = GameyeConvert::ToUtf8(Version)](const gameye::Client& Client, auto Done) {
            return Client.tag_exists_async(In, Name, Tag, std::move(Done));
        },
        [](bool bExists) { return bExists; });
}

void UGameyeGetLogs::Submit(UGameyeSubsystem& Subsystem)
{
    GameyeCompletion::Submit<gameye::Logs>(
        *this, *Subsystem.GetClient(),
        [Id = GameyeConvert::ToUtf8(SessionId)](const gameye::Client& Client, auto Done) { return Client.logs_async(Id, std::move(Done)); },
        [](const gameye::Logs& Logs) { return GameyeConvert::ToFString(Logs.text()); });
}
#else
// Without the library no subsystem resolves, so Activate fails before any of these could run.
void UGameyeStartSession::Submit(UGameyeSubsystem&) {}
void UGameyeStartSessionAndWait::Submit(UGameyeSubsystem&) {}
void UGameyeListSessions::Submit(UGameyeSubsystem&) {}
void UGameyeDescribeSession::Submit(UGameyeSubsystem&) {}
void UGameyeStopSession::Submit(UGameyeSubsystem&) {}
void UGameyeJoinSession::Submit(UGameyeSubsystem&) {}
void UGameyeLeaveSession::Submit(UGameyeSubsystem&) {}
void UGameyeGetAvailableLocations::Submit(UGameyeSubsystem&) {}
void UGameyeTagExists::Submit(UGameyeSubsystem&) {}
void UGameyeGetLogs::Submit(UGameyeSubsystem&) {}
#endif
