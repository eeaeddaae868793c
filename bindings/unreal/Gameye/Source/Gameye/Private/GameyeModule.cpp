#include "GameyeLog.h"
#include "Modules/ModuleManager.h"

DEFINE_LOG_CATEGORY(LogGameye);

IMPLEMENT_MODULE(FDefaultModuleImpl, Gameye)
