#include "GameyeStreamingActions.h"

#include "GameyeConversions.h"
#include "GameyeSubsystem.h"
#include "Misc/Paths.h"

UGameyeFollowLogs* UGameyeFollowLogs::FollowGameyeLogs(UObject* WorldContext, const FString& SessionId, float IdleTimeoutSeconds)
{
    UGameyeFollowLogs* Node = NewObject<UGameyeFollowLogs>();
    Node->SetWorldContext(WorldContext);
    Node->SessionId = SessionId;
    Node->IdleTimeoutSeconds = IdleTimeoutSeconds;
    return Node;
}

UGameyeDownloadArtifact* UGameyeDownloadArtifact::DownloadGameyeArtifact(UObject* WorldContext, const FString& SessionId,
                                                                         const FString& Path, const FString& Destination,
                                                                         int64 MaxBytes)
{
    UGameyeDownloadArtifact* Node = NewObject<UGameyeDownloadArtifact>();
    Node->SetWorldContext(WorldContext);
    Node->SessionId = SessionId;
    Node->Path = Path;
    Node->Destination = Destination;
    Node->MaxBytes = MaxBytes;
    return Node;
}

#if WITH_GAMEYE
void UGameyeFollowLogs::Submit(UGameyeSubsystem& Subsystem)
{
    uint32 IdleMs = 0;
    if (!GameyeConvert::ToMillis(IdleTimeoutSeconds, IdleMs))
    {
        Fail(GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, TEXT("IdleTimeoutSeconds must be 0 or more")));
        return;
    }
    TWeakObjectPtr<UGameyeFollowLogs> Weak(this);
    gameye::Result<gameye::Request> Made = Subsystem.GetClient()->follow_logs_async(
        GameyeConvert::ToUtf8(SessionId), IdleMs, [Weak](gameye::Result<gameye::LogStream> Opened) {
            UGameyeFollowLogs* Self = Weak.Get();
            if (Self == nullptr || !Self->TakeCompletion())
            {
                return;  // the stream, if any, is freed here: that cancels it
            }
            if (!Opened)
            {
                Self->Fail(GameyeConvert::ToError(Opened.error()));
                return;
            }
            // Lines are read from the next frame on (PollFrame).
            Self->Stream.Emplace(std::move(Opened).value());
        });
    if (!Made)
    {
        Fail(GameyeConvert::ToError(Made.error()));
        return;
    }
    Submitted(Made.value().id());
}

void UGameyeFollowLogs::PollFrame()
{
    if (!Stream.IsSet())
    {
        return;
    }
    for (int32 Fired = 0; Fired < MaxLinesPerFrame && Stream.IsSet(); ++Fired)
    {
        gameye::Result<gameye::LogLine> Next = Stream->next(0);
        if (!ShouldBroadcastDelegates())
        {
            Cancel();
            return;
        }
        if (!Next)
        {
            OnEnd.Broadcast(FString(), GameyeConvert::ToError(Next.error()));
            Stream.Reset();
            Finish();
            return;
        }
        if (Next.value().has_line)
        {
            OnLine.Broadcast(GameyeConvert::ToFString(Next.value().line), FGameyeError());
            continue;
        }
        if (Next.value().ended)
        {
            OnEnd.Broadcast(FString(), FGameyeError());
            Stream.Reset();
            Finish();
        }
        return;  // no line yet
    }
}

void UGameyeFollowLogs::Cancel()
{
    if (Stream.IsSet())
    {
        // Ends the reader at once; freeing joins it.
        Stream->cancel();
        Stream.Reset();
    }
    Super::Cancel();
}

void UGameyeDownloadArtifact::Submit(UGameyeSubsystem& Subsystem)
{
    if (MaxBytes < 0)
    {
        Fail(GameyeConvert::MakeError(EGameyeStatus::InvalidArgument, TEXT("MaxBytes must be 0 or more")));
        return;
    }
    const FString Target = FPaths::IsRelative(Destination) ? FPaths::Combine(FPaths::ProjectSavedDir(), Destination) : Destination;
    TWeakObjectPtr<UGameyeDownloadArtifact> Weak(this);
    gameye::Result<gameye::Request> Made = Subsystem.GetClient()->download_artifact_async(
        GameyeConvert::ToUtf8(SessionId), GameyeConvert::ToUtf8(Path), GameyeConvert::ToUtf8(Target),
        static_cast<uint64_t>(MaxBytes), [Weak](gameye::Result<uint64_t> Downloaded) {
            UGameyeDownloadArtifact* Self = Weak.Get();
            if (Self == nullptr || !Self->TakeCompletion())
            {
                return;
            }
            if (!Downloaded)
            {
                Self->Fail(GameyeConvert::ToError(Downloaded.error()));
                return;
            }
            Self->Received = static_cast<int64>(Downloaded.value());
            Self->Total = Self->Received;
            Self->OnSuccess.Broadcast(Self->Received, Self->Total, FGameyeError());
            Self->Finish();
        });
    if (!Made)
    {
        Fail(GameyeConvert::ToError(Made.error()));
        return;
    }
    Submitted(Made.value().id());
    Request.Emplace(std::move(Made).value());
}

void UGameyeDownloadArtifact::PollFrame()
{
    if (!Request.IsSet() || !ShouldBroadcastDelegates())
    {
        return;
    }
    const std::pair<uint64_t, uint64_t> Progress = Request->progress();
    const int64 Now = static_cast<int64>(Progress.first);
    if (Now != Received)
    {
        Received = Now;
        Total = static_cast<int64>(Progress.second);
        OnProgress.Broadcast(Received, Total, FGameyeError());
    }
}
#else
void UGameyeFollowLogs::Submit(UGameyeSubsystem&) {}
void UGameyeFollowLogs::PollFrame() {}
void UGameyeFollowLogs::Cancel()
{
    Super::Cancel();
}
void UGameyeDownloadArtifact::Submit(UGameyeSubsystem&) {}
void UGameyeDownloadArtifact::PollFrame() {}
#endif
