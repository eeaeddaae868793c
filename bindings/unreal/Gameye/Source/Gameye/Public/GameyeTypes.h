// Blueprint-visible copies of gameye results (copied out before the native result is freed).
#pragma once

#include "CoreMinimal.h"
#include "GameyeTypes.generated.h"

USTRUCT(BlueprintType)
struct GAMEYE_API FGameyePort
{
    GENERATED_BODY()

    /** As sent, e.g. "7777/udp". */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Name;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int32 ContainerPort = 0;

    /** The port players connect to. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int32 HostPort = 0;
};

USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeSession
{
    GENERATED_BODY()

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Id;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Image;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Location;

    /** The address players connect to. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Host;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Status;

    /** -1 when unknown. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int64 PlayerCount = -1;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TArray<FGameyePort> Ports;

    /** Your labels. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TMap<FString, FString> Tags;
};

USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeError
{
    GENERATED_BODY()

    /** The GAMEYE_STATUS_* name, e.g. "GAMEYE_STATUS_RATE_LIMITED". */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Status;

    /** 0 when there was no HTTP response. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int32 HttpStatus = 0;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Message;
};
