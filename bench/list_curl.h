/* libcurl + cJSON's side of the C contenders: what a good C programmer writes by hand, reading
 * the same fields (tags and env decoded from the JSON in labels, ports parsed from
 * "<container>/<protocol>"), and one list on a kept-alive easy handle. */
#ifndef LIST_CURL_H
#define LIST_CURL_H
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

static uint64_t c_len(const char *s) { return s ? (uint64_t)strlen(s) : 0; }
static const char *c_str(const cJSON *o, const char *k) { return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k)); }

static uint64_t c_read_embedded_map(const char *json) {
    uint64_t sum = 0;
    cJSON *map = json ? cJSON_Parse(json) : NULL, *item;
    cJSON_ArrayForEach(item, map) {
        sum += c_len(item->string) + c_len(cJSON_GetStringValue(item));
    }
    cJSON_Delete(map);
    return sum;
}

static uint64_t c_read_session(const cJSON *s) {
    const cJSON *created = cJSON_GetObjectItemCaseSensitive(s, "created");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(s, "playerCount");
    const cJSON *players = cJSON_GetObjectItemCaseSensitive(s, "players");
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(s, "labels");
    const cJSON *port;
    uint64_t sum = c_len(c_str(s, "id")) + c_len(c_str(s, "image")) + c_len(c_str(s, "tag")) + c_len(c_str(s, "location")) +
                   c_len(c_str(s, "host")) + c_len(c_str(s, "status")) +
                   (uint64_t)((int64_t)cJSON_GetNumberValue(created) % 1000);
    if (cJSON_IsNumber(count)) {
        sum += (uint64_t)count->valuedouble;
    } else if (players != NULL) {
        sum += (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(players, "joinedCount"));
    }
    cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(s, "port")) {
        const char *slash = strchr(port->string, '/');
        sum += (uint64_t)strtol(port->string, NULL, 10) + (uint64_t)port->valuedouble + c_len(port->string) +
               (slash ? c_len(slash + 1) : 0);
    }
    sum += c_read_embedded_map(c_str(labels, "tags")) + c_read_embedded_map(c_str(labels, "env"));
    return sum;
}

/* A kept-alive easy handle that GETs URL into BODY. */
static CURL *c_handle(const char *url, struct curl_slist *headers, struct buffer *body) {
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    return curl;
}

/* One exchange on CURL, every field read (one session when DESCRIBE); returns 0 on success. */
static int c_fetch(CURL *curl, struct buffer *body, int describe, uint64_t *sum) {
    long code = 0;
    cJSON *root, *session;
    body->len = 0;
    if (curl_easy_perform(curl) != CURLE_OK) return 1;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) return 1;
    root = cJSON_ParseWithLength(body->data, body->len);
    *sum = 0;
    if (describe) {
        *sum = c_read_session(root);
    } else {
        cJSON_ArrayForEach(session, cJSON_GetObjectItemCaseSensitive(root, "sessions")) {
            *sum += c_read_session(session);
        }
    }
    cJSON_Delete(root);
    return 0;
}
#endif
