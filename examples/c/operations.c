/*
 * operations.c: the rest of the Session API through the C API: available locations, tag check,
 * player join/leave, whole and followed logs, and an artifact download.
 *
 * Configuration comes from the environment: GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN.
 * Usage: operations [IMAGE VERSION]   (default: my-game 1.0.0, which the emulator serves)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gameye.h"

static int fail(const char *what, gameye_status status, gameye_error *error) {
    fprintf(stderr, "%s failed: %s: %s\n", what, gameye_status_name(status),
            error ? gameye_error_message(error) : "(no details)");
    gameye_error_free(error);
    return 1;
}

static bool show_progress(uint64_t received, uint64_t total, void *user_data) {
    (void)user_data;
    if (total > 0 && received == total) {
        printf("  downloaded %" PRIu64 " bytes\n", received);
    }
    return true; /* false would cancel the download */
}

int main(int argc, char **argv) {
    const char *image = argc > 2 ? argv[1] : "my-game";
    const char *version = argc > 2 ? argv[2] : "1.0.0";
    const char *players[] = {"player-1", "player-2", "player-3"};
    const char *leaving[] = {"player-2"};
    char location[128] = "";
    char session_id[128] = "";
    gameye_client *client = NULL;
    gameye_location_list *locations = NULL;
    gameye_start_options *options = NULL;
    gameye_started_session *started = NULL;
    gameye_roster *roster = NULL;
    gameye_logs *logs = NULL;
    gameye_log_stream *stream = NULL;
    gameye_error *error = NULL;
    gameye_status status;
    bool exists = false;
    uint64_t bytes = 0;
    size_t i;
    int lines = 0;

    if ((status = gameye_client_new(NULL, &client, &error)) != GAMEYE_STATUS_OK) {
        return fail("creating the client", status, error);
    }

    /* Where can the image run now? (Ping the addresses to choose by latency.) */
    if ((status = gameye_get_available_locations(client, image, &locations, &error)) != GAMEYE_STATUS_OK) {
        return fail("listing available locations", status, error);
    }
    for (i = 0; i < gameye_location_list_len(locations); i++) {
        const gameye_location *entry = gameye_location_list_get(locations, i);
        const gameye_string_list *ips = gameye_location_ips(entry);
        printf("location %-14s ping %s\n", gameye_location_id(entry),
               gameye_string_list_len(ips) ? gameye_string_list_get(ips, 0) : "-");
    }
    if (gameye_location_list_len(locations) > 0) {
        snprintf(location, sizeof location, "%s", gameye_location_id(gameye_location_list_get(locations, 0)));
    }
    gameye_location_list_free(locations);
    if (location[0] == '\0') {
        fprintf(stderr, "no location can host %s now\n", image);
        gameye_client_free(client);
        return 1;
    }

    /* Is the version we want to pin there? */
    if ((status = gameye_tag_exists(client, location, image, version, &exists, &error)) != GAMEYE_STATUS_OK) {
        return fail("checking the tag", status, error);
    }
    printf("%s:%s in %s: %s\n", image, version, location, exists ? "available" : "missing");

    options = gameye_start_options_new();
    gameye_start_options_set_location(options, location);
    gameye_start_options_set_image(options, image);
    if (exists) {
        gameye_start_options_set_version(options, version);
    }
    gameye_start_options_set_ttl(options, "10m");
    status = gameye_start_session(client, options, &started, &error);
    gameye_start_options_free(options);
    if (status != GAMEYE_STATUS_OK) {
        return fail("starting a session", status, error);
    }
    snprintf(session_id, sizeof session_id, "%s", gameye_started_session_id(started));
    gameye_started_session_free(started);
    printf("started %s\n", session_id);

    /* Players join and leave (a game server reports these). */
    if ((status = gameye_join_session(client, session_id, players, 3, &roster, &error)) == GAMEYE_STATUS_OK) {
        printf("joined %zu player(s); %" PRId64 " in the session\n",
               gameye_string_list_len(gameye_roster_players(roster)), gameye_roster_count(roster));
        gameye_roster_free(roster);
    } else {
        fail("joining players", status, error);
    }
    if ((status = gameye_leave_session(client, leaving, 1, &roster, &error)) == GAMEYE_STATUS_OK) {
        printf("%s left; %" PRId64 " in the session\n", leaving[0], gameye_roster_count(roster));
        gameye_roster_free(roster);
    } else {
        fail("removing a player", status, error);
    }

    /* Everything the server wrote so far. */
    if ((status = gameye_get_logs(client, session_id, &logs, &error)) == GAMEYE_STATUS_OK) {
        printf("logs so far (%zu bytes):\n%s", gameye_logs_len(logs), gameye_logs_data(logs));
        gameye_logs_free(logs);
    } else {
        fail("reading logs", status, error);
    }

    /* Follow the output for a few lines (idle timeout 30 s), then stop following. */
    if ((status = gameye_follow_logs(client, session_id, 30000, &stream, &error)) == GAMEYE_STATUS_OK) {
        while (lines < 5) {
            const char *line = NULL;
            bool ended = false;
            status = gameye_log_stream_next(stream, 1000, &line, NULL, &ended, &error);
            if (status != GAMEYE_STATUS_OK) {
                fail("following logs", status, error);
                break;
            }
            if (ended) {
                break;
            }
            if (line != NULL) {
                printf("  | %s\n", line);
                lines++;
            }
        }
        gameye_log_stream_free(stream);
    } else {
        fail("following logs", status, error);
    }

    if ((status = gameye_stop_session(client, session_id, &error)) != GAMEYE_STATUS_OK) {
        return fail("stopping the session", status, error);
    }
    printf("stopped %s\n", session_id);

    /* After the stop, fetch a file from the container as .tar.gz. */
    status = gameye_download_artifact(client, session_id, "/var/log/game.log", "artifact.tar.gz", 0,
                                      show_progress, NULL, &bytes, &error);
    if (status == GAMEYE_STATUS_OK) {
        printf("artifact.tar.gz: %" PRIu64 " bytes\n", bytes);
    } else {
        fail("downloading the artifact", status, error);
    }
    gameye_client_free(client);
    return status == GAMEYE_STATUS_OK ? 0 : 1;
}
