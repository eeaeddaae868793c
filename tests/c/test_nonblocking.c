/*
 * test_nonblocking.c: the non-blocking calls through the C API against the emulator:
 * completions only on the polling thread, 256 in flight with exactly one completion each,
 * cancel before, during and after, freeing a client with requests in flight, the callback
 * thread mode, every *_async operation, the log hook, and closing a client under a blocking call. Built and run by tests/c_abi.rs,
 * plainly and under ASan + UBSan. No sleeps as assertions: it waits on conditions with
 * generous limits.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "harness.h"

/* Test hooks of the library built with the `mock` feature; not in the header. */
void gameye_test_fail_thread_spawns(const gameye_client *client, size_t after, size_t count);
size_t gameye_test_started_threads(const gameye_client *client);

static const char *const TOKEN = "test-token";

static gameye_client *client_with(gameye_delivery delivery, uint32_t workers, uint32_t timeout_ms) {
    gameye_client_config *config = harness_config(TOKEN, timeout_ms);
    CHECK_STATUS(gameye_client_config_set_delivery(config, delivery), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_worker_threads(config, workers), GAMEYE_STATUS_OK);
    return harness_client(config);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the callbacks record. */
struct record {
    pthread_mutex_t lock;
    int calls;
    int per_request[300];
    gameye_status last_status;
    pthread_t thread;
    int other_threads; /* callbacks that ran on a thread other than `thread` */
};

static void record_init(struct record *record, pthread_t expected) {
    memset(record, 0, sizeof *record);
    pthread_mutex_init(&record->lock, NULL);
    record->thread = expected;
}

static int record_calls(struct record *record) {
    int calls;
    pthread_mutex_lock(&record->lock);
    calls = record->calls;
    pthread_mutex_unlock(&record->lock);
    return calls;
}

/* user_data is the record; the request id indexes per_request. */
static void on_done(gameye_completion *completion, void *user_data) {
    struct record *record = (struct record *)user_data;
    uint64_t id = gameye_completion_request_id(completion);
    pthread_mutex_lock(&record->lock);
    record->calls++;
    if (id < 300) {
        record->per_request[id]++;
    }
    record->last_status = gameye_completion_status(completion);
    if (!pthread_equal(pthread_self(), record->thread)) {
        record->other_threads++;
    }
    pthread_mutex_unlock(&record->lock);
}

/* Polls until `want` callbacks ran; 1 when they did within 30 s. */
static int poll_until(gameye_client *client, struct record *record, int want) {
    double deadline = now_seconds() + 30.0;
    while (record_calls(record) < want) {
        if (now_seconds() > deadline) {
            return 0;
        }
        (void)gameye_client_wait(client, 100);
        (void)gameye_client_poll(client, 0);
    }
    return 1;
}

/* Waits until the emulator has received a request to `path`; 1 when it did within 30 s. */
static int server_received(const char *path) {
    static char response[65536];
    char needle[256];
    double deadline = now_seconds() + 30.0;
    snprintf(needle, sizeof needle, "\"path\":\"%s\"", path);
    while (now_seconds() < deadline) {
        if (mock_admin_read("GET", "/_mock/requests", NULL, response, sizeof response) == 200 &&
            strstr(response, needle) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void test_poll_delivers_on_the_polling_thread(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 4, 10000);
    struct record record;
    gameye_request *request = NULL;
    gameye_error *error = (gameye_error *)1;
    harness_reset();
    record_init(&record, pthread_self());
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &request, &error), GAMEYE_STATUS_OK);
    CHECK(request != NULL && error == NULL);
    CHECK(gameye_request_id(request) > 0);
    CHECK(gameye_client_wait(client, 30000));
    CHECK(gameye_request_is_finished(request));
    CHECK(record_calls(&record) == 0); /* nothing runs until polled */
    CHECK(gameye_client_poll(client, 0) == 1);
    CHECK(record.calls == 1 && record.other_threads == 0 && record.last_status == GAMEYE_STATUS_OK);
    CHECK(record.per_request[gameye_request_id(request)] == 1);
    CHECK(gameye_client_in_flight(client) == 0);
    CHECK(!gameye_request_cancel(request)); /* after: too late */
    gameye_request_free(request);
    gameye_client_free(client);
}

static void test_256_in_flight(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 8, 10000);
    struct record record;
    int i;
    int exactly_once = 1;
    harness_reset();
    record_init(&record, pthread_self());
    for (i = 0; i < 256; i++) {
        CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, NULL, NULL), GAMEYE_STATUS_OK);
    }
    CHECK(gameye_client_in_flight(client) > 0);
    CHECK(poll_until(client, &record, 256));
    for (i = 1; i <= 256; i++) {
        exactly_once &= record.per_request[i] == 1;
    }
    CHECK(exactly_once);
    CHECK(record.other_threads == 0);
    CHECK(gameye_client_in_flight(client) == 0 && gameye_client_poll(client, 0) == 0);
    gameye_client_free(client);
}

