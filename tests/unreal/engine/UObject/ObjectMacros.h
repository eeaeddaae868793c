// Stub of UObject/ObjectMacros.h: the reflection macros expand to nothing (UHT reads them, the
// compiler does not), and GENERATED_BODY names the macro that the file's .generated.h defines,
// as in the engine (tests/unreal/drift_guard.py writes those files).
#pragma once

#define UCLASS(...)
#define USTRUCT(...)
#define UENUM(...)
#define UPROPERTY(...)
#define UFUNCTION(...)
#define UMETA(...)

#define BODY_MACRO_COMBINE_INNER(A, B, C, D) A##B##C##D
#define BODY_MACRO_COMBINE(A, B, C, D) BODY_MACRO_COMBINE_INNER(A, B, C, D)
#define GENERATED_BODY(...) BODY_MACRO_COMBINE(CURRENT_FILE_ID, _, __LINE__, _GENERATED_BODY)

#define PURE_VIRTUAL(Function, ...) \
    {                               \
        __VA_ARGS__                 \
    }

class UClass;
class UScriptStruct;
