// Stub of UObject/Object.h and the object handles the plugin uses.
#pragma once

#include "CoreMinimal.h"
#include "UObject/ObjectMacros.h"

class UWorld;

class UObject
{
public:
    virtual ~UObject();
    virtual UWorld* GetWorld() const;
    virtual void BeginDestroy();
};

template <typename T>
class TWeakObjectPtr
{
public:
    TWeakObjectPtr() = default;
    TWeakObjectPtr(const T* Object);
    template <typename U, typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
    TWeakObjectPtr(const TWeakObjectPtr<U>& Other);
    TWeakObjectPtr& operator=(const T* Object);
    T* Get() const;
    bool IsValid() const;
};

template <typename T>
class TObjectPtr
{
public:
    TObjectPtr() = default;
    TObjectPtr(T* Object);
    operator T*() const;
    T* operator->() const;
    bool operator==(const TObjectPtr& Other) const;
};

template <typename T>
T* NewObject(UObject* Outer = nullptr);

template <typename T>
const T* GetDefault();

// UObject/UObjectBaseUtility.h: not null and not marked as garbage.
bool IsValid(const UObject* Test);

// Templates/Casts.h: the object as To, or nullptr; keeps const.
template <typename To, typename From>
To* Cast(From* Src);
