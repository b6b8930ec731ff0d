/* Register-blocked products with the sign test fused in, for the exact search's filter.
 *
 * One call: rows Q[0:nq] (C order, width w) against rows R[c0:c1]. The query rows are
 * packed feature-major once (P[f][i], NaN-padded to whole chunks), so a vector load
 * takes one feature of 16 (or 8) consecutive query rows; the reference rows are read as
 * stored, one broadcast per feature and row. NR reference rows times NV vectors of query
 * rows accumulate in registers, one fused multiply-add per feature and pair, and only
 * when a lane's sum is <= 0 does anything leave the registers. No product is stored, and
 * the reference rows need no packing (a per-tile packing cost 15 % at 256 query rows).
 *
 * Measured, one thread, 256 queries x 200,000 x 22, none passing: 80-87 GMAC/s with
 * AVX-512 (6 rows x 4 vectors), against 60-64 for 8 query rows x 32 packed reference
 * rows; the core's peak is ~100.
 *
 * Compiled for AVX-512F and for AVX2+FMA through target attributes and chosen at run
 * time (smotelab_simd_level); any other compiler or CPU uses the BLAS tiles instead.
 * The sums run over the features in order, with fused multiply-adds: a different order
 * and rounding than the BLAS's, which the search's error bound (any order) allows.
 */
#ifndef SMOTELAB_FUSED_SIMD_H
#define SMOTELAB_FUSED_SIMD_H

#include <stddef.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define SMOTELAB_HAVE_SIMD 1
#else
#define SMOTELAB_HAVE_SIMD 0
#endif

/* Query rows per chunk, the most of either form (16 lanes x 4 vectors): the packed
 * query rows take at most w * (nq + SMOTELAB_CHUNK) floats. */
#define SMOTELAB_CHUNK 64

