// Where the API token comes from. Never the command line itself: the engine writes its command
// line to the log at startup, and anyone on the machine can read it (ps, /proc).
#pragma once

#include "CoreMinimal.h"

/** The token and where it came from. Log the source, never the value. */
struct FGameyeToken
{
    FString Value;
    /** e.g. "GAMEYE_API_TOKEN" or "-GameyeTokenFile=/run/secrets/gameye". */
    FString Source;
    /** Why there is no token; empty when Value is set. */
    FString Problem;
};

/**
 * Reads the token; the first source that is set wins: the file named by -GameyeTokenFile= on
 * `CommandLine`, the GAMEYE_API_TOKEN environment variable, then the file named by
 * `ConfiguredFile` (the TokenFile setting). Surrounding whitespace is trimmed (a file's final
 * newline). A relative file path starts at the project directory. -GameyeToken= is refused,
 * with advice: it puts the token on the command line.
 */
FGameyeToken ReadGameyeToken(const TCHAR* CommandLine, const FString& ConfiguredFile);
