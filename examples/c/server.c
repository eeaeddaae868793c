/*
 * server.c: a tiny dedicated game server that runs inside a Gameye session.
 *
 * It reads its session from the environment (gameye_session_context_current), listens on the
 * TCP port Gameye mapped for it, and reports every player who connects and leaves through a
 * roster reporter, so matchmakers can backfill with playerCount. The match ends when the last
 * player leaves or a player sends "MATCH OVER": the server then stops its own session (flushing
 * what it still owes first) and exits. On SIGTERM (Gameye stopping the container) it flushes
 * within a deadline and exits.
 *
 * Protocol, one line each way: the client sends "HELLO <player-id>", the server answers
 * "WELCOME <player-id>"; closing the connection is leaving.
 *
 * Environment: GAMEYE_SESSION_ID, GAMEYE_HOST (set by Gameye), GAMEYE_API_TOKEN (a token with
 * session:join and session:stop only: see the README's "Inside a session"), GAMEYE_API_ENDPOINT
 * (optional), and the port: GAMEYE_PORT_7777_TCP (the emulator's name for the host port of
 * container port 7777/tcp; a real container listens on 7777 itself, which is the default).
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/server.c \
 *            target/debug/libgameye.a -lpthread -ldl -lm -o server
 * Try it: gameye-mock --run example-server=./server, then start a session of image
 * example-server (see the README).
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gameye.h"

#define MAX_PLAYERS 64
#define FLUSH_DEADLINE_MS 5000

struct player {
    int fd;
    char id[128];  /* empty until HELLO */
    char buffer[256];
    size_t used;
};

static volatile sig_atomic_t terminated = 0;

static void on_sigterm(int signal_number) {
    (void)signal_number;
    terminated = 1;
}

static void say(const char *format, const char *a, const char *b) {
    printf(format, a, b);
    printf("\n");
    fflush(stdout);
}

static void fail(const char *what, gameye_status status, gameye_error *error) {
    fprintf(stderr, "server: %s: %s: %s\n", what, gameye_status_name(status),
            error ? gameye_error_message(error) : "");
    fflush(stderr);
    gameye_error_free(error);
}

