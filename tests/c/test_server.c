/*
 * test_server.c: the game server's side through the C API: the session context from the
 * environment, and the roster reporter (batches reach the server, the bound, a permanent failure
 * through the status, flush and callback, resync, stop, freeing the client first, and freeing the
 * reporter while another thread is inside a flush). NULL-safe everywhere. Run plain, under
 * ASan + UBSan and under valgrind by tests/c_abi.rs.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "harness.h"

static const char *const TOKEN = "test-token";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static gameye_client *client_with_retries(void) {
    gameye_client_config *config = harness_config(TOKEN, 5000);
    CHECK_STATUS(gameye_client_config_set_retry(config, 2, 5, 20), GAMEYE_STATUS_OK);
    return harness_client(config);
}

/* Starts a session of my-game in europe; returns its id (the caller frees it). */
static char *start_session(gameye_client *client) {
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = NULL;
    char *id = NULL;
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "my-game"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session(client, options, &started, NULL), GAMEYE_STATUS_OK);
    if (started != NULL) {
        const char *sid = gameye_started_session_id(started);
        id = malloc(strlen(sid) + 1);
        strcpy(id, sid);
    }
    gameye_started_session_free(started);
    gameye_start_options_free(options);
    return id;
}

/* Whether the server lists exactly `count` players for `session`, `expected` among them. */
static int server_has(gameye_client *client, const char *session, const char *const *expected,
                      size_t count) {
    gameye_session *described = NULL;
    const gameye_string_list *players;
    size_t i, j;
    int ok;
    if (gameye_describe_session(client, session, &described, NULL) != GAMEYE_STATUS_OK) {
        return 0;
    }
    players = gameye_session_players(described);
    ok = players != NULL && gameye_string_list_len(players) == count;
    for (i = 0; ok && i < count; i++) {
        int found = 0;
        for (j = 0; j < gameye_string_list_len(players); j++) {
            found |= strcmp(gameye_string_list_get(players, j), expected[i]) == 0;
        }
        ok = found;
    }
    gameye_session_free(described);
    return ok;
}

