// The plugin's log category. It never logs the token, only where it came from and its length.
#pragma once

#include "CoreMinimal.h"

DECLARE_LOG_CATEGORY_EXTERN(LogGameye, Log, All);
