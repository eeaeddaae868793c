#pragma once

// GameFramework/Actor.h: the members the plugin uses.
#include "UObject/Object.h"

class AActor : public UObject
{
};