/* 2: AVX-512F, 1: AVX2 and FMA, 0: neither (or not compiled for them). */
static int smotelab_simd_level(void) {
#if SMOTELAB_HAVE_SIMD
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

#if SMOTELAB_HAVE_SIMD

/* Q[0:nq] feature-major into P (w x nqp floats). The padding is NaN: its products are
 * NaN and never pass an ordered test, so no lane needs masking in the loop. */
static void smotelab_pack(const float *Q, ptrdiff_t nq, ptrdiff_t nqp, int w, float *P) {
    for (int f = 0; f < w; f++) {
        float *p = P + (ptrdiff_t)f * nqp;
        for (ptrdiff_t i = 0; i < nq; i++) p[i] = Q[i * (ptrdiff_t)w + f];
        for (ptrdiff_t i = nq; i < nqp; i++) p[i] = __builtin_nanf("");
    }
}

/* Where a call stands: its inputs and what it has written. */
typedef struct {
    ptrdiff_t nq, c1, i0;
    int upper;
    ptrdiff_t n, cap;
    ptrdiff_t *out_i, *out_j;
    float *out_v;
} smotelab_out;

/* Write the lanes of mask (query rows row0 + lane, reference row col, values vals) that
 * are, with upper, above the diagonal. 0, or -1 when the outputs are full. */
static inline int smotelab_write(smotelab_out *o, unsigned int mask, const float *vals,
                          ptrdiff_t row0, ptrdiff_t col) {
    if (col >= o->c1) return 0;  /* a repeated last row filling the block */
    while (mask) {
        int lane = __builtin_ctz(mask);
        mask &= mask - 1;
        ptrdiff_t row = row0 + lane;
        if (o->upper && col <= o->i0 + row) continue;
        if (o->n >= o->cap) return -1;
        o->out_i[o->n] = row;
        o->out_j[o->n] = col;
        o->out_v[o->n] = vals[lane];
        o->n++;
    }
    return 0;
}

/* acc[i][v] (NR x NV vectors of LANES) = the products of reference rows r[i] with the
 * packed query rows from P0 on (P0[f * nqp + LANES * v + lane]): one broadcast per
 * feature and reference row, one load per feature and vector, one fused multiply-add
 * per feature and pair, all in registers (the unrolled loops keep the indices constant). */
#define SMOTELAB_PRODUCTS(VEC, LANES, NR, NV, LOAD, SET1, FMA, acc, r, P0, nqp, w)       \
    do {                                                                                  \
        _Pragma("GCC unroll 8")                                                           \
        for (int i = 0; i < NR; i++)                                                      \
            _Pragma("GCC unroll 4")                                                       \
            for (int v = 0; v < NV; v++) acc[i][v] = SET1(0.0f);                          \
        const float *p = (P0);                                                            \
        for (int f = 0; f < (w); f++, p += (nqp)) {                                       \
            VEC q[NV];                                                                    \
            _Pragma("GCC unroll 4")                                                       \
            for (int v = 0; v < NV; v++) q[v] = LOAD(p + LANES * v);                      \
            _Pragma("GCC unroll 8")                                                       \
            for (int i = 0; i < NR; i++) {                                                \
                VEC x = SET1(r[i][f]);                                                    \
                _Pragma("GCC unroll 4")                                                   \
                for (int v = 0; v < NV; v++) acc[i][v] = FMA(x, q[v], acc[i][v]);         \
            }                                                                             \
        }                                                                                 \
    } while (0)

/* One form of the loop. For each block of NR reference rows and each chunk of
 * NV * LANES query rows: the products in NR x NV accumulators, then one combined test;
 * only a block with a lane <= 0 is looked at lane by lane. Returns the first reference
 * row of the block whose pairs did not fit (o->n then counts the pairs before it), or
 * c1 when all did. */
#define SMOTELAB_LOOP(NAME, TARGET, VEC, MASK, LANES, NR, NV, LOAD, SET1, FMA, LE_MASK,   \
                      STORE)                                                     \
    __attribute__((target(TARGET)))                                                       \
    static ptrdiff_t NAME(smotelab_out *o, const float *P, ptrdiff_t nqp, int w,          \
                          const float *R, ptrdiff_t c0) {                                 \
        const ptrdiff_t c1 = o->c1, i0 = o->i0;                                           \
        const int upper = o->upper;                                                       \
        for (ptrdiff_t b0 = c0; b0 < c1; b0 += NR) {                                      \
            ptrdiff_t last = b0 + NR - 1 < c1 ? b0 + NR - 1 : c1 - 1;                     \
            if (upper && last <= i0) continue; /* every pair on or below the diagonal */  \
            ptrdiff_t before = o->n;                                                      \
            const float *r[NR];                                                           \
            _Pragma("GCC unroll 8")                                                       \
            for (int i = 0; i < NR; i++)                                                  \
                r[i] = R + (b0 + i <= last ? b0 + i : last) * (ptrdiff_t)w;              \
            for (ptrdiff_t jc = 0; jc < nqp; jc += NV * LANES) {                          \
                if (upper && i0 + jc >= last) break; /* the rows below the block */       \
                VEC acc[NR][NV];                                                          \
                SMOTELAB_PRODUCTS(VEC, LANES, NR, NV, LOAD, SET1, FMA, acc, r, P + jc,    \
                                  nqp, w);                                                \
                MASK any = 0;                                                             \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < NR; i++)                                              \
                    _Pragma("GCC unroll 4")                                               \
                    for (int v = 0; v < NV; v++) any |= LE_MASK(acc[i][v]);               \
                if (__builtin_expect(any == 0, 1)) continue;                              \
                /* (unrolled too: an accumulator indexed at run time would live in        \
                 * memory, in the loop above as well) */                                  \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < NR; i++)                                              \
                    _Pragma("GCC unroll 4")                                               \
                    for (int v = 0; v < NV; v++) {                                        \
                        unsigned int hit = LE_MASK(acc[i][v]);                            \
                        if (!hit) continue;                                               \
                        float vals[LANES];                                                \
                        STORE(vals, acc[i][v]);                                           \
                        if (smotelab_write(o, hit, vals, jc + LANES * v, b0 + i) < 0) {   \
                            o->n = before;                                                \
                            return b0;                                                    \
                        }                                                                 \
                    }                                                                     \
            }                                                                             \
        }                                                                                 \
        return c1;                                                                        \
    }

