#include "GameyeAsyncActions.h"

#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "GameyeSubsystem.h"

namespace
{
UGameyeSubsystem* FindSubsystem(UObject* WorldContext)
{
    UWorld* World = WorldContext ? WorldContext->GetWorld() : nullptr;
    UGameInstance* Instance = World ? World->GetGameInstance() : nullptr;
    return Instance ? Instance->GetSubsystem<UGameyeSubsystem>() : nullptr;
}

FGameyeError Unavailable(UGameyeSubsystem* Subsystem)
{
    FGameyeError Error;
    Error.Status = TEXT("GAMEYE_STATUS_INVALID_ARGUMENT");
    Error.Message = Subsystem ? Subsystem->GetUnavailableReason() : TEXT("no game instance");
    return Error;
}
}

UGameyeStartSession* UGameyeStartSession::StartGameyeSession(UObject* WorldContext, const FString& Location, const FString& Image,
                                                             const TMap<FString, FString>& Labels)
{
    UGameyeStartSession* Action = NewObject<UGameyeStartSession>();
    Action->WorldContext = WorldContext;
    Action->Location = Location;
    Action->Image = Image;
    Action->Labels = Labels;
    Action->RegisterWithGameInstance(WorldContext);
    return Action;
}

void UGameyeStartSession::Activate()
{
    UGameyeSubsystem* Subsystem = FindSubsystem(WorldContext.Get());
#if WITH_GAMEYE
    if (Subsystem && Subsystem->GetClient())
    {
        gameye::StartOptions Options(TCHAR_TO_UTF8(*Location), TCHAR_TO_UTF8(*Image));
        for (const TPair<FString, FString>& Label : Labels)
        {
            Options.label(TCHAR_TO_UTF8(*Label.Key), TCHAR_TO_UTF8(*Label.Value));
        }
        TWeakObjectPtr<UGameyeStartSession> Self(this);
        auto Request = Subsystem->GetClient()->start_session_async(Options, [Self](gameye::Result<gameye::StartedSession> Result) {
            if (!Self.IsValid())
            {
                return;
            }
            if (Result)
            {
                FGameyeSession Session;
                Session.Id = UTF8_TO_TCHAR(std::string(Result.value().id()).c_str());
                Session.Host = UTF8_TO_TCHAR(std::string(Result.value().host()).c_str());
                for (gameye::Port Port : Result.value().ports())
                {
                    FGameyePort Out;
                    Out.Name = UTF8_TO_TCHAR(std::string(Port.name()).c_str());
                    Out.ContainerPort = Port.container();
                    Out.HostPort = Port.host();
                    Session.Ports.Add(Out);
                }
                Self->OnSuccess.Broadcast(Session);
            }
            else
            {
                Self->OnFailure.Broadcast(UGameyeSubsystem::ToError(Result.error()));
            }
            Self->SetReadyToDestroy();
        });
        if (!Request)
        {
            OnFailure.Broadcast(UGameyeSubsystem::ToError(Request.error()));
            SetReadyToDestroy();
        }
        return;
    }
#endif
    OnFailure.Broadcast(Unavailable(Subsystem));
    SetReadyToDestroy();
}

UGameyeListSessions* UGameyeListSessions::ListGameyeSessions(UObject* WorldContext, const FString& Location)
{
    UGameyeListSessions* Action = NewObject<UGameyeListSessions>();
    Action->WorldContext = WorldContext;
    Action->Location = Location;
    Action->RegisterWithGameInstance(WorldContext);
    return Action;
}

