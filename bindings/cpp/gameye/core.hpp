// gameye/core.hpp: statuses, errors, Result<T>, and the helpers every part uses.
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_CORE_HPP
#define GAMEYE_CORE_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "gameye.h"

namespace gameye {

/// The status of a call; the values are gameye.h's GAMEYE_STATUS_*.
enum class Status : int32_t {
    Ok = GAMEYE_STATUS_OK,
    InvalidArgument = GAMEYE_STATUS_INVALID_ARGUMENT,
    Transport = GAMEYE_STATUS_TRANSPORT,
    Timeout = GAMEYE_STATUS_TIMEOUT,
    Decode = GAMEYE_STATUS_DECODE,
    Unauthorized = GAMEYE_STATUS_UNAUTHORIZED,
    QuotaExhausted = GAMEYE_STATUS_QUOTA_EXHAUSTED,
    Forbidden = GAMEYE_STATUS_FORBIDDEN,
    NotFound = GAMEYE_STATUS_NOT_FOUND,
    Conflict = GAMEYE_STATUS_CONFLICT,
    RateLimited = GAMEYE_STATUS_RATE_LIMITED,
    InvalidRequest = GAMEYE_STATUS_INVALID_REQUEST,
    Server = GAMEYE_STATUS_SERVER,
    Http = GAMEYE_STATUS_HTTP,
    Cancelled = GAMEYE_STATUS_CANCELLED,
    Internal = GAMEYE_STATUS_INTERNAL,
    SessionEnded = GAMEYE_STATUS_SESSION_ENDED,
};

/// The constant's name, e.g. "GAMEYE_STATUS_NOT_FOUND".
inline std::string_view status_name(Status status) noexcept {
    return gameye_status_name(static_cast<gameye_status>(status));
}

/// The library's version string.
inline std::string_view version() noexcept { return gameye_version(); }

namespace detail {

/// A C string as a view; empty for NULL.
inline std::string_view view(const char *text) noexcept {
    return text != nullptr ? std::string_view(text) : std::string_view();
}

/// A C string as an optional view; nullopt for NULL.
inline std::optional<std::string_view> maybe(const char *text) noexcept {
    if (text == nullptr) {
        return std::nullopt;
    }
    return std::string_view(text);
}

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *handle) const noexcept { Free(handle); }
};

template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

/// An index-based iterator over a container with size() and operator[]. A view (a copyable
/// one-pointer wrapper) is held by value, so `for (auto p : *session.players())` stays valid
/// even though the view itself is a temporary; an owner (move-only) is held by pointer.
template <typename Container, typename Value>
class IndexIterator {
    static constexpr bool by_value = std::is_copy_constructible_v<Container>;
    using Held = std::conditional_t<by_value, Container, const Container *>;

    static Held hold(const Container *container) noexcept {
        if constexpr (by_value) {
            return *container;
        } else {
            return container;
        }
    }

public:
    IndexIterator(const Container *container, std::size_t index) noexcept
        : container_(hold(container)), index_(index) {}
    Value operator*() const noexcept {
        if constexpr (by_value) {
            return container_[index_];
        } else {
            return (*container_)[index_];
        }
    }
    IndexIterator &operator++() noexcept {
        ++index_;
        return *this;
    }
    bool operator==(const IndexIterator &other) const noexcept { return index_ == other.index_; }
    bool operator!=(const IndexIterator &other) const noexcept { return index_ != other.index_; }

private:
    Held container_;
    std::size_t index_;
};

}  // namespace detail

/// Why a call failed: a move-only owner of a gameye_error (or just a status, for arguments the
/// wrapper refused before calling the library).
class Error {
public:
    Error() noexcept = default;
    /// Takes ownership of `error` (may be NULL: a status alone).
    Error(Status status, gameye_error *error) noexcept : status_(status), handle_(error) {}

