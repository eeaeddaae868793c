#include "GameyeToken.h"

#include "HAL/PlatformMisc.h"
#include "Misc/FileHelper.h"
#include "Misc/Parse.h"
#include "Misc/Paths.h"

namespace
{
FGameyeToken ReadTokenFile(const FString& Path, const FString& Source)
{
    FGameyeToken Token;
    Token.Source = Source;
    const FString FullPath = FPaths::IsRelative(Path) ? FPaths::Combine(FPaths::ProjectDir(), Path) : Path;
    FString Contents;
    if (!FFileHelper::LoadFileToString(Contents, *FullPath))
    {
        Token.Problem = FString::Printf(TEXT("%s: cannot read %s"), *Source, *FullPath);
        return Token;
    }
    Token.Value = Contents.TrimStartAndEnd();
    if (Token.Value.IsEmpty())
    {
        Token.Problem = FString::Printf(TEXT("%s: %s holds no token"), *Source, *FullPath);
    }
    return Token;
}
}  // namespace

FGameyeToken ReadGameyeToken(const TCHAR* CommandLine, const FString& ConfiguredFile)
{
    FString Path;
    if (FParse::Value(CommandLine, TEXT("GameyeToken="), Path))
    {
        FGameyeToken Refused;
        Refused.Problem = TEXT("-GameyeToken= is not read: the engine logs its command line, so that token is in this "
                               "process's log now (rotate it). Set GAMEYE_API_TOKEN, or pass -GameyeTokenFile=PATH.");
        return Refused;
    }
    if (FParse::Value(CommandLine, TEXT("GameyeTokenFile="), Path))
    {
        return ReadTokenFile(Path, TEXT("-GameyeTokenFile=") + Path);
    }
    FGameyeToken Token;
    Token.Value = FPlatformMisc::GetEnvironmentVariable(TEXT("GAMEYE_API_TOKEN")).TrimStartAndEnd();
    if (!Token.Value.IsEmpty())
    {
        Token.Source = TEXT("GAMEYE_API_TOKEN");
        return Token;
    }
    if (!ConfiguredFile.IsEmpty())
    {
        return ReadTokenFile(ConfiguredFile, TEXT("the TokenFile setting"));
    }
    Token.Problem = TEXT("no token: set GAMEYE_API_TOKEN, pass -GameyeTokenFile=PATH, or set Project Settings > "
                         "Plugins > Gameye > Token File");
    return Token;
}
