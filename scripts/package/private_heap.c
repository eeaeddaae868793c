/*
 * private_heap.c: checks, from a bundle, that a Linux library allocates from its private heap
 * (src/private_heap.rs), not from the host's malloc. glibc's count of the bytes it has handed out
 * (mallinfo2's uordblks) must barely move while the library holds a client and a session list
 * whose body alone is several times the bound. With the library on glibc's heap the same program
 * sees the whole body, and more, in that count.
 *
 * Usage: private_heap BOUND_BYTES   (GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN: the emulator's)
 * Prints "stopped <id>" for each session it started and stopped, and the two figures.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gameye.h"

#define SESSIONS 8
#define LABELS 16
#define LABEL_BYTES 1024

static size_t in_use(void) { return mallinfo2().uordblks; }

static int fail(const char *what, gameye_status status, gameye_error *error) {
    fprintf(stderr, "%s failed: %s: %s\n", what, gameye_status_name(status),
            error ? gameye_error_message(error) : "(no details)");
    gameye_error_free(error);
    return 1;
}

int main(int argc, char **argv) {
    size_t bound = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 16384;
    char ids[SESSIONS][64];
    char value[LABEL_BYTES + 1];
    size_t before, held, body = 0;
    gameye_client *client = NULL;
    gameye_session_list *list = NULL;
    gameye_error *error = NULL;
    gameye_status status;
    int i, j, failed = 0;

    memset(value, 'x', LABEL_BYTES);
    value[LABEL_BYTES] = '\0';
    before = in_use();
    status = gameye_client_new(NULL, &client, &error);
    if (status != GAMEYE_STATUS_OK) {
        return fail("creating the client", status, error);
    }
    for (i = 0; i < SESSIONS; i++) {
        gameye_start_options *options = gameye_start_options_new();
        gameye_started_session *started = NULL;
        gameye_start_options_set_location(options, "europe");
        gameye_start_options_set_image(options, "nginx");
        for (j = 0; j < LABELS; j++) {
            char key[16];
            snprintf(key, sizeof key, "filler-%d", j);
            gameye_start_options_set_label(options, key, value);
        }
        status = gameye_start_session(client, options, &started, &error);
        gameye_start_options_free(options);
        if (status != GAMEYE_STATUS_OK) {
            return fail("starting a session", status, error);
        }
        snprintf(ids[i], sizeof ids[i], "%s", gameye_started_session_id(started));
        gameye_started_session_free(started);
        body += LABELS * LABEL_BYTES;
    }
    status = gameye_list_sessions(client, NULL, &list, &error);
    if (status != GAMEYE_STATUS_OK) {
        return fail("listing the sessions", status, error);
    }
    held = in_use();
    printf("sessions listed: %zu, labels held: %zu bytes\n", gameye_session_list_len(list), body);
    printf("host malloc in use: %zu bytes before the client, %zu while it holds the list\n", before,
           held);
    if (held > before + bound) {
        fprintf(stderr, "the library took %zu bytes from the host's malloc (bound %zu)\n",
                held - before, bound);
        failed = 1;
    }
    gameye_session_list_free(list);
    for (i = 0; i < SESSIONS; i++) {
        status = gameye_stop_session(client, ids[i], &error);
        if (status != GAMEYE_STATUS_OK) {
            return fail("stopping a session", status, error);
        }
        printf("stopped %s\n", ids[i]);
    }
    gameye_client_free(client);
    return failed;
}
