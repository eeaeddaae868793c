/* Contender (b): libcurl (one kept-alive easy handle) + cJSON, by hand (see list_curl.h).
 * Usage: c_curl_cjson BASE_URL list|describe|concurrent ITERATIONS */
#include "list_curl.h"

/* The concurrent workload: 64 transfers per batch on one multi handle (a connection each, kept
 * alive across batches), each body parsed as it completes. */
#define IN_FLIGHT 64
static int concurrent(const char *base, int iterations, uint64_t *samples, uint64_t *checksum) {
    CURLM *multi = curl_multi_init();
    CURL *easy[IN_FLIGHT];
    struct buffer bodies[IN_FLIGHT];
    struct curl_slist *headers = curl_slist_append(NULL, "Authorization: Bearer bench");
    char url[512];
    int i, r;
    snprintf(url, sizeof url, "%s/session", base);
    for (r = 0; r < IN_FLIGHT; r++) {
        bodies[r].data = NULL;
        bodies[r].len = bodies[r].cap = 0;
        easy[r] = curl_easy_init();
        curl_easy_setopt(easy[r], CURLOPT_URL, url);
        curl_easy_setopt(easy[r], CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy[r], CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(easy[r], CURLOPT_WRITEDATA, &bodies[r]);
        curl_easy_setopt(easy[r], CURLOPT_PRIVATE, &bodies[r]);
        curl_easy_setopt(easy[r], CURLOPT_TCP_NODELAY, 1L);
    }
    for (i = -1; i < iterations; i++) {
        uint64_t start = now_ns(), sum = 0;
        int running = 0, done = 0, queued;
        CURLMsg *message;
        for (r = 0; r < IN_FLIGHT; r++) {
            bodies[r].len = 0;
            curl_multi_add_handle(multi, easy[r]);
        }
        while (done < IN_FLIGHT) {
            curl_multi_perform(multi, &running);
            while ((message = curl_multi_info_read(multi, &queued)) != NULL) {
                if (message->msg == CURLMSG_DONE) {
                    struct buffer *body;
                    cJSON *root, *session;
                    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **)&body);
                    root = cJSON_ParseWithLength(body->data, body->len);
                    cJSON_ArrayForEach(session, cJSON_GetObjectItemCaseSensitive(root, "sessions")) {
                        sum += c_read_session(session);
                    }
                    cJSON_Delete(root);
                    curl_multi_remove_handle(multi, message->easy_handle);
                    done++;
                }
            }
            if (done < IN_FLIGHT) {
                curl_multi_poll(multi, NULL, 0, 1000, NULL);
            }
        }
        if (i >= 0) {
            samples[i] = now_ns() - start;
            *checksum = sum;
        }
    }
    for (r = 0; r < IN_FLIGHT; r++) {
        curl_easy_cleanup(easy[r]);
        free(bodies[r].data);
    }
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    return 0;
}

int main(int argc, char **argv) {
    int iterations = argc > 3 ? atoi(argv[3]) : 10;
    int describe = argc > 2 && strcmp(argv[2], "describe") == 0;
    uint64_t *samples = calloc((size_t)iterations, sizeof *samples);
    uint64_t checksum = 0;
    char url[512];
    struct buffer body = {NULL, 0, 0};
    struct curl_slist *headers = curl_slist_append(NULL, "Authorization: Bearer bench");
    CURL *curl;
    int i;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (argc > 2 && strcmp(argv[2], "concurrent") == 0) {
        concurrent(argv[1], iterations, samples, &checksum);
        report(samples, iterations, checksum);
        curl_slist_free_all(headers);
        curl_global_cleanup();
        free(samples);
        return 0;
    }
    snprintf(url, sizeof url, describe ? "%s/session/bench-describe" : "%s/session", argv[1]);
    curl = c_handle(url, headers, &body);
    for (i = -1; i < iterations; i++) {
        uint64_t start = now_ns(), sum = 0;
        if (c_fetch(curl, &body, describe, &sum) != 0) return 1;
        if (i >= 0) {
            samples[i] = now_ns() - start;
            checksum = sum;
        }
    }
    report(samples, iterations, checksum);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    free(body.data);
    free(samples);
    return 0;
}
