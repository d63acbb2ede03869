// SERAUG_AVX2_CLONES before a function: the compiler builds it twice, for baseline x86-64
// (SSE2) and for AVX2, and the loader picks one for the CPU (target_clones, an ifunc).
// Meant for loops whose vector lanes each do the scalar code's arithmetic: AVX2 without
// FMA rounds every operation as SSE2 does, so both builds give the same values, AVX2 in
// half the instructions. Elsewhere (other CPUs, other compilers) one plain build.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__)
#define SERAUG_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SERAUG_AVX2_CLONES
#endif
