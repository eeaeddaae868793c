/*
 * test_core.c: the core of the C API (client, errors, list, describe, start, stop) against the
 * emulator. Built and run by tests/c_abi.rs, plainly and under AddressSanitizer +
 * UndefinedBehaviorSanitizer. Environment: GAMEYE_TEST_URL (the emulator, with its admin API),
 * tokens "test-token" (every scope), "reader" (session:read) and "nobody" (no scope).
 * Usage: test_core           every test
 *        test_core seed      the list response is the seed documentation page's example
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

static const char *const TOKEN = "test-token";

static gameye_client *client_with(const char *token, uint32_t timeout_ms) {
    gameye_client_config *config = harness_config(token, timeout_ms);
    gameye_client *client = NULL;
    gameye_error *error = NULL;
    CHECK_STATUS(gameye_client_new(config, &client, &error), GAMEYE_STATUS_OK);
    CHECK(client != NULL && error == NULL);
    gameye_client_config_free(config);
    return client;
}

/* Starts image in location with id (NULL: generated); returns the started session or NULL. */
static gameye_started_session *start(gameye_client *client, const char *id, const char *location,
                                     const char *image, gameye_status expected) {
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *session = (gameye_started_session *)1;
    gameye_error *error = NULL;
    if (id) {
        CHECK_STATUS(gameye_start_options_set_id(options, id), GAMEYE_STATUS_OK);
    }
    CHECK_STATUS(gameye_start_options_set_location(options, location), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, image), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session(client, options, &session, &error), expected);
    if (expected == GAMEYE_STATUS_OK) {
        CHECK(session != NULL && error == NULL);
    } else {
        CHECK(session == NULL && error != NULL);
        CHECK_STATUS(gameye_error_status(error), expected);
        CHECK(gameye_error_message(error) != NULL && gameye_error_message(error)[0] != '\0');
    }
    gameye_error_free(error);
    gameye_start_options_free(options);
    return session;
}

static void test_version_and_status_names(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", GAMEYE_VERSION_MAJOR, GAMEYE_VERSION_MINOR,
             GAMEYE_VERSION_PATCH);
    CHECK_STR(gameye_version(), expected);
    CHECK_STR(gameye_status_name(GAMEYE_STATUS_OK), "GAMEYE_STATUS_OK");
    CHECK_STR(gameye_status_name(GAMEYE_STATUS_RATE_LIMITED), "GAMEYE_STATUS_RATE_LIMITED");
    CHECK_STR(gameye_status_name(GAMEYE_STATUS_INTERNAL), "GAMEYE_STATUS_INTERNAL");
    CHECK_STR(gameye_status_name(GAMEYE_STATUS_SESSION_ENDED), "GAMEYE_STATUS_SESSION_ENDED");
    CHECK(GAMEYE_STATUS_SESSION_ENDED == 16);
    CHECK_STR(gameye_status_name(17), "GAMEYE_STATUS_UNKNOWN");
    CHECK_STR(gameye_status_name(-1), "GAMEYE_STATUS_UNKNOWN");
    CHECK(GAMEYE_STATUS_INVALID_REQUEST == 11 && GAMEYE_STATUS_CANCELLED == 14);
}

