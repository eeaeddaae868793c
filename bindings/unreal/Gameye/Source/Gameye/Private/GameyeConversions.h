// Conversions between the C++ wrapper's types (gameye.hpp) and the plugin's Blueprint types.
// Everything is copied: the native results are freed as soon as their completion returns.
#pragma once

#include "CoreMinimal.h"
#include "GameyeTypes.h"

#if WITH_GAMEYE
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gameye.hpp"

namespace GameyeConvert
{
inline FString ToFString(std::string_view Text)
{
    const FUTF8ToTCHAR Converted(Text.data(), static_cast<int32>(Text.size()));
    return FString(Converted.Length(), Converted.Get());
}

inline FString ToFString(std::optional<std::string_view> Text)
{
    return Text ? ToFString(*Text) : FString();
}

inline std::string ToUtf8(const FString& Text)
{
    const FTCHARToUTF8 Converted(*Text);
    return std::string(Converted.Get(), Converted.Length());
}

inline std::vector<std::string> ToUtf8(const TArray<FString>& Texts)
{
    std::vector<std::string> Out;
    Out.reserve(Texts.Num());
    for (const FString& Text : Texts)
    {
        Out.push_back(ToUtf8(Text));
    }
    return Out;
}

/** A switch without a default: a status added to gameye.h fails this build until it is mapped. */
inline EGameyeStatus ToStatus(gameye::Status Status)
{
    switch (Status)
    {
    case gameye::Status::Ok: return EGameyeStatus::Ok;
    case gameye::Status::InvalidArgument: return EGameyeStatus::InvalidArgument;
    case gameye::Status::Transport: return EGameyeStatus::Transport;
    case gameye::Status::Timeout: return EGameyeStatus::Timeout;
    case gameye::Status::Decode: return EGameyeStatus::Decode;
    case gameye::Status::Unauthorized: return EGameyeStatus::Unauthorized;
    case gameye::Status::QuotaExhausted: return EGameyeStatus::QuotaExhausted;
    case gameye::Status::Forbidden: return EGameyeStatus::Forbidden;
    case gameye::Status::NotFound: return EGameyeStatus::NotFound;
    case gameye::Status::Conflict: return EGameyeStatus::Conflict;
    case gameye::Status::RateLimited: return EGameyeStatus::RateLimited;
    case gameye::Status::InvalidRequest: return EGameyeStatus::InvalidRequest;
    case gameye::Status::Server: return EGameyeStatus::Server;
    case gameye::Status::Http: return EGameyeStatus::Http;
    case gameye::Status::Cancelled: return EGameyeStatus::Cancelled;
    case gameye::Status::Internal: return EGameyeStatus::Internal;
    case gameye::Status::SessionEnded: return EGameyeStatus::SessionEnded;
    }
    return EGameyeStatus::Internal;
}

// EGameyeStatus documents itself as gameye.h's values; keep it so.
static_assert(static_cast<int32>(EGameyeStatus::Ok) == GAMEYE_STATUS_OK, "EGameyeStatus drifted");
static_assert(static_cast<int32>(EGameyeStatus::NotFound) == GAMEYE_STATUS_NOT_FOUND, "EGameyeStatus drifted");
static_assert(static_cast<int32>(EGameyeStatus::Internal) == GAMEYE_STATUS_INTERNAL, "EGameyeStatus drifted");
static_assert(static_cast<int32>(EGameyeStatus::SessionEnded) == GAMEYE_STATUS_SESSION_ENDED, "EGameyeStatus drifted");

inline FGameyeError ToError(const gameye::Error& Error)
{
    FGameyeError Out;
    Out.Status = ToStatus(Error.status());
    Out.HttpStatus = Error.http_status();
    Out.Message = ToFString(Error.message());
    Out.Hint = ToFString(Error.hint());
    Out.Code = ToFString(Error.code());
    Out.Identifier = ToFString(Error.identifier());
    Out.SessionId = ToFString(Error.session_id());
    for (std::size_t Index = 0; Index < Error.violation_count(); ++Index)
    {
        FGameyeViolation Violation;
        Violation.Field = ToFString(Error.violation_field(Index));
        Violation.Description = ToFString(Error.violation_description(Index));
        Out.Violations.Add(MoveTemp(Violation));
    }
    return Out;
}

/** Blueprint seconds as the library's milliseconds (saturated); false for a negative or NaN value. */
inline bool ToMillis(float Seconds, uint32& OutMillis)
{
    if (!(Seconds >= 0.f))
    {
        return false;
    }
    const double Millis = static_cast<double>(Seconds) * 1000.0;
    OutMillis = Millis >= 4294967295.0 ? 4294967295u : static_cast<uint32>(Millis);
    return true;
}

/** An error made by the plugin itself, before any request. */
inline FGameyeError MakeError(EGameyeStatus Status, const FString& Message)
{
    FGameyeError Out;
    Out.Status = Status;
    Out.Message = Message;
    return Out;
}

inline TArray<FString> ToStrings(gameye::StringList List)
{
    TArray<FString> Out;
    Out.Reserve(static_cast<int32>(List.size()));
    for (std::string_view Text : List)
    {
        Out.Add(ToFString(Text));
    }
    return Out;
}

inline TMap<FString, FString> ToMap(gameye::StringMap Map)
{
    TMap<FString, FString> Out;
    for (gameye::MapEntry Entry : Map)
    {
        Out.Add(ToFString(Entry.key), ToFString(Entry.value));
    }
    return Out;
}

template <typename TPorts>
TArray<FGameyePort> ToPorts(const TPorts& Ports)
{
    TArray<FGameyePort> Out;
    for (gameye::Port Port : Ports)
    {
        FGameyePort OutPort;
        OutPort.Name = ToFString(Port.name());
        OutPort.Protocol = ToFString(Port.protocol());
        OutPort.ContainerPort = Port.container();
        OutPort.HostPort = Port.host();
        Out.Add(MoveTemp(OutPort));
    }
    return Out;
}

inline FGameyeSession ToSession(gameye::Session Session)
{
    FGameyeSession Out;
    Out.Id = ToFString(Session.id());
    Out.Image = ToFString(Session.image());
    Out.Version = ToFString(Session.tag());
    Out.Location = ToFString(Session.location());
    Out.Host = ToFString(Session.host());
    Out.Status = ToFString(Session.status());
    Out.CreatedUnixMs = Session.created();
    Out.PlayerCount = Session.player_count().value_or(-1);
    Out.Ports = ToPorts(Session.ports());
    Out.Labels = ToMap(Session.tags());
    Out.Players = ToStrings(Session.players());
    return Out;
}

inline FGameyeSession ToSession(const gameye::StartedSession& Started, const FGameyeStartOptions& Options)
{
    FGameyeSession Out;
    Out.Id = ToFString(Started.id());
    Out.Host = ToFString(Started.host());
    Out.Ports = ToPorts(Started.ports());
    Out.Location = Options.Location;
    Out.Image = Options.Image;
    Out.Version = Options.Version;
    Out.Labels = Options.Labels;
    return Out;
}

inline FGameyeRoster ToRoster(const gameye::Roster& Roster)
{
    FGameyeRoster Out;
    Out.PlayerCount = Roster.count().value_or(-1);
    Out.Players = ToStrings(Roster.players());
    return Out;
}

inline TArray<FGameyeLocation> ToLocations(const gameye::LocationList& Locations)
{
    TArray<FGameyeLocation> Out;
    for (gameye::Location Location : Locations)
    {
        FGameyeLocation OutLocation;
        OutLocation.Id = ToFString(Location.id());
        OutLocation.Ips = ToStrings(Location.ips());
        Out.Add(MoveTemp(OutLocation));
    }
    return Out;
}

/**
 * Fills a wrapper builder field by field. The builder keeps only its first failure, so checking
 * after each field names the one the library refused, e.g. "Options.Ttl was refused".
 */
class FBuilderCheck
{
public:
    FBuilderCheck(const gameye::Builder& InBuilder, const TCHAR* InWhat) : Builder(InBuilder), What(InWhat) {}

