// gameye.hpp: a header-only C++17 wrapper over the gameye C API (gameye.h).
//
// - Exception-free: compiles and works with -fno-exceptions (Unreal builds without them). Every
//   fallible call returns a [[nodiscard]] gameye::Result<T>, holding the value or the Error.
// - Move-only RAII handles: results free themselves; views (Session, Port, ...) borrow from the
//   result that owns them and must not outlive it.
// - std::string_view accessors (empty when the C API returns NULL; optional fields have
//   has_*() or std::optional), range-for over sessions, ports, players and string maps.
// - Non-blocking calls take a std::function completion, run where the client's delivery mode
//   says (inside Client::poll on the polling thread by default), exactly once.
// - No macros and no names that collide with Unreal's macros (check, verify, ensure, TEXT, ...).
//
// Threading: a Client may be shared by threads; builders (Config, ListOptions, StartOptions) may
// not. The rules of gameye.h apply.
//
// The wrapper is split by concern under gameye/ (core, views, results, options, client, server); this
// header includes them all and is the one to include.
#ifndef GAMEYE_HPP
#define GAMEYE_HPP

#include "gameye/core.hpp"
#include "gameye/views.hpp"
#include "gameye/results.hpp"
#include "gameye/lifecycle.hpp"
#include "gameye/options.hpp"
#include "gameye/client.hpp"
#include "gameye/server.hpp"

#endif  // GAMEYE_HPP
