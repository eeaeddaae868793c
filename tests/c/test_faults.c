/*
 * test_faults.c: the fault suite through the C API: every fault the emulator injects ends in
 * its documented status within its timeout plus a margin, retries win over transient failures,
 * limits and secure defaults hold, and nothing leaks (run under ASan + UBSan and valgrind by
 * tests/c_abi.rs).
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "harness.h"

static const char *const TOKEN = "test-token";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static gameye_client_config *config_with(uint32_t retries, uint32_t timeout_ms) {
    gameye_client_config *config = harness_config(TOKEN, timeout_ms);
    CHECK_STATUS(gameye_client_config_set_retry(config, retries, 10, 50), GAMEYE_STATUS_OK);
    return config;
}

static gameye_client *client_with(uint32_t retries, uint32_t timeout_ms) {
    return harness_client(config_with(retries, timeout_ms));
}

/* Lists sessions and checks the outcome: status, time bound, attempts (0: don't check). */
static void list_ends_in(gameye_client *client, gameye_status expected, double limit_seconds, uint32_t attempts) {
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    double started = now_seconds();
    gameye_status status = gameye_list_sessions(client, NULL, &list, &error);
    CHECK_STATUS(status, expected);
    CHECK(now_seconds() - started < limit_seconds + 5.0);
    if (expected == GAMEYE_STATUS_OK) {
        CHECK(list != NULL && error == NULL);
    } else {
        CHECK(list == NULL && error != NULL);
        CHECK(attempts == 0 || gameye_error_attempts(error) == attempts);
        CHECK(gameye_error_message(error) != NULL && strstr(gameye_error_message(error), TOKEN) == NULL);
    }
    gameye_session_list_free(list);
    gameye_error_free(error);
}

