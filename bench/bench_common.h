/* Shared by the C contenders: timing and the report line the orchestrator reads. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Prints "ns=<each sample,...> checksum=<c>" for the orchestrator. */
static inline void report(uint64_t *samples, int count, uint64_t checksum) {
    int i;
    qsort(samples, (size_t)count, sizeof *samples, compare_u64);
    printf("checksum=%llu samples=", (unsigned long long)checksum);
    for (i = 0; i < count; i++) {
        printf(i ? ",%llu" : "%llu", (unsigned long long)samples[i]);
    }
    printf("\n");
}
#endif