static void test_cancel_before_during_after(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 1, 30000);
    struct record record;
    gameye_request *during = NULL;
    gameye_request *before = NULL;
    gameye_request *after = NULL;
    double started;
    harness_reset();
    record_init(&record, pthread_self());
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":20000,\"times\":1}"));
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &during, NULL), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_describe_session_async(client, "x", on_done, &record, &before, NULL), GAMEYE_STATUS_OK);
    CHECK(server_received("/session")); /* `during` is running; `before` waits behind it */
    CHECK(!gameye_request_is_finished(during) && !gameye_request_is_finished(before));
    started = now_seconds();
    CHECK(gameye_client_cancel(client, gameye_request_id(before)));
    CHECK(gameye_request_cancel(during));
    CHECK(poll_until(client, &record, 2));
    CHECK(now_seconds() - started < 10.0); /* promptly, not after the 20 s delay */
    CHECK(record.per_request[gameye_request_id(during)] == 1 && record.per_request[gameye_request_id(before)] == 1);
    CHECK(record.last_status == GAMEYE_STATUS_CANCELLED);
    CHECK(!gameye_request_cancel(during)); /* cancelling twice does nothing */
    CHECK(!gameye_client_cancel(client, 999));

    /* The worker recovered: the next request completes normally, and can't be cancelled after. */
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &after, NULL), GAMEYE_STATUS_OK);
    CHECK(poll_until(client, &record, 3));
    CHECK(record.last_status == GAMEYE_STATUS_OK);
    CHECK(!gameye_request_cancel(after));
    gameye_request_free(during);
    gameye_request_free(before);
    gameye_request_free(after);
    gameye_client_free(client);
}

static void test_free_with_requests_in_flight(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 2, 30000);
    struct record record;
    gameye_request *kept = NULL;
    double started;
    int i;
    harness_reset();
    record_init(&record, pthread_self());
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":20000}"));
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &kept, NULL), GAMEYE_STATUS_OK);
    for (i = 0; i < 9; i++) {
        CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, NULL, NULL), GAMEYE_STATUS_OK);
    }
    CHECK(server_received("/session"));
    started = now_seconds();
    gameye_client_free(client);
    CHECK(now_seconds() - started < 10.0);
    /* Every request completed exactly once, during the free, on this thread. */
    CHECK(record.calls == 10 && record.other_threads == 0);
    CHECK(record.last_status == GAMEYE_STATUS_CANCELLED);
    /* The handle outlives the client. */
    CHECK(gameye_request_is_finished(kept) && !gameye_request_cancel(kept));
    gameye_request_free(kept);
    mock_clear_faults();
}

/* What a re-entrant callback does and records during gameye_client_free. */
struct reentry {
    gameye_client *client;
    struct record refused_record; /* callbacks of the refused submits: must stay at 0 */
    pthread_mutex_t lock;
    int calls;
    int refused;          /* submits answered GAMEYE_STATUS_CANCELLED with nothing queued */
    int accepted;         /* submits that returned OK: each must still complete */
    int polls_delivered;  /* completions that a nested gameye_client_poll ran */
};

