// Blueprint async nodes for start, list, describe and stop. Each delivers OnSuccess or OnFailure
// once, on the game thread (the subsystem polls the client each frame).
#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintAsyncActionBase.h"
#include "GameyeTypes.h"
#include "GameyeAsyncActions.generated.h"

DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FGameyeSessionDone, const FGameyeSession&, Session);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FGameyeSessionsDone, const TArray<FGameyeSession>&, Sessions);
DECLARE_DYNAMIC_MULTICAST_DELEGATE(FGameyeStopped);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FGameyeFailed, const FGameyeError&, Error);

UCLASS()
class GAMEYE_API UGameyeStartSession : public UBlueprintAsyncActionBase
{
    GENERATED_BODY()

public:
    /** Starts `Image` in `Location`, with your labels; OnSuccess gives its id, host and ports. */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeStartSession* StartGameyeSession(UObject* WorldContext, const FString& Location, const FString& Image,
                                                   const TMap<FString, FString>& Labels);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionDone OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeFailed OnFailure;

    virtual void Activate() override;

private:
    TWeakObjectPtr<UObject> WorldContext;
    FString Location;
    FString Image;
    TMap<FString, FString> Labels;
};

UCLASS()
class GAMEYE_API UGameyeListSessions : public UBlueprintAsyncActionBase
{
    GENERATED_BODY()

public:
    /** Lists running sessions, optionally in one location (empty: all). */
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeListSessions* ListGameyeSessions(UObject* WorldContext, const FString& Location);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionsDone OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeFailed OnFailure;

    virtual void Activate() override;

private:
    TWeakObjectPtr<UObject> WorldContext;
    FString Location;
};

UCLASS()
class GAMEYE_API UGameyeDescribeSession : public UBlueprintAsyncActionBase
{
    GENERATED_BODY()

public:
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeDescribeSession* DescribeGameyeSession(UObject* WorldContext, const FString& SessionId);

    UPROPERTY(BlueprintAssignable)
    FGameyeSessionDone OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeFailed OnFailure;

    virtual void Activate() override;

private:
    TWeakObjectPtr<UObject> WorldContext;
    FString SessionId;
};

UCLASS()
class GAMEYE_API UGameyeStopSession : public UBlueprintAsyncActionBase
{
    GENERATED_BODY()

public:
    UFUNCTION(BlueprintCallable, Category = "Gameye", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContext"))
    static UGameyeStopSession* StopGameyeSession(UObject* WorldContext, const FString& SessionId);

    UPROPERTY(BlueprintAssignable)
    FGameyeStopped OnSuccess;

    UPROPERTY(BlueprintAssignable)
    FGameyeFailed OnFailure;

    virtual void Activate() override;

private:
    TWeakObjectPtr<UObject> WorldContext;
    FString SessionId;
};
