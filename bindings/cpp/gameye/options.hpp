// gameye/options.hpp: the builders: Config, ListOptions and StartOptions.
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_OPTIONS_HPP
#define GAMEYE_OPTIONS_HPP

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core.hpp"

namespace gameye {

/// A builder whose setters chain; the first failing setter's status is kept and reported by
/// the call that uses the builder (setters never throw).
class Builder {
public:
    /// GAMEYE_STATUS_OK, or the first failure of a setter.
    Status status() const noexcept { return static_cast<Status>(status_); }

protected:
    /// Records `status` when it is the first failure (setters call it with their C call's status).
    void keep(gameye_status status) noexcept {
        if (status_ == GAMEYE_STATUS_OK) {
            status_ = status;
        }
    }
    /// The first failure of a setter, or GAMEYE_STATUS_OK.
    gameye_status status_ = GAMEYE_STATUS_OK;
};

/// Filters for Client::list_sessions.
class ListOptions : public Builder {
public:
    ListOptions() noexcept : options_(gameye_list_options_new()) {}
    /// Wraps gameye_list_options_set_all (see gameye.h).
    ListOptions &all(bool all) {
        keep(gameye_list_options_set_all(get(), all));
        return *this;
    }
    /// Wraps gameye_list_options_set_location (see gameye.h).
    ListOptions &location(const std::string &value) {
        keep(gameye_list_options_set_location(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_list_options_set_image (see gameye.h).
    ListOptions &image(const std::string &value) {
        keep(gameye_list_options_set_image(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_list_options_set_tag (see gameye.h).
    ListOptions &tag(const std::string &value) {
        keep(gameye_list_options_set_tag(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_list_options_set_host (see gameye.h).
    ListOptions &host(const std::string &value) {
        keep(gameye_list_options_set_host(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_list_options_set_player_count_lt (see gameye.h).
    ListOptions &player_count_lt(int64_t lt) {
        keep(gameye_list_options_set_player_count_lt(get(), lt));
        return *this;
    }
    /// Wraps gameye_list_options_set_player_count_gt (see gameye.h).
    ListOptions &player_count_gt(int64_t gt) {
        keep(gameye_list_options_set_player_count_gt(get(), gt));
        return *this;
    }
    /// Only sessions whose label `key` equals `value`.
    ListOptions &filter(const std::string &key, const std::string &value) {
        keep(gameye_list_options_add_filter(get(), key.c_str(), value.c_str()));
        return *this;
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_list_options *get() const noexcept { return options_.get(); }

private:
    detail::Owned<gameye_list_options, gameye_list_options_free> options_;
};

/// What Client::start_session starts: location and image are required.
class StartOptions : public Builder {
public:
    StartOptions() noexcept : options_(gameye_start_options_new()) {}
    /// A start of `image` in `location`, the two fields every start needs.
    StartOptions(const std::string &location, const std::string &image) noexcept : StartOptions() {
        this->location(location).image(image);
    }
    /// Wraps gameye_start_options_set_id (see gameye.h).
    StartOptions &id(const std::string &value) {
        keep(gameye_start_options_set_id(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_start_options_set_location (see gameye.h).
    StartOptions &location(const std::string &value) {
        keep(gameye_start_options_set_location(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_start_options_set_image (see gameye.h).
    StartOptions &image(const std::string &value) {
        keep(gameye_start_options_set_image(get(), value.c_str()));
        return *this;
    }
    /// Never secrets: env is readable by anyone with session:read.
    StartOptions &env(const std::string &key, const std::string &value) {
        keep(gameye_start_options_set_env(get(), key.c_str(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_start_options_add_arg (see gameye.h).
    StartOptions &arg(const std::string &value) {
        keep(gameye_start_options_add_arg(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_start_options_set_restart (see gameye.h).
    StartOptions &restart(bool restart) {
        keep(gameye_start_options_set_restart(get(), restart));
        return *this;
    }
    /// Wraps gameye_start_options_set_label (see gameye.h).
    StartOptions &label(const std::string &key, const std::string &value) {
        keep(gameye_start_options_set_label(get(), key.c_str(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_start_options_set_version (see gameye.h).
    StartOptions &version(const std::string &value) {
        keep(gameye_start_options_set_version(get(), value.c_str()));
        return *this;
    }
    /// "<N>h<M>m", e.g. "1h30m".
    StartOptions &ttl(const std::string &value) {
        keep(gameye_start_options_set_ttl(get(), value.c_str()));
        return *this;
    }
    /// Wraps gameye_start_options_set_external_id (see gameye.h).
    StartOptions &external_id(const std::string &value) {
        keep(gameye_start_options_set_external_id(get(), value.c_str()));
        return *this;
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_start_options *get() const noexcept { return options_.get(); }

private:
    detail::Owned<gameye_start_options, gameye_start_options_free> options_;
};

/// Receives log lines (see gameye_log_callback: called from several threads).
using LogFunction = std::function<void(gameye_log_level level, std::string_view line)>;

/// Client settings; unset values come from GAMEYE_API_ENDPOINT / GAMEYE_API_TOKEN and defaults.
class Config : public Builder {
public:
    Config() noexcept : config_(gameye_client_config_new()) {}
    /// Wraps gameye_client_config_set_base_url (see gameye.h).
    Config &base_url(const std::string &url) {
        keep(gameye_client_config_set_base_url(get(), url.c_str()));
        return *this;
    }
    /// Wraps gameye_client_config_set_token (see gameye.h).
    Config &token(const std::string &token) {
        keep(gameye_client_config_set_token(get(), token.c_str()));
        return *this;
    }
    /// Wraps gameye_client_config_set_timeout_ms (see gameye.h).
    Config &timeout_ms(uint32_t ms) {
        keep(gameye_client_config_set_timeout_ms(get(), ms));
        return *this;
    }
    /// Wraps gameye_client_config_set_connect_timeout_ms (see gameye.h).
    Config &connect_timeout_ms(uint32_t ms) {
        keep(gameye_client_config_set_connect_timeout_ms(get(), ms));
        return *this;
    }
    /// Wraps gameye_client_config_set_retry (see gameye.h).
    Config &retry(uint32_t retries, uint32_t base_delay_ms, uint32_t max_delay_ms) {
        keep(gameye_client_config_set_retry(get(), retries, base_delay_ms, max_delay_ms));
        return *this;
    }
    /// Wraps gameye_client_config_set_worker_threads (see gameye.h).
    Config &worker_threads(uint32_t threads) {
        keep(gameye_client_config_set_worker_threads(get(), threads));
        return *this;
    }
    /// Wraps gameye_client_config_set_max_in_flight (see gameye.h).
    Config &max_in_flight(uint32_t requests) {
        keep(gameye_client_config_set_max_in_flight(get(), requests));
        return *this;
    }
    /// Wraps gameye_client_config_set_delivery (see gameye.h).
    Config &delivery(gameye_delivery delivery) {
        keep(gameye_client_config_set_delivery(get(), delivery));
        return *this;
    }
    /// Wraps gameye_client_config_set_max_body_bytes (see gameye.h).
    Config &max_body_bytes(uint64_t bytes) {
        keep(gameye_client_config_set_max_body_bytes(get(), bytes));
        return *this;
    }
    /// Wraps gameye_client_config_set_ca_certificates_pem (see gameye.h).
    Config &ca_certificates_pem(const std::string &pem) {
        keep(gameye_client_config_set_ca_certificates_pem(get(), pem.c_str()));
        return *this;
    }
    /// Wraps gameye_client_config_set_allow_insecure_http (see gameye.h).
    Config &allow_insecure_http(bool allow) {
        keep(gameye_client_config_set_allow_insecure_http(get(), allow));
        return *this;
    }
    /// A log hook; the function lives as long as the client made from this config.
    Config &log(gameye_log_level max_level, LogFunction function) {
        log_ = std::make_shared<LogFunction>(std::move(function));
        keep(gameye_client_config_set_log_callback(get(), max_level, &Config::forward, log_.get()));
        return *this;
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_client_config *get() const noexcept { return config_.get(); }
    /// The log hook set with log(), kept alive by the clients made from this config.
    const std::shared_ptr<LogFunction> &log_function() const noexcept { return log_; }

private:
    static void forward(gameye_log_level level, const char *line, void *user_data) {
        (*static_cast<LogFunction *>(user_data))(level, detail::view(line));
    }
    detail::Owned<gameye_client_config, gameye_client_config_free> config_;
    std::shared_ptr<LogFunction> log_;
};

}  // namespace gameye

#endif  // GAMEYE_OPTIONS_HPP