static void test_context(void) {
    gameye_session_context *context = (gameye_session_context *)1;
    gameye_error *error = NULL;

    unsetenv("GAMEYE_SESSION_ID");
    unsetenv("GAMEYE_HOST");
    CHECK_STATUS(gameye_session_context_current(&context, &error), GAMEYE_STATUS_NOT_FOUND);
    CHECK(context == NULL && error != NULL);
    CHECK(strstr(gameye_error_message(error), "GAMEYE_SESSION_ID") != NULL);
    gameye_error_free(error);

    setenv("GAMEYE_SESSION_ID", "", 1);
    CHECK_STATUS(gameye_session_context_current(&context, NULL), GAMEYE_STATUS_NOT_FOUND);

    setenv("GAMEYE_SESSION_ID", "match-7", 1);
    CHECK_STATUS(gameye_session_context_current(&context, NULL), GAMEYE_STATUS_OK);
    CHECK_STR(gameye_session_context_id(context), "match-7");
    CHECK(gameye_session_context_host(context) == NULL);
    gameye_session_context_free(context);

    setenv("GAMEYE_HOST", "203.0.113.9", 1);
    CHECK_STATUS(gameye_session_context_current(&context, NULL), GAMEYE_STATUS_OK);
    CHECK_STR(gameye_session_context_host(context), "203.0.113.9");
    gameye_session_context_free(context);

    setenv("GAMEYE_SESSION_ID", "\xff\xfe", 1);
    CHECK_STATUS(gameye_session_context_current(&context, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(context == NULL);
    unsetenv("GAMEYE_SESSION_ID");
    unsetenv("GAMEYE_HOST");

    CHECK_STATUS(gameye_session_context_current(NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_session_context_id(NULL) == NULL);
    CHECK(gameye_session_context_host(NULL) == NULL);
    gameye_session_context_free(NULL);
}

static void test_options_and_nulls(void) {
    gameye_roster_reporter_options *options = gameye_roster_reporter_options_new();
    gameye_roster_reporter *reporter = (gameye_roster_reporter *)1;
    gameye_client *client = client_with_retries();
    CHECK(options != NULL);
    CHECK_STATUS(gameye_roster_reporter_options_set_batch_interval_ms(options, 60001),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_batch_size(options, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_batch_size(options, 10001), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_max_pending(options, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_batch_size(options, 10), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_options_set_failure_callback(options, NULL, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_options_set_batch_interval_ms(NULL, 1), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_batch_size(NULL, 1), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_max_pending(NULL, 1), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_options_set_failure_callback(NULL, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);

    CHECK_STATUS(gameye_roster_reporter_new(NULL, "s", NULL, &reporter, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(reporter == NULL);
    CHECK_STATUS(gameye_roster_reporter_new(client, NULL, NULL, &reporter, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_new(client, "", options, &reporter, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_new(client, "s", options, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_player_joined(NULL, "p"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_player_left(NULL, "p"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_flush(NULL, 0, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_status(NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_resync(NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_stop_session(NULL, 0, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_roster_reporter_pending(NULL) == 0);
    gameye_roster_reporter_free(NULL);
    gameye_roster_reporter_options_free(NULL);

    CHECK_STATUS(gameye_roster_reporter_new(client, "s", options, &reporter, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, ""), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_roster_reporter_player_left(reporter, "\xff"), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_roster_reporter_pending(reporter) == 0);
    gameye_roster_reporter_free(reporter);
    gameye_roster_reporter_options_free(options);
    gameye_client_free(client);
}

struct failures {
    pthread_mutex_t lock;
    int count;
    gameye_status status;
    int had_message;
};

static void on_failure(gameye_status status, const gameye_error *error, void *user_data) {
    struct failures *seen = user_data;
    pthread_mutex_lock(&seen->lock);
    seen->count++;
    seen->status = status;
    seen->had_message = error != NULL && gameye_error_message(error) != NULL &&
                        gameye_error_status(error) == status;
    pthread_mutex_unlock(&seen->lock);
}

static void test_reporting(void) {
    static const char *const abc[] = {"a", "b", "c"};
    static const char *const ac[] = {"a", "c"};
    gameye_client *client = client_with_retries();
    char *session = start_session(client);
    gameye_roster_reporter_options *options = gameye_roster_reporter_options_new();
    gameye_roster_reporter *reporter = NULL;
    gameye_error *error = NULL;
    struct failures seen = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
    int i;

    CHECK_STATUS(gameye_roster_reporter_options_set_batch_interval_ms(options, 20), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_options_set_max_pending(options, 4), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_options_set_failure_callback(options, on_failure, &seen),
                 GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_new(client, session, options, &reporter, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    gameye_roster_reporter_options_free(options);
    /* The client may go first: the reporter keeps what it needs. */
    gameye_client_free(client);
    client = client_with_retries();

    for (i = 0; i < 3; i++) {
        CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, abc[i]), GAMEYE_STATUS_OK);
    }
    CHECK(gameye_roster_reporter_pending(reporter) == 3);
    CHECK_STATUS(gameye_roster_reporter_flush(reporter, 5000, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK(gameye_roster_reporter_pending(reporter) == 0);
    CHECK(server_has(client, session, abc, 3));
    CHECK_STATUS(gameye_roster_reporter_player_left(reporter, "b"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_flush(reporter, 5000, NULL), GAMEYE_STATUS_OK);
    CHECK(server_has(client, session, ac, 2));

    /* The bound: four pending at most; the fifth is refused and changes nothing. */
    CHECK(mock_fault("{\"operation\":\"join-session\",\"delay_ms\":300,\"times\":1}"));
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "d"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "e"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "f"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "g"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "h"), GAMEYE_STATUS_RATE_LIMITED);
    CHECK(gameye_roster_reporter_pending(reporter) == 4);
    CHECK_STATUS(gameye_roster_reporter_flush(reporter, 5000, NULL), GAMEYE_STATUS_OK);
    mock_clear_faults();

    /* A permanent failure: the flush, the status and the callback (once) say so. */
    CHECK(mock_fault("{\"operation\":\"join-session\",\"status\":403,\"times\":1}"));
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "h"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_flush(reporter, 5000, &error), GAMEYE_STATUS_FORBIDDEN);
    CHECK(error != NULL && gameye_error_http_status(error) == 403);
    gameye_error_free(error);
    error = NULL;
    CHECK_STATUS(gameye_roster_reporter_status(reporter, &error), GAMEYE_STATUS_FORBIDDEN);
    CHECK(error != NULL);
    gameye_error_free(error);
    error = NULL;
    pthread_mutex_lock(&seen.lock);
    CHECK(seen.count == 1 && seen.status == GAMEYE_STATUS_FORBIDDEN && seen.had_message);
    pthread_mutex_unlock(&seen.lock);
    CHECK(gameye_roster_reporter_pending(reporter) == 1);
    /* A resync recovers and sends what waited. */
    CHECK_STATUS(gameye_roster_reporter_resync(reporter, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_flush(reporter, 5000, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_status(reporter, &error), GAMEYE_STATUS_OK);
    CHECK(error == NULL);
    CHECK(gameye_roster_reporter_pending(reporter) == 0);

    /* The end of the match. */
    CHECK_STATUS(gameye_roster_reporter_stop_session(reporter, 5000, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "late"), GAMEYE_STATUS_CANCELLED);
    CHECK_STATUS(gameye_roster_reporter_resync(reporter, NULL), GAMEYE_STATUS_CANCELLED);
    gameye_roster_reporter_free(reporter);
    gameye_client_free(client);
    free(session);
}

struct flushing {
    gameye_roster_reporter *reporter;
    gameye_status status;
};

static void *flush_thread(void *argument) {
    struct flushing *flushing = argument;
    flushing->status = gameye_roster_reporter_flush(flushing->reporter, 30000, NULL);
    return NULL;
}

/* Freeing the reporter while another thread waits in a flush and a call hangs on the wire. */
static void test_free_mid_flight(void) {
    gameye_client *client = client_with_retries();
    char *session = start_session(client);
    struct flushing flushing = {NULL, -1};
    pthread_t thread;
    double started;
    CHECK_STATUS(gameye_roster_reporter_new(client, session, NULL, &flushing.reporter, NULL),
                 GAMEYE_STATUS_OK);
    CHECK(mock_fault("{\"operation\":\"join-session\",\"delay_ms\":20000}"));
    CHECK_STATUS(gameye_roster_reporter_player_joined(flushing.reporter, "slow"), GAMEYE_STATUS_OK);
    CHECK(pthread_create(&thread, NULL, flush_thread, &flushing) == 0);
    {
        struct timespec pause = {0, 300 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    started = now_seconds();
    gameye_roster_reporter_free(flushing.reporter);
    CHECK(now_seconds() - started < 3.0);
    pthread_join(thread, NULL);
    CHECK_STATUS(flushing.status, GAMEYE_STATUS_CANCELLED);

    /* Closing first (what a binding whose handle outlives its calls does): the flush ends, later
     * calls are refused, and the free follows once no thread is inside. */
    flushing.status = -1;
    CHECK_STATUS(gameye_roster_reporter_new(client, session, NULL, &flushing.reporter, NULL),
                 GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(flushing.reporter, "slow-2"), GAMEYE_STATUS_OK);
    CHECK(pthread_create(&thread, NULL, flush_thread, &flushing) == 0);
    {
        struct timespec pause = {0, 300 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    started = now_seconds();
    gameye_roster_reporter_close(flushing.reporter);
    CHECK(now_seconds() - started < 3.0);
    pthread_join(thread, NULL);
    CHECK_STATUS(flushing.status, GAMEYE_STATUS_CANCELLED);
    CHECK_STATUS(gameye_roster_reporter_player_joined(flushing.reporter, "late"), GAMEYE_STATUS_CANCELLED);
    CHECK_STATUS(gameye_roster_reporter_flush(flushing.reporter, 0, NULL), GAMEYE_STATUS_CANCELLED);
    CHECK_STATUS(gameye_roster_reporter_resync(flushing.reporter, NULL), GAMEYE_STATUS_CANCELLED);
    gameye_roster_reporter_close(flushing.reporter);
    gameye_roster_reporter_close(NULL);
    gameye_roster_reporter_free(flushing.reporter);
    mock_clear_faults();
    gameye_client_free(client);
    free(session);
}

int main(void) {
    harness_reset();
    test_context();
    test_options_and_nulls();
    test_reporting();
    test_free_mid_flight();
    return harness_finish("test_server");
}
