#pragma once

#include "UObject/Object.h"

class UDeveloperSettings : public UObject
{
public:
    virtual FName GetContainerName() const;
    virtual FName GetCategoryName() const;
    virtual FName GetSectionName() const;
};