    /** False (with the problem) once the builder has refused `Field`. */
    bool Accepted(const TCHAR* Field)
    {
        if (Problem.IsEmpty() && Builder.status() != gameye::Status::Ok)
        {
            Problem = FString::Printf(TEXT("%s.%s was refused (empty, not UTF-8, or not in the form the API takes)"), What, Field);
        }
        return Problem.IsEmpty();
    }

    FString Problem;

private:
    const gameye::Builder& Builder;
    const TCHAR* What;
};

/** The wrapper's start options from the node's; OutProblem names a refused field. */
inline bool ToStartOptions(const FGameyeStartOptions& In, gameye::StartOptions& Out, FString& OutProblem)
{
    FBuilderCheck Check(Out, TEXT("Options"));
    Out.location(ToUtf8(In.Location));
    Check.Accepted(TEXT("Location"));
    Out.image(ToUtf8(In.Image));
    Check.Accepted(TEXT("Image"));
    if (!In.Version.IsEmpty())
    {
        Out.version(ToUtf8(In.Version));
        Check.Accepted(TEXT("Version"));
    }
    for (const TPair<FString, FString>& Label : In.Labels)
    {
        Out.label(ToUtf8(Label.Key), ToUtf8(Label.Value));
        Check.Accepted(TEXT("Labels"));
    }
    for (const TPair<FString, FString>& Variable : In.Env)
    {
        Out.env(ToUtf8(Variable.Key), ToUtf8(Variable.Value));
        Check.Accepted(TEXT("Env"));
    }
    for (const FString& Arg : In.Args)
    {
        Out.arg(ToUtf8(Arg));
        Check.Accepted(TEXT("Args"));
    }
    Out.restart(In.bRestart);
    if (!In.Ttl.IsEmpty())
    {
        Out.ttl(ToUtf8(In.Ttl));
        Check.Accepted(TEXT("Ttl"));
    }
    if (!In.SessionId.IsEmpty())
    {
        Out.id(ToUtf8(In.SessionId));
        Check.Accepted(TEXT("SessionId"));
    }
    OutProblem = Check.Problem;
    return OutProblem.IsEmpty();
}

/** The wrapper's list options from the node's filter; OutProblem names a refused field. */
inline bool ToListOptions(const FGameyeListFilter& In, gameye::ListOptions& Out, FString& OutProblem)
{
    FBuilderCheck Check(Out, TEXT("Filter"));
    Out.all(In.bAll);
    const struct
    {
        const FString& Value;
        gameye::ListOptions& (gameye::ListOptions::*Set)(const std::string&);
        const TCHAR* Field;
    } Texts[] = {
        {In.Location, &gameye::ListOptions::location, TEXT("Location")},
        {In.Image, &gameye::ListOptions::image, TEXT("Image")},
        {In.Version, &gameye::ListOptions::tag, TEXT("Version")},
        {In.Host, &gameye::ListOptions::host, TEXT("Host")},
    };
    for (const auto& Text : Texts)
    {
        if (!Text.Value.IsEmpty())
        {
            (Out.*Text.Set)(ToUtf8(Text.Value));
            Check.Accepted(Text.Field);
        }
    }
    if (In.PlayersLessThan >= 0)
    {
        Out.player_count_lt(In.PlayersLessThan);
    }
    if (In.PlayersGreaterThan >= 0)
    {
        Out.player_count_gt(In.PlayersGreaterThan);
    }
    for (const TPair<FString, FString>& Filter : In.Filters)
    {
        Out.filter(ToUtf8(Filter.Key), ToUtf8(Filter.Value));
        Check.Accepted(TEXT("Filters"));
    }
    OutProblem = Check.Problem;
    return OutProblem.IsEmpty();
}
}  // namespace GameyeConvert
#endif  // WITH_GAMEYE