static int listen_on(const char *host, int port) {
    struct sockaddr_in address;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    /* On the emulator the host is loopback; in a container, every interface. */
    address.sin_addr.s_addr = (host != NULL && strcmp(host, "127.0.0.1") == 0) ? htonl(INADDR_LOOPBACK)
                                                                               : htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Handles one complete line from a player; returns 1 when the match is over. */
static int on_line(gameye_roster_reporter *reporter, struct player *player, const char *line) {
    if (strncmp(line, "HELLO ", 6) == 0 && player->id[0] == '\0' && line[6] != '\0') {
        gameye_status status;
        snprintf(player->id, sizeof player->id, "%s", line + 6);
        /* O(1), no I/O: the reporter's worker sends it. */
        status = gameye_roster_reporter_player_joined(reporter, player->id);
        if (status != GAMEYE_STATUS_OK) {
            fail("player_joined", status, NULL);
        }
        say("server: player %s joined%s", player->id, "");
        if (dprintf(player->fd, "WELCOME %s\n", player->id) < 0) {
            return 0;
        }
        return 0;
    }
    return strcmp(line, "MATCH OVER") == 0;
}

/* Reads what a player sent; returns -1 when it left, 1 when the match is over, else 0. */
static int on_readable(gameye_roster_reporter *reporter, struct player *player) {
    ssize_t got = read(player->fd, player->buffer + player->used, sizeof player->buffer - 1 - player->used);
    char *newline;
    if (got <= 0) {
        return -1;
    }
    player->used += (size_t)got;
    player->buffer[player->used] = '\0';
    while ((newline = strchr(player->buffer, '\n')) != NULL) {
        size_t length = (size_t)(newline - player->buffer);
        int over;
        *newline = '\0';
        if (length > 0 && player->buffer[length - 1] == '\r') {
            player->buffer[length - 1] = '\0';
        }
        over = on_line(reporter, player, player->buffer);
        memmove(player->buffer, newline + 1, player->used - length - 1);
        player->used -= length + 1;
        player->buffer[player->used] = '\0';
        if (over) {
            return 1;
        }
    }
    if (player->used == sizeof player->buffer - 1) {
        return -1; /* a line too long: not a client of ours */
    }
    return 0;
}

int main(void) {
    gameye_session_context *context = NULL;
    gameye_client *client = NULL;
    gameye_roster_reporter *reporter = NULL;
    gameye_error *error = NULL;
    gameye_status status;
    struct player players[MAX_PLAYERS];
    struct pollfd fds[MAX_PLAYERS + 1];
    struct sigaction action;
    const char *port_text = getenv("GAMEYE_PORT_7777_TCP");
    int port = port_text != NULL ? atoi(port_text) : 7777;
    int listener, count = 0, joined_ever = 0, over = 0, i;

    status = gameye_session_context_current(&context, &error);
    if (status != GAMEYE_STATUS_OK) {
        fail("not inside a Gameye session", status, error);
        return 2;
    }
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigterm;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* The token and endpoint come from the environment (GAMEYE_API_TOKEN, GAMEYE_API_ENDPOINT). */
    status = gameye_client_new(NULL, &client, &error);
    if (status == GAMEYE_STATUS_OK) {
        status = gameye_roster_reporter_new(client, gameye_session_context_id(context), NULL, &reporter, &error);
    }
    if (status != GAMEYE_STATUS_OK) {
        fail("cannot report players", status, error);
        gameye_client_free(client);
        gameye_session_context_free(context);
        return 1;
    }
    /* The reporter keeps what it needs of the client. */
    gameye_client_free(client);

    listener = listen_on(gameye_session_context_host(context), port);
    if (listener < 0) {
        fprintf(stderr, "server: cannot listen on port %d: %s\n", port, strerror(errno));
        gameye_roster_reporter_free(reporter);
        gameye_session_context_free(context);
        return 1;
    }
    printf("server: session %s listening on port %d (pid %ld)\n", gameye_session_context_id(context), port,
           (long)getpid());
    fflush(stdout);

    while (!over && !terminated) {
        fds[0].fd = listener;
        fds[0].events = POLLIN;
        for (i = 0; i < count; i++) {
            fds[i + 1].fd = players[i].fd;
            fds[i + 1].events = POLLIN;
        }
        if (poll(fds, (nfds_t)count + 1, 100) < 0) {
            continue; /* EINTR: a signal; the loop checks it */
        }
        for (i = count - 1; i >= 0; i--) {
            int result;
            if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            result = on_readable(reporter, &players[i]);
            if (result == 1) {
                say("server: %s called the match over%s", players[i].id[0] ? players[i].id : "a player", "");
                over = 1;
            }
            if (result == -1) {
                if (players[i].id[0] != '\0') {
                    gameye_roster_reporter_player_left(reporter, players[i].id);
                    say("server: player %s left%s", players[i].id, "");
                    joined_ever = 1;
                }
                close(players[i].fd);
                players[i] = players[count - 1];
                count--;
            }
        }
        if (fds[0].revents & POLLIN) {
            int fd = accept(listener, NULL, NULL);
            if (fd >= 0 && count < MAX_PLAYERS) {
                memset(&players[count], 0, sizeof players[count]);
                players[count].fd = fd;
                count++;
            } else if (fd >= 0) {
                close(fd);
            }
        }
        if (joined_ever && count == 0) {
            say("server: the last player left%s%s", "", "");
            over = 1;
        }
    }

    if (over) {
        /* The end of the match: flush what is owed, then stop this session. */
        status = gameye_roster_reporter_stop_session(reporter, FLUSH_DEADLINE_MS, &error);
        if (status != GAMEYE_STATUS_OK) {
            fail("cannot stop the session", status, error);
        } else {
            say("server: match over, session stopped%s%s", "", "");
        }
    } else {
        /* SIGTERM: Gameye is stopping the container; report what is owed within the deadline. */
        status = gameye_roster_reporter_flush(reporter, FLUSH_DEADLINE_MS, &error);
        if (status != GAMEYE_STATUS_OK) {
            fail("stopping: the flush did not finish", status, error);
        } else {
            say("server: stopping, every player reported%s%s", "", "");
        }
    }
    for (i = 0; i < count; i++) {
        close(players[i].fd);
    }
    close(listener);
    gameye_roster_reporter_free(reporter);
    gameye_session_context_free(context);
    return status == GAMEYE_STATUS_OK ? 0 : 1;
}
