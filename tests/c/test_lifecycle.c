/*
 * test_lifecycle.c: waiting for a session and watching sessions, through the C API. Each outcome
 * of a wait (running in time, deadline passed, died while starting, stopped by someone else,
 * cancelled by a request cancel and by freeing the client, the API's own error, ended, gone,
 * never existed, one look), start-and-wait and stop-and-wait, their non-blocking forms; a watch
 * that sees sessions added, changed and removed exactly once and in order, and one freed while
 * a poll is on the wire. The emulator's lifecycle rules (POST /_mock/lifecycle) make sessions
 * slow to start, die, exit and be forgotten. Run plain, under ASan + UBSan and under valgrind by
 * tests/c_abi.rs.
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

static void sleep_ms(long ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static char *copy(const char *text) {
    char *out;
    if (text == NULL) {
        return NULL;
    }
    out = malloc(strlen(text) + 1);
    strcpy(out, text);
    return out;
}

/* Sets a lifecycle rule for sessions started from now on. */
static void lifecycle(const char *json) {
    CHECK(mock_admin("POST", "/_mock/lifecycle", json) == 204);
}

static gameye_start_options *europe(void) {
    gameye_start_options *options = gameye_start_options_new();
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "my-game"), GAMEYE_STATUS_OK);
    return options;
}

/* Starts a session without waiting; returns its id (the caller frees it). */
static char *start_session(gameye_client *client) {
    gameye_start_options *options = europe();
    gameye_started_session *started = NULL;
    char *id;
    CHECK_STATUS(gameye_start_session(client, options, &started, NULL), GAMEYE_STATUS_OK);
    id = copy(started ? gameye_started_session_id(started) : "");
    gameye_started_session_free(started);
    gameye_start_options_free(options);
    return id;
}

/* Stops the sessions a test started, by id (those already ended answer 404 or 409). */
static void stop_quietly(gameye_client *client, const char *id) {
    if (id != NULL) {
        (void)gameye_stop_session(client, id, NULL);
    }
}

static void running_in_time(gameye_client *client) {
    gameye_start_options *options = europe();
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    double started;
    harness_reset();
    lifecycle("{\"starting_ms\":700}");
    started = now_seconds();
    CHECK_STATUS(gameye_start_session_and_wait(client, options, 10000, &session, &error),
                 GAMEYE_STATUS_OK);
    CHECK(now_seconds() - started >= 0.7);
    CHECK(error == NULL);
    CHECK(session != NULL);
    if (session != NULL) {
        CHECK_STR(gameye_session_status(session), "running");
        CHECK(gameye_session_host(session) != NULL && gameye_session_host(session)[0] != '\0');
        CHECK(gameye_session_port_count(session) > 0);
        CHECK(gameye_port_host(gameye_session_port_get(session, 0)) > 0);
        stop_quietly(client, gameye_session_id(session));
    }
    gameye_session_free(session);
    gameye_start_options_free(options);
}

static void deadline_passed(gameye_client *client) {
    gameye_start_options *options = europe();
    gameye_session *session = (gameye_session *)1;
    gameye_error *error = NULL;
    double started;
    harness_reset();
    lifecycle("{\"starting_ms\":60000}");
    CHECK_STATUS(gameye_start_options_set_id(options, "slow-one"), GAMEYE_STATUS_OK);
    started = now_seconds();
    CHECK_STATUS(gameye_start_session_and_wait(client, options, 900, &session, &error),
                 GAMEYE_STATUS_TIMEOUT);
    CHECK(session == NULL);
    CHECK(now_seconds() - started >= 0.9);
    CHECK(now_seconds() - started < 2.5);
    /* The session exists, still starting: the error names it, so it can be stopped. */
    CHECK_STR(gameye_error_session_id(error), "slow-one");
    CHECK(strstr(gameye_error_message(error), "created") != NULL);
    CHECK(gameye_error_hint(error) != NULL);
    CHECK_STATUS(gameye_stop_session(client, "slow-one", NULL), GAMEYE_STATUS_OK);
    gameye_error_free(error);
    gameye_start_options_free(options);
}

