/*
 * harness.h: a minimal test harness for the C test programs, and a helper that drives the
 * emulator's admin API (/_mock/...) over a plain socket, so tests can inject faults.
 * POSIX only (the test suite runs on Linux).
 */
#ifndef GAMEYE_TEST_HARNESS_H
#define GAMEYE_TEST_HARNESS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gameye.h"

static int harness_passed = 0;
static int harness_failed = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            harness_passed++;                                                       \
        } else {                                                                    \
            harness_failed++;                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

#define CHECK_STATUS(expr, expected)                                                   \
    do {                                                                               \
        gameye_status check_status_ = (expr);                                          \
        gameye_status check_expected_ = (expected);                                    \
        if (check_status_ == check_expected_) {                                        \
            harness_passed++;                                                          \
        } else {                                                                       \
            harness_failed++;                                                          \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, \
                    #expr, gameye_status_name(check_status_),                          \
                    gameye_status_name(check_expected_));                              \
        }                                                                              \
    } while (0)

#define CHECK_STR(actual, expected)                                                          \
    do {                                                                                     \
        const char *check_a_ = (actual);                                                     \
        const char *check_e_ = (expected);                                                   \
        if (check_a_ && check_e_ && strcmp(check_a_, check_e_) == 0) {                       \
            harness_passed++;                                                                \
        } else {                                                                             \
            harness_failed++;                                                                \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__,    \
                    #actual, check_a_ ? check_a_ : "(null)", check_e_ ? check_e_ : "(null)"); \
        }                                                                                    \
    } while (0)

/* Prints the closing line and returns the exit code. */
static inline int harness_finish(const char *name) {
    printf("%s: %d passed, %d failed\n", name, harness_passed, harness_failed);
    return harness_failed == 0 ? 0 : 1;
}

static inline const char *harness_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "missing environment variable %s\n", name);
        exit(2);
    }
    return value;
}

/* Client settings for the emulator (GAMEYE_TEST_URL) with `token`, no retries (each request's
 * status is checked on its own; test_faults.c sets its own) and `timeout_ms`. */
static inline gameye_client_config *harness_config(const char *token, uint32_t timeout_ms) {
    gameye_client_config *config = gameye_client_config_new();
    CHECK(config != NULL);
    CHECK_STATUS(gameye_client_config_set_base_url(config, harness_env("GAMEYE_TEST_URL")),
                 GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_token(config, token), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_retry(config, 0, 0, 0), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_timeout_ms(config, timeout_ms), GAMEYE_STATUS_OK);
    return config;
}

/* A client from `config`, which it frees. */
static inline gameye_client *harness_client(gameye_client_config *config) {
    gameye_client *client = NULL;
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_OK);
    gameye_client_config_free(config);
    return client;
}

/* Sends one request to the emulator on 127.0.0.1 and returns the HTTP status (or -1); the
 * response (head and body) goes to `response` when it is not NULL. */
static inline int mock_admin_read(const char *method, const char *path, const char *body,
                                  char *response, size_t size) {
    const char *url = harness_env("GAMEYE_TEST_URL"); /* http://127.0.0.1:PORT */
    const char *colon = strrchr(url, ':');
    int port = colon ? atoi(colon + 1) : 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    char request[4096];
    char head[512];
    int length;
    ssize_t got;
    size_t total = 0;
    int status = -1;
    if (response == NULL) {
        response = head;
        size = sizeof head;
    }
    if (fd < 0) {
        return -1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    length = snprintf(request, sizeof request,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                      method, path, body ? strlen(body) : 0, body ? body : "");
    if (length > 0 && (size_t)length < sizeof request &&
        write(fd, request, (size_t)length) == (ssize_t)length) {
        while (total + 1 < size && (got = read(fd, response + total, size - 1 - total)) > 0) {
            total += (size_t)got;
        }
        response[total] = '\0';
        if (total > 12) {
            status = atoi(response + 9);
        }
    }
    close(fd);
    return status;
}

/* Sends one request to the emulator and returns the HTTP status (or -1). */
static inline int mock_admin(const char *method, const char *path, const char *body) {
    return mock_admin_read(method, path, body, NULL, 0);
}

/* Adds a fault (JSON as in `gameye-mock --help`); returns 1 when the emulator took it. */
static inline int mock_fault(const char *json) { return mock_admin("POST", "/_mock/faults", json) == 201; }

/* Removes every fault. */
static inline void mock_clear_faults(void) { (void)mock_admin("DELETE", "/_mock/faults", NULL); }

/* Back to the emulator's initial state. */
static inline void harness_reset(void) { CHECK(mock_admin("POST", "/_mock/reset", NULL) == 204); }

#endif
