// Project settings for Gameye (Project Settings > Plugins > Gameye). Only the endpoint lives in
// config; the token is read on the server at run time (see UGameyeSubsystem), never from a file
// that ships with the game.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"
#include "GameyeSettings.generated.h"

UCLASS(Config = Game, DefaultConfig, meta = (DisplayName = "Gameye"))
class GAMEYE_API UGameyeSettings : public UDeveloperSettings
{
    GENERATED_BODY()

public:
    /** The Session API endpoint: the sandbox while developing, production when live. */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye")
    FString BaseUrl = TEXT("https://api.sandbox-gameye.gameye.net");

    /** Timeout of a whole request, in milliseconds. */
    UPROPERTY(Config, EditAnywhere, Category = "Gameye", meta = (ClampMin = "1"))
    int32 TimeoutMs = 30000;
};