#define SMOTELAB_LE512(a) (_mm512_cmp_ps_mask((a), _mm512_setzero_ps(), _CMP_LE_OQ))
#define SMOTELAB_LE256(a) \
    ((unsigned int)_mm256_movemask_ps(_mm256_cmp_ps((a), _mm256_setzero_ps(), _CMP_LE_OQ)))

/* AVX-512: 6 x 4 = 24 accumulators, four loads and six broadcasts per feature for 24
 * multiply-adds (measured best of 4-14 rows x 2-4 vectors). AVX2 (16 registers):
 * 6 x 2 = 12 accumulators (48 GMAC/s on the machine above; 4 x 3: 44, 3 x 4: 32). */
SMOTELAB_LOOP(smotelab_loop_avx512, "avx512f", __m512, __mmask16, 16, 6, 4,
              _mm512_loadu_ps, _mm512_set1_ps, _mm512_fmadd_ps, SMOTELAB_LE512,
              _mm512_storeu_ps)
SMOTELAB_LOOP(smotelab_loop_avx2, "avx2,fma", __m256, unsigned int, 8, 6, 2,
              _mm256_loadu_ps, _mm256_set1_ps, _mm256_fmadd_ps, SMOTELAB_LE256,
              _mm256_storeu_ps)

/* The symmetric search's subset bound in the same loop: out[r][g] = the least product of
 * query row r with reference rows g * per .. (g + 1) * per - 1 of RS, leaving out the
 * row itself (subset[p] == i0 + r). Per group, running minima of every query row (mn,
 * nqp floats, in the first-level cache); each block of NR reference rows is read once
 * for all chunks of query rows. NR is one less than the emitting loop's, for registers. */
#define SMOTELAB_MINIMA(NAME, TARGET, VEC, LANES, NR, NV, LOAD, SET1, FMA, MIN, INF_LANE,  \
                        STORE)                                                            \
    __attribute__((target(TARGET)))                                                       \
    static void NAME(const float *P, ptrdiff_t nq, ptrdiff_t nqp, int w, const float *RS, \
                     ptrdiff_t per, ptrdiff_t n_groups, ptrdiff_t i0,                     \
                     const ptrdiff_t *subset, float *mn, float *out) {                    \
        for (ptrdiff_t g = 0; g < n_groups; g++) {                                        \
            const ptrdiff_t g1 = (g + 1) * per;                                           \
            for (ptrdiff_t l = 0; l < nqp; l++) mn[l] = __builtin_inff();                 \
            for (ptrdiff_t b0 = g * per; b0 < g1; b0 += NR) {                             \
                const ptrdiff_t last = b0 + NR - 1 < g1 ? b0 + NR - 1 : g1 - 1;            \
                const float *r[NR];                                                       \
                ptrdiff_t self[NR]; /* the row's position among the query rows */        \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < NR; i++) {                                            \
                    ptrdiff_t q = b0 + i <= last ? b0 + i : last;                         \
                    r[i] = RS + q * (ptrdiff_t)w;                                         \
                    self[i] = subset[q] - i0;                                             \
                }                                                                         \
                for (ptrdiff_t jc = 0; jc < nqp; jc += NV * LANES) {                      \
                    VEC acc[NR][NV];                                                      \
                    SMOTELAB_PRODUCTS(VEC, LANES, NR, NV, LOAD, SET1, FMA, acc, r, P + jc, \
                                      nqp, w);                                            \
                    _Pragma("GCC unroll 4")                                               \
                    for (int v = 0; v < NV; v++) {                                        \
                        const ptrdiff_t lo = jc + LANES * v;                              \
                        VEC m = LOAD(mn + lo);                                            \
                        _Pragma("GCC unroll 8")                                           \
                        for (int i = 0; i < NR; i++) {                                    \
                            if (self[i] >= lo && self[i] < lo + LANES)                    \
                                acc[i][v] = INF_LANE(acc[i][v], (int)(self[i] - lo));     \
                            m = MIN(m, acc[i][v]);                                        \
                        }                                                                 \
                        STORE(mn + lo, m);                                                \
                    }                                                                     \
                }                                                                         \
            }                                                                             \
            for (ptrdiff_t l = 0; l < nq; l++) out[l * n_groups + g] = mn[l];             \
        }                                                                                 \
    }

