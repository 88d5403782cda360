// LD_PRELOAD shim for bench/inference/allocations.sh: counts malloc/calloc/realloc/posix_memalign calls
// and prints the total to stderr at exit as "malloc_count N".
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_long calls;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_memalign)(void **, size_t, size_t);
// dlsym itself may calloc before real_calloc is known: serve it from a small static buffer.
static char bootstrap[4096];
static size_t used;

void *malloc(size_t n) {
    if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc");
    atomic_fetch_add(&calls, 1);
    return real_malloc(n);
}
void *calloc(size_t c, size_t n) {
    if (!real_calloc) {
        static int resolving;
        if (resolving) { void *p = bootstrap + used; used += (c * n + 15) & ~15UL; return p; }
        resolving = 1;
        real_calloc = dlsym(RTLD_NEXT, "calloc");
        resolving = 0;
    }
    atomic_fetch_add(&calls, 1);
    return real_calloc(c, n);
}
void *realloc(void *p, size_t n) {
    if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc");
    atomic_fetch_add(&calls, 1);
    return real_realloc(p, n);
}
int posix_memalign(void **p, size_t a, size_t n) {
    if (!real_memalign) real_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    atomic_fetch_add(&calls, 1);
    return real_memalign(p, a, n);
}
__attribute__((destructor)) static void report(void) { fprintf(stderr, "malloc_count %ld\n", atomic_load(&calls)); }
