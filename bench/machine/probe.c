/*
 * bench/machine: how much a second thread gains on this machine right now, for three kinds of
 * work, in C (no JIT, no garbage collector): the same total work on 1 thread and then on 2.
 * Prints one JSON object: for each kind, the 2-thread / 1-thread speed ratios of every round.
 *
 * - chain: one dependent multiply chain per thread (latency-bound: leaves most of a core idle,
 *   so it scales even when two vCPUs share one physical core);
 * - alu: eight independent add/xor/shift chains (throughput-bound on the ALUs);
 * - l1: a load/store loop over 16 KiB that stays in L1 (throughput-bound like tile decoding,
 *   PNG filtering and deflate).
 * Usage: probe ROUNDS
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { kindChain, kindAlu, kindL1, kindCount };
static const char *kindNames[kindCount] = {"chain", "alu", "l1"};
/* Iterations of the whole job per kind, sized for roughly 0.3–1 s on one thread. */
static const long totalIterations[kindCount] = {600000000L, 300000000L, 900000000L};
static const long l1BufferBytes = 16384;

struct job { int kind; long iterations; uint64_t result; };

static void *work(void *arg) {
  struct job *job = arg;
  uint64_t x = 1;
  if (job->kind == kindChain) {
    for (long i = 0; i < job->iterations; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  } else if (job->kind == kindAlu) {
    uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    for (long i = 0; i < job->iterations; i++) {
      a = (a ^ (a << 7)) + i; b = (b ^ (b >> 3)) + a; c = (c ^ (c << 5)) + i; d = (d ^ (d >> 9)) + c;
      e = (e ^ (e << 11)) + i; f = (f ^ (f >> 13)) + e; g = (g ^ (g << 2)) + i; h = (h ^ (h >> 1)) + g;
    }
    x = a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
  } else {
    uint8_t *buffer = calloc(l1BufferBytes, 1);
    if (buffer == NULL) return NULL;
    for (long k = 0; k < job->iterations / l1BufferBytes; k++)
      for (long i = 0; i < l1BufferBytes; i++) buffer[i] = (uint8_t)(buffer[i] * 3 + (i >> 3) + k);
    x = buffer[5];
    free(buffer);
  }
  job->result = x;
  return NULL;
}

static double run(int kind, int threads) {
  pthread_t ids[2];
  struct job jobs[2];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < threads; i++) {
    jobs[i].kind = kind;
    jobs[i].iterations = totalIterations[kind] / threads;
    pthread_create(&ids[i], NULL, work, &jobs[i]);
  }
  for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  if (rounds < 1 || rounds > 100) rounds = 5;
  printf("{");
  for (int kind = 0; kind < kindCount; kind++) {
    printf("%s\"%s\":[", kind ? "," : "", kindNames[kind]);
    for (int r = 0; r < rounds; r++) {
      double one = run(kind, 1);
      double two = run(kind, 2);
      printf("%s%.3f", r ? "," : "", one / two);
    }
    printf("]");
  }
  printf("}\n");
  return 0;
}