/* Calls back into the client that is being freed: poll, wait, cancel, and submit. */
static void reenter(gameye_completion *completion, void *user_data) {
    struct reentry *r = (struct reentry *)user_data;
    gameye_request *request = NULL;
    gameye_error *error = NULL;
    gameye_status status;
    size_t polled;
    (void)completion;
    pthread_mutex_lock(&r->lock);
    r->calls++;
    pthread_mutex_unlock(&r->lock);
    polled = gameye_client_poll(r->client, 1);
    (void)gameye_client_wait(r->client, 20000); /* must return at once: nothing more can arrive */
    CHECK(!gameye_client_cancel(r->client, 999999));
    status = gameye_list_sessions_async(r->client, NULL, on_done, &r->refused_record, &request, &error);
    pthread_mutex_lock(&r->lock);
    r->polls_delivered += (int)polled;
    if (status == GAMEYE_STATUS_CANCELLED) {
        r->refused++;
    } else if (status == GAMEYE_STATUS_OK) {
        r->accepted++;
    }
    pthread_mutex_unlock(&r->lock);
    CHECK_STATUS(status, GAMEYE_STATUS_CANCELLED);
    CHECK(request == NULL);
    CHECK(error != NULL && gameye_error_status(error) == GAMEYE_STATUS_CANCELLED);
    gameye_request_free(request);
    gameye_error_free(error);
}

static void free_while_callbacks_reenter(gameye_delivery delivery) {
    struct reentry r;
    double started;
    int i;
    harness_reset();
    memset(&r, 0, sizeof r);
    pthread_mutex_init(&r.lock, NULL);
    record_init(&r.refused_record, pthread_self());
    r.client = client_with(delivery, 2, 30000);
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":20000}"));
    for (i = 0; i < 6; i++) {
        CHECK_STATUS(gameye_list_sessions_async(r.client, NULL, reenter, &r, NULL, NULL), GAMEYE_STATUS_OK);
    }
    CHECK(server_received("/session"));
    /* A hang here is the bug this guards against: the alarm ends the program instead. */
    alarm(120);
    started = now_seconds();
    gameye_client_free(r.client);
    alarm(0);
    CHECK(now_seconds() - started < 15.0);
    /* Each accepted request completed exactly once, through whichever poll ran it. */
    CHECK(r.calls == 6);
    CHECK(r.refused == 6 && r.accepted == 0);
    CHECK(record_calls(&r.refused_record) == 0);
    if (delivery == GAMEYE_DELIVERY_CALLBACK_THREAD) {
        CHECK(r.polls_delivered == 0); /* nothing to poll in this mode */
    }
    pthread_mutex_destroy(&r.lock);
    mock_clear_faults();
}

static void test_free_while_callbacks_reenter(void) {
    free_while_callbacks_reenter(GAMEYE_DELIVERY_POLL);
    free_while_callbacks_reenter(GAMEYE_DELIVERY_CALLBACK_THREAD);
}

static void test_a_pool_that_started_in_part_is_not_started(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 3, 10000);
    gameye_request *request = NULL;
    gameye_error *error = NULL;
    struct record record;
    harness_reset();
    record_init(&record, pthread_self());
    gameye_test_fail_thread_spawns(client, 1, 2);
    /* The first worker starts, the second fails: the submit fails and queues nothing. */
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &request, &error), GAMEYE_STATUS_INTERNAL);
    CHECK(request == NULL && error != NULL);
    CHECK(error != NULL && strstr(gameye_error_message(error), "cannot start a gameye thread") != NULL);
    gameye_error_free(error);
    CHECK(gameye_test_started_threads(client) == 1);
    CHECK(gameye_client_in_flight(client) == 0);
    /* The next call tries the missing threads again: one more failure, then a full pool. */
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, NULL, NULL), GAMEYE_STATUS_INTERNAL);
    CHECK(gameye_test_started_threads(client) == 1);
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &request, NULL), GAMEYE_STATUS_OK);
    CHECK(gameye_test_started_threads(client) == 3);
    CHECK(poll_until(client, &record, 1));
    CHECK(record.calls == 1 && record.last_status == GAMEYE_STATUS_OK);
    gameye_request_free(request);
    gameye_client_free(client);
}

