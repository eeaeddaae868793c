/*
 * test_operations.c: player join/leave, logs (whole and followed), artifacts, available
 * locations, tag checks and the connection rules (probe, access check) through the C API,
 * against the emulator. Built and run by
 * tests/c_abi.rs like test_core.c, plainly and under ASan + UBSan.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"

static const char *const TOKEN = "test-token";

static gameye_client *client_with(const char *token) {
    return harness_client(harness_config(token, 10000));
}

/* Starts a session with a fixed id in europe. */
static void start(gameye_client *client, const char *id, const char *image) {
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = NULL;
    CHECK_STATUS(gameye_start_options_set_id(options, id), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, image), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session(client, options, &started, NULL), GAMEYE_STATUS_OK);
    gameye_started_session_free(started);
    gameye_start_options_free(options);
}

static int list_has(const gameye_string_list *list, const char *value) {
    size_t i;
    for (i = 0; i < gameye_string_list_len(list); i++) {
        if (strcmp(gameye_string_list_get(list, i), value) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Checks a failed call's status, the HTTP status of its error and its message, then frees the
 * error. Takes the error's address: C leaves the order of argument evaluation unspecified, so
 * the error may only be read once the call has returned. */
static void expect_error(gameye_status status, gameye_error **error, gameye_status expected,
                         unsigned http) {
    CHECK_STATUS(status, expected);
    CHECK(*error != NULL && gameye_error_http_status(*error) == http);
    CHECK(*error != NULL && gameye_error_message(*error) != NULL);
    gameye_error_free(*error);
    *error = NULL;
}

static void test_join_and_leave(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_client *wrong = client_with("wrong-token");
    const char *players[] = {"p1", "p2"};
    const char *again[] = {"p2", "p3"};
    const char *leaving[] = {"p1"};
    const char *unknown[] = {"nobody"};
    const char *with_empty[] = {"ok", ""};
    const char *with_null[] = {"ok", NULL};
    gameye_roster *roster = (gameye_roster *)1;
    gameye_session *described = NULL;
    gameye_error *error = NULL;
    harness_reset();
    start(client, "s1", "nginx");

    CHECK_STATUS(gameye_join_session(client, "s1", players, 2, &roster, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK(gameye_roster_count(roster) == 2);
    CHECK(gameye_string_list_len(gameye_roster_players(roster)) == 2);
    CHECK_STR(gameye_string_list_get(gameye_roster_players(roster), 1), "p2");
    gameye_roster_free(roster);
    CHECK_STATUS(gameye_join_session(client, "s1", again, 2, &roster, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_roster_count(roster) == 3);
    CHECK(gameye_string_list_len(gameye_roster_players(roster)) == 1); /* p2 was there already */
    gameye_roster_free(roster);

    CHECK_STATUS(gameye_describe_session(client, "s1", &described, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_session_player_count(described) == 3);
    CHECK(list_has(gameye_session_players(described), "p3"));
    gameye_session_free(described);

    CHECK_STATUS(gameye_leave_session(client, leaving, 1, &roster, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_roster_count(roster) == 2);
    CHECK_STR(gameye_string_list_get(gameye_roster_players(roster), 0), "p1");
    gameye_roster_free(roster);

    /* Every documented status of both operations. */
    expect_error(gameye_join_session(client, "nope", players, 2, &roster, &error), &error,
                 GAMEYE_STATUS_NOT_FOUND, 404);
    CHECK(roster == NULL);
    expect_error(gameye_leave_session(client, unknown, 1, &roster, &error), &error,
                 GAMEYE_STATUS_NOT_FOUND, 404);
    expect_error(gameye_join_session(wrong, "s1", players, 2, &roster, &error), &error,
                 GAMEYE_STATUS_UNAUTHORIZED, 401);
    expect_error(gameye_leave_session(wrong, leaving, 1, &roster, &error), &error,
                 GAMEYE_STATUS_UNAUTHORIZED, 401);
    CHECK(mock_fault("{\"operation\":\"join-session\",\"status\":403,\"times\":1}"));
    expect_error(gameye_join_session(client, "s1", players, 2, &roster, &error), &error,
                 GAMEYE_STATUS_FORBIDDEN, 403);
    CHECK(mock_fault("{\"operation\":\"leave-session\",\"status\":403,\"times\":1}"));
    expect_error(gameye_leave_session(client, leaving, 1, &roster, &error), &error,
                 GAMEYE_STATUS_FORBIDDEN, 403);
    CHECK(mock_fault("{\"operation\":\"join-session\",\"status\":422,\"times\":1}"));
    expect_error(gameye_join_session(client, "s1", players, 2, &roster, &error), &error,
                 GAMEYE_STATUS_INVALID_REQUEST, 422);
    CHECK(mock_fault("{\"operation\":\"leave-session\",\"status\":422,\"times\":1}"));
    expect_error(gameye_leave_session(client, leaving, 1, &roster, &error), &error,
                 GAMEYE_STATUS_INVALID_REQUEST, 422);

    /* Bad arguments never reach the server. */
    CHECK_STATUS(gameye_join_session(client, "s1", players, 0, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session(client, "s1", NULL, 2, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session(client, "s1", with_empty, 2, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session(client, "s1", with_null, 2, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session(client, "", players, 2, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session(client, NULL, players, 2, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session(client, "s1", players, 2, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_leave_session(client, NULL, 0, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_leave_session(NULL, leaving, 1, &roster, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(roster == NULL);
    CHECK(gameye_roster_count(NULL) == -1 && gameye_roster_players(NULL) == NULL);
    gameye_roster_free(NULL);
    gameye_client_free(client);
    gameye_client_free(wrong);
}

static void test_whole_logs(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_client *nobody = client_with("nobody");
    gameye_logs *logs = (gameye_logs *)1;
    gameye_error *error = NULL;
    harness_reset();
    start(client, "s1", "my-game");
    CHECK(mock_admin("POST", "/_mock/sessions/s1/log", "a line from the C test") == 204);
    CHECK_STATUS(gameye_get_logs(client, "s1", &logs, &error), GAMEYE_STATUS_OK);
    CHECK(gameye_logs_len(logs) > 0);
    CHECK(gameye_logs_data(logs)[gameye_logs_len(logs)] == '\0');
    CHECK(strstr(gameye_logs_data(logs), "starting container s1") != NULL);
    CHECK(strstr(gameye_logs_data(logs), "a line from the C test") != NULL);
    gameye_logs_free(logs);
    expect_error(gameye_get_logs(client, "nope", &logs, &error), &error, GAMEYE_STATUS_NOT_FOUND, 404);
    CHECK(logs == NULL);
    expect_error(gameye_get_logs(nobody, "s1", &logs, &error), &error, GAMEYE_STATUS_FORBIDDEN, 403);
    CHECK_STATUS(gameye_get_logs(client, NULL, &logs, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_get_logs(client, "s1", NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_logs_data(NULL) == NULL && gameye_logs_len(NULL) == 0);
    gameye_logs_free(NULL);
    gameye_client_free(client);
    gameye_client_free(nobody);
}

/* Reads lines until one contains `needle`; returns 1 when found before the stream ended. */
static int wait_for_line(gameye_log_stream *stream, const char *needle) {
    int rounds;
    for (rounds = 0; rounds < 200; rounds++) {
        const char *line = NULL;
        size_t len = 0;
        bool ended = false;
        gameye_status status = gameye_log_stream_next(stream, 100, &line, &len, &ended, NULL);
        if (status != GAMEYE_STATUS_OK || ended) {
            return 0;
        }
        if (line != NULL) {
            CHECK(strlen(line) == len);
            if (strstr(line, needle) != NULL) {
                return 1;
            }
        }
    }
    return 0;
}

static void test_followed_logs(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_log_stream *stream = (gameye_log_stream *)1;
    gameye_error *error = NULL;
    const char *line = (const char *)1;
    bool ended = true;
    int saw_stop = 0;
    int rounds;
    harness_reset();
    start(client, "s1", "my-game");
    CHECK_STATUS(gameye_follow_logs(client, "s1", 30000, &stream, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL && stream != NULL);
    CHECK(wait_for_line(stream, "pulling image"));
    /* Lines written while we follow arrive. */
    CHECK(mock_admin("POST", "/_mock/sessions/s1/log", "written while followed") == 204);
    CHECK(wait_for_line(stream, "written while followed"));
    /* Stopping the session ends the stream cleanly. */
    CHECK_STATUS(gameye_stop_session(client, "s1", NULL), GAMEYE_STATUS_OK);
    for (rounds = 0; rounds < 200; rounds++) {
        CHECK_STATUS(gameye_log_stream_next(stream, 100, &line, NULL, &ended, NULL), GAMEYE_STATUS_OK);
        if (line != NULL && strstr(line, "SIGTERM") != NULL) {
            saw_stop = 1;
        }
        if (ended) {
            break;
        }
    }
    CHECK(saw_stop && ended && line == NULL);
    CHECK_STATUS(gameye_log_stream_next(stream, 0, &line, NULL, &ended, NULL), GAMEYE_STATUS_OK);
    CHECK(ended && line == NULL); /* ended stays ended */
    gameye_log_stream_free(stream);

    expect_error(gameye_follow_logs(client, "nope", 0, &stream, &error), &error, GAMEYE_STATUS_NOT_FOUND, 404);
    CHECK(stream == NULL);
    CHECK_STATUS(gameye_follow_logs(client, "s1", 0, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_log_stream_next(NULL, 0, &line, NULL, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_log_stream_cancel(NULL);
    gameye_log_stream_free(NULL);
    gameye_client_free(client);
}

static void *cancel_soon(void *stream) {
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);
    gameye_log_stream_cancel((const gameye_log_stream *)stream);
    return NULL;
}

static void test_cancel_from_another_thread(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_log_stream *stream = NULL;
    gameye_error *error = NULL;
    const char *line = NULL;
    pthread_t canceller;
    harness_reset();
    start(client, "quiet", "nginx");
    CHECK_STATUS(gameye_follow_logs(client, "quiet", 0, &stream, NULL), GAMEYE_STATUS_OK);
    CHECK(wait_for_line(stream, "listening on"));
    /* Nothing more will come for a while: block in next() and cancel from another thread. */
    CHECK(pthread_create(&canceller, NULL, cancel_soon, stream) == 0);
    CHECK_STATUS(gameye_log_stream_next(stream, 60000, &line, NULL, NULL, &error), GAMEYE_STATUS_CANCELLED);
    CHECK(line == NULL && error != NULL && gameye_error_status(error) == GAMEYE_STATUS_CANCELLED);
    gameye_error_free(error);
    CHECK(pthread_join(canceller, NULL) == 0);
    CHECK_STATUS(gameye_log_stream_next(stream, 0, &line, NULL, NULL, NULL), GAMEYE_STATUS_CANCELLED);
    gameye_log_stream_free(stream);

    /* Freeing a stream nobody cancelled, with its reader blocked, returns promptly. */
    CHECK_STATUS(gameye_follow_logs(client, "quiet", 0, &stream, NULL), GAMEYE_STATUS_OK);
    gameye_log_stream_free(stream);
    gameye_client_free(client);
}

struct progress {
    unsigned calls;
    uint64_t last;
    uint64_t total;
    int cancel_after;
};

static bool on_progress(uint64_t received, uint64_t total, void *user_data) {
    struct progress *progress = (struct progress *)user_data;
    CHECK(received > progress->last);
    progress->calls++;
    progress->last = received;
    progress->total = total;
    return progress->cancel_after == 0 || (int)progress->calls < progress->cancel_after;
}

static int file_exists(const char *path) {
    struct stat info;
    return stat(path, &info) == 0;
}

/* Counts the entries of a directory other than . and .. */
static int entries_in(const char *dir) {
    char command[512];
    FILE *pipe;
    int count = 0;
    char line[512];
    snprintf(command, sizeof command, "ls -A '%s'", dir);
    pipe = popen(command, "r");
    if (pipe == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, pipe) != NULL) {
        count++;
    }
    pclose(pipe);
    return count;
}

static void test_artifacts(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_client *nobody = client_with("nobody");
    gameye_error *error = NULL;
    struct progress progress = {0, 0, 0, 0};
    char dir[] = "/tmp/gameye-artifacts-XXXXXX";
    char destination[600];
    char command[1400];
    char extracted[700];
    uint64_t bytes = 99;
    FILE *file;
    char content[256] = {0};
    harness_reset();
    CHECK(mkdtemp(dir) != NULL);
    snprintf(destination, sizeof destination, "%s/crash.tar.gz", dir);
    start(client, "s1", "nginx");

    /* Only after the session stopped. */
    expect_error(gameye_download_artifact(client, "s1", "/home/game/crash.log", destination, 0, NULL,
                                          NULL, &bytes, &error), &error, GAMEYE_STATUS_NOT_FOUND, 404);
    CHECK(bytes == 0 && !file_exists(destination) && entries_in(dir) == 0);
    CHECK_STATUS(gameye_stop_session(client, "s1", NULL), GAMEYE_STATUS_OK);

    CHECK(mock_admin("POST", "/_mock/artifact-padding", "{\"bytes\": 2000000}") == 204);
    CHECK_STATUS(gameye_download_artifact(client, "s1", "/home/game/crash.log", destination, 0,
                                          on_progress, &progress, &bytes, &error),
                 GAMEYE_STATUS_OK);
    CHECK(error == NULL && bytes > 2000000);
    CHECK(progress.calls > 5 && progress.last == bytes && progress.total == bytes);
    snprintf(command, sizeof command, "tar -xzf '%s' -C '%s'", destination, dir);
    CHECK(system(command) == 0);
    snprintf(extracted, sizeof extracted, "%s/home/game/crash.log", dir);
    file = fopen(extracted, "r");
    CHECK(file != NULL);
    if (file != NULL) {
        CHECK(fread(content, 1, sizeof content - 1, file) > 0);
        fclose(file);
    }
    CHECK(strstr(content, "pulling image nginx") != NULL);
    snprintf(command, sizeof command, "rm -rf '%s'/home '%s'/padding.bin '%s'", dir, dir, destination);
    CHECK(system(command) == 0);

    /* Over the cap, cancelled by the callback, cut by the server: nothing is left behind. */
    expect_error(gameye_download_artifact(client, "s1", "/x", destination, 1000, NULL, NULL, &bytes, &error), &error, GAMEYE_STATUS_DECODE, 0);
    progress.calls = 0;
    progress.last = 0;
    progress.cancel_after = 3;
    CHECK_STATUS(gameye_download_artifact(client, "s1", "/x", destination, 0, on_progress, &progress, NULL, NULL),
                 GAMEYE_STATUS_CANCELLED);
    CHECK(progress.calls == 3);
    CHECK(mock_fault("{\"operation\":\"artifacts\",\"drop_after_bytes\":100000,\"times\":1}"));
    CHECK_STATUS(gameye_download_artifact(client, "s1", "/x", destination, 0, NULL, NULL, NULL, NULL),
                 GAMEYE_STATUS_TRANSPORT);
    CHECK(entries_in(dir) == 0);

    expect_error(gameye_download_artifact(nobody, "s1", "/x", destination, 0, NULL, NULL, NULL, &error), &error, GAMEYE_STATUS_FORBIDDEN, 403);
    CHECK(mock_fault("{\"operation\":\"artifacts\",\"status\":401,\"times\":1}"));
    expect_error(gameye_download_artifact(client, "s1", "/x", destination, 0, NULL, NULL, NULL, &error), &error, GAMEYE_STATUS_UNAUTHORIZED, 401);
    CHECK_STATUS(gameye_download_artifact(client, "s1", "relative", destination, 0, NULL, NULL, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_download_artifact(client, "s1", "/x", "/nonexistent-dir/x.tar.gz", 0, NULL, NULL, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_download_artifact(client, "s1", "/x", NULL, 0, NULL, NULL, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_download_artifact(NULL, "s1", "/x", destination, 0, NULL, NULL, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(entries_in(dir) == 0);
    CHECK(rmdir(dir) == 0);
    gameye_client_free(client);
    gameye_client_free(nobody);
}

static void test_locations_and_tags(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_client *wrong = client_with("wrong-token");
    gameye_client *reader = client_with("reader");
    gameye_location_list *list = (gameye_location_list *)1;
    const gameye_location *location;
    gameye_error *error = NULL;
    bool exists = true;
    harness_reset();
    CHECK_STATUS(gameye_get_available_locations(client, "my-game", &list, &error), GAMEYE_STATUS_OK);
    CHECK(gameye_location_list_len(list) == 3);
    location = gameye_location_list_get(list, 0);
    CHECK_STR(gameye_location_id(location), "europe");
    CHECK(gameye_string_list_len(gameye_location_ips(location)) == 1);
    CHECK_STR(gameye_string_list_get(gameye_location_ips(location), 0), "127.0.0.1");
    CHECK(gameye_location_list_get(list, 3) == NULL);
    gameye_location_list_free(list);

    expect_error(gameye_get_available_locations(client, "doom", &list, &error), &error, GAMEYE_STATUS_NOT_FOUND, 404);
    CHECK(list == NULL);
    expect_error(gameye_get_available_locations(wrong, "my-game", &list, &error), &error,
                 GAMEYE_STATUS_UNAUTHORIZED, 401);
    expect_error(gameye_get_available_locations(reader, "my-game", &list, &error), &error,
                 GAMEYE_STATUS_FORBIDDEN, 403);

    CHECK_STATUS(gameye_tag_exists(client, "europe", "my-game", "1.0.0", &exists, NULL), GAMEYE_STATUS_OK);
    CHECK(exists);
    CHECK_STATUS(gameye_tag_exists(client, "europe", "my-game", "0.0.1", &exists, NULL), GAMEYE_STATUS_OK);
    CHECK(!exists);
    exists = true;
    expect_error(gameye_tag_exists(client, "mars", "my-game", "1.0.0", &exists, &error), &error,
                 GAMEYE_STATUS_INVALID_REQUEST, 400);
    CHECK(!exists);
    expect_error(gameye_tag_exists(client, "europe", "doom", "1", &exists, &error), &error, GAMEYE_STATUS_NOT_FOUND, 404);
    expect_error(gameye_tag_exists(wrong, "europe", "my-game", "1", &exists, &error), &error,
                 GAMEYE_STATUS_UNAUTHORIZED, 401);
    expect_error(gameye_tag_exists(reader, "europe", "my-game", "1", &exists, &error), &error,
                 GAMEYE_STATUS_FORBIDDEN, 403);
    CHECK_STATUS(gameye_tag_exists(client, "europe", "my-game", "1", NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_tag_exists(client, "europe", NULL, "1", &exists, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_tag_exists(client, "", "my-game", "1", &exists, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_location_list_len(NULL) == 0 && gameye_location_list_get(NULL, 0) == NULL);
    CHECK(gameye_location_id(NULL) == NULL && gameye_location_ips(NULL) == NULL);
    gameye_location_list_free(NULL);
    gameye_client_free(client);
    gameye_client_free(wrong);
    gameye_client_free(reader);
}

/* The connection rules: endpoint, TLS roots, a probe with and without the token, and the
 * access check for a full, a read-only and a wrong token. */
static void test_diagnostics(void) {
    gameye_client *client = client_with(TOKEN);
    gameye_client *reader = client_with("reader");
    gameye_client *wrong = client_with("wrong-token");
    gameye_probe *probe = (gameye_probe *)1;
    gameye_access_list *list = (gameye_access_list *)1;
    gameye_error *error = NULL;
    size_t custom = 99, i;
    int64_t now_ms = (int64_t)time(NULL) * 1000, offset;
    harness_reset();
    CHECK(strncmp(gameye_client_endpoint(client), "http://127.0.0.1:", 17) == 0);
    CHECK(gameye_client_endpoint(NULL) == NULL);
    CHECK(gameye_client_tls_roots(client, &custom) == GAMEYE_TLS_ROOTS_NONE && custom == 0);
    CHECK(gameye_client_tls_roots(client, NULL) == GAMEYE_TLS_ROOTS_NONE);
    CHECK(gameye_client_tls_roots(NULL, &custom) == -1);

    CHECK_STATUS(gameye_client_probe(client, false, &probe, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK(gameye_probe_http_status(probe) == 401);
    CHECK(!gameye_probe_tls_verified(probe));
    CHECK(gameye_probe_elapsed_ms(probe) < 10000);
    offset = gameye_probe_server_time_unix_ms(probe) - now_ms;
    CHECK(offset > -10000 && offset < 10000);
    gameye_probe_free(probe);
    CHECK_STATUS(gameye_client_probe(client, true, &probe, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_probe_http_status(probe) == 200);
    gameye_probe_free(probe);
    CHECK_STATUS(gameye_client_probe(NULL, true, &probe, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(probe == NULL);
    CHECK_STATUS(gameye_client_probe(client, true, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_probe_http_status(NULL) == 0 && gameye_probe_elapsed_ms(NULL) == 0);
    CHECK(gameye_probe_server_time_unix_ms(NULL) == 0 && !gameye_probe_tls_verified(NULL));
    gameye_probe_free(NULL);

    CHECK_STATUS(gameye_client_check_access(client, &list, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_access_list_len(list) == 6);
    CHECK_STR(gameye_access_scope(gameye_access_list_get(list, 0)), "session:read");
    CHECK_STR(gameye_access_operation(gameye_access_list_get(list, 0)), "list sessions");
    for (i = 0; i < gameye_access_list_len(list); i++) {
        CHECK(gameye_access_grant(gameye_access_list_get(list, i)) == GAMEYE_GRANT_GRANTED);
        CHECK(gameye_access_error(gameye_access_list_get(list, i)) == NULL);
    }
    CHECK(gameye_access_list_get(list, 6) == NULL);
    gameye_access_list_free(list);

    CHECK_STATUS(gameye_client_check_access(reader, &list, NULL), GAMEYE_STATUS_OK);
    for (i = 0; i < gameye_access_list_len(list); i++) {
        const gameye_access *access = gameye_access_list_get(list, i);
        if (strcmp(gameye_access_scope(access), "session:read") == 0) {
            CHECK(gameye_access_grant(access) == GAMEYE_GRANT_GRANTED);
        } else {
            CHECK(gameye_access_grant(access) == GAMEYE_GRANT_REFUSED);
            CHECK(gameye_error_status(gameye_access_error(access)) == GAMEYE_STATUS_FORBIDDEN);
            CHECK(gameye_error_http_status(gameye_access_error(access)) == 403);
        }
    }
    gameye_access_list_free(list);
    CHECK_STATUS(gameye_client_check_access(wrong, &list, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_error_status(gameye_access_error(gameye_access_list_get(list, 0))) == GAMEYE_STATUS_UNAUTHORIZED);
    gameye_access_list_free(list);
    CHECK_STATUS(gameye_client_check_access(NULL, &list, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(list == NULL);
    CHECK(gameye_access_list_len(NULL) == 0 && gameye_access_list_get(NULL, 0) == NULL);
    CHECK(gameye_access_scope(NULL) == NULL && gameye_access_operation(NULL) == NULL);
    CHECK(gameye_access_grant(NULL) == -1 && gameye_access_error(NULL) == NULL);
    gameye_access_list_free(NULL);
    gameye_client_free(client);
    gameye_client_free(reader);
    gameye_client_free(wrong);
}

struct call_under_free {
    gameye_client *client;
    gameye_status status;
    gameye_error *error;
};

static void *describe_under_free(void *arg) {
    struct call_under_free *call = arg;
    gameye_session *session = NULL;
    call->status = gameye_describe_session(call->client, "under-free-describe", &session, &call->error);
    CHECK(session == NULL);
    return NULL;
}

static void *start_under_free(void *arg) {
    struct call_under_free *call = arg;
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = NULL;
    CHECK_STATUS(gameye_start_options_set_id(options, "under-free-start"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "nginx"), GAMEYE_STATUS_OK);
    call->status = gameye_start_session(call->client, options, &started, &call->error);
    CHECK(started == NULL);
    gameye_start_options_free(options);
    return NULL;
}

/* Freeing a client while other threads are inside blocking calls on it (a game's shutdown: a
   worker in gameye_start_session while the game thread frees the client) interrupts them, and
   they return CANCELLED with a readable error; nothing runs on freed memory (ASan, valgrind). */
static void test_free_under_running_calls(void) {
    static char recorded[256 * 1024];
    gameye_client *client = client_with(TOKEN);
    struct call_under_free describe = {client, GAMEYE_STATUS_OK, NULL};
    struct call_under_free start_call = {client, GAMEYE_STATUS_OK, NULL};
    pthread_t threads[2];
    int waited;
    harness_reset();
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"delay_ms\":30000,\"times\":1}"));
    CHECK(mock_fault("{\"operation\":\"session-run\",\"delay_ms\":30000,\"times\":1}"));
    CHECK(mock_admin("DELETE", "/_mock/requests", NULL) == 204);
    CHECK(pthread_create(&threads[0], NULL, describe_under_free, &describe) == 0);
    CHECK(pthread_create(&threads[1], NULL, start_under_free, &start_call) == 0);
    /* Until the emulator holds both requests: both threads are inside their calls. */
    for (waited = 0; waited < 3000; waited++) {
        if (mock_admin_read("GET", "/_mock/requests", NULL, recorded, sizeof recorded) == 200 &&
            strstr(recorded, "under-free-describe") != NULL && strstr(recorded, "under-free-start") != NULL) {
            break;
        }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    CHECK(waited < 3000);
    gameye_client_free(client);
    CHECK(pthread_join(threads[0], NULL) == 0);
    CHECK(pthread_join(threads[1], NULL) == 0);
    CHECK_STATUS(describe.status, GAMEYE_STATUS_CANCELLED);
    CHECK(describe.error != NULL && strstr(gameye_error_message(describe.error), "freed") != NULL);
    CHECK_STATUS(start_call.status, GAMEYE_STATUS_CANCELLED);
    CHECK(start_call.error != NULL && strstr(gameye_error_message(start_call.error), "freed") != NULL);
    /* The start may have reached the server: its id is reported, so the caller can stop it. */
    CHECK(start_call.error != NULL && gameye_error_session_id(start_call.error) != NULL &&
          strcmp(gameye_error_session_id(start_call.error), "under-free-start") == 0);
    gameye_error_free(describe.error);
    gameye_error_free(start_call.error);
    mock_clear_faults();
}

int main(void) {
    test_join_and_leave();
    test_whole_logs();
    test_followed_logs();
    test_cancel_from_another_thread();
    test_artifacts();
    test_locations_and_tags();
    test_diagnostics();
    test_free_under_running_calls();
    return harness_finish("test_operations");
}
