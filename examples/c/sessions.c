/*
 * sessions.c: start a session, list the running ones, describe it and stop it, through the C API.
 *
 * Configuration comes from the environment: GAMEYE_API_ENDPOINT (the base URL; the emulator's
 * or https://api.sandbox-gameye.gameye.net) and GAMEYE_API_TOKEN.
 * Usage: sessions [LOCATION IMAGE]   (default: europe nginx, which the emulator serves)
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "gameye.h"

/* Prints a failed call and frees its error. */
static int fail(const char *what, gameye_status status, gameye_error *error) {
    fprintf(stderr, "%s failed: %s", what, gameye_status_name(status));
    if (gameye_error_http_status(error) != 0) {
        fprintf(stderr, " (HTTP %u)", (unsigned)gameye_error_http_status(error));
    }
    fprintf(stderr, ": %s\n", error ? gameye_error_message(error) : "(no details)");
    if (gameye_error_identifier(error) != NULL) {
        fprintf(stderr, "  request identifier for Gameye support: %s\n", gameye_error_identifier(error));
    }
    gameye_error_free(error);
    return 1;
}

static void print_map(const char *title, const gameye_string_map *map) {
    size_t i;
    printf("    %s:", title);
    if (gameye_string_map_len(map) == 0) {
        printf(" (none)");
    }
    for (i = 0; i < gameye_string_map_len(map); i++) {
        printf(" %s=%s", gameye_string_map_key(map, i), gameye_string_map_value(map, i));
    }
    printf("\n");
}

static void print_session(const gameye_session *session) {
    const char *tag = gameye_session_tag(session);
    const char *status = gameye_session_status(session);
    time_t created = (time_t)(gameye_session_created(session) / 1000);
    char when[32] = "?";
    size_t i;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&created));
    printf("  %s\n", gameye_session_id(session));
    printf("    image %s:%s in %s, status %s, created %s\n", gameye_session_image(session),
           tag ? tag : "?", gameye_session_location(session), status ? status : "?", when);
    if (gameye_session_player_count(session) >= 0) {
        printf("    players: %" PRId64 "\n", gameye_session_player_count(session));
    }
    for (i = 0; i < gameye_session_port_count(session); i++) {
        const gameye_port *port = gameye_session_port_get(session, i);
        printf("    port %-9s -> %s:%u\n", gameye_port_name(port), gameye_session_host(session),
               (unsigned)gameye_port_host(port));
    }
    print_map("tags", gameye_session_tags(session));
}

int main(int argc, char **argv) {
    const char *location = argc > 2 ? argv[1] : "europe";
    const char *image = argc > 2 ? argv[2] : "nginx";
    gameye_client *client = NULL;
    gameye_start_options *options = NULL;
    gameye_started_session *started = NULL;
    gameye_session_list *list = NULL;
    gameye_session *described = NULL;
    gameye_error *error = NULL;
    gameye_status status;
    size_t i;
    int failed = 0;

    printf("gameye %s\n", gameye_version());
    /* NULL config: GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN from the environment. */
    status = gameye_client_new(NULL, &client, &error);
    if (status != GAMEYE_STATUS_OK) {
        return fail("creating the client", status, error);
    }

    options = gameye_start_options_new();
    gameye_start_options_set_location(options, location);
    gameye_start_options_set_image(options, image);
    gameye_start_options_set_label(options, "example", "sessions.c");
    gameye_start_options_set_ttl(options, "10m"); /* never leave a demo session running */
    status = gameye_start_session(client, options, &started, &error);
    gameye_start_options_free(options);
    if (status != GAMEYE_STATUS_OK) {
        failed = fail("starting a session", status, error);
        goto done;
    }
    printf("started %s on %s\n", gameye_started_session_id(started), gameye_started_session_host(started));

    status = gameye_list_sessions(client, NULL, &list, &error);
    if (status != GAMEYE_STATUS_OK) {
        failed = fail("listing sessions", status, error);
        goto stop;
    }
    printf("%zu running session(s):\n", gameye_session_list_len(list));
    for (i = 0; i < gameye_session_list_len(list); i++) {
        print_session(gameye_session_list_get(list, i));
    }
    gameye_session_list_free(list);

    status = gameye_describe_session(client, gameye_started_session_id(started), &described, &error);
    if (status != GAMEYE_STATUS_OK) {
        failed = fail("describing the session", status, error);
        goto stop;
    }
    printf("described:\n");
    print_session(described);
    printf("    joined players: %zu\n", gameye_string_list_len(gameye_session_players(described)));
    gameye_session_free(described);

stop:
    status = gameye_stop_session(client, gameye_started_session_id(started), &error);
    if (status != GAMEYE_STATUS_OK) {
        failed = fail("stopping the session", status, error);
    } else {
        printf("stopped %s\n", gameye_started_session_id(started));
    }
done:
    gameye_started_session_free(started);
    gameye_client_free(client);
    return failed;
}