static void test_callback_thread(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_CALLBACK_THREAD, 4, 10000);
    struct record record;
    double deadline = now_seconds() + 30.0;
    int i;
    harness_reset();
    record_init(&record, pthread_self());
    for (i = 0; i < 20; i++) {
        CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, NULL, NULL), GAMEYE_STATUS_OK);
    }
    while (record_calls(&record) < 20 && now_seconds() < deadline) {
        CHECK(gameye_client_poll(client, 0) == 0); /* nothing to poll in this mode */
        sched_yield();
    }
    CHECK(record_calls(&record) == 20);
    CHECK(record.other_threads == 20); /* all on the library thread, none on this one */
    CHECK(!gameye_client_wait(client, 0));
    gameye_client_free(client);
}

/* Results of every kind of operation, taken inside the callback. */
struct results {
    int calls;
    gameye_started_session *started;
    gameye_session_list *list;
    gameye_session *session;
    gameye_roster *roster;
    gameye_logs *logs;
    gameye_log_stream *stream;
    gameye_location_list *locations;
    int tag_exists;
    uint64_t artifact_bytes;
    gameye_status status;
    gameye_error *error;
};

static void take_everything(gameye_completion *completion, void *user_data) {
    struct results *results = (struct results *)user_data;
    results->calls++;
    results->status = gameye_completion_status(completion);
    if (results->status != GAMEYE_STATUS_OK) {
        CHECK(gameye_completion_error(completion) != NULL);
        results->error = gameye_completion_take_error(completion);
        CHECK(gameye_completion_error(completion) == NULL && gameye_completion_take_error(completion) == NULL);
        return;
    }
    CHECK(gameye_completion_error(completion) == NULL);
    /* Exactly one take matches the kind; the others return NULL and leave it alone. */
    if ((results->list = gameye_completion_take_session_list(completion)) != NULL) return;
    if ((results->session = gameye_completion_take_session(completion)) != NULL) return;
    if ((results->started = gameye_completion_take_started_session(completion)) != NULL) {
        CHECK(gameye_completion_take_started_session(completion) == NULL); /* taken once */
        return;
    }
    if ((results->roster = gameye_completion_take_roster(completion)) != NULL) return;
    if ((results->logs = gameye_completion_take_logs(completion)) != NULL) return;
    if ((results->stream = gameye_completion_take_log_stream(completion)) != NULL) return;
    if ((results->locations = gameye_completion_take_location_list(completion)) != NULL) return;
    results->tag_exists = gameye_completion_tag_exists(completion);
    results->artifact_bytes = gameye_completion_artifact_bytes(completion);
}

/* Waits for the next completion of `results`. */
static void next(gameye_client *client, struct results *results) {
    int want = results->calls + 1;
    double deadline = now_seconds() + 30.0;
    while (results->calls < want && now_seconds() < deadline) {
        (void)gameye_client_wait(client, 100);
        (void)gameye_client_poll(client, 1);
    }
    CHECK(results->calls == want);
}

