// The Gameye nodes that fire more than once: a followed log (one event per line, then its end)
// and an artifact download (progress, then its completion). As with the other nodes, every event
// of a node has one signature (the engine makes the data pins from the first delegate), events
// run on the game thread, and a cancelled node, or one whose world is tearing down, fires nothing
// more. Both are reads: teardown and map changes cancel them (a cancelled download leaves no
// partial file).
#pragma once

#include "CoreMinimal.h"
#include "GameyeAsyncAction.h"
#include "GameyeTypes.h"

#if WITH_GAMEYE
#include "gameye.hpp"
#endif

// UHT: the .generated.h is always the last include.
#include "GameyeStreamingActions.generated.h"

DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeLogLineEvent, const FString&, Line, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(FGameyeDownloadEvent, int64, Received, int64, Total, const FGameyeError&, Error);

UCLASS()
class GAMEYE_API UGameyeFollowLogs : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /**
     * Follows a session's output: OnLine once per line (without its line end, UTF-8 decoded), from
     * the start of the log, then OnEnd once: Error.Status Ok when the session stopped, else why it
     * ended (IdleTimeoutSeconds without a line: Timeout; 0 waits for ever). At most
     * MaxLinesPerFrame lines fire per frame; the rest wait for the next.
     */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeFollowLogs* FollowGameyeLogs(UObject* WorldContext, const FString& SessionId, float IdleTimeoutSeconds = 0.f);

    UPROPERTY(BlueprintAssignable)
    FGameyeLogLineEvent OnLine;

    UPROPERTY(BlueprintAssignable)
    FGameyeLogLineEvent OnEnd;

    /** The most OnLine events one frame fires. */
    static constexpr int32 MaxLinesPerFrame = 1000;

    virtual void Cancel() override;
    virtual void PollFrame() override;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnEnd.Broadcast(FString(), Error); }

private:
    FString SessionId;
    float IdleTimeoutSeconds = 0.f;
#if WITH_GAMEYE
    TOptional<gameye::LogStream> Stream;
#endif
};

UCLASS()
class GAMEYE_API UGameyeDownloadArtifact : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /**
     * Downloads one file of a session's artifacts (a crash dump, a replay) to Destination; a
     * relative Destination is under the project's Saved folder. OnProgress fires in frames where
     * more has arrived (Total 0 while unknown), then OnSuccess (Received: the file's size) or
     * OnFailure. The file appears whole or not at all; past MaxBytes (0: no limit) the download
     * fails. An existing Destination is replaced.
     */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeDownloadArtifact* DownloadGameyeArtifact(UObject* WorldContext, const FString& SessionId, const FString& Path,
                                                           const FString& Destination, int64 MaxBytes = 0);

    UPROPERTY(BlueprintAssignable)
    FGameyeDownloadEvent OnProgress;

    UPROPERTY(BlueprintAssignable)
    FGameyeDownloadEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeDownloadEvent OnFailure;

    virtual void PollFrame() override;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(Received, Total, Error); }

private:
    FString SessionId;
    FString Path;
    FString Destination;
    int64 MaxBytes = 0;
    int64 Received = 0;
    int64 Total = 0;
#if WITH_GAMEYE
    TOptional<gameye::Request> Request;
#endif
};