static void test_retries(void) {
    gameye_client *client = client_with(2, 10000);
    gameye_client *once = NULL;
    gameye_started_session *started = NULL;
    gameye_start_options *options = gameye_start_options_new();
    gameye_session_list *list = NULL;
    harness_reset();

    /* 5xx, then success: the retry wins. So does 420 on a start. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":503,\"times\":2}"));
    list_ends_in(client, GAMEYE_STATUS_OK, 2.0, 0);
    CHECK_STATUS(gameye_start_options_set_id(options, "retried-start"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "nginx"), GAMEYE_STATUS_OK);
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":420,\"times\":1}"));
    CHECK_STATUS(gameye_start_session(client, options, &started, NULL), GAMEYE_STATUS_OK);
    CHECK_STR(gameye_started_session_id(started), "retried-start");
    gameye_started_session_free(started);
    gameye_start_options_free(options);

    /* Spent: the error says how many attempts. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":502,\"content_type\":\"html\",\"times\":3}"));
    list_ends_in(client, GAMEYE_STATUS_SERVER, 2.0, 3);

    /* A per-call policy: a client sharing the connections that does not retry. */
    CHECK_STATUS(gameye_client_with_retry(client, 0, 0, 0, &once, NULL), GAMEYE_STATUS_OK);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":503,\"times\":1}"));
    list_ends_in(once, GAMEYE_STATUS_SERVER, 1.0, 1);
    CHECK_STATUS(gameye_list_sessions(once, NULL, &list, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_session_list_len(list) == 1);
    gameye_session_list_free(list);
    gameye_client_free(client); /* the derived client outlives the one it came from */
    CHECK_STATUS(gameye_list_sessions(once, NULL, &list, NULL), GAMEYE_STATUS_OK);
    gameye_session_list_free(list);
    CHECK_STATUS(gameye_client_with_retry(once, 1, 500, 100, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(client == NULL);
    CHECK_STATUS(gameye_client_with_retry(NULL, 1, 1, 1, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_client_free(once);
}

static void test_transport_faults(void) {
    gameye_client *client = client_with(0, 10000);
    gameye_client *impatient = client_with(2, 400);
    harness_reset();
    CHECK(mock_admin("POST", "/_mock/sessions", "{\"count\": 40}") == 201);

    /* Reset mid-body and a truncated body. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"drop_after_bytes\":0,\"times\":1}"));
    list_ends_in(client, GAMEYE_STATUS_TRANSPORT, 10.0, 1);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"drop_after_bytes\":3000,\"times\":1}"));
    list_ends_in(client, GAMEYE_STATUS_TRANSPORT, 10.0, 1);

    /* A slow body past the timeout; timeouts are not retried. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"bytes_per_second\":2000,\"times\":1}"));
    list_ends_in(impatient, GAMEYE_STATUS_TIMEOUT, 0.4, 1);

    /* Malformed JSON on a 200. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"malformed_json\":true,\"times\":1}"));
    list_ends_in(client, GAMEYE_STATUS_DECODE, 1.0, 1);

    /* The server closes kept-alive connections between calls: the next call still works. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"close_connection\":true,\"times\":1}"));
    list_ends_in(impatient, GAMEYE_STATUS_OK, 1.0, 0);
    list_ends_in(impatient, GAMEYE_STATUS_OK, 1.0, 0);

    /* After all of that, the client is healthy. */
    list_ends_in(client, GAMEYE_STATUS_OK, 1.0, 0);
    gameye_client_free(client);
    gameye_client_free(impatient);
}

static void test_limits_and_refusal(void) {
    gameye_client_config *config = config_with(0, 10000);
    gameye_client *client = NULL;
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    gameye_client_config *poisoned = config_with(0, 10000);
    harness_reset();
    /* A setter that failed poisons its config, even after a later good setting. */
    CHECK_STATUS(gameye_client_config_set_max_body_bytes(poisoned, 100), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_max_body_bytes(poisoned, 4096), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(poisoned, &client, &error), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(client == NULL && error != NULL && strstr(gameye_error_message(error), "1024") != NULL);
    gameye_error_free(error);
    gameye_client_config_free(poisoned);
    poisoned = config_with(0, 10000);
    CHECK_STATUS(gameye_client_config_set_connect_timeout_ms(poisoned, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_new(poisoned, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_client_config_free(poisoned);

    CHECK_STATUS(gameye_client_config_set_max_body_bytes(config, 4096), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_connect_timeout_ms(config, 2000), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_OK);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"oversize_bytes\":100000,\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_DECODE);
    CHECK(strstr(gameye_error_message(error), "4096") != NULL);
    gameye_error_free(error);
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, NULL), GAMEYE_STATUS_OK);
    gameye_session_list_free(list);
    gameye_client_free(client);

    /* Connection refused: nothing listens on the emulator's port once it is told to move on. */
    CHECK_STATUS(gameye_client_config_set_base_url(config, "http://127.0.0.1:1"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_retry(config, 2, 10, 20), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_TRANSPORT);
    CHECK(gameye_error_attempts(error) == 3 && gameye_error_http_status(error) == 0);
    CHECK(strstr(gameye_error_message(error), "connection refused") != NULL);
    gameye_error_free(error);
    gameye_client_free(client);
    gameye_client_config_free(config);
}

static void test_secure_defaults(void) {
    gameye_client_config *config = gameye_client_config_new();
    gameye_client *client = NULL;
    const char *not_pem = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
    CHECK_STATUS(gameye_client_config_set_token(config, "tab\there"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_token(config, "nul-free-but-newline\n"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_ca_certificates_pem(config, "hello"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_ca_certificates_pem(config, not_pem), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_ca_certificates_pem(config, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_token(config, TOKEN), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_base_url(config, "http://10.1.2.3:8080"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(client == NULL);
    gameye_client_config_free(config);
    CHECK(gameye_error_attempts(NULL) == 0);
}

/* Starts `image` in europe under `id` (NULL: generated); returns the status, and the error in
   *out_error (may be NULL). */
static gameye_status start_as(gameye_client *client, const char *id, const char *image,
                              gameye_started_session **out, gameye_error **out_error) {
    gameye_start_options *options = gameye_start_options_new();
    gameye_status status;
    if (id) {
        CHECK_STATUS(gameye_start_options_set_id(options, id), GAMEYE_STATUS_OK);
    }
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    if (image) {
        CHECK_STATUS(gameye_start_options_set_image(options, image), GAMEYE_STATUS_OK);
    }
    status = gameye_start_session(client, options, out, out_error);
    gameye_start_options_free(options);
    return status;
}

/* A retried start never adopts someone else's server, and a failed start names its id. */
static void test_safe_start(void) {
    gameye_client *client = client_with(2, 10000);
    gameye_started_session *started = NULL;
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    harness_reset();

    /* Our own start whose answer was lost: the retry's 409 is our session, described. */
    CHECK(mock_fault("{\"operation\":\"session-run\",\"drop_after_bytes\":0,\"times\":1}"));
    CHECK_STATUS(start_as(client, "lost-answer", "nginx", &started, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL && started != NULL);
    CHECK_STR(gameye_started_session_id(started), "lost-answer");
    CHECK(gameye_started_session_host(started) != NULL);
    gameye_started_session_free(started);
    CHECK_STATUS(gameye_describe_session(client, "lost-answer", &session, NULL), GAMEYE_STATUS_OK);
    gameye_session_free(session);

    /* A stranger's server holds the id. */
    CHECK_STATUS(start_as(client, "taken", "my-game", &started, NULL), GAMEYE_STATUS_OK);
    gameye_started_session_free(started);
    /* ... after a lost connection: described, but it is not what was asked for. */
    CHECK(mock_fault("{\"operation\":\"session-run\",\"drop_after_bytes\":0,\"times\":1}"));
    CHECK_STATUS(start_as(client, "taken", "nginx", &started, &error), GAMEYE_STATUS_CONFLICT);
    CHECK(started == NULL);
    CHECK_STR(gameye_error_session_id(error), "taken");
    CHECK(gameye_error_hint(error) != NULL && strstr(gameye_error_hint(error), "another session") != NULL);
    gameye_error_free(error);
    /* ... after a 503, which proves the first attempt created nothing: a plain conflict. */
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":503,\"times\":1}"));
    CHECK_STATUS(start_as(client, "taken", "my-game", &started, &error), GAMEYE_STATUS_CONFLICT);
    CHECK(started == NULL && gameye_error_attempts(error) == 2);
    CHECK_STR(gameye_error_session_id(error), "taken");
    gameye_error_free(error);

    /* A start that failed on a 5xx names the id it sent, generated or not. */
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":500,\"times\":3}"));
    CHECK_STATUS(start_as(client, "failing-id", "nginx", &started, &error), GAMEYE_STATUS_SERVER);
    CHECK_STR(gameye_error_session_id(error), "failing-id");
    gameye_error_free(error);
    CHECK(mock_fault("{\"operation\":\"session-run\",\"status\":500,\"times\":3}"));
    CHECK_STATUS(start_as(client, NULL, "nginx", &started, &error), GAMEYE_STATUS_SERVER);
    CHECK(gameye_error_session_id(error) != NULL && strlen(gameye_error_session_id(error)) == 36);
    gameye_error_free(error);
    /* Refused before sending: no id went out. */
    CHECK_STATUS(start_as(client, "never-sent", NULL, &started, &error), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_error_session_id(error) == NULL);
    gameye_error_free(error);
    /* Every other call: NULL. */
    CHECK_STATUS(gameye_describe_session(client, "nope", &session, &error), GAMEYE_STATUS_NOT_FOUND);
    CHECK(gameye_error_session_id(error) == NULL && gameye_error_session_id(NULL) == NULL);
    CHECK(gameye_error_hint(NULL) == NULL);
    gameye_error_free(error);
    mock_clear_faults();
    gameye_client_free(client);
}

/* What the log hook heard. */
struct heard {
    int lines;
    int with_token;
    int redacted;
};

static void hear(gameye_log_level level, const char *message, void *user_data) {
    struct heard *heard = (struct heard *)user_data;
    (void)level;
    heard->lines++;
    heard->with_token += strstr(message, TOKEN) != NULL;
    heard->redacted += strstr(message, "[redacted]") != NULL;
}

static int holds_token(const char *text) { return text != NULL && strstr(text, TOKEN) != NULL; }

/* A proxy or server that echoes the Authorization header never brings the token back. */
static void test_an_echoed_token_is_removed(void) {
    gameye_client_config *config = config_with(2, 10000);
    gameye_client *client = NULL;
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    struct heard heard = {0, 0, 0};
    harness_reset();
    CHECK_STATUS(gameye_client_config_set_log_callback(config, GAMEYE_LOG_INFO, hear, &heard), GAMEYE_STATUS_OK);
    client = harness_client(config);

    /* A JSON ErrorResponse on a 5xx that is retried until the policy is spent. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":502,\"times\":3,\"body\":"
                     "\"{\\\"message\\\":\\\"echo: Bearer test-token\\\","
                     "\\\"details\\\":\\\"Authorization: Bearer test-token\\\","
                     "\\\"code\\\":\\\"test-token\\\",\\\"path\\\":\\\"/session?t=test-token\\\","
                     "\\\"identifier\\\":\\\"id-test-token\\\",\\\"timestamp\\\":\\\"test-token\\\","
                     "\\\"violations\\\":[{\\\"field\\\":\\\"test-token\\\","
                     "\\\"description\\\":\\\"Bearer test-token\\\"}]}\"}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_SERVER);
    CHECK(gameye_error_attempts(error) == 3);
    CHECK_STR(gameye_error_message(error), "echo: Bearer [redacted]");
    CHECK(!holds_token(gameye_error_details(error)) && !holds_token(gameye_error_code(error)));
    CHECK(!holds_token(gameye_error_path(error)) && !holds_token(gameye_error_identifier(error)));
    CHECK(!holds_token(gameye_error_timestamp(error)) && !holds_token(gameye_error_hint(error)));
    CHECK(!holds_token(gameye_error_violation_field(error, 0)));
    CHECK(!holds_token(gameye_error_violation_description(error, 0)));
    gameye_error_free(error);

    /* A text body from a proxy. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":401,\"content_type\":\"text\",\"times\":1,"
                     "\"body\":\"denied: Authorization: Bearer test-token\"}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_UNAUTHORIZED);
    CHECK(!holds_token(gameye_error_message(error)) && !holds_token(gameye_error_hint(error)));
    CHECK(strstr(gameye_error_message(error), "[redacted]") != NULL);
    gameye_error_free(error);

    /* Not in any log line either, though each failed attempt was logged with its message. */
    CHECK(heard.lines == 4 && heard.with_token == 0 && heard.redacted == 4);
    mock_clear_faults();
    gameye_client_free(client);
}

/* Retry-After sets the next wait, within the policy's maximum delay and the call's deadline. */
static void test_retry_after(void) {
    gameye_client_config *config = harness_config(TOKEN, 3000);
    gameye_client *client = NULL;
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    double started;
    CHECK_STATUS(gameye_client_config_set_retry(config, 2, 10, 2000), GAMEYE_STATUS_OK);
    client = harness_client(config);
    harness_reset();
    /* Past the policy's maximum delay: no retry; the server's answer, its wait in the hint. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":420,\"retry_after\":\"60\",\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_RATE_LIMITED);
    CHECK(gameye_error_attempts(error) == 1);
    CHECK(gameye_error_hint(error) != NULL && strstr(gameye_error_hint(error), "60000 ms") != NULL);
    gameye_error_free(error);
    /* Within both: the retry waits what was asked (at least 1 s, where the backoff is 10 ms). */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":503,\"retry_after\":\"1\",\"times\":1}"));
    started = now_seconds();
    list_ends_in(client, GAMEYE_STATUS_OK, 2.0, 0);
    CHECK(now_seconds() - started >= 0.95);
    /* An HTTP date in the past asks for no wait: retried at once. */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":429,\"times\":1,"
                     "\"retry_after\":\"Sun, 06 Nov 1994 08:49:37 GMT\"}"));
    list_ends_in(client, GAMEYE_STATUS_OK, 1.0, 0);
    mock_clear_faults();
    gameye_client_free(client);
}

/* Error bodies of other shapes keep their words; the server's message stays unchanged. */
static void test_foreign_error_bodies(void) {
    gameye_client *client = client_with(0, 10000);
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    harness_reset();
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":502,\"times\":1,\"body\":"
                     "\"{\\\"type\\\":\\\"about:blank\\\",\\\"title\\\":\\\"Bad Gateway\\\","
                     "\\\"detail\\\":\\\"upstream api-7 timed out\\\"}\"}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_SERVER);
    CHECK_STR(gameye_error_message(error), "HTTP 502: Bad Gateway: upstream api-7 timed out");
    gameye_error_free(error);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"status\":420,\"times\":1,\"body\":"
                     "\"{\\\"message\\\":\\\" No capacity. \\\"}\"}"));
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, &error), GAMEYE_STATUS_RATE_LIMITED);
    CHECK_STR(gameye_error_message(error), " No capacity. ");
    CHECK(gameye_error_hint(error) != NULL && strstr(gameye_error_hint(error), "another location") != NULL);
    gameye_error_free(error);
    mock_clear_faults();
    gameye_client_free(client);
}

/* Ids that would name another path are refused before anything is sent. */
static void test_dot_segments_are_refused(void) {
    gameye_client *client = client_with(0, 10000);
    gameye_session *session = (gameye_session *)1;
    gameye_logs *logs = (gameye_logs *)1;
    bool exists = true;
    const char *const ids[] = {"", ".", ".."};
    size_t i;
    harness_reset();
    for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        CHECK_STATUS(gameye_describe_session(client, ids[i], &session, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
        CHECK(session == NULL);
        CHECK_STATUS(gameye_stop_session(client, ids[i], NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(gameye_tag_exists(client, "europe", ids[i], "1.0", &exists, NULL),
                     GAMEYE_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(gameye_tag_exists(client, ids[i], "nginx", "1.0", &exists, NULL),
                     GAMEYE_STATUS_INVALID_ARGUMENT);
    }
    CHECK_STATUS(gameye_get_logs(client, "..", &logs, NULL), GAMEYE_STATUS_NOT_FOUND); /* a query value, not a path */
    CHECK(logs == NULL);
    CHECK_STATUS(gameye_describe_session(client, "...", &session, NULL), GAMEYE_STATUS_NOT_FOUND);
    gameye_client_free(client);
}

/* A served session whose strings C could only read cut short, and a fractional port. */
static void test_nul_and_fractional_port(void) {
    gameye_client *client = client_with(0, 10000);
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    harness_reset();
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"status\":200,\"times\":1,\"body\":"
                     "\"{\\\"id\\\":\\\"a\\\",\\\"image\\\":\\\"i\\\",\\\"location\\\":\\\"l\\\","
                     "\\\"host\\\":\\\"evil\\\\u0000.example\\\",\\\"created\\\":1,\\\"port\\\":{}}\"}"));
    CHECK_STATUS(gameye_describe_session(client, "a", &session, &error), GAMEYE_STATUS_DECODE);
    CHECK(session == NULL && strstr(gameye_error_message(error), "`host`") != NULL);
    CHECK(strstr(gameye_error_message(error), "U+0000") != NULL);
    gameye_error_free(error);
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"status\":200,\"times\":1,\"body\":"
                     "\"{\\\"id\\\":\\\"a\\\",\\\"image\\\":\\\"i\\\",\\\"location\\\":\\\"l\\\","
                     "\\\"host\\\":\\\"h\\\",\\\"created\\\":1,"
                     "\\\"port\\\":{\\\"7777/udp\\\":6898.11,\\\"80/tcp\\\":6898.0}}\"}"));
    CHECK_STATUS(gameye_describe_session(client, "a", &session, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_session_port_count(session) == 2);
    CHECK(gameye_port_host(gameye_session_port_get(session, 0)) == 0); /* not a valid port */
    CHECK(gameye_port_host(gameye_session_port_get(session, 1)) == 6898);
    gameye_session_free(session);
    mock_clear_faults();
    gameye_client_free(client);
}

int main(void) {
    test_retries();
    test_transport_faults();
    test_limits_and_refusal();
    test_secure_defaults();
    test_safe_start();
    test_an_echoed_token_is_removed();
    test_retry_after();
    test_foreign_error_bodies();
    test_dot_segments_are_refused();
    test_nul_and_fractional_port();
    return harness_finish("test_faults");
}