static void test_every_async_operation(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 4, 10000);
    gameye_start_options *options = gameye_start_options_new();
    gameye_list_options *filter = gameye_list_options_new();
    gameye_request *download = NULL;
    struct results results;
    const char *players[] = {"p1", "p2"};
    const char *leaving[] = {"p1"};
    const char *line = NULL;
    char destination[] = "/tmp/gameye-nb-XXXXXX";
    uint64_t received = 1;
    uint64_t total = 1;
    int fd;
    int rounds;
    harness_reset();
    memset(&results, 0, sizeof results);
    CHECK((fd = mkstemp(destination)) >= 0);
    close(fd);

    CHECK_STATUS(gameye_start_options_set_id(options, "nb-1"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_location(options, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_options_set_image(options, "my-game"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_start_session_async(client, options, take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    gameye_start_options_free(options); /* copied at submit */
    next(client, &results);
    CHECK(results.started != NULL);
    CHECK_STR(gameye_started_session_id(results.started), "nb-1");
    gameye_started_session_free(results.started);

    CHECK_STATUS(gameye_list_options_set_location(filter, "europe"), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_list_sessions_async(client, filter, take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    gameye_list_options_free(filter);
    next(client, &results);
    CHECK(results.list != NULL && gameye_session_list_len(results.list) == 1);
    gameye_session_list_free(results.list);

    CHECK_STATUS(gameye_join_session_async(client, "nb-1", players, 2, take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.roster != NULL && gameye_roster_count(results.roster) == 2);
    gameye_roster_free(results.roster);
    CHECK_STATUS(gameye_leave_session_async(client, leaving, 1, take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.roster != NULL && gameye_roster_count(results.roster) == 1);
    gameye_roster_free(results.roster);

    CHECK_STATUS(gameye_describe_session_async(client, "nb-1", take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.session != NULL && gameye_session_player_count(results.session) == 1);
    gameye_session_free(results.session);

    CHECK_STATUS(gameye_get_logs_async(client, "nb-1", take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.logs != NULL && strstr(gameye_logs_data(results.logs), "player p1 joined") != NULL);
    gameye_logs_free(results.logs);

    /* A followed stream, read from a "game loop" with wait_ms = 0. */
    CHECK_STATUS(gameye_follow_logs_async(client, "nb-1", 0, take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.stream != NULL);
    for (rounds = 0; rounds < 100000 && line == NULL; rounds++) {
        CHECK_STATUS(gameye_log_stream_next(results.stream, 0, &line, NULL, NULL, NULL), GAMEYE_STATUS_OK);
        if (line == NULL) {
            sched_yield();
        }
    }
    CHECK(line != NULL && strstr(line, "pulling image") != NULL);
    gameye_log_stream_free(results.stream);

    CHECK_STATUS(gameye_get_available_locations_async(client, "my-game", take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.locations != NULL && gameye_location_list_len(results.locations) == 3);
    gameye_location_list_free(results.locations);

    CHECK_STATUS(gameye_tag_exists_async(client, "europe", "my-game", "1.0.0", take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.tag_exists == 1);

    CHECK_STATUS(gameye_stop_session_async(client, "nb-1", take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.status == GAMEYE_STATUS_OK);

    CHECK(mock_admin("POST", "/_mock/artifact-padding", "{\"bytes\": 1000000}") == 204);
    CHECK_STATUS(gameye_download_artifact_async(client, "nb-1", "/x", destination, 0, take_everything, &results, &download, NULL),
                 GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.status == GAMEYE_STATUS_OK && results.artifact_bytes > 1000000);
    gameye_request_progress(download, &received, &total);
    CHECK(received == results.artifact_bytes && total == received);
    gameye_request_free(download);
    CHECK(remove(destination) == 0);

    /* Failures arrive as completions with their error, which can be kept. */
    CHECK_STATUS(gameye_describe_session_async(client, "nope", take_everything, &results, NULL, NULL), GAMEYE_STATUS_OK);
    next(client, &results);
    CHECK(results.status == GAMEYE_STATUS_NOT_FOUND && results.error != NULL);
    CHECK(gameye_error_http_status(results.error) == 404);
    gameye_error_free(results.error);

    /* Bad arguments are refused at once; nothing is queued. */
    CHECK_STATUS(gameye_describe_session_async(client, NULL, take_everything, &results, &download, NULL),
                 GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(download == NULL);
    CHECK_STATUS(gameye_start_session_async(client, NULL, NULL, NULL, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_list_sessions_async(NULL, NULL, NULL, NULL, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_join_session_async(client, "x", NULL, 1, NULL, NULL, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_client_in_flight(client) == 0);
    gameye_client_free(client);
}

static void test_null_safety(void) {
    uint64_t received = 7;
    uint64_t total = 7;
    CHECK(gameye_client_poll(NULL, 0) == 0 && !gameye_client_wait(NULL, 0));
    CHECK(!gameye_client_cancel(NULL, 1) && gameye_client_in_flight(NULL) == 0);
    CHECK(gameye_completion_request_id(NULL) == 0);
    CHECK(gameye_completion_status(NULL) == GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK(gameye_completion_error(NULL) == NULL && gameye_completion_take_error(NULL) == NULL);
    CHECK(gameye_completion_take_session_list(NULL) == NULL && gameye_completion_take_session(NULL) == NULL);
    CHECK(gameye_completion_take_started_session(NULL) == NULL && gameye_completion_take_roster(NULL) == NULL);
    CHECK(gameye_completion_take_logs(NULL) == NULL && gameye_completion_take_log_stream(NULL) == NULL);
    CHECK(gameye_completion_take_location_list(NULL) == NULL);
    CHECK(!gameye_completion_tag_exists(NULL) && gameye_completion_artifact_bytes(NULL) == 0);
    CHECK(gameye_request_id(NULL) == 0 && !gameye_request_cancel(NULL) && gameye_request_is_finished(NULL));
    gameye_request_progress(NULL, &received, &total);
    CHECK(received == 0 && total == 0);
    gameye_request_free(NULL);
    CHECK_STATUS(gameye_client_config_set_delivery(NULL, GAMEYE_DELIVERY_POLL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_worker_threads(NULL, 1), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_log_callback(NULL, GAMEYE_LOG_INFO, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
}

static void test_config_values(void) {
    gameye_client_config *config = gameye_client_config_new();
    CHECK_STATUS(gameye_client_config_set_delivery(config, 7), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_worker_threads(config, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_worker_threads(config, 65), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_worker_threads(config, 64), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_log_callback(config, 9, NULL, NULL), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_log_callback(config, GAMEYE_LOG_OFF, NULL, NULL), GAMEYE_STATUS_OK);
    gameye_client_config_free(config);
}

/* The log hook: lines kept under a lock (it is called from worker threads). */
struct lines {
    pthread_mutex_t lock;
    int count;
    char text[16][256];
    gameye_log_level levels[16];
};

static void on_log(gameye_log_level level, const char *message, void *user_data) {
    struct lines *lines = (struct lines *)user_data;
    pthread_mutex_lock(&lines->lock);
    if (lines->count < 16) {
        snprintf(lines->text[lines->count], sizeof lines->text[0], "%s", message);
        lines->levels[lines->count] = level;
    }
    lines->count++;
    pthread_mutex_unlock(&lines->lock);
}

static void test_log_hook(void) {
    gameye_client_config *config = gameye_client_config_new();
    gameye_client *client = NULL;
    gameye_session_list *list = NULL;
    gameye_session *session = NULL;
    struct record record;
    struct lines lines;
    int i;
    int has_token = 0;
    harness_reset();
    memset(&lines, 0, sizeof lines);
    pthread_mutex_init(&lines.lock, NULL);
    record_init(&record, pthread_self());
    CHECK_STATUS(gameye_client_config_set_base_url(config, harness_env("GAMEYE_TEST_URL")), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_token(config, TOKEN), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_config_set_log_callback(config, GAMEYE_LOG_INFO, on_log, &lines), GAMEYE_STATUS_OK);
    CHECK_STATUS(gameye_client_new(config, &client, NULL), GAMEYE_STATUS_OK);
    gameye_client_config_free(config);

    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, NULL), GAMEYE_STATUS_OK);
    gameye_session_list_free(list);
    CHECK_STATUS(gameye_describe_session(client, "missing", &session, NULL), GAMEYE_STATUS_NOT_FOUND);
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, NULL, NULL), GAMEYE_STATUS_OK);
    CHECK(poll_until(client, &record, 1));
    gameye_client_free(client);

    CHECK(lines.count == 3);
    CHECK(strncmp(lines.text[0], "GET /session -> 200 in ", 23) == 0);
    CHECK(strstr(lines.text[0], " ms (attempt 1)") != NULL);
    CHECK(lines.levels[0] == GAMEYE_LOG_INFO);
    CHECK(strncmp(lines.text[1], "GET /session/missing -> 404", 27) == 0);
    CHECK(lines.levels[1] == GAMEYE_LOG_WARN);
    for (i = 0; i < lines.count && i < 16; i++) {
        has_token |= strstr(lines.text[i], TOKEN) != NULL;
    }
    CHECK(!has_token);
}

/* At most the client's bound of requests in flight: past it a submit is RATE_LIMITED, queues
   nothing (no request handle, no callback), and a delivered completion makes room again. */
static void test_requests_in_flight_are_bounded(void) {
    gameye_client_config *config = harness_config(TOKEN, 20000);
    gameye_client *client;
    gameye_request *requests[3] = {NULL, NULL, NULL};
    gameye_error *error = NULL;
    struct record record;
    int i;
    CHECK_STATUS(gameye_client_config_set_max_in_flight(NULL, 2), GAMEYE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(gameye_client_config_set_max_in_flight(config, 0), GAMEYE_STATUS_INVALID_ARGUMENT);
    gameye_client_config_free(config);
    config = harness_config(TOKEN, 20000);
    CHECK_STATUS(gameye_client_config_set_max_in_flight(config, 2), GAMEYE_STATUS_OK);
    client = harness_client(config);
    record_init(&record, pthread_self());
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":300,\"times\":2}"));
    for (i = 0; i < 2; i++) {
        CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &requests[i], NULL),
                     GAMEYE_STATUS_OK);
    }
    requests[2] = (gameye_request *)1;
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &requests[2], &error),
                 GAMEYE_STATUS_RATE_LIMITED);
    CHECK(requests[2] == NULL);
    CHECK(error != NULL && strstr(gameye_error_message(error), "not queued") != NULL);
    gameye_error_free(error);
    CHECK(poll_until(client, &record, 2));
    CHECK_STATUS(gameye_list_sessions_async(client, NULL, on_done, &record, &requests[2], NULL), GAMEYE_STATUS_OK);
    CHECK(poll_until(client, &record, 3));
    for (i = 0; i < 3; i++) {
        gameye_request_free(requests[i]);
    }
    gameye_client_free(client);
    CHECK(record_calls(&record) == 3);
    mock_clear_faults();
}

struct blocked {
    gameye_client *client;
    gameye_status status;
};

static void *list_blocking(void *argument) {
    struct blocked *blocked = argument;
    gameye_session_list *list = NULL;
    blocked->status = gameye_list_sessions(blocked->client, NULL, &list, NULL);
    gameye_session_list_free(list);
    return NULL;
}

/* gameye_client_close interrupts a blocking call another thread is inside and waits for it, then
 * refuses new calls; the client stays valid until gameye_client_free. */
static void test_close_interrupts_a_blocking_call(void) {
    gameye_client *client = client_with(GAMEYE_DELIVERY_POLL, 1, 30000);
    struct blocked blocked = {client, GAMEYE_STATUS_OK};
    gameye_session_list *list = NULL;
    pthread_t thread;
    double started;
    char response[8192];
    double deadline = now_seconds() + 10.0;
    gameye_client_close(NULL);
    harness_reset(); /* an empty request log */
    CHECK(mock_fault("{\"operation\":\"session-list\",\"delay_ms\":20000,\"times\":1}"));
    CHECK(pthread_create(&thread, NULL, list_blocking, &blocked) == 0);
    /* Until the call is on the wire (the emulator logs a request when it arrives). */
    while (now_seconds() < deadline &&
           !(mock_admin_read("GET", "/_mock/requests", NULL, response, sizeof response) == 200 &&
             strstr(response, "\"/session\"") != NULL)) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    started = now_seconds();
    gameye_client_close(client);
    CHECK(now_seconds() - started < 5.0); /* not after the 20 s delay */
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK_STATUS(blocked.status, GAMEYE_STATUS_CANCELLED);
    CHECK_STATUS(gameye_list_sessions(client, NULL, &list, NULL), GAMEYE_STATUS_CANCELLED);
    CHECK(list == NULL);
    gameye_client_close(client); /* a second close does nothing more */
    gameye_client_free(client);
    mock_clear_faults();
}

int main(void) {
    test_config_values();
    test_requests_in_flight_are_bounded();
    test_null_safety();
    test_poll_delivers_on_the_polling_thread();
    test_256_in_flight();
    test_cancel_before_during_after();
    test_free_with_requests_in_flight();
    test_free_while_callbacks_reenter();
    test_a_pool_that_started_in_part_is_not_started();
    test_callback_thread();
    test_every_async_operation();
    test_log_hook();
    test_close_interrupts_a_blocking_call();
    return harness_finish("test_nonblocking");
}