#define SMOTELAB_INF512(a, lane) \
    _mm512_mask_mov_ps((a), (__mmask16)(1u << (lane)), _mm512_set1_ps(__builtin_inff()))
#define SMOTELAB_INF256(a, lane)                                                          \
    _mm256_blendv_ps((a), _mm256_set1_ps(__builtin_inff()),                               \
                     _mm256_castsi256_ps(_mm256_cmpeq_epi32(                              \
                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(lane))))

SMOTELAB_MINIMA(smotelab_minima_avx512, "avx512f", __m512, 16, 5, 4, _mm512_loadu_ps,
                _mm512_set1_ps, _mm512_fmadd_ps, _mm512_min_ps, SMOTELAB_INF512,
                _mm512_storeu_ps)
SMOTELAB_MINIMA(smotelab_minima_avx2, "avx2,fma", __m256, 8, 5, 2, _mm256_loadu_ps,
                _mm256_set1_ps, _mm256_fmadd_ps, _mm256_min_ps, SMOTELAB_INF256,
                _mm256_storeu_ps)

#endif /* SMOTELAB_HAVE_SIMD */

/* Pairs of rows Q[0:nq] and R[c0:c1] with product <= 0 (with upper: column > i0 + row)
 * into out_*; P holds w * (nq + SMOTELAB_CHUNK) floats. Returns the count, or
 * -1 with state = (count before the block that did not fit, its first column). */
static ptrdiff_t smotelab_emit_simd(int level, const float *Q, ptrdiff_t nq, int w,
                                    const float *R, ptrdiff_t c0, ptrdiff_t c1,
                                    ptrdiff_t i0, int upper, float *P, ptrdiff_t cap,
                                    ptrdiff_t *out_i, ptrdiff_t *out_j, float *out_v,
                                    ptrdiff_t *state) {
#if SMOTELAB_HAVE_SIMD
    smotelab_out o = {nq, c1, i0, upper, 0, cap, out_i, out_j, out_v};
    ptrdiff_t chunk = level == 2 ? 64 : 16; /* NV x LANES of the form used */
    ptrdiff_t nqp = (nq + chunk - 1) / chunk * chunk;
    smotelab_pack(Q, nq, nqp, w, P);
    ptrdiff_t stop = level == 2 ? smotelab_loop_avx512(&o, P, nqp, w, R, c0)
                                : smotelab_loop_avx2(&o, P, nqp, w, R, c0);
    if (stop < c1) {
        state[0] = o.n;
        state[1] = stop;
        return -1;
    }
    return o.n;
#else
    (void)level; (void)Q; (void)nq; (void)w; (void)R; (void)c0; (void)c1; (void)i0;
    (void)upper; (void)P; (void)cap; (void)out_i; (void)out_j; (void)out_v; (void)state;
    return 0;
#endif
}

/* Group minima (see SMOTELAB_MINIMA) of rows Q[0:nq] over n_groups groups of per rows of
 * RS; P holds (w + 1) * (nq + SMOTELAB_CHUNK) floats; out is nq x n_groups. */
static void smotelab_minima_simd(int level, const float *Q, ptrdiff_t nq, int w,
                                 const float *RS, ptrdiff_t per, ptrdiff_t n_groups,
                                 ptrdiff_t i0, const ptrdiff_t *subset, float *P,
                                 float *out) {
#if SMOTELAB_HAVE_SIMD
    ptrdiff_t chunk = level == 2 ? 64 : 16;
    ptrdiff_t nqp = (nq + chunk - 1) / chunk * chunk;
    smotelab_pack(Q, nq, nqp, w, P);
    float *mn = P + (ptrdiff_t)w * nqp; /* the caller's P has room for nqp more */
    if (level == 2)
        smotelab_minima_avx512(P, nq, nqp, w, RS, per, n_groups, i0, subset, mn, out);
    else
        smotelab_minima_avx2(P, nq, nqp, w, RS, per, n_groups, i0, subset, mn, out);
#else
    (void)level; (void)Q; (void)nq; (void)w; (void)RS; (void)per; (void)n_groups;
    (void)i0; (void)subset; (void)P; (void)out;
#endif
}

#endif /* SMOTELAB_FUSED_SIMD_H */
