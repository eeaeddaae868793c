// The Gameye Blueprint nodes, one per operation. Each fires exactly one event, on the game thread:
// OnSuccess (Error empty, Status Ok) or OnFailure (the result empty). Both events of a node share
// one signature, (Result, Error), because the engine makes a node's data pins from its first
// delegate only. A node also exposes itself ("Async Action") so that Blueprint can Cancel it; a
// cancelled node, or one whose world is tearing down, fires nothing.
#pragma once

#include "CoreMinimal.h"
#include "GameyeAsyncAction.h"
#include "GameyeTypes.h"
#include "GameyeAsyncActions.generated.h"

DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeSessionEvent, const FGameyeSession&, Session, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeSessionsEvent, const TArray<FGameyeSession>&, Sessions, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FGameyeStopEvent, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeRosterEvent, const FGameyeRoster&, Roster, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeLocationsEvent, const TArray<FGameyeLocation>&, Locations, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeTagEvent, bool, bExists, const FGameyeError&, Error);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FGameyeLogsEvent, const FString&, Logs, const FGameyeError&, Error);

UCLASS()
class GAMEYE_API UGameyeStartSession : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Starts a session; Session holds its id, host and ports. A failed start's Error.SessionId names the id it sent. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeStartSession* StartGameyeSession(UObject* WorldContext, const FGameyeStartOptions& Options);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionEvent OnFailure;

    virtual bool IsWrite() const override { return true; }
    virtual bool StartsSession() const override { return true; }

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(FGameyeSession(), Error); }

private:
    FGameyeStartOptions Options;
};

UCLASS()
class GAMEYE_API UGameyeStartSessionAndWait : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /**
     * Starts a session, then waits until it is running (within TimeoutSeconds, start included):
     * the matchmaker's node. Session holds its host and ports to hand to the players. On failure
     * Error.Status says why (Timeout: not running in time; SessionEnded: it died while starting
     * or was stopped) and Error.SessionId names the session once the start may have reached the
     * server: stop it if it is not wanted (the library never does).
     */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeStartSessionAndWait* StartGameyeSessionAndWait(UObject* WorldContext, const FGameyeStartOptions& Options, float TimeoutSeconds = 60.f);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionEvent OnFailure;

    virtual bool IsWrite() const override { return true; }
    virtual bool StartsSession() const override { return true; }

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(FGameyeSession(), Error); }

private:
    FGameyeStartOptions Options;
    float TimeoutSeconds = 60.f;
};

UCLASS()
class GAMEYE_API UGameyeListSessions : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Lists sessions (running ones unless Filter.bAll), filtered by every field that is set. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeListSessions* ListGameyeSessions(UObject* WorldContext, const FGameyeListFilter& Filter);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionsEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionsEvent OnFailure;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(TArray<FGameyeSession>(), Error); }

private:
    FGameyeListFilter Filter;
};

UCLASS()
class GAMEYE_API UGameyeDescribeSession : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Describes one session: status, players, ports and labels. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeDescribeSession* DescribeGameyeSession(UObject* WorldContext, const FString& SessionId);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionEvent OnFailure;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(FGameyeSession(), Error); }

private:
    FString SessionId;
};

UCLASS()
class GAMEYE_API UGameyeStopSession : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Stops a session (its container gets SIGTERM). One that had already stopped fails with Conflict. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeStopSession* StopGameyeSession(UObject* WorldContext, const FString& SessionId);

    UPROPERTY(BlueprintAssignable)
    FGameyeStopEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeStopEvent OnFailure;

    virtual bool IsWrite() const override { return true; }

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(Error); }

private:
    FString SessionId;
};

UCLASS()
class GAMEYE_API UGameyeJoinSession : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Records players as joined to a session (the API's player count and roster). */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeJoinSession* JoinGameyeSession(UObject* WorldContext, const FString& SessionId, const TArray<FString>& Players);

    UPROPERTY(BlueprintAssignable)
    FGameyeRosterEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeRosterEvent OnFailure;

    virtual bool IsWrite() const override { return true; }

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(FGameyeRoster(), Error); }

private:
    FString SessionId;
    TArray<FString> Players;
};

UCLASS()
class GAMEYE_API UGameyeLeaveSession : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Records players as gone from whichever session they joined. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeLeaveSession* LeaveGameyeSession(UObject* WorldContext, const TArray<FString>& Players);

    UPROPERTY(BlueprintAssignable)
    FGameyeRosterEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeRosterEvent OnFailure;

    virtual bool IsWrite() const override { return true; }

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(FGameyeRoster(), Error); }

private:
    TArray<FString> Players;
};

UCLASS()
class GAMEYE_API UGameyeGetAvailableLocations : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** The locations that can host `Image` now, with addresses to ping. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeGetAvailableLocations* GetGameyeAvailableLocations(UObject* WorldContext, const FString& Image);

    UPROPERTY(BlueprintAssignable)
    FGameyeLocationsEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeLocationsEvent OnFailure;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(TArray<FGameyeLocation>(), Error); }

private:
    FString Image;
};

UCLASS()
class GAMEYE_API UGameyeTagExists : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** Whether `Image` has the version (tag) `Version` in `Region`. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeTagExists* GameyeTagExists(UObject* WorldContext, const FString& Region, const FString& Image, const FString& Version);

    UPROPERTY(BlueprintAssignable)
    FGameyeTagEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeTagEvent OnFailure;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(false, Error); }

private:
    FString Region;
    FString Image;
    FString Version;
};

UCLASS()
class GAMEYE_API UGameyeGetLogs : public UGameyeAsyncAction
{
    GENERATED_BODY()

public:
    /** A session's output so far, whole (UTF-8 decoded). */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeGetLogs* GetGameyeLogs(UObject* WorldContext, const FString& SessionId);

    UPROPERTY(BlueprintAssignable)
    FGameyeLogsEvent OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeLogsEvent OnFailure;

protected:
    virtual void Submit(UGameyeSubsystem& Subsystem) override;
    virtual void BroadcastFailure(const FGameyeError& Error) override { OnFailure.Broadcast(FString(), Error); }

private:
    FString SessionId;
};
