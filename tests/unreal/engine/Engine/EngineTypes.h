#pragma once

// Engine/EngineTypes.h: why EndPlay runs.
namespace EEndPlayReason
{
enum Type
{
    Destroyed,
    LevelTransition,
    EndPlayInEditor,
    RemovedFromWorld,
    Quit,
};
}
