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
    harness_reset();
    CHECK_STATUS(gameye_client_config_set_max_body_bytes(config, 100), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_max_body_bytes(config, 4096), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_connect_timeout_ms(config, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
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

int main(void) {
    test_retries();
    test_transport_faults();
    test_limits_and_refusal();
    test_secure_defaults();
    return harness_finish("test_faults");
}