static void died_while_starting(gameye_client *client) {
    gameye_start_options *options = europe();
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    harness_reset();
    lifecycle("{\"starting_ms\":400,\"dies_while_starting\":true}");
    CHECK_STATUS(gameye_start_session_and_wait(client, options, 10000, &session, &error),
                 GAMEYE_STATUS_SESSION_ENDED);
    CHECK(session == NULL);
    CHECK(gameye_error_session_id(error) != NULL);
    CHECK(strstr(gameye_error_message(error), "dead") != NULL);
    CHECK_STR(gameye_status_name(GAMEYE_STATUS_SESSION_ENDED), "GAMEYE_STATUS_SESSION_ENDED");
    gameye_error_free(error);
    gameye_start_options_free(options);
}

struct waiter {
    gameye_client *client;
    const char *id;
    int32_t state;
    uint32_t timeout_ms;
    gameye_status status;
    gameye_session *session;
};

static void *wait_in_thread(void *arg) {
    struct waiter *w = arg;
    w->status = gameye_wait_for_session(w->client, w->id, w->state, w->timeout_ms, &w->session,
                                        NULL);
    return NULL;
}

static void stopped_by_someone_else(gameye_client *client) {
    struct waiter w;
    pthread_t thread;
    char *id;
    harness_reset();
    lifecycle("{\"starting_ms\":60000}");
    id = start_session(client);
    w.client = client;
    w.id = id;
    w.state = GAMEYE_SESSION_STATE_RUNNING;
    w.timeout_ms = 20000;
    w.session = NULL;
    CHECK(pthread_create(&thread, NULL, wait_in_thread, &w) == 0);
    sleep_ms(600);
    CHECK_STATUS(gameye_stop_session(client, id, NULL), GAMEYE_STATUS_OK);
    pthread_join(thread, NULL);
    CHECK_STATUS(w.status, GAMEYE_STATUS_SESSION_ENDED);
    CHECK(w.session == NULL);
    free(id);
}

struct outcome {
    gameye_status status;
    int has_session;
    int has_session_id;
    int runs;
};

static void record(gameye_completion *completion, void *user_data) {
    struct outcome *outcome = user_data;
    gameye_session *session = gameye_completion_take_session(completion);
    const gameye_error *error = gameye_completion_error(completion);
    outcome->status = gameye_completion_status(completion);
    outcome->has_session = session != NULL;
    outcome->has_session_id = error != NULL && gameye_error_session_id(error) != NULL;
    outcome->runs++;
    gameye_session_free(session);
}

static void pump(gameye_client *client, const struct outcome *outcome) {
    double until = now_seconds() + 20;
    while (outcome->runs == 0 && now_seconds() < until) {
        gameye_client_wait(client, 100);
        gameye_client_poll(client, 0);
    }
}

static void cancelled(gameye_client *client) {
    struct outcome outcome = {0, 0, 0, 0};
    gameye_request *request = NULL;
    char *id;
    double started;
    harness_reset();
    lifecycle("{\"starting_ms\":60000}");
    id = start_session(client);
    CHECK_STATUS(gameye_wait_for_session_async(client, id, GAMEYE_SESSION_STATE_RUNNING, 30000,
                                               record, &outcome, &request, NULL),
                 GAMEYE_STATUS_OK);
    sleep_ms(700); /* between two looks */
    started = now_seconds();
    CHECK(gameye_request_cancel(request));
    pump(client, &outcome);
    CHECK(now_seconds() - started < 1.0);
    CHECK(outcome.runs == 1);
    CHECK_STATUS(outcome.status, GAMEYE_STATUS_CANCELLED);
    CHECK(!outcome.has_session);
    gameye_request_free(request);
    stop_quietly(client, id);
    free(id);
}

