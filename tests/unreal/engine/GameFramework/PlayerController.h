#pragma once

// GameFramework/PlayerController.h.
#include "GameFramework/Controller.h"

class APlayerController : public AController
{
};
