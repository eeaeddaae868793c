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
     * Linux: link libgameye.so.0 instead of the static library, for a server that wants the
     * library in a file of its own (the static library exports only gameye_*, so it links beside
     * other Rust static libraries too). Read by Build.cs: rebuild after changing it. Win64 always
     * uses gameye.dll.
     */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye")
    bool bLinkSharedLibrary = false;

    /**
     * Dedicated servers inside a session: a Gameye Server Component on the GameMode reports the
     * players it lets in and out. Turn it off to leave joins and leaves to your matchmaker.
     */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye")
    bool bReportPlayers = true;

    /** The bound TeardownFlushSeconds is clamped to. */
    static constexpr float MaxTeardownFlushSeconds = 60.f;

    /**
     * At shutdown (engine exit, editor close), how long the writes in flight (start, stop, join,
     * leave) may take to finish before they are cancelled; reads are cancelled at once. A start
     * cancelled after it was sent, or one that finishes with nobody left to receive it, is logged
     * with its session id, and that session is stopped (within two more seconds). The Server
     * Component flushes its player reports within it too, at the end of play and at exit.
     */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye", meta = (ClampMin = "0", ClampMax = "60"))
    float TeardownFlushSeconds = 5.f;

    /** TeardownFlushSeconds within [0, MaxTeardownFlushSeconds] (0 for NaN). */
    float GetClampedTeardownFlushSeconds() const
    {
        return TeardownFlushSeconds >= 0.f ? FMath::Clamp(TeardownFlushSeconds, 0.f, MaxTeardownFlushSeconds) : 0.f;
    }

    /** TimeoutMs within [MinTimeoutMs, MaxTimeoutMs]: a hand-edited ini is not clamped by the editor. */
    int32 GetClampedTimeoutMs() const { return FMath::Clamp(TimeoutMs, MinTimeoutMs, MaxTimeoutMs); }

    virtual FName GetCategoryName() const override { return FName(TEXT("Plugins")); }
};
