// Blueprint-visible inputs and results of the Gameye nodes. Results are copies: every field is
// copied out of the native result before it is freed, so they may be kept as long as needed.
#pragma once

#include "CoreMinimal.h"
#include "GameyeTypes.generated.h"

/** The outcome of a call: gameye.h's GAMEYE_STATUS_*, with the same values (checked at compile time). */
UENUM(BlueprintType)
enum class EGameyeStatus : uint8
{
    Ok = 0,
    /** A bad argument, or Gameye is not available here (see the error's message). */
    InvalidArgument = 1,
    /** No connection, DNS, TLS or a reset. */
    Transport = 2,
    Timeout = 3,
    /** An answer the library could not read. */
    Decode = 4,
    /** The token was refused (a sandbox token on production, or the reverse). */
    Unauthorized = 5,
    QuotaExhausted = 6,
    Forbidden = 7,
    NotFound = 8,
    Conflict = 9,
    RateLimited = 10,
    /** The server refused the request's content; see the violations. */
    InvalidRequest = 11,
    Server = 12,
    Http = 13,
    /** The node or the request was cancelled. */
    Cancelled = 14,
    Internal = 15,
    /** A waited-for session ended (died while starting, stopped, exited) before it ran. */
    SessionEnded = 16,
};

/** One field the server refused, with why. */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeViolation
{
    GENERATED_BODY()

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Field;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Description;
};

/** Why a node failed. On OnSuccess it is empty, with Status Ok. */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeError
{
    GENERATED_BODY()

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    EGameyeStatus Status = EGameyeStatus::Ok;

    /** 0 when there was no HTTP response. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int32 HttpStatus = 0;

    /** A readable sentence: the server's message unchanged, or the library's. Never holds the token. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Message;

    /** The library's advice (a 401's sandbox/production note, a Retry-After wait, attempts made). */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Hint;

    /** The server's error code, when it sent one. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Code;

    /** Quote it to Gameye support. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Identifier;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TArray<FGameyeViolation> Violations;

    /** A failed start: the session id it sent. A server may exist under it: describe or stop it. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString SessionId;
};

USTRUCT(BlueprintType)
struct GAMEYE_API FGameyePort
{
    GENERATED_BODY()

    /** As sent, e.g. "7777/udp". */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Name;

    /** "tcp" or "udp"; empty when the server did not say. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Protocol;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int32 ContainerPort = 0;

    /** The port players connect to. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int32 HostPort = 0;
};

/**
 * A session. A started session fills Id, Host, Ports, and Location and Image as requested; a
 * listed or described one fills the rest. The container's env is left out on purpose: it often
 * holds secrets, and Blueprint values end up in logs and save files.
 */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeSession
{
    GENERATED_BODY()

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Id;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Image;

    /** The image version; empty when not sent. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Version;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Location;

    /** The address players connect to. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Host;

    /** "running", ... (an open set); empty when not sent. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Status;

    /** When it was created, in Unix milliseconds (0 for a started session). */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int64 CreatedUnixMs = 0;

    /** -1 when unknown. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int64 PlayerCount = -1;

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TArray<FGameyePort> Ports;

    /** Your labels. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TMap<FString, FString> Labels;

    /** The joined players (described sessions only). */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TArray<FString> Players;
};

/** What to start. Location and Image are required; the rest is optional. */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeStartOptions
{
    GENERATED_BODY()

    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Location;

    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Image;

    /** The image version (tag); empty: the default. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Version;

    /** Your labels, returned when listing (filter on them). */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    TMap<FString, FString> Labels;

    /** The container's environment. Anyone with the token can read it back: no secrets. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    TMap<FString, FString> Env;

    /** The container's arguments. Readable through the API like Env. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    TArray<FString> Args;

    /** Restart the container when it fails (not after a stop). */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    bool bRestart = false;

    /** A time to live, "<N>h<M>m" ("1h", "30m", "2h30m"), then it is stopped by force; empty: none. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Ttl;

    /** The session id (a UUID); empty: the library makes one, so a retried start is safe. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString SessionId;
};

/** Which sessions to list. Empty fields do not filter; by default only running sessions. */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeListFilter
{
    GENERATED_BODY()

    /** Also sessions that are not running. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    bool bAll = false;

    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Location;

    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Image;

    /** The image version (tag). */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Version;

    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    FString Host;

    /** Fewer players than this; -1: no filter. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    int64 PlayersLessThan = -1;

    /** More players than this; -1: no filter. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    int64 PlayersGreaterThan = -1;

    /** Only sessions whose label Key equals Value (exact); all must match. */
    UPROPERTY(BlueprintReadWrite, EditAnywhere, Category = "Gameye")
    TMap<FString, FString> Filters;
};

/** The answer to a join or leave. */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeRoster
{
    GENERATED_BODY()

    /** Players in the session after the call; -1 when not sent. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    int64 PlayerCount = -1;

    /** The ids the call joined or removed. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TArray<FString> Players;
};

/** A location that can host an image now. */
USTRUCT(BlueprintType)
struct GAMEYE_API FGameyeLocation
{
    GENERATED_BODY()

    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    FString Id;

    /** Addresses to ping for latency. */
    UPROPERTY(BlueprintReadOnly, Category = "Gameye")
    TArray<FString> Ips;
};
