// Stub of the engine's CoreMinimal.h for the drift guard (see tests/unreal/README.md): only the
// core types the Gameye plugin uses, with the engine's names and signatures (UE 5.3), so that a
// call the real engine would reject fails here too. There is no behaviour: nothing here runs.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

using int32 = std::int32_t;
using int64 = std::int64_t;
using uint8 = std::uint8_t;
using uint16 = std::uint16_t;
using uint32 = std::uint32_t;
using uint64 = std::uint64_t;
using ANSICHAR = char;
// TCHAR is char16_t on Linux: passing a narrow string where the engine wants TCHAR fails, as there.
using TCHAR = char16_t;

#define TEXT(x) u##x

template <typename T>
std::remove_reference_t<T>&& MoveTemp(T&& Value)
{
    static_assert(!std::is_const_v<std::remove_reference_t<T>>, "MoveTemp of a const object");
    return static_cast<std::remove_reference_t<T>&&>(Value);
}

class FString
{
public:
    FString() = default;
    FString(const TCHAR* Text);
    FString(const ANSICHAR* Text);
    FString(int32 Count, const TCHAR* Text);
    const TCHAR* operator*() const;
    bool IsEmpty() const;
    int32 Len() const;
    FString TrimStartAndEnd() const&;
    FString TrimStartAndEnd() &&;
    bool operator==(const FString& Other) const;
    FString& operator+=(const FString& Other);
    template <typename... Types>
    static FString Printf(const TCHAR* Format, Types... Args);
};
FString operator+(const TCHAR* Left, const FString& Right);
FString operator+(const FString& Left, const FString& Right);
FString operator+(const FString& Left, const TCHAR* Right);

// Containers/StringView.h: FStringView is TStringView<TCHAR>, made from a TCHAR string or FString.
class FStringView
{
public:
    FStringView(const TCHAR* Text);
    FStringView(const FString& Text);
};

// Templates/SharedPointer.h, the members the plugin uses.
template <typename T>
class TSharedPtr
{
public:
    bool IsValid() const;
    explicit operator bool() const;
    T* operator->() const;
    T& operator*() const;
};

// Math/Color.h: an 8-bit sRGB color.
struct FColor
{
    static const FColor Yellow;
};

class FName
{
public:
    FName() = default;
    FName(const TCHAR* Name);
};

template <typename T>
class TArray
{
public:
    int32 Num() const;
    bool IsEmpty() const;
    void Reserve(int32 Number);
    int32 Add(const T& Item);
    int32 Add(T&& Item);
    int32 AddUnique(const T& Item);
    int32 RemoveSingleSwap(const T& Item);
    void Empty();
    T& operator[](int32 Index);
    const T& operator[](int32 Index) const;
    T* begin();
    T* end();
    const T* begin() const;
    const T* end() const;
};

template <typename K, typename V>
struct TPair
{
    K Key;
    V Value;
};

template <typename K, typename V>
class TMap
{
public:
    V& Add(const K& Key, const V& Value);
    V& Add(K&& Key, V&& Value);
    const V* Find(const K& Key) const;
    int32 Num() const;
    TPair<K, V>* begin();
    TPair<K, V>* end();
    const TPair<K, V>* begin() const;
    const TPair<K, V>* end() const;
};

template <typename T>
class TOptional
{
public:
    bool IsSet() const;
    T& GetValue();
    const T& GetValue() const;
    T* operator->();
    const T* operator->() const;
    template <typename... Types>
    T& Emplace(Types&&... Args);
    void Reset();
};

template <typename T>
class TFunction;

template <typename R, typename... Params>
class TFunction<R(Params...)>
{
public:
    R operator()(Params... Args) const;
};

// UTF-8 <-> TCHAR conversions (Containers/StringConv.h in the engine, included by CoreMinimal.h).
class FUTF8ToTCHAR
{
public:
    explicit FUTF8ToTCHAR(const ANSICHAR* Source);
    FUTF8ToTCHAR(const ANSICHAR* Source, int32 Length);
    const TCHAR* Get() const;
    int32 Length() const;
};

class FTCHARToUTF8
{
public:
    explicit FTCHARToUTF8(const TCHAR* Source);
    const ANSICHAR* Get() const;
    int32 Length() const;
};

struct FMath
{
    template <typename T>
    static T Clamp(T Value, T Min, T Max);
};

// Delegates (Delegates/Delegate.h).
class FDelegateHandle
{
public:
    bool IsValid() const;
    void Reset();
};

template <typename Signature>
class TDelegate;

template <typename R, typename... Params>
class TDelegate<R(Params...)>
{
public:
    template <typename UserClass>
    static TDelegate CreateUObject(UserClass* Object, R (UserClass::*Method)(Params...));
};

template <typename Signature>
class TMulticastDelegate;

template <typename... Params>
class TMulticastDelegate<void(Params...)>
{
public:
    template <typename UserClass>
    FDelegateHandle AddUObject(UserClass* Object, void (UserClass::*Method)(Params...));
    bool Remove(FDelegateHandle Handle);
};

// A dynamic multicast delegate: Broadcast takes exactly the declared parameter types.
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE(Name) \
    struct Name                                  \
    {                                            \
        void Broadcast() const;                  \
    };
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(Name, T1, P1) \
    struct Name                                                   \
    {                                                             \
        void Broadcast(T1 P1) const;                              \
    };
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(Name, T1, P1, T2, P2) \
    struct Name                                                            \
    {                                                                      \
        void Broadcast(T1 P1, T2 P2) const;                                \
    };
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(Name, T1, P1, T2, P2, T3, P3) \
    struct Name                                                                      \
    {                                                                                \
        void Broadcast(T1 P1, T2 P2, T3 P3) const;                                   \
    };

// Logging (Logging/LogMacros.h).
enum class ELogVerbosityStub
{
    Log,
    Warning,
    Error
};
struct FLogCategoryBase
{
};
#define DECLARE_LOG_CATEGORY_EXTERN(Name, Default, Compile) extern struct FLogCategory##Name : FLogCategoryBase {} Name;
#define DEFINE_LOG_CATEGORY(Name) FLogCategory##Name Name;
template <typename... Types>
void UELogStub(const FLogCategoryBase& Category, ELogVerbosityStub Verbosity, const TCHAR* Format, Types... Args);
#define UE_LOG(Category, Verbosity, Format, ...) UELogStub(Category, ELogVerbosityStub::Verbosity, Format, ##__VA_ARGS__)

// Core globals (CoreGlobals.h).
extern bool GIsEditor;
bool IsRunningDedicatedServer();
bool IsRunningCommandlet();
bool IsRunningGame();
bool IsEngineExitRequested();