static void cancelled_by_freeing_the_client(void) {
    gameye_client *client = harness_client(harness_config(TOKEN, 5000));
    struct waiter w;
    pthread_t thread;
    char *id;
    double started;
    harness_reset();
    lifecycle("{\"starting_ms\":60000}");
    id = start_session(client);
    w.client = client;
    w.id = id;
    w.state = GAMEYE_SESSION_STATE_RUNNING;
    w.timeout_ms = 30000;
    w.session = NULL;
    CHECK(pthread_create(&thread, NULL, wait_in_thread, &w) == 0);
    sleep_ms(500);
    started = now_seconds();
    gameye_client_free(client); /* interrupts the wait, and waits for it */
    CHECK(now_seconds() - started < 2.0);
    pthread_join(thread, NULL);
    CHECK_STATUS(w.status, GAMEYE_STATUS_CANCELLED);
    CHECK(w.session == NULL);
    free(id);
}

static void the_apis_own_error(gameye_client *client) {
    gameye_session *session = NULL;
    gameye_error *error = NULL;
    char *id;
    double started;
    harness_reset();
    lifecycle("{\"starting_ms\":60000}");
    id = start_session(client);
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"status\":403}"));
    started = now_seconds();
    CHECK_STATUS(gameye_wait_for_session(client, id, GAMEYE_SESSION_STATE_RUNNING, 20000,
                                         &session, &error),
                 GAMEYE_STATUS_FORBIDDEN);
    CHECK(now_seconds() - started < 1.0); /* not retried until the deadline */
    CHECK(gameye_error_http_status(error) == 403);
    gameye_error_free(error);
    mock_clear_faults();
    /* A token without session:read is refused the same way. */
    {
        gameye_client *nobody = harness_client(harness_config("nobody", 5000));
        CHECK_STATUS(gameye_wait_for_session(nobody, id, GAMEYE_SESSION_STATE_RUNNING, 5000,
                                             &session, NULL),
                     GAMEYE_STATUS_FORBIDDEN);
        gameye_client_free(nobody);
    }
    stop_quietly(client, id);
    free(id);
}

static void ended_exited_and_gone(gameye_client *client) {
    gameye_session *session = NULL;
    char *id;
    harness_reset();
    /* Exits on its own: the wait for ENDED hands out the exited session. */
    lifecycle("{\"exits_after_ms\":500}");
    id = start_session(client);
    CHECK_STATUS(gameye_wait_for_session(client, id, GAMEYE_SESSION_STATE_ENDED, 10000, &session,
                                         NULL),
                 GAMEYE_STATUS_OK);
    CHECK(session != NULL);
    if (session != NULL) {
        CHECK_STR(gameye_session_status(session), "exited");
    }
    gameye_session_free(session);
    session = NULL;
    /* Waiting for RUNNING now: it ended first. */
    CHECK_STATUS(gameye_wait_for_session(client, id, GAMEYE_SESSION_STATE_RUNNING, 10000, &session,
                                         NULL),
                 GAMEYE_STATUS_SESSION_ENDED);
    free(id);

    /* Exits, then is forgotten at once: seen running, then 404 means gone (no session). */
    lifecycle("{\"exits_after_ms\":600,\"forget_after_ms\":0}");
    id = start_session(client);
    session = (gameye_session *)1;
    CHECK_STATUS(gameye_wait_for_session(client, id, GAMEYE_SESSION_STATE_ENDED, 10000, &session,
                                         NULL),
                 GAMEYE_STATUS_OK);
    CHECK(session == NULL);
    free(id);

    /* Never existed. */
    CHECK_STATUS(gameye_wait_for_session(client, "no-such-session", GAMEYE_SESSION_STATE_ENDED,
                                         5000, &session, NULL),
                 GAMEYE_STATUS_NOT_FOUND);
}