static void test_config_validation(void) {
    gameye_client_config *config = gameye_client_config_new();
    const char bad_utf8[] = {'h', 't', 't', 'p', (char)0xff, 0};
    CHECK_STATUS(gameye_client_config_set_base_url(config, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_base_url(config, bad_utf8), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_base_url(config, "ftp://x"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_base_url(config, "https://user:pw@host"),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_base_url(config, "https://h/?q=1"),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    /* Refused where they are set, not by every later request: a port with a sign, a backtick, a
       non-ASCII host (UTF-8 "b\u00fccher") and a URL longer than any request line. */
    {
        const char *const late[] = {"https://h:+80", "https://h`x", "https://b\xc3\xbc" "cher.example"};
        static char huge[100 * 1024];
        size_t i;
        for (i = 0; i < sizeof late / sizeof late[0]; i++) {
            CHECK_STATUS(gameye_client_config_set_base_url(config, late[i]), GAMEYE_STATUS_INVALID_ARGUMENT);
        }
        memcpy(huge, "https://h/", 10);
        memset(huge + 10, 'a', sizeof huge - 11);
        CHECK_STATUS(gameye_client_config_set_base_url(config, huge), GAMEYE_STATUS_INVALID_ARGUMENT);
    }
    CHECK_STATUS(gameye_client_config_set_base_url(config, "https://api.sandbox-gameye.gameye.net"),
                 GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_token(config, ""), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_token(config, "a\r\nInjected: 1"),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_token(config, bad_utf8), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_timeout_ms(config, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_timeout_ms(config, 5000), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_allow_insecure_http(config, false), GAMEYE_STATUS_OK);
    gameye_client_config_free(config);
}

/* A config whose setter failed is refused, so an ignored failure never sends the token to the
   production default in place of the URL that was rejected. */
static void test_a_failed_setter_poisons_the_config(void) {
    const char *const bad[] = {"ftp://x", NULL};
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gameye_client_config *config = gameye_client_config_new();
        gameye_client *client = (gameye_client *)1;
        gameye_error *error = NULL;
        CHECK_STATUS(gameye_client_config_set_token(config, TOKEN), GAMEYE_STATUS_OK);
        CHECK_STATUS(gameye_client_config_set_base_url(config, bad[i]), GAMEYE_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(gameye_client_new(config, &client, &error), GAMEYE_STATUS_INVALID_ARGUMENT);
        CHECK(client == NULL);
        CHECK(error != NULL && strstr(gameye_error_message(error), "a setter failed") != NULL);
        gameye_error_free(error);
        /* A later good URL does not heal it: the caller ignored a failure. */
        CHECK_STATUS(gameye_client_config_set_base_url(config, harness_env("GAMEYE_TEST_URL")), GAMEYE_STATUS_OK);
        CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
        gameye_client_config_free(config);
    }
}

static void test_client_creation(void) {
    gameye_client_config *config = gameye_client_config_new();
    gameye_client *client = (gameye_client *)1;
    gameye_error *error = NULL;
    gameye_session_list *list = NULL;

    /* No token anywhere. */
    unsetenv("GAMEYE_API_TOKEN");
    unsetenv("GAMEYE_API_ENDPOINT");
    CHECK_STATUS(gameye_client_new(config, &client, &error), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(client == NULL);
    CHECK(error != NULL && strstr(gameye_error_message(error), "GAMEYE_API_TOKEN") != NULL);
    CHECK(gameye_error_http_status(error) == 0);
    gameye_error_free(error);

    /* Plain http to a non-loopback host needs the opt-in. */
    CHECK_STATUS(gameye_client_config_set_token(config, TOKEN), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_base_url(config, "http://192.0.2.1"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(client == NULL);
    CHECK_STATUS(gameye_client_config_set_allow_insecure_http(config, true), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_OK);
    gameye_client_free(client);
    CHECK_STATUS(gameye_client_new(config, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_client_config_free(config);

    /* A NULL config: everything from the environment. */
    setenv("GAMEYE_API_ENDPOINT", harness_env("GAMEYE_TEST_URL"), 1);
    setenv("GAMEYE_API_TOKEN", TOKEN, 1);
    CHECK_STATUS(gameye_client_new(NULL, &client, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, NULL), GAMEYE_STATUS_OK);
    gameye_session_list_free(list);
    gameye_client_free(client);
    setenv("GAMEYE_API_ENDPOINT", "not a url", 1);
    CHECK_STATUS(gameye_client_new(NULL, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    unsetenv("GAMEYE_API_TOKEN");
    unsetenv("GAMEYE_API_ENDPOINT");
}

static const gameye_port *find_port(const gameye_session *session, const char *name) {
    size_t i;
    for (i = 0; i < gameye_session_port_count(session); i++) {
        const gameye_port *port = gameye_session_port_get(session, i);
        if (strcmp(gameye_port_name(port), name) == 0) {
            return port;
        }
    }
    return NULL;
}

static void test_start_list_describe_stop(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = NULL;
    gameye_session_list *list = NULL;
    gameye_session *described = NULL;
    gameye_error *error = NULL;
    const gameye_session *session;
    const gameye_port *port;
    const gameye_string_map *map;
    harness_reset();

    CHECK_STATUS(gameye_start_options_set_id(options, "match-1"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "my-game"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_version(options, "1.0.0"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_env(options, "MAP", "dust"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_add_arg(options, "--max-players=8"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_restart(options, true), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_label(options, "mode", "ffa"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_ttl(options, "1h30m"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_external_id(options, "lobby-7"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session(client, options, &started, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK_STR(gameye_started_session_id(started), "match-1");
    CHECK_STR(gameye_started_session_host(started), "127.0.0.1");
    CHECK(gameye_started_session_port_count(started) == 2);
    port = gameye_started_session_port_get(started, 0);
    CHECK_STR(gameye_port_name(port), "7777/udp");
    CHECK_STR(gameye_port_protocol(port), "udp");
    CHECK(gameye_port_container(port) == 7777);
    CHECK(gameye_port_host(port) >= 20000 && gameye_port_host(port) <= 30000);
    CHECK(gameye_started_session_port_get(started, 2) == NULL);

    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_OK);
    CHECK(gameye_session_list_len(list) == 1);
    CHECK(gameye_session_list_get(list, 1) == NULL);
    session = gameye_session_list_get(list, 0);
    CHECK_STR(gameye_session_id(session), "match-1");
    CHECK_STR(gameye_session_image(session), "my-game");
    CHECK_STR(gameye_session_tag(session), "1.0.0");
    CHECK_STR(gameye_session_location(session), "europe");
    CHECK_STR(gameye_session_host(session), "127.0.0.1");
    CHECK_STR(gameye_session_status(session), "running");
    CHECK(gameye_session_created(session) > 1600000000000LL);
    CHECK(gameye_session_player_count(session) == 0);
    CHECK(gameye_session_players(session) == NULL);
    port = find_port(session, "7778/tcp");
    CHECK(port != NULL && gameye_port_container(port) == 7778);
    CHECK(port != NULL &&
          gameye_port_host(port) == gameye_port_host(gameye_started_session_port_get(started, 1)));
    CHECK(gameye_session_port_get(session, 99) == NULL);
    map = gameye_session_tags(session);
    CHECK(gameye_string_map_len(map) == 1);
    CHECK_STR(gameye_string_map_key(map, 0), "mode");
    CHECK_STR(gameye_string_map_value(map, 0), "ffa");
    CHECK_STR(gameye_string_map_get(map, "mode"), "ffa");
    CHECK(gameye_string_map_get(map, "MODE") == NULL);
    CHECK(gameye_string_map_key(map, 1) == NULL && gameye_string_map_value(map, 1) == NULL);
    map = gameye_session_env(session);
    CHECK_STR(gameye_string_map_get(map, "MAP"), "dust");
    CHECK_STR(gameye_string_map_get(map, "GAMEYE_SESSION_ID"), "match-1");
    map = gameye_session_labels(session);
    CHECK(gameye_string_map_get(map, "tags") != NULL && gameye_string_map_get(map, "env") != NULL);

    CHECK_STATUS(gameye_describe_session(client, "match-1", &described, &error), GAMEYE_STATUS_OK);
    CHECK_STR(gameye_session_id(described), "match-1");
    CHECK_STR(gameye_session_status(described), "running");
    CHECK(gameye_session_players(described) != NULL);
    CHECK(gameye_string_list_len(gameye_session_players(described)) == 0);
    CHECK(gameye_string_list_get(gameye_session_players(described), 0) == NULL);
    CHECK(gameye_session_player_count(described) == 0);
    gameye_session_free(described);

    CHECK_STATUS(gameye_stop_session(client, "match-1", &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK_STATUS(gameye_stop_session(client, "match-1", &error), GAMEYE_STATUS_CONFLICT);
    CHECK(gameye_error_http_status(error) == 409);
    CHECK(gameye_error_status(error) == GAMEYE_STATUS_CONFLICT);
    gameye_error_free(error);

    /* Strings stay valid after the client is gone: they belong to the list. */
    gameye_client_free(client);
    CHECK_STR(gameye_session_id(session), "match-1");
    gameye_session_list_free(list);
    gameye_started_session_free(started);
    gameye_start_options_free(options);
}

static size_t count_with(gameye_client *client, gameye_list_options *options) {
    gameye_session_list *list = NULL;
    size_t count;
    CHECK_STATUS(gameye_list_sessions(client, options, &list, NULL), GAMEYE_STATUS_OK);
    count = gameye_session_list_len(list);
    gameye_session_list_free(list);
    return count;
}

static void test_list_filters(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = NULL;
    gameye_list_options *filter;
    harness_reset();
    gameye_started_session_free(start(client, "a", "europe", "nginx", GAMEYE_STATUS_OK));
    CHECK_STATUS(gameye_start_options_set_id(options, "b"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "asia"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "my-game"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_label(options, "mode", "ffa"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session(client, options, &started, NULL), GAMEYE_STATUS_OK);
    gameye_started_session_free(started);
    gameye_start_options_free(options);
    CHECK_STATUS(gameye_stop_session(client, "a", NULL), GAMEYE_STATUS_OK);

    filter = gameye_list_options_new();
    CHECK(count_with(client, filter) == 1);
    CHECK_STATUS(gameye_list_options_set_all(filter, true), GAMEYE_STATUS_OK);
    CHECK(count_with(client, filter) == 2);
    CHECK_STATUS(gameye_list_options_set_location(filter, "europe"), GAMEYE_STATUS_OK);
    CHECK(count_with(client, filter) == 1);
    gameye_list_options_free(filter);

    filter = gameye_list_options_new();
    CHECK_STATUS(gameye_list_options_set_image(filter, "my-game"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_list_options_set_tag(filter, "1.1.0"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_list_options_set_host(filter, "127.0.0.3"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_list_options_add_filter(filter, "mode", "ffa"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_list_options_set_player_count_lt(filter, 1), GAMEYE_STATUS_OK);
    CHECK(count_with(client, filter) == 1);
    CHECK_STATUS(gameye_list_options_set_player_count_gt(filter, 0), GAMEYE_STATUS_OK);
    CHECK(count_with(client, filter) == 0);
    gameye_list_options_free(filter);

    filter = gameye_list_options_new();
    CHECK_STATUS(gameye_list_options_add_filter(filter, "mode", "FFA"), GAMEYE_STATUS_OK);
    CHECK(count_with(client, filter) == 0); /* exact and case-sensitive */
    CHECK_STATUS(gameye_list_options_add_filter(filter, "mode", "ffa"), GAMEYE_STATUS_OK);
    CHECK(count_with(client, filter) == 1); /* the same key replaces its value */
    CHECK_STATUS(gameye_list_options_add_filter(filter, "", "x"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_list_options_set_location(filter, ""), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_list_options_free(filter);
    gameye_client_free(client);
}

static void test_start_statuses(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = (gameye_started_session *)1;
    gameye_error *error = NULL;
    harness_reset();
    /* location and image are required */
    CHECK_STATUS(gameye_start_session(client, options, &started, &error),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(started == NULL && strstr(gameye_error_message(error), "location") != NULL);
    gameye_error_free(error);
    CHECK_STATUS(gameye_start_options_set_env(options, "A", ""), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_options_add_arg(options, ""), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_options_set_ttl(options, "soon"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_options_set_id(options, ""), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_start_options_free(options);

    (void)start(client, NULL, "mars", "nginx", GAMEYE_STATUS_NOT_FOUND);
    (void)start(client, NULL, "europe", "no-such-image", GAMEYE_STATUS_NOT_FOUND);
    gameye_started_session_free(start(client, "dup", "north-america", "nginx", GAMEYE_STATUS_OK));
    (void)start(client, "dup", "europe", "nginx", GAMEYE_STATUS_CONFLICT);
    /* north-america holds one session in this emulator */
    (void)start(client, NULL, "north-america", "nginx", GAMEYE_STATUS_RATE_LIMITED);
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":402,\"times\":1}"));
    (void)start(client, NULL, "europe", "nginx", GAMEYE_STATUS_QUOTA_EXHAUSTED);
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":429,\"times\":1}"));
    (void)start(client, NULL, "europe", "nginx", GAMEYE_STATUS_RATE_LIMITED);
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":422,\"times\":1}"));
    (void)start(client, NULL, "europe", "nginx", GAMEYE_STATUS_INVALID_REQUEST);
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":400,\"times\":1}"));
    (void)start(client, NULL, "europe", "nginx", GAMEYE_STATUS_INVALID_REQUEST);
    gameye_client_free(client);
}

static void test_error_fields(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_session_list *list = (gameye_session_list *)1;
    gameye_error *error = NULL;
    harness_reset();
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":422,\"times\":1,\"body\":"
                     "\"{\\\"statusCode\\\":422,\\\"code\\\":\\\"validation_failed\\\","
                     "\\\"message\\\":\\\"Bad request.\\\",\\\"details\\\":\\\"two problems\\\","
                     "\\\"path\\\":\\\"/session\\\",\\\"timestamp\\\":\\\"2026-01-01T00:00:00Z\\\","
                     "\\\"identifier\\\":\\\"req-42\\\",\\\"violations\\\":["
                     "{\\\"field\\\":\\\"ttl\\\",\\\"description\\\":\\\"bad ttl\\\"},"
                     "{\\\"field\\\":\\\"env.A\\\",\\\"description\\\":\\\"empty\\\"}]}\"}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_INVALID_REQUEST);
    CHECK(list == NULL);
    CHECK(gameye_error_http_status(error) == 422);
    CHECK_STR(gameye_error_message(error), "Bad request.");
    CHECK_STR(gameye_error_code(error), "validation_failed");
    CHECK_STR(gameye_error_details(error), "two problems");
    CHECK_STR(gameye_error_path(error), "/session");
    CHECK_STR(gameye_error_timestamp(error), "2026-01-01T00:00:00Z");
    CHECK_STR(gameye_error_identifier(error), "req-42");
    CHECK(gameye_error_violation_count(error) == 2);
    CHECK_STR(gameye_error_violation_field(error, 0), "ttl");
    CHECK_STR(gameye_error_violation_description(error, 0), "bad ttl");
    CHECK_STR(gameye_error_violation_field(error, 1), "env.A");
    CHECK_STR(gameye_error_violation_description(error, 1), "empty");
    CHECK(gameye_error_violation_field(error, 2) == NULL);
    CHECK(gameye_error_violation_description(error, 2) == NULL);
    gameye_error_free(error);

    /* An HTML page from a proxy keeps its status and readable text; no body fields. */
    CHECK(mock_fault("{\"operation\":\"*\",\"status\":502,\"content_type\":\"html\",\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_SERVER);
    CHECK(gameye_error_http_status(error) == 502);
    CHECK(strstr(gameye_error_message(error), "502 from the proxy") != NULL);
    CHECK(gameye_error_code(error) == NULL && gameye_error_identifier(error) == NULL);
    CHECK(gameye_error_violation_count(error) == 0);
    gameye_error_free(error);

    CHECK(mock_fault("{\"operation\":\"*\",\"status\":418,\"content_type\":\"text\",\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_HTTP);
    CHECK(gameye_error_http_status(error) == 418);
    gameye_error_free(error);

    /* Every documented status of the server's own error bodies has all the fields. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":503,\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_SERVER);
    CHECK(gameye_error_code(error) != NULL && gameye_error_details(error) != NULL);
    CHECK(gameye_error_path(error) != NULL && gameye_error_timestamp(error) != NULL);
    CHECK(gameye_error_identifier(error) != NULL);
    gameye_error_free(error);
    gameye_client_free(client);
}

static void test_auth_statuses(void) {
    gameye_client *wrong = client_with("wrong-token", 10000);
    gameye_client *reader = client_with("reader", 10000);
    gameye_client *nobody = client_with("nobody", 10000);
    gameye_session_list *list = NULL;
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    harness_reset();
    CHECK_STATUS(gameye_list_sessions(wrong, NULL, &list, &error), GAMEYE_STATUS_UNAUTHORIZED);
    CHECK(gameye_error_http_status(error) == 401);
    /* The advice is the library's hint; the message stays the server's own. */
    CHECK(gameye_error_hint(error) != NULL &&
          strstr(gameye_error_hint(error), "sandbox and production tokens are not interchangeable") != NULL);
    CHECK(strstr(gameye_error_message(error), "sandbox and production") == NULL);
    CHECK(strstr(gameye_error_message(error), "wrong-token") == NULL);
    CHECK(gameye_error_identifier(error) != NULL);
    gameye_error_free(error);
    CHECK_STATUS(gameye_describe_session(wrong, "x", &session, NULL), GAMEYE_STATUS_UNAUTHORIZED);
    CHECK_STATUS(gameye_stop_session(wrong, "x", NULL), GAMEYE_STATUS_UNAUTHORIZED);
    (void)start(wrong, NULL, "europe", "nginx", GAMEYE_STATUS_UNAUTHORIZED);

    CHECK_STATUS(gameye_list_sessions(reader, NULL, &list, NULL), GAMEYE_STATUS_OK);
    gameye_session_list_free(list);
    (void)start(reader, NULL, "europe", "nginx", GAMEYE_STATUS_FORBIDDEN);
    CHECK_STATUS(gameye_stop_session(reader, "x", &error), GAMEYE_STATUS_FORBIDDEN);
    CHECK(gameye_error_http_status(error) == 403);
    gameye_error_free(error);
    CHECK_STATUS(gameye_list_sessions(nobody, NULL, &list, NULL), GAMEYE_STATUS_FORBIDDEN);
    CHECK(list == NULL);
    CHECK_STATUS(gameye_describe_session(nobody, "x", &session, NULL), GAMEYE_STATUS_FORBIDDEN);
    CHECK(session == NULL);
    gameye_client_free(wrong);
    gameye_client_free(reader);
    gameye_client_free(nobody);
}

static void test_describe_and_stop_statuses(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_session *session = (gameye_session *)1;
    gameye_error *error = NULL;
    const char bad_utf8[] = {'a', (char)0xc3, 0};
    harness_reset();
    CHECK_STATUS(gameye_describe_session(client, "nope", &session, &error), GAMEYE_STATUS_NOT_FOUND);
    CHECK(session == NULL && gameye_error_http_status(error) == 404);
    gameye_error_free(error);
    /* An id that looks like a path stays one segment: it can only be "not found". */
    CHECK_STATUS(gameye_describe_session(client, "../x?y#z", &session, NULL), GAMEYE_STATUS_NOT_FOUND);
    CHECK_STATUS(gameye_stop_session(client, "nope", NULL), GAMEYE_STATUS_NOT_FOUND);
    CHECK_STATUS(gameye_describe_session(client, "", &session, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_describe_session(client, bad_utf8, &session, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_stop_session(client, bad_utf8, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"status\":500,\"times\":1}"));
    CHECK_STATUS(gameye_describe_session(client, "x", &session, NULL), GAMEYE_STATUS_SERVER);
    CHECK(mock_fault("{\"operation\":\"session-stop\",\"status\":503,\"times\":1}"));
    CHECK_STATUS(gameye_stop_session(client, "x", NULL), GAMEYE_STATUS_SERVER);
    gameye_client_free(client);
}

static void test_transport_timeout_decode(void) {
    gameye_client *client = client_with(TOKEN, 300);
    gameye_session_list *list = (gameye_session_list *)1;
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    harness_reset();
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":3000,\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_TIMEOUT);
    CHECK(list == NULL && gameye_error_http_status(error) == 0);
    gameye_error_free(error);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"malformed_json\":true,\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_DECODE);
    CHECK(gameye_error_http_status(error) == 0);
    gameye_error_free(error);
    CHECK(mock_admin("POST", "/_mock/sessions", "{\"count\": 50}") == 201);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"drop_after_bytes\":200,\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_TRANSPORT);
    CHECK(list == NULL && gameye_error_message(error) != NULL);
    gameye_error_free(error);
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"status\":200,\"body\":\"{}\",\"times\":1}"));
    CHECK_STATUS(gameye_describe_session(client, "x", &session, &error), GAMEYE_STATUS_DECODE);
    CHECK(session == NULL && strstr(gameye_error_message(error), "id") != NULL);
    gameye_error_free(error);
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_session_list_len(list) == 50);
    gameye_session_list_free(list);
    gameye_client_free(client);
}

static void test_null_safety(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_session_list *list = (gameye_session_list *)1;
    gameye_started_session *started = (gameye_started_session *)1;
    gameye_session *session = (gameye_session *)1;
    gameye_error *error = (gameye_error *)1;
    CHECK_STATUS(gameye_list_sessions(NULL, NULL, &list, &error), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(list == NULL && error != NULL);
    CHECK(strstr(gameye_error_message(error), "client") != NULL);
    gameye_error_free(error);
    CHECK_STATUS(gameye_list_sessions(client, NULL, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_session(client, NULL, &started, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(started == NULL);
    CHECK_STATUS(gameye_start_session(NULL, NULL, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_describe_session(client, NULL, &session, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(session == NULL);
    CHECK_STATUS(gameye_stop_session(client, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_stop_session(NULL, "x", NULL), GAMEYE_STATUS_INVALID_ARGUMENT);

    CHECK_STATUS(gameye_client_config_set_token(NULL, "x"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_timeout_ms(NULL, 1), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_list_options_set_all(NULL, true), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_list_options_add_filter(NULL, "a", "b"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_list_options_set_player_count_lt(NULL, 1), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_options_set_location(NULL, "x"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_options_set_restart(NULL, true), GAMEYE_STATUS_INVALID_ARGUMENT);

    CHECK(gameye_error_status(NULL) == GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_error_http_status(NULL) == 0);
    CHECK(gameye_error_message(NULL) == NULL && gameye_error_code(NULL) == NULL);
    CHECK(gameye_error_violation_count(NULL) == 0 && gameye_error_violation_field(NULL, 0) == NULL);
    CHECK(gameye_session_list_len(NULL) == 0 && gameye_session_list_get(NULL, 0) == NULL);
    CHECK(gameye_session_id(NULL) == NULL && gameye_session_status(NULL) == NULL);
    CHECK(gameye_session_created(NULL) == 0 && gameye_session_player_count(NULL) == -1);
    CHECK(gameye_session_port_count(NULL) == 0 && gameye_session_port_get(NULL, 0) == NULL);
    CHECK(gameye_session_labels(NULL) == NULL && gameye_session_tags(NULL) == NULL);
    CHECK(gameye_session_env(NULL) == NULL && gameye_session_players(NULL) == NULL);
    CHECK(gameye_port_name(NULL) == NULL && gameye_port_protocol(NULL) == NULL);
    CHECK(gameye_port_container(NULL) == 0 && gameye_port_host(NULL) == 0);
    CHECK(gameye_string_map_len(NULL) == 0 && gameye_string_map_get(NULL, "k") == NULL);
    CHECK(gameye_string_map_key(NULL, 0) == NULL && gameye_string_map_value(NULL, 0) == NULL);
    CHECK(gameye_string_list_len(NULL) == 0 && gameye_string_list_get(NULL, 0) == NULL);
    CHECK(gameye_started_session_id(NULL) == NULL && gameye_started_session_port_count(NULL) == 0);

    gameye_client_free(NULL);
    gameye_client_config_free(NULL);
    gameye_error_free(NULL);
    gameye_list_options_free(NULL);
    gameye_session_list_free(NULL);
    gameye_session_free(NULL);
    gameye_start_options_free(NULL);
    gameye_started_session_free(NULL);
    gameye_client_free(client);
}

/* The list response is the seed page's example (the harness injected it). */
static void test_seed_page_example(void) {
    gameye_client *client = client_with(TOKEN, 10000);
    gameye_session_list *list = NULL;
    const gameye_session *session;
    const gameye_port *port;
    const gameye_string_map *tags;
    const gameye_string_map *env;
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_session_list_len(list) == 1);
    session = gameye_session_list_get(list, 0);
    CHECK_STR(gameye_session_id(session), "f7965a22-e327-4541-a30e-8262890d3a29");
    CHECK_STR(gameye_session_image(session), "nginx");
    CHECK_STR(gameye_session_tag(session), "latest");
    CHECK_STR(gameye_session_location(session), "europe");
    CHECK_STR(gameye_session_host(session), "a.b.c.d");
    CHECK(gameye_session_created(session) == 1648472895000LL);
    CHECK_STR(gameye_session_status(session), "");
    CHECK(gameye_session_player_count(session) == 0);
    CHECK(gameye_session_port_count(session) == 1);
    port = gameye_session_port_get(session, 0);
    CHECK_STR(gameye_port_name(port), "80/tcp");
    CHECK_STR(gameye_port_protocol(port), "tcp");
    CHECK(gameye_port_container(port) == 80 && gameye_port_host(port) == 49160);
    tags = gameye_session_tags(session);
    CHECK(gameye_string_map_len(tags) == 2);
    CHECK_STR(gameye_string_map_get(tags, "my-example-tag"), "1");
    CHECK_STR(gameye_string_map_get(tags, "another-example-tag"), "3");
    env = gameye_session_env(session);
    CHECK_STR(gameye_string_map_get(env, "GAMEYE_SESSION_ID"), "c595bc6f-8522-4a62-95cd-8742136643ea");
    CHECK_STR(gameye_string_map_get(env, "GAMEYE_HOST"), "a.b.c.d");
    CHECK(gameye_string_map_len(gameye_session_labels(session)) == 2);
    gameye_session_list_free(list);
    gameye_client_free(client);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "seed") == 0) {
        test_seed_page_example();
        return harness_finish("test_core seed");
    }
    test_version_and_status_names();
    test_config_validation();
    test_a_failed_setter_poisons_the_config();
    test_client_creation();
    test_start_list_describe_stop();
    test_list_filters();
    test_start_statuses();
    test_error_fields();
    test_auth_statuses();
    test_describe_and_stop_statuses();
    test_transport_timeout_decode();
    test_null_safety();
    return harness_finish("test_core");
}
