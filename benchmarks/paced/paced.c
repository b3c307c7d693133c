/*
 * An open-loop HTTP load: GET requests started at the moments of a Poisson stream
 * of RATE a second for SECONDS, whatever the answers' speed, each on a connection
 * of its own (the site's gunicorn workers close after each answer anyway), timed
 * from the moment it was due to the last byte of its answer. A request the client
 * itself starts late is charged its lateness, so a slow client can only make the
 * figures worse, never hide a queue (the "coordinated omission" of closed-loop
 * tools such as wrk).
 *
 * Used by benchmarks/load_test.py, which compiles it: at the rates of this site's
 * trace page a client in Python took a core of its own from the two the server runs
 * on. One thread, epoll, no busy waiting.
 *
 *   paced HOST PORT RATE SECONDS PATHS_FILE ACCEPT_LANGUAGE SEED
 *
 * Prints one line of JSON: requests answered, answers not 2xx, failures, and the
 * latency percentiles in microseconds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPEN 8192
#define MAX_PATHS 200000
#define EVENTS 256

struct request {
    int fd;
    double due;
    int sent;
    int status;
    const char *text;
    size_t length;
};

static double now(void) {
    struct timespec moment;
    clock_gettime(CLOCK_MONOTONIC, &moment);
    return moment.tv_sec + moment.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* xorshift64*: the same arrivals for the same seed. */
static unsigned long long state;
static double uniform(void) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return ((state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: paced HOST PORT RATE SECONDS PATHS_FILE ACCEPT_LANGUAGE SEED\n");
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    double rate = atof(argv[3]), seconds = atof(argv[4]);
    state = strtoull(argv[7], NULL, 10) * 2654435761ULL + 88172645463325252ULL;

    /* Each path's whole request, made once. */
    FILE *file = fopen(argv[5], "r");
    if (!file) {
        perror(argv[5]);
        return 2;
    }
    static char *texts[MAX_PATHS];
    static size_t lengths[MAX_PATHS];
    size_t paths = 0;
    char line[4096];
    while (paths < MAX_PATHS && fgets(line, sizeof line, file)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line)
            continue;
        int length = asprintf(&texts[paths],
                              "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept-Language: %s\r\nConnection: close\r\n\r\n",
                              line, host, port, argv[6]);
        if (length < 0)
            return 2;
        lengths[paths++] = (size_t)length;
    }
    fclose(file);
    if (!paths) {
        fprintf(stderr, "no paths in %s\n", argv[5]);
        return 2;
    }

    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "not an IPv4 address: %s\n", host);
        return 2;
    }
    int poll = epoll_create1(0);
    static struct request open_requests[MAX_OPEN];
    int free_slots[MAX_OPEN], free_count = MAX_OPEN;
    for (int slot = 0; slot < MAX_OPEN; slot++)
        free_slots[slot] = MAX_OPEN - 1 - slot;

    size_t capacity = (size_t)(rate * seconds * 1.2) + 1024, answered = 0;
    double *latencies = malloc(capacity * sizeof *latencies);
    long not_2xx = 0, failed = 0, open_count = 0;
    char buffer[65536];
    double start = now(), end = start + seconds, due = start;

    while (due < end || open_count > 0) {
        double moment = now();
        /* Start every request that is due. */
        while (due < end && due <= moment) {
            if (!free_count) {
                failed++; /* more than MAX_OPEN in flight: the server has stopped answering */
            } else {
                int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                int slot = free_slots[--free_count];
                size_t chosen = (size_t)(uniform() * paths) % paths;
                open_requests[slot] = (struct request){fd, due, 0, 0, texts[chosen], lengths[chosen]};
                struct epoll_event event = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (unsigned)slot};
                if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0 && errno != EINPROGRESS) {
                    failed++;
                    close(fd);
                    free_slots[free_count++] = slot;
                } else {
                    epoll_ctl(poll, EPOLL_CTL_ADD, fd, &event);
                    open_count++;
                }
            }
            due += -log(1.0 - uniform()) / rate;
        }
        int wait_ms = 50;
        if (due < end) {
            double until = (due - now()) * 1000.0;
            wait_ms = until <= 0 ? 0 : (int)ceil(until);
        }
        struct epoll_event events[EVENTS];
        int ready = epoll_wait(poll, events, EVENTS, wait_ms);
        for (int index = 0; index < ready; index++) {
            int slot = (int)events[index].data.u32;
            struct request *request = &open_requests[slot];
            int finished = 0, broken = 0;
            if (!request->sent && (events[index].events & EPOLLOUT)) {
                ssize_t written = send(request->fd, request->text, request->length, MSG_NOSIGNAL);
                if (written == (ssize_t)request->length) {
                    request->sent = 1;
                    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (unsigned)slot};
                    epoll_ctl(poll, EPOLL_CTL_MOD, request->fd, &event);
                } else {
                    broken = 1;
                }
            } else if (events[index].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                for (;;) {
                    ssize_t got = recv(request->fd, buffer, sizeof buffer, 0);
                    if (got > 0) {
                        if (!request->status && got >= 12)
                            request->status = atoi(buffer + 9);
                        continue;
                    }
                    if (got == 0)
                        finished = 1;
                    else if (errno != EAGAIN && errno != EWOULDBLOCK)
                        broken = 1;
                    break;
                }
            }
            if (finished || broken) {
                if (finished && request->status) {
                    if (answered < capacity)
                        latencies[answered++] = now() - request->due;
                    if (request->status < 200 || request->status >= 300)
                        not_2xx++;
                } else {
                    failed++;
                }
                epoll_ctl(poll, EPOLL_CTL_DEL, request->fd, NULL);
                close(request->fd);
                free_slots[free_count++] = slot;
                open_count--;
            }
        }
    }

    qsort(latencies, answered, sizeof *latencies, compare);
#define PERCENTILE(fraction) \
    (answered ? (long)(latencies[(size_t)fmin(answered - 1, answered * (fraction))] * 1e6) : 0)
    printf("{\"requests\": %zu, \"seconds\": %.3f, \"non_2xx\": %ld, \"failed\": %ld, \"p50_us\": %ld, "
           "\"p95_us\": %ld, \"p99_us\": %ld, \"max_us\": %ld}\n",
           answered, seconds, not_2xx, failed, PERCENTILE(0.50), PERCENTILE(0.95), PERCENTILE(0.99),
           PERCENTILE(1.0));
    return 0;
}
