/*
 * test_fork.c: fork() with a live client, through the C API against the emulator. A client is
 * forked idle, pooled (a kept-alive connection), and busy (a thread inside a blocking call and a
 * non-blocking request in flight). In each child, every call on the inherited client is refused
 * with GAMEYE_STATUS_INVALID_ARGUMENT, its free returns, and a client the child makes works;
 * parent and child never read each other's responses. Built and run by tests/c_abi.rs, plainly
 * and under ASan + UBSan. A child that hangs is ended by alarm(), which fails the test.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"

static const char *const TOKEN = "test-token";
static const int ROUNDS = 100;
/* A request in flight on the busy client when it forks; NULL for the others. */
static gameye_request *inherited_request = NULL;

static gameye_client *new_client(void) { return harness_client(harness_config(TOKEN, 20000)); }

static void start(gameye_client *client, const char *id) {
    gameye_start_options *options = gameye_start_options_new();
    gameye_started_session *started = NULL;
    CHECK_STATUS(gameye_start_options_set_id(options, id), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "nginx"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session(client, options, &started, NULL), GAMEYE_STATUS_OK);
    gameye_started_session_free(started);
    gameye_start_options_free(options);
}

/* Describes `id` `rounds` times; counts the answers that were about another session. */
static int describe_rounds(gameye_client *client, const char *id, int rounds) {
    int wrong = 0;
    int i;
    for (i = 0; i < rounds; i++) {
        gameye_session *session = NULL;
        gameye_status status = gameye_describe_session(client, id, &session, NULL);
        if (status != GAMEYE_STATUS_OK || strcmp(gameye_session_id(session), id) != 0) {
            wrong++;
        }
        gameye_session_free(session);
    }
    return wrong;
}

static void on_done(gameye_completion *completion, void *user_data) {
    (void)completion;
    (void)user_data;
}

/* In the child: the inherited client refuses everything, its free returns, a new client works.
 * Returns the exit code (the number of failed checks). */
static int child_side(gameye_client *inherited) {
    int failures = 0;
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    gameye_request *request = NULL;
    gameye_client *own;
    alarm(60);
    if (gameye_list_sessions(inherited, NULL, &list, &error) != GAMEYE_STATUS_INVALID_ARGUMENT || list != NULL) {
        failures++;
    }
    if (error == NULL || strstr(gameye_error_message(error), "fork()") == NULL) {
        failures++;
    }
    gameye_error_free(error);
    if (gameye_list_sessions_async(inherited, NULL, on_done, NULL, &request, NULL) !=
            GAMEYE_STATUS_INVALID_ARGUMENT ||
        request != NULL) {
        failures++;
    }
    if (gameye_client_poll(inherited, 0) != 0 || gameye_client_wait(inherited, 0) ||
        gameye_client_in_flight(inherited) != 0) {
        failures++;
    }
    /* The parent's request: finished as far as the child is concerned, and not cancellable. */
    if (inherited_request != NULL &&
        (!gameye_request_is_finished(inherited_request) || gameye_request_cancel(inherited_request))) {
        failures++;
    }
    gameye_request_free(inherited_request);
    gameye_client_free(inherited); /* returns: joins no thread, touches no parent lock */
    own = new_client();
    failures += describe_rounds(own, "child-session", ROUNDS);
    gameye_client_free(own);
    return failures;
}

/* Forks; the child runs child_side while the parent describes its own session; returns after
 * checking both. */
static void fork_and_check(gameye_client *client, const char *what) {
    int status = 0;
    pid_t child;
    fflush(stdout);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        /* _exit: the child leaves without the parent's exit handlers (and LeakSanitizer, which
           would count the inherited client's insides, left to the parent, as the child's). */
        _exit(child_side(client) > 0 ? 1 : 0);
    }
    CHECK(describe_rounds(client, "parent-session", ROUNDS) == 0);
    CHECK(waitpid(child, &status, 0) == child);
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        fprintf(stderr, "the child of the %s client failed (status %d)\n", what, status);
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

struct busy {
    gameye_client *client;
    gameye_status status;
};

static void *describe_slowly(void *arg) {
    struct busy *busy = arg;
    gameye_session *session = NULL;
    busy->status = gameye_describe_session(busy->client, "parent-session", &session, NULL);
    gameye_session_free(session);
    return NULL;
}

/* fork(): a reporter belongs to the process that made it. In the child every call is refused
 * before it touches the parent's worker or connection, and a free releases only the record. */
static void test_fork_with_a_reporter(void) {
    gameye_client *client = new_client();
    gameye_roster_reporter *reporter = NULL;
    pid_t child;
    int status = -1;
    CHECK_STATUS(gameye_roster_reporter_new(client, "forked", NULL, &reporter, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_roster_reporter_player_joined(reporter, "before-fork"), GAMEYE_STATUS_OK);
    child = fork();
    if (child == 0) {
        int ok = gameye_roster_reporter_player_joined(reporter, "in-child") == GAMEYE_STATUS_INVALID_ARGUMENT &&
                 gameye_roster_reporter_flush(reporter, 0, NULL) == GAMEYE_STATUS_INVALID_ARGUMENT &&
                 gameye_roster_reporter_pending(reporter) == 0;
        gameye_roster_reporter_free(reporter);
        _exit(ok ? 0 : 1);
    }
    CHECK(child > 0);
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's reporter is untouched. */
    CHECK(gameye_roster_reporter_pending(reporter) == 1);
    gameye_roster_reporter_free(reporter);
    gameye_client_free(client);
}

int main(void) {
    gameye_client *setup;
    gameye_client *idle;
    gameye_client *pooled;
    gameye_client *busy_client;
    struct busy busy;
    pthread_t thread;
    gameye_request *in_flight = NULL;

    harness_reset();
    setup = new_client();
    start(setup, "parent-session");
    start(setup, "child-session");
    gameye_client_free(setup);

    /* Idle: made, never used. */
    idle = new_client();
    fork_and_check(idle, "idle");
    gameye_client_free(idle);

    /* Pooled: a kept-alive connection, inherited by the child. */
    pooled = new_client();
    CHECK(describe_rounds(pooled, "parent-session", 3) == 0);
    fork_and_check(pooled, "pooled");
    gameye_client_free(pooled);

    /* Busy: a thread inside a blocking call (held by the emulator for a second), and a
       non-blocking request in flight on the pool, when the process forks. */
    busy_client = new_client();
    busy.client = busy_client;
    busy.status = GAMEYE_STATUS_INTERNAL;
    CHECK(mock_fault("{\"operation\":\"describe-session\",\"delay_ms\":1000,\"times\":2}"));
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":1000,\"times\":1}"));
    CHECK(pthread_create(&thread, NULL, describe_slowly, &busy) == 0);
    CHECK_STATUS(gameye_list_sessions_async(busy_client, NULL, on_done, NULL, &in_flight, NULL),
                 GAMEYE_STATUS_OK);
    nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    inherited_request = in_flight;
    fork_and_check(busy_client, "busy");
    inherited_request = NULL;
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK_STATUS(busy.status, GAMEYE_STATUS_OK);
    while (gameye_client_poll(busy_client, 0) == 0) {
        gameye_client_wait(busy_client, 1000);
    }
    gameye_request_free(in_flight);
    gameye_client_free(busy_client);
    mock_clear_faults();
    test_fork_with_a_reporter();
    return harness_finish("test_fork");
}