void UGameyeListSessions::Activate()
{
    UGameyeSubsystem* Subsystem = FindSubsystem(WorldContext.Get());
#if WITH_GAMEYE
    if (Subsystem && Subsystem->GetClient())
    {
        gameye::ListOptions Options;
        if (!Location.IsEmpty())
        {
            Options.location(TCHAR_TO_UTF8(*Location));
        }
        TWeakObjectPtr<UGameyeListSessions> Self(this);
        auto Request = Subsystem->GetClient()->list_sessions_async(&Options, [Self](gameye::Result<gameye::SessionList> Result) {
            if (!Self.IsValid())
            {
                return;
            }
            if (Result)
            {
                TArray<FGameyeSession> Sessions;
                for (gameye::Session Session : Result.value())
                {
                    Sessions.Add(UGameyeSubsystem::ToSession(Session));
                }
                Self->OnSuccess.Broadcast(Sessions);
            }
            else
            {
                Self->OnFailure.Broadcast(UGameyeSubsystem::ToError(Result.error()));
            }
            Self->SetReadyToDestroy();
        });
        if (!Request)
        {
            OnFailure.Broadcast(UGameyeSubsystem::ToError(Request.error()));
            SetReadyToDestroy();
        }
        return;
    }
#endif
    OnFailure.Broadcast(Unavailable(Subsystem));
    SetReadyToDestroy();
}

UGameyeDescribeSession* UGameyeDescribeSession::DescribeGameyeSession(UObject* WorldContext, const FString& SessionId)
{
    UGameyeDescribeSession* Action = NewObject<UGameyeDescribeSession>();
    Action->WorldContext = WorldContext;
    Action->SessionId = SessionId;
    Action->RegisterWithGameInstance(WorldContext);
    return Action;
}

void UGameyeDescribeSession::Activate()
{
    UGameyeSubsystem* Subsystem = FindSubsystem(WorldContext.Get());
#if WITH_GAMEYE
    if (Subsystem && Subsystem->GetClient())
    {
        TWeakObjectPtr<UGameyeDescribeSession> Self(this);
        auto Request = Subsystem->GetClient()->describe_session_async(TCHAR_TO_UTF8(*SessionId), [Self](gameye::Result<gameye::DescribedSession> Result) {
            if (!Self.IsValid())
            {
                return;
            }
            if (Result)
            {
                Self->OnSuccess.Broadcast(UGameyeSubsystem::ToSession(Result.value().view()));
            }
            else
            {
                Self->OnFailure.Broadcast(UGameyeSubsystem::ToError(Result.error()));
            }
            Self->SetReadyToDestroy();
        });
        if (!Request)
        {
            OnFailure.Broadcast(UGameyeSubsystem::ToError(Request.error()));
            SetReadyToDestroy();
        }
        return;
    }
#endif
    OnFailure.Broadcast(Unavailable(Subsystem));
    SetReadyToDestroy();
}

UGameyeStopSession* UGameyeStopSession::StopGameyeSession(UObject* WorldContext, const FString& SessionId)
{
    UGameyeStopSession* Action = NewObject<UGameyeStopSession>();
    Action->WorldContext = WorldContext;
    Action->SessionId = SessionId;
    Action->RegisterWithGameInstance(WorldContext);
    return Action;
}

void UGameyeStopSession::Activate()
{
    UGameyeSubsystem* Subsystem = FindSubsystem(WorldContext.Get());
#if WITH_GAMEYE
    if (Subsystem && Subsystem->GetClient())
    {
        TWeakObjectPtr<UGameyeStopSession> Self(this);
        auto Request = Subsystem->GetClient()->stop_session_async(TCHAR_TO_UTF8(*SessionId), [Self](gameye::Result<void> Result) {
            if (!Self.IsValid())
            {
                return;
            }
            if (Result)
            {
                Self->OnSuccess.Broadcast();
            }
            else
            {
                Self->OnFailure.Broadcast(UGameyeSubsystem::ToError(Result.error()));
            }
            Self->SetReadyToDestroy();
        });
        if (!Request)
        {
            OnFailure.Broadcast(UGameyeSubsystem::ToError(Request.error()));
            SetReadyToDestroy();
        }
        return;
    }
#endif
    OnFailure.Broadcast(Unavailable(Subsystem));
    SetReadyToDestroy();
}
