// Project Settings > Plugins > Gameye, saved in DefaultEngine.ini. The token itself never goes in
// config (config ships with the game): only the path of a file that holds it, on the server.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"
#include "GameyeSettings.generated.h"

UCLASS(Config = Engine, DefaultConfig, meta = (DisplayName = "Gameye"))
class GAMEYE_API UGameyeSettings : public UDeveloperSettings
{
    GENERATED_BODY()

public:
    /** The bounds TimeoutMs is clamped to, in code as in the editor. */
    static constexpr int32 MinTimeoutMs = 1000;
    static constexpr int32 MaxTimeoutMs = 600000;

    /** The Session API endpoint: the sandbox while developing, production when live. */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye")
    FString BaseUrl = TEXT("https://api.sandbox-gameye.gameye.net");

    /** Timeout of a whole request, in milliseconds. */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye", meta = (ClampMin = "1000", ClampMax = "600000"))
    int32 TimeoutMs = 30000;

    /**
     * A file on the server that holds the API token (whitespace around it is ignored). A relative
     * path starts at the project directory. -GameyeTokenFile= and GAMEYE_API_TOKEN come first.
     */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye")
    FString TokenFile;

    /**
     * Linux: link libgameye.so.0 instead of the static library, for a server that already links
     * another Rust static library (both would define rust_eh_personality). Read by Build.cs:
     * rebuild after changing it. Win64 always uses gameye.dll.
     */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye")
    bool bLinkSharedLibrary = false;

    /** TimeoutMs within [MinTimeoutMs, MaxTimeoutMs]: a hand-edited ini is not clamped by the editor. */
    int32 GetClampedTimeoutMs() const { return FMath::Clamp(TimeoutMs, MinTimeoutMs, MaxTimeoutMs); }

    virtual FName GetCategoryName() const override { return FName(TEXT("Plugins")); }
};
