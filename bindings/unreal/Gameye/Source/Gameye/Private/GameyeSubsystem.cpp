#include "GameyeSubsystem.h"

#include "GameyeSettings.h"
#include "Misc/CommandLine.h"
#include "Misc/Parse.h"
#include "HAL/PlatformMisc.h"

namespace
{
#if WITH_GAMEYE
FString ToFString(std::string_view Text)
{
    return FString(UTF8_TO_TCHAR(std::string(Text).c_str()));
}
#endif
}

void UGameyeSubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
    Super::Initialize(Collection);
#if WITH_GAMEYE
    // The token comes from the server's environment or command line, never from packaged config.
    FString Token = FPlatformMisc::GetEnvironmentVariable(TEXT("GAMEYE_API_TOKEN"));
    FParse::Value(FCommandLine::Get(), TEXT("GameyeToken="), Token);
    if (Token.IsEmpty())
    {
        UnavailableReason = TEXT("no token: set GAMEYE_API_TOKEN or pass -GameyeToken= on the server");
        return;
    }
    const UGameyeSettings* Settings = GetDefault<UGameyeSettings>();
    gameye::Config Config;
    Config.base_url(TCHAR_TO_UTF8(*Settings->BaseUrl)).token(TCHAR_TO_UTF8(*Token)).timeout_ms(static_cast<uint32_t>(Settings->TimeoutMs));
    auto Created = gameye::Client::create(Config);
    if (!Created)
    {
        UnavailableReason = ToFString(Created.error().message());
        return;
    }
    Client.Emplace(std::move(Created).value());
    // Completions run inside poll(), here on the game thread, once per frame.
    TickHandle = FTSTicker::GetCoreTicker().AddTicker(FTickerDelegate::CreateUObject(this, &UGameyeSubsystem::Tick));
#else
    UnavailableReason = TEXT("Gameye is only available in dedicated server and editor builds");
#endif
}

void UGameyeSubsystem::Deinitialize()
{
    FTSTicker::GetCoreTicker().RemoveTicker(TickHandle);
#if WITH_GAMEYE
    // Cancels what is in flight and runs the remaining completions before returning.
    Client.Reset();
#endif
    Super::Deinitialize();
}

bool UGameyeSubsystem::IsAvailable() const
{
#if WITH_GAMEYE
    return Client.IsSet();
#else
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
    return true;
}

#if WITH_GAMEYE
FGameyeSession UGameyeSubsystem::ToSession(gameye::Session Session)
{
    FGameyeSession Out;
    Out.Id = ToFString(Session.id());
    Out.Image = ToFString(Session.image());
    Out.Location = ToFString(Session.location());
    Out.Host = ToFString(Session.host());
    Out.Status = ToFString(Session.status().value_or(std::string_view()));
    Out.PlayerCount = Session.player_count().value_or(-1);
    for (gameye::Port Port : Session.ports())
    {
        FGameyePort OutPort;
        OutPort.Name = ToFString(Port.name());
        OutPort.ContainerPort = Port.container();
        OutPort.HostPort = Port.host();
        Out.Ports.Add(OutPort);
    }
    for (gameye::MapEntry Entry : Session.tags())
    {
        Out.Tags.Add(ToFString(Entry.key), ToFString(Entry.value));
    }
    return Out;
}

FGameyeError UGameyeSubsystem::ToError(const gameye::Error& Error)
{
    FGameyeError Out;
    Out.Status = ToFString(gameye::status_name(Error.status()));
    Out.HttpStatus = Error.http_status();
    Out.Message = ToFString(Error.message());
    return Out;
}
#endif
