# Sourced by scripts/main.sh and scripts/test.sh. The DNN's and the cycle-GANs' numbers
# depend on the kernel OpenBLAS picks for the CPU at load time (kernels sum a product's
# terms in different orders): SkylakeX on AVX-512 Intel CPUs, Haswell on AVX2 ones and
# AMD Zen. Every number in README and docs/ was computed with Haswell's, so it is pinned
# here where the CPU can run it (AVX2 and FMA) and the caller has not chosen one; runs
# record the kernel each cell used (timings.csv, report.html; `evaluate`'s JSON).
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=Haswell
fi
