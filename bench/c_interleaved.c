/* The interleaved workload: one process that alternates a list through this library with a
 * list through libcurl + cJSON, as a busy game server or matchmaker would mix the library with
 * other allocation-heavy work. Only one side is timed per run (so the orchestrator reads one
 * sample set); ORDER says which side lists first in each pair.
 * "library-async" times the library's non-blocking list instead (run on a worker thread).
 * Usage: c_interleaved BASE_URL library|library-async|curl library-first|curl-first ITERATIONS */
#include "list_curl.h"
#include "list_gameye.h"

int main(int argc, char **argv) {
    int timed_library = argc > 2 && strncmp(argv[2], "library", 7) == 0;
    int async = argc > 2 && strcmp(argv[2], "library-async") == 0;
    int library_first = argc > 3 && strcmp(argv[3], "library-first") == 0;
    int iterations = argc > 4 ? atoi(argv[4]) : 10;
    uint64_t *samples = calloc((size_t)iterations, sizeof *samples);
    uint64_t checksum = 0;
    struct buffer body = {NULL, 0, 0};
    struct curl_slist *headers = curl_slist_append(NULL, "Authorization: Bearer bench");
    gameye_client *client = g_client(argv[1]);
    char url[512];
    CURL *curl;
    int i, turn;
    if (client == NULL) return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(url, sizeof url, "%s/session", argv[1]);
    curl = c_handle(url, headers, &body);
    for (i = -1; i < iterations; i++) { /* i = -1: warm-up */
        for (turn = 0; turn < 2; turn++) {
            int library = (turn == 0) == library_first;
            uint64_t start = now_ns(), sum = 0;
            int failed = !library ? c_fetch(curl, &body, 0, &sum) : async ? g_list_async(client, &sum) : g_list(client, &sum);
            if (failed) return 1;
            if (i >= 0 && library == timed_library) {
                samples[i] = now_ns() - start;
                checksum = sum;
            }
        }
    }
    report(samples, iterations, checksum);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    curl_global_cleanup();
    gameye_client_free(client);
    free(body.data);
    free(samples);
    return 0;
}