static void stop_and_wait(gameye_client *client) {
    gameye_session *session = NULL;
    char *id;
    harness_reset();
    id = start_session(client);
    CHECK_STATUS(gameye_stop_session_and_wait(client, id, 10000, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_describe_session(client, id, &session, NULL), GAMEYE_STATUS_OK);
    if (session != NULL) {
        CHECK_STR(gameye_session_status(session), "exited");
    }
    gameye_session_free(session);
    /* Already stopped: waited for all the same. */
    CHECK_STATUS(gameye_stop_session_and_wait(client, id, 10000, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_stop_session_and_wait(client, "no-such-session", 10000, NULL),
                 GAMEYE_STATUS_NOT_FOUND);
    free(id);
    /* Forgotten as soon as it ends: gone counts as ended. */
    lifecycle("{\"forget_after_ms\":0}");
    id = start_session(client);
    CHECK_STATUS(gameye_stop_session_and_wait(client, id, 10000, NULL), GAMEYE_STATUS_OK);
    free(id);
}

static void one_look_and_bad_arguments(gameye_client *client) {
    gameye_session *session = NULL;
    char *running, *starting;
    double started;
    harness_reset();
    running = start_session(client);
    lifecycle("{\"starting_ms\":60000}");
    starting = start_session(client);
    CHECK_STATUS(gameye_wait_for_session(client, running, GAMEYE_SESSION_STATE_RUNNING, 0,
                                         &session, NULL),
                 GAMEYE_STATUS_OK);
    CHECK(session != NULL);
    gameye_session_free(session);
    session = NULL;
    started = now_seconds();
    CHECK_STATUS(gameye_wait_for_session(client, starting, GAMEYE_SESSION_STATE_RUNNING, 0,
                                         &session, NULL),
                 GAMEYE_STATUS_TIMEOUT);
    CHECK(now_seconds() - started < 1.0);
    CHECK_STATUS(gameye_wait_for_session(client, running, 7, 1000, &session, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_wait_for_session(client, NULL, 1, 1000, &session, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_wait_for_session(client, "..", 1, 1000, &session, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_wait_for_session(NULL, running, 1, 1000, &session, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_wait_for_session(client, running, 1, 1000, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_start_session_and_wait(client, NULL, 1000, &session, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_stop_session_and_wait(client, NULL, 1000, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_wait_for_session_async(client, running, 9, 1000, NULL, NULL, NULL, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    stop_quietly(client, running);
    stop_quietly(client, starting);
    free(running);
    free(starting);
}

static void nonblocking_forms(gameye_client *client) {
    gameye_start_options *options = europe();
    struct outcome outcome = {0, 0, 0, 0};
    char *id;
    harness_reset();
    lifecycle("{\"starting_ms\":300}");
    CHECK_STATUS(gameye_start_session_and_wait_async(client, options, 10000, record, &outcome,
                                                     NULL, NULL),
                 GAMEYE_STATUS_OK);
    pump(client, &outcome);
    CHECK_STATUS(outcome.status, GAMEYE_STATUS_OK);
    CHECK(outcome.has_session);

    outcome.runs = 0;
    lifecycle("{\"starting_ms\":300,\"dies_while_starting\":true}");
    CHECK_STATUS(gameye_start_session_and_wait_async(client, options, 10000, record, &outcome,
                                                     NULL, NULL),
                 GAMEYE_STATUS_OK);
    pump(client, &outcome);
    CHECK_STATUS(outcome.status, GAMEYE_STATUS_SESSION_ENDED);
    CHECK(outcome.has_session_id);

    outcome.runs = 0;
    CHECK(mock_admin("DELETE", "/_mock/lifecycle", NULL) == 204);
    id = start_session(client);
    CHECK_STATUS(gameye_stop_session_and_wait_async(client, id, 10000, record, &outcome, NULL,
                                                    NULL),
                 GAMEYE_STATUS_OK);
    pump(client, &outcome);
    CHECK_STATUS(outcome.status, GAMEYE_STATUS_OK);

    outcome.runs = 0;
    CHECK_STATUS(gameye_wait_for_session_async(client, id, GAMEYE_SESSION_STATE_ENDED, 10000,
                                               record, &outcome, NULL, NULL),
                 GAMEYE_STATUS_OK);
    pump(client, &outcome);
    CHECK_STATUS(outcome.status, GAMEYE_STATUS_OK);
    CHECK(outcome.has_session);
    free(id);
    gameye_start_options_free(options);
}

/* Takes the next event within `wait_ms`; NULL when none. */
static gameye_watch_event *next_event(gameye_watch *watch, uint32_t wait_ms) {
    gameye_watch_event *event = NULL;
    CHECK_STATUS(gameye_watch_next(watch, wait_ms, &event, NULL), GAMEYE_STATUS_OK);
    return event;
}

/* Expects the next event to be `kind` for `id` (and, for CHANGED, `changes` among its bits). */
static void expect_event(gameye_watch *watch, int32_t kind, const char *id, uint32_t changes) {
    gameye_watch_event *event = next_event(watch, 10000);
    CHECK(event != NULL);
    if (event == NULL) {
        return;
    }
    CHECK(gameye_watch_event_kind(event) == kind);
    CHECK_STR(gameye_session_id(gameye_watch_event_session(event)), id);
    CHECK((gameye_watch_event_changes(event) & changes) == changes);
    if (kind == GAMEYE_WATCH_EVENT_CHANGED) {
        CHECK(gameye_watch_event_previous(event) != NULL);
    } else {
        CHECK(gameye_watch_event_previous(event) == NULL);
        CHECK(gameye_watch_event_changes(event) == 0);
    }
    gameye_watch_event_free(event);
}

static void watch_sees_each_change_once(gameye_client *client) {
    gameye_watch_options *options = gameye_watch_options_new();
    gameye_watch *watch = NULL;
    gameye_watch_event *event;
    const char *players[] = {"alice", "bob"};
    gameye_roster *roster = NULL;
    char *first, *second;
    harness_reset();
    lifecycle("{\"starting_ms\":1500}");
    first = start_session(client);
    CHECK(mock_admin("DELETE", "/_mock/lifecycle", NULL) == 204);
    second = start_session(client);
    CHECK_STATUS(gameye_watch_options_set_interval_ms(options, 100),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_watch_options_set_interval_ms(options, 250), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_watch_sessions(client, options, &watch, NULL), GAMEYE_STATUS_OK);
    gameye_watch_options_free(options); /* the watch does not need it */
    CHECK(gameye_watch_is_running(watch));
    expect_event(watch, GAMEYE_WATCH_EVENT_ADDED, first, 0);
    expect_event(watch, GAMEYE_WATCH_EVENT_ADDED, second, 0);
    /* The first becomes running on its own; then players join the second; then it stops. */
    expect_event(watch, GAMEYE_WATCH_EVENT_CHANGED, first, GAMEYE_WATCH_CHANGE_STATUS);
    CHECK_STATUS(gameye_join_session(client, second, players, 2, &roster, NULL), GAMEYE_STATUS_OK);
    gameye_roster_free(roster);
    expect_event(watch, GAMEYE_WATCH_EVENT_CHANGED, second, GAMEYE_WATCH_CHANGE_PLAYER_COUNT);
    CHECK_STATUS(gameye_stop_session(client, second, NULL), GAMEYE_STATUS_OK);
    expect_event(watch, GAMEYE_WATCH_EVENT_REMOVED, second, 0);
    /* Nothing else changed: no event, however many polls pass. */
    CHECK(next_event(watch, 1200) == NULL);
    CHECK(gameye_watch_polls(watch) >= 4);
    CHECK_STATUS(gameye_watch_last_error(watch, NULL), GAMEYE_STATUS_OK);
    gameye_watch_close(watch);
    CHECK(!gameye_watch_is_running(watch));
    event = NULL;
    CHECK_STATUS(gameye_watch_next(watch, 0, &event, NULL), GAMEYE_STATUS_CANCELLED);
    CHECK(event == NULL);
    gameye_watch_free(watch);
    stop_quietly(client, first);
    free(first);
    free(second);
}

static void watch_freed_while_polling(gameye_client *client) {
    gameye_watch *watch = NULL;
    double started;
    char *id;
    harness_reset();
    id = start_session(client);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":5000}"));
    CHECK_STATUS(gameye_watch_sessions(client, NULL, &watch, NULL), GAMEYE_STATUS_OK);
    /* The first poll is on the wire, held back: its ADDED event has not come. */
    CHECK(next_event(watch, 300) == NULL);
    started = now_seconds();
    gameye_watch_free(watch);
    CHECK(now_seconds() - started < 1.0);
    mock_clear_faults();
    stop_quietly(client, id);
    free(id);
}

static void watch_stops_on_a_permanent_failure(void) {
    gameye_client *nobody = harness_client(harness_config("nobody", 5000));
    gameye_watch *watch = NULL;
    gameye_watch_event *event = NULL;
    gameye_error *error = NULL;
    double until = now_seconds() + 10;
    harness_reset();
    CHECK_STATUS(gameye_watch_sessions(nobody, NULL, &watch, NULL), GAMEYE_STATUS_OK);
    gameye_client_free(nobody); /* the watch keeps what it needs */
    while (gameye_watch_is_running(watch) && now_seconds() < until) {
        sleep_ms(20);
    }
    CHECK_STATUS(gameye_watch_next(watch, 1000, &event, &error), GAMEYE_STATUS_FORBIDDEN);
    CHECK(event == NULL);
    CHECK(gameye_error_http_status(error) == 403);
    CHECK_STATUS(gameye_watch_last_error(watch, NULL), GAMEYE_STATUS_FORBIDDEN);
    gameye_error_free(error);
    gameye_watch_free(watch);
}

struct counted {
    pthread_mutex_t lock;
    int added;
};

static void count_added(const gameye_watch_event *event, void *user_data) {
    struct counted *counted = user_data;
    if (gameye_watch_event_kind(event) == GAMEYE_WATCH_EVENT_ADDED) {
        pthread_mutex_lock(&counted->lock);
        counted->added++;
        pthread_mutex_unlock(&counted->lock);
    }
}

static void watch_with_a_callback(gameye_client *client) {
    gameye_watch_options *options = gameye_watch_options_new();
    gameye_watch *watch = NULL;
    gameye_watch_event *event = NULL;
    struct counted counted;
    double until = now_seconds() + 10;
    int added = 0;
    char *id;
    harness_reset();
    pthread_mutex_init(&counted.lock, NULL);
    counted.added = 0;
    id = start_session(client);
    CHECK_STATUS(gameye_watch_options_set_callback(options, count_added, &counted),
                 GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_watch_sessions(client, options, &watch, NULL), GAMEYE_STATUS_OK);
    while (added == 0 && now_seconds() < until) {
        sleep_ms(20);
        pthread_mutex_lock(&counted.lock);
        added = counted.added;
        pthread_mutex_unlock(&counted.lock);
    }
    CHECK(added == 1);
    CHECK_STATUS(gameye_watch_next(watch, 0, &event, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_watch_free(watch);
    gameye_watch_options_free(options);
    pthread_mutex_destroy(&counted.lock);
    stop_quietly(client, id);
    free(id);
}

int main(void) {
    gameye_client *client = harness_client(harness_config(TOKEN, 5000));
    running_in_time(client);
    deadline_passed(client);
    died_while_starting(client);
    stopped_by_someone_else(client);
    cancelled(client);
    cancelled_by_freeing_the_client();
    the_apis_own_error(client);
    ended_exited_and_gone(client);
    stop_and_wait(client);
    one_look_and_bad_arguments(client);
    nonblocking_forms(client);
    watch_sees_each_change_once(client);
    watch_freed_while_polling(client);
    watch_stops_on_a_permanent_failure();
    watch_with_a_callback(client);
    CHECK(gameye_watch_next(NULL, 0, NULL, NULL) == GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_watch_free(NULL);
    gameye_watch_close(NULL);
    CHECK(!gameye_watch_is_running(NULL));
    gameye_client_free(client);
    return harness_finish("test_lifecycle");
}
