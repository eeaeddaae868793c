// gameye/views.hpp: borrowed views of decoded data: sessions, ports, string maps and lists.
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_VIEWS_HPP
#define GAMEYE_VIEWS_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core.hpp"

namespace gameye {

/// A read-only view of a string list (players, addresses). Borrowed.
class StringList {
public:
    /// Wraps a borrowed C handle (not freed by this view).
    explicit StringList(const gameye_string_list *list) noexcept : list_(list) {}
    /// The number of entries.
    std::size_t size() const noexcept { return gameye_string_list_len(list_); }
    /// Whether there are no entries.
    bool empty() const noexcept { return size() == 0; }
    /// The entry at `index` (out of range: an entry that reads as empty).
    std::string_view operator[](std::size_t index) const noexcept {
        return detail::view(gameye_string_list_get(list_, index));
    }
    /// The first entry, for range-for.
    detail::IndexIterator<StringList, std::string_view> begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    detail::IndexIterator<StringList, std::string_view> end() const noexcept { return {this, size()}; }

private:
    const gameye_string_list *list_;
};

/// One entry of a string map.
struct MapEntry {
    /// The key.
    std::string_view key;
    /// The value.
    std::string_view value;
};

/// A read-only view of a string map (labels, tags, env), in the order sent. Borrowed.
class StringMap {
public:
    /// Wraps a borrowed C handle (not freed by this view).
    explicit StringMap(const gameye_string_map *map) noexcept : map_(map) {}
    /// The number of entries.
    std::size_t size() const noexcept { return gameye_string_map_len(map_); }
    /// Whether there are no entries.
    bool empty() const noexcept { return size() == 0; }
    /// The entry at `index` (out of range: an entry that reads as empty).
    MapEntry operator[](std::size_t index) const noexcept {
        return {detail::view(gameye_string_map_key(map_, index)), detail::view(gameye_string_map_value(map_, index))};
    }
    /// The value for `key` (exact, case-sensitive); nullopt when missing.
    std::optional<std::string_view> get(const std::string &key) const noexcept {
        return detail::maybe(gameye_string_map_get(map_, key.c_str()));
    }
    /// The first entry, for range-for.
    detail::IndexIterator<StringMap, MapEntry> begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    detail::IndexIterator<StringMap, MapEntry> end() const noexcept { return {this, size()}; }

private:
    const gameye_string_map *map_;
};

/// A mapped port. Borrowed.
class Port {
public:
    /// Wraps a borrowed C handle (not freed by this view).
    explicit Port(const gameye_port *port) noexcept : port_(port) {}
    /// As sent, e.g. "7777/udp".
    std::string_view name() const noexcept { return detail::view(gameye_port_name(port_)); }
    /// "tcp" or "udp"; nullopt when unknown.
    std::optional<std::string_view> protocol() const noexcept { return detail::maybe(gameye_port_protocol(port_)); }
    /// 0 when not a valid port.
    uint16_t container() const noexcept { return gameye_port_container(port_); }
    /// The port players connect to; 0 when not a valid port.
    uint16_t host() const noexcept { return gameye_port_host(port_); }

private:
    const gameye_port *port_;
};

/// The ports of a session or started session. Borrowed.
template <typename Owner, std::size_t (*Count)(const Owner *), const gameye_port *(*Get)(const Owner *, std::size_t)>
class PortList {
public:
    /// The ports of `owner`, borrowed from it.
    explicit PortList(const Owner *owner) noexcept : owner_(owner) {}
    /// The number of entries.
    std::size_t size() const noexcept { return Count(owner_); }
    /// Whether there are no entries.
    bool empty() const noexcept { return size() == 0; }
    /// The entry at `index` (out of range: an entry that reads as empty).
    Port operator[](std::size_t index) const noexcept { return Port(Get(owner_, index)); }
    /// The first entry, for range-for.
    detail::IndexIterator<PortList, Port> begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    detail::IndexIterator<PortList, Port> end() const noexcept { return {this, size()}; }

private:
    const Owner *owner_;
};

/// A session (a list entry or a described session). Borrowed from what returned it.
class Session {
public:
    /// Wraps a borrowed C handle (not freed by this view).
    explicit Session(const gameye_session *session) noexcept : session_(session) {}
    /// Wraps gameye_session_id (see gameye.h).
    std::string_view id() const noexcept { return detail::view(gameye_session_id(session_)); }
    /// Wraps gameye_session_image (see gameye.h).
    std::string_view image() const noexcept { return detail::view(gameye_session_image(session_)); }
    /// Wraps gameye_session_tag (see gameye.h).
    std::optional<std::string_view> tag() const noexcept { return detail::maybe(gameye_session_tag(session_)); }
    /// Wraps gameye_session_location (see gameye.h).
    std::string_view location() const noexcept { return detail::view(gameye_session_location(session_)); }
    /// Wraps gameye_session_host (see gameye.h).
    std::string_view host() const noexcept { return detail::view(gameye_session_host(session_)); }
    /// "running", ... (an open set); nullopt when absent.
    std::optional<std::string_view> status() const noexcept { return detail::maybe(gameye_session_status(session_)); }
    /// Unix milliseconds.
    int64_t created() const noexcept { return gameye_session_created(session_); }
    /// nullopt when the server did not send it.
    std::optional<int64_t> player_count() const noexcept {
        int64_t count = gameye_session_player_count(session_);
        return count < 0 ? std::nullopt : std::optional<int64_t>(count);
    }
    /// The mapped ports (gameye_session_port_count, gameye_session_port_get).
    PortList<gameye_session, gameye_session_port_count, gameye_session_port_get> ports() const noexcept {
        return PortList<gameye_session, gameye_session_port_count, gameye_session_port_get>(session_);
    }
    /// The labels as the API sent them, tags and env encoded (gameye_session_labels).
    StringMap labels() const noexcept { return StringMap(gameye_session_labels(session_)); }
    /// Your labels (from labels["tags"]).
    StringMap tags() const noexcept { return StringMap(gameye_session_tags(session_)); }
    /// The container env (from labels["env"]); readable by anyone with session:read.
    StringMap env() const noexcept { return StringMap(gameye_session_env(session_)); }
    /// The joined players of a described session (empty for a list entry; see has_players).
    /// A view, not an optional: `for (auto player : session.players())` is safe in C++17.
    StringList players() const noexcept { return StringList(gameye_session_players(session_)); }
    /// Whether the server sent players (described sessions).
    bool has_players() const noexcept { return gameye_session_players(session_) != nullptr; }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    const gameye_session *get() const noexcept { return session_; }

private:
    const gameye_session *session_;
};

}  // namespace gameye

#endif  // GAMEYE_VIEWS_HPP
