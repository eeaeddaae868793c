/* Contender (b): what a good C programmer writes by hand: one kept-alive libcurl easy handle and
 * cJSON, reading the same fields (tags and env decoded from the JSON in labels, ports parsed
 * from "<container>/<protocol>"). Usage: c_curl_cjson BASE_URL list|describe ITERATIONS */
#include "bench_common.h"
#include <cjson/cJSON.h>
#include <curl/curl.h>

struct buffer {
    char *data;
    size_t len, cap;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *user) {
    struct buffer *b = (struct buffer *)user;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

static uint64_t len(const char *s) { return s ? (uint64_t)strlen(s) : 0; }
static const char *str(const cJSON *o, const char *k) { return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k)); }

static uint64_t read_embedded_map(const char *json) {
    uint64_t sum = 0;
    cJSON *map = json ? cJSON_Parse(json) : NULL, *item;
    cJSON_ArrayForEach(item, map) {
        sum += len(item->string) + len(cJSON_GetStringValue(item));
    }
    cJSON_Delete(map);
    return sum;
}

static uint64_t read_session(const cJSON *s) {
    const cJSON *created = cJSON_GetObjectItemCaseSensitive(s, "created");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(s, "playerCount");
    const cJSON *players = cJSON_GetObjectItemCaseSensitive(s, "players");
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(s, "labels");
    const cJSON *port;
    uint64_t sum = len(str(s, "id")) + len(str(s, "image")) + len(str(s, "tag")) + len(str(s, "location")) +
                   len(str(s, "host")) + len(str(s, "status")) +
                   (uint64_t)((int64_t)cJSON_GetNumberValue(created) % 1000);
    if (cJSON_IsNumber(count)) {
        sum += (uint64_t)count->valuedouble;
    } else if (players != NULL) {
        sum += (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(players, "joinedCount"));
    }
    cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(s, "port")) {
        const char *slash = strchr(port->string, '/');
        sum += (uint64_t)strtol(port->string, NULL, 10) + (uint64_t)port->valuedouble + len(port->string) +
               (slash ? len(slash + 1) : 0);
    }
    sum += read_embedded_map(str(labels, "tags")) + read_embedded_map(str(labels, "env"));
    return sum;
}

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
                        sum += read_session(session);
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
    curl = curl_easy_init();
    snprintf(url, sizeof url, describe ? "%s/session/bench-describe" : "%s/session", argv[1]);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    for (i = -1; i < iterations; i++) {
        uint64_t start = now_ns(), sum = 0;
        long code = 0;
        cJSON *root, *session;
        body.len = 0;
        if (curl_easy_perform(curl) != CURLE_OK) return 1;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        if (code != 200) return 1;
        root = cJSON_ParseWithLength(body.data, body.len);
        if (describe) {
            sum = read_session(root);
        } else {
            cJSON_ArrayForEach(session, cJSON_GetObjectItemCaseSensitive(root, "sessions")) {
                sum += read_session(session);
            }
        }
        cJSON_Delete(root);
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