    /// The failure's class.
    Status status() const noexcept { return status_; }
    /// The HTTP status; 0 when there was no response.
    uint16_t http_status() const noexcept { return gameye_error_http_status(handle_.get()); }
    /// A readable sentence: the server's message unchanged, or the library's.
    std::string_view message() const noexcept {
        return handle_ ? detail::view(gameye_error_message(handle_.get())) : status_name(status_);
    }
    /// The library's advice (a 401's sandbox/production note, a Retry-After wait, attempts made).
    std::optional<std::string_view> hint() const noexcept { return detail::maybe(gameye_error_hint(handle_.get())); }
    /// A failed start: the session id it sent. A server may exist under it: describe or stop it.
    std::optional<std::string_view> session_id() const noexcept {
        return detail::maybe(gameye_error_session_id(handle_.get()));
    }
    /// Wraps gameye_error_code (see gameye.h).
    std::optional<std::string_view> code() const noexcept { return detail::maybe(gameye_error_code(handle_.get())); }
    /// Wraps gameye_error_details (see gameye.h).
    std::optional<std::string_view> details() const noexcept {
        return detail::maybe(gameye_error_details(handle_.get()));
    }
    /// Wraps gameye_error_path (see gameye.h).
    std::optional<std::string_view> path() const noexcept { return detail::maybe(gameye_error_path(handle_.get())); }
    /// Wraps gameye_error_timestamp (see gameye.h).
    std::optional<std::string_view> timestamp() const noexcept {
        return detail::maybe(gameye_error_timestamp(handle_.get()));
    }
    /// Quote it to Gameye support.
    std::optional<std::string_view> identifier() const noexcept {
        return detail::maybe(gameye_error_identifier(handle_.get()));
    }
    /// Attempts made before giving up (1 when not retried; 0 when the wrapper refused the call).
    uint32_t attempts() const noexcept { return gameye_error_attempts(handle_.get()); }
    /// Wraps gameye_error_violation_count (see gameye.h).
    std::size_t violation_count() const noexcept { return gameye_error_violation_count(handle_.get()); }
    /// Wraps gameye_error_violation_field (see gameye.h).
    std::string_view violation_field(std::size_t index) const noexcept {
        return detail::view(gameye_error_violation_field(handle_.get(), index));
    }
    /// Wraps gameye_error_violation_description (see gameye.h).
    std::string_view violation_description(std::size_t index) const noexcept {
        return detail::view(gameye_error_violation_description(handle_.get(), index));
    }
    /// The C handle, still owned by this Error.
    const gameye_error *get() const noexcept { return handle_.get(); }

private:
    Status status_ = Status::Ok;
    detail::Owned<gameye_error, gameye_error_free> handle_;
};

/// A value or the Error that prevented it. Check ok() before value().
template <typename T>
class [[nodiscard]] Result {
public:
    /// A success holding `value`.
    Result(T value) noexcept : value_(std::move(value)) {}
    /// A failure holding `error`.
    Result(Error error) noexcept : error_(std::move(error)) {}

    /// Whether the call succeeded.
    bool ok() const noexcept { return value_.has_value(); }
    /// Same as ok().
    explicit operator bool() const noexcept { return ok(); }
    /// Status::Ok, or the error's status.
    Status status() const noexcept { return ok() ? Status::Ok : error_.status(); }
    /// The value; only when ok().
    T &value() &noexcept { return *value_; }
    /// The value; only when ok().
    const T &value() const &noexcept { return *value_; }
    /// The value, moved out; only when ok().
    T &&value() &&noexcept { return std::move(*value_); }
    /// The error; empty (Status::Ok) when ok().
    const Error &error() const &noexcept { return error_; }
    /// The error, moved out (to pass it on as another Result's).
    Error &&error() &&noexcept { return std::move(error_); }

private:
    std::optional<T> value_;
    Error error_;
};

/// The result of a call that returns nothing.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() noexcept = default;
    /// A failure holding `error`.
    Result(Error error) noexcept : error_(std::move(error)), failed_(true) {}

    /// Whether the call succeeded.
    bool ok() const noexcept { return !failed_; }
    /// Same as ok().
    explicit operator bool() const noexcept { return ok(); }
    /// Status::Ok, or the error's status.
    Status status() const noexcept { return ok() ? Status::Ok : error_.status(); }
    /// The error; empty (Status::Ok) when ok().
    const Error &error() const &noexcept { return error_; }
    /// The error, moved out (to pass it on as another Result's).
    Error &&error() &&noexcept { return std::move(error_); }

private:
    Error error_;
    bool failed_ = false;
};

namespace detail {

/// A failed C call's error, or the value `make` builds.
template <typename T, typename Make>
Result<T> finish(gameye_status status, gameye_error *error, Make &&make) {
    if (status != GAMEYE_STATUS_OK) {
        return Error(static_cast<Status>(status), error);
    }
    return make();
}

inline Result<void> finish_void(gameye_status status, gameye_error *error) {
    if (status != GAMEYE_STATUS_OK) {
        return Error(static_cast<Status>(status), error);
    }
    return {};
}

/// The error for an argument the wrapper refused (a builder's setter failed earlier).
inline Error refused(gameye_status status) noexcept { return Error(static_cast<Status>(status), nullptr); }

/// A blocking C call that writes its result (an owned handle, or a plain value) through `Out *`
/// and its error through `gameye_error **`: `call(&out, &error)`. Returns the result as `T`, or
/// the Error. What every blocking method of Client does.
template <typename T, typename Out, typename Call>
Result<T> call(Call &&c_call) {
    Out out{};
    gameye_error *error = nullptr;
    gameye_status status = c_call(&out, &error);  // before reading `error`
    return finish<T>(status, error, [&] { return T(out); });
}

}  // namespace detail

}  // namespace gameye

#endif  // GAMEYE_CORE_HPP
