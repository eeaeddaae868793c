/*
 * c_roster.c: the cost of one report on the caller's thread, through the C ABI:
 * gameye_roster_reporter_player_joined (a new player), _player_left (its join still unsent, so
 * the two cancel out), and a join of a player already joined. No I/O happens on the caller's
 * thread; the batch interval is long enough that the worker sends nothing while it runs.
 *
 * Build and run (see BENCHMARKS.md, "Roster reports"):
 *   cargo build --release --lib
 *   gcc -O2 -std=c11 -Iinclude bench/c_roster.c target/release/libgameye.a -lpthread -ldl -lm \
 *       -o target/c_roster && target/c_roster
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gameye.h"

#define PLAYERS 9000 /* under the batch size, so no batch is due while it runs */
#define ROUNDS 21

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static gameye_roster_reporter *reporter_new(gameye_client *client) {
    gameye_roster_reporter_options *options = gameye_roster_reporter_options_new();
    gameye_roster_reporter *reporter = NULL;
    gameye_roster_reporter_options_set_batch_interval_ms(options, 60000);
    gameye_roster_reporter_options_set_batch_size(options, 10000);
    gameye_roster_reporter_options_set_max_pending(options, 1000000);
    if (gameye_roster_reporter_new(client, "bench-session", options, &reporter, NULL) != GAMEYE_STATUS_OK) {
        fprintf(stderr, "cannot make a reporter\n");
        exit(1);
    }
    gameye_roster_reporter_options_free(options);
    return reporter;
}

int main(void) {
    static char ids[PLAYERS][24];
    double joined[ROUNDS], left[ROUNDS], again[ROUNDS];
    gameye_client_config *config = gameye_client_config_new();
    gameye_client *client = NULL;
    int round, i;
    for (i = 0; i < PLAYERS; i++) {
        snprintf(ids[i], sizeof ids[i], "player-%d", i);
    }
    /* Nothing listens there; nothing is sent during a round anyway. */
    gameye_client_config_set_base_url(config, "http://127.0.0.1:9");
    gameye_client_config_set_token(config, "bench-token");
    if (gameye_client_new(config, &client, NULL) != GAMEYE_STATUS_OK) {
        fprintf(stderr, "cannot make a client\n");
        return 1;
    }
    gameye_client_config_free(config);
    for (round = 0; round < ROUNDS; round++) {
        gameye_roster_reporter *reporter = reporter_new(client);
        double start = now_ns();
        for (i = 0; i < PLAYERS; i++) {
            gameye_roster_reporter_player_joined(reporter, ids[i]);
        }
        joined[round] = (now_ns() - start) / PLAYERS;
        start = now_ns();
        for (i = 0; i < PLAYERS; i++) {
            gameye_roster_reporter_player_joined(reporter, ids[i]);
        }
        again[round] = (now_ns() - start) / PLAYERS;
        start = now_ns();
        for (i = 0; i < PLAYERS; i++) {
            gameye_roster_reporter_player_left(reporter, ids[i]);
        }
        left[round] = (now_ns() - start) / PLAYERS;
        if (gameye_roster_reporter_pending(reporter) != 0) {
            fprintf(stderr, "the unsent joins and leaves did not cancel out\n");
            return 1;
        }
        gameye_roster_reporter_free(reporter);
    }
    qsort(joined, ROUNDS, sizeof joined[0], compare);
    qsort(again, ROUNDS, sizeof again[0], compare);
    qsort(left, ROUNDS, sizeof left[0], compare);
    printf("| report (C ABI, caller's thread) | min ns | median ns |\n|---|---:|---:|\n");
    printf("| player_joined, a new player | %.0f | %.0f |\n", joined[0], joined[ROUNDS / 2]);
    printf("| player_joined, already joined | %.0f | %.0f |\n", again[0], again[ROUNDS / 2]);
    printf("| player_left, cancelling an unsent join | %.0f | %.0f |\n", left[0], left[ROUNDS / 2]);
    printf("(%d players per round, %d rounds, %s)\n", PLAYERS, ROUNDS, gameye_version());
    gameye_client_free(client);
    return 0;
}
