/* Register-blocked products with the sign test fused in, for the exact search's filter.
 *
 * One tile: rows Q[0:nq] (C order, width w) against rows R[b0:b1] (b1 - b0 <= 128).
 * The tile's rows of R are first packed feature-major (P[f][j]), so a vector load takes
 * one feature of 16 (or 8) consecutive reference rows; eight query rows at a time then
 * accumulate their products in registers, one fused multiply-add per feature and row,
 * and only the lanes whose sum is <= 0 leave the registers. No product is ever stored.
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

#define SMOTELAB_TILE 128
#define SMOTELAB_ROWS 8

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

/* Pack R[b0:b1] (m rows) feature-major into P (w x mp floats, mp = m rounded up to the
 * columns a step takes, padding zeroed; padded lanes are never emitted). */
static void smotelab_pack(const float *R, ptrdiff_t b0, int m, int mp, int w, float *P) {
    for (int f = 0; f < w; f++) {
        float *p = P + (ptrdiff_t)f * mp;
        for (int j = 0; j < m; j++) p[j] = R[(b0 + j) * (ptrdiff_t)w + f];
        for (int j = m; j < mp; j++) p[j] = 0.0f;
    }
}

/* Write the pairs of one tile (rows of Q, columns b0 + j, j < m) whose sum is <= 0;
 * with upper only j + b0 > i0 + r. Returns the new count, or -1 when out is full. */
#define SMOTELAB_EMIT_LANES(LANES, MASK_EXPR, STORE)                                   \
    {                                                                                 \
        unsigned int mask = (MASK_EXPR) & valid;                                      \
        if (mask) {                                                                   \
            float vals[LANES];                                                        \
            STORE;                                                                    \
            ptrdiff_t row = r0 + i;                                                   \
            if (row < nq) {                                                           \
                while (mask) {                                                        \
                    int lane = __builtin_ctz(mask);                                   \
                    mask &= mask - 1;                                                 \
                    ptrdiff_t col = b0 + jb + lane;                                   \
                    if (upper && col <= i0 + row) continue;                           \
                    if (n >= cap) return -1;                                          \
                    out_i[n] = row;                                                   \
                    out_j[n] = col;                                                   \
                    out_v[n] = vals[lane];                                            \
                    n++;                                                              \
                }                                                                     \
            }                                                                         \
        }                                                                             \
    }

__attribute__((target("avx512f")))
static ptrdiff_t smotelab_tile_avx512(const float *Q, ptrdiff_t nq, int w, const float *P,
                                      int m, int mp, ptrdiff_t b0, ptrdiff_t i0, int upper,
                                      ptrdiff_t n, ptrdiff_t cap, ptrdiff_t *out_i,
                                      ptrdiff_t *out_j, float *out_v) {
    /* 8 rows x 32 columns: 16 accumulators, two loads and eight broadcasts per feature
     * for sixteen multiply-adds (one load per multiply-add would bind the loop to the
     * load ports rather than the FMA units) */
    const __m512 zero = _mm512_setzero_ps();
    for (ptrdiff_t r0 = 0; r0 < nq; r0 += SMOTELAB_ROWS) {
        const float *q[SMOTELAB_ROWS];
        for (int i = 0; i < SMOTELAB_ROWS; i++) {
            ptrdiff_t row = r0 + i < nq ? r0 + i : nq - 1;
            q[i] = Q + row * w;
        }
        for (int jc = 0; jc < mp; jc += 32) {
            __m512 a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            __m512 a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            __m512 c0 = zero, c1 = zero, c2 = zero, c3 = zero;
            __m512 c4 = zero, c5 = zero, c6 = zero, c7 = zero;
            const float *p = P + jc;
            for (int f = 0; f < w; f++, p += mp) {
                __m512 v = _mm512_loadu_ps(p);
                __m512 u = _mm512_loadu_ps(p + 16);
                __m512 x;
                x = _mm512_set1_ps(q[0][f]); a0 = _mm512_fmadd_ps(x, v, a0); c0 = _mm512_fmadd_ps(x, u, c0);
                x = _mm512_set1_ps(q[1][f]); a1 = _mm512_fmadd_ps(x, v, a1); c1 = _mm512_fmadd_ps(x, u, c1);
                x = _mm512_set1_ps(q[2][f]); a2 = _mm512_fmadd_ps(x, v, a2); c2 = _mm512_fmadd_ps(x, u, c2);
                x = _mm512_set1_ps(q[3][f]); a3 = _mm512_fmadd_ps(x, v, a3); c3 = _mm512_fmadd_ps(x, u, c3);
                x = _mm512_set1_ps(q[4][f]); a4 = _mm512_fmadd_ps(x, v, a4); c4 = _mm512_fmadd_ps(x, u, c4);
                x = _mm512_set1_ps(q[5][f]); a5 = _mm512_fmadd_ps(x, v, a5); c5 = _mm512_fmadd_ps(x, u, c5);
                x = _mm512_set1_ps(q[6][f]); a6 = _mm512_fmadd_ps(x, v, a6); c6 = _mm512_fmadd_ps(x, u, c6);
                x = _mm512_set1_ps(q[7][f]); a7 = _mm512_fmadd_ps(x, v, a7); c7 = _mm512_fmadd_ps(x, u, c7);
            }
            __m512 acc[2][SMOTELAB_ROWS] = {{a0, a1, a2, a3, a4, a5, a6, a7},
                                            {c0, c1, c2, c3, c4, c5, c6, c7}};
            for (int h = 0; h < 2; h++) {
                int jb = jc + 16 * h;
                if (jb >= m) break;
                unsigned int valid = m - jb >= 16 ? 0xFFFFu : ((1u << (m - jb)) - 1u);
                for (int i = 0; i < SMOTELAB_ROWS; i++)
                    SMOTELAB_EMIT_LANES(16,
                        (unsigned int)_mm512_cmp_ps_mask(acc[h][i], zero, _CMP_LE_OQ),
                        _mm512_storeu_ps(vals, acc[h][i]))
            }
        }
    }
    return n;
}

__attribute__((target("avx2,fma")))
static ptrdiff_t smotelab_tile_avx2(const float *Q, ptrdiff_t nq, int w, const float *P,
                                    int m, int mp, ptrdiff_t b0, ptrdiff_t i0, int upper,
                                    ptrdiff_t n, ptrdiff_t cap, ptrdiff_t *out_i,
                                    ptrdiff_t *out_j, float *out_v) {
    const __m256 zero = _mm256_setzero_ps();
    for (ptrdiff_t r0 = 0; r0 < nq; r0 += SMOTELAB_ROWS) {
        const float *q[SMOTELAB_ROWS];
        for (int i = 0; i < SMOTELAB_ROWS; i++) {
            ptrdiff_t row = r0 + i < nq ? r0 + i : nq - 1;
            q[i] = Q + row * w;
        }
        for (int jb = 0; jb < mp; jb += 8) {
            unsigned int valid = m - jb >= 8 ? 0xFFu : ((1u << (m - jb)) - 1u);
            __m256 a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            __m256 a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            const float *p = P + jb;
            for (int f = 0; f < w; f++, p += mp) {
                __m256 v = _mm256_loadu_ps(p);
                a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[0] + f), v, a0);
                a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[1] + f), v, a1);
                a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[2] + f), v, a2);
                a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[3] + f), v, a3);
                a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[4] + f), v, a4);
                a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[5] + f), v, a5);
                a6 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[6] + f), v, a6);
                a7 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[7] + f), v, a7);
            }
            __m256 acc[SMOTELAB_ROWS] = {a0, a1, a2, a3, a4, a5, a6, a7};
            for (int i = 0; i < SMOTELAB_ROWS; i++)
                SMOTELAB_EMIT_LANES(8,
                    (unsigned int)_mm256_movemask_ps(_mm256_cmp_ps(acc[i], zero, _CMP_LE_OQ)),
                    _mm256_storeu_ps(vals, acc[i]))
        }
    }
    return n;
}

#endif /* SMOTELAB_HAVE_SIMD */

/* The tiles of columns c0:c1, as _emit in _fused_kernel.pyx does with the BLAS. P holds
 * w x 128 floats. Returns the count, or -1 with state = (count before the tile, b0). */
static ptrdiff_t smotelab_emit_simd(int level, const float *Q, ptrdiff_t nq, int w,
                                    const float *R, ptrdiff_t c0, ptrdiff_t c1,
                                    ptrdiff_t i0, int upper, float *P, ptrdiff_t cap,
                                    ptrdiff_t *out_i, ptrdiff_t *out_j, float *out_v,
                                    ptrdiff_t *state) {
    ptrdiff_t n = 0;
#if SMOTELAB_HAVE_SIMD
    int width = level == 2 ? 32 : 8;
    for (ptrdiff_t b0 = c0; b0 < c1; b0 += SMOTELAB_TILE) {
        ptrdiff_t b1 = b0 + SMOTELAB_TILE < c1 ? b0 + SMOTELAB_TILE : c1;
        if (upper && b1 - 1 <= i0) continue;
        int m = (int)(b1 - b0);
        int mp = (m + width - 1) / width * width;
        smotelab_pack(R, b0, m, mp, w, P);
        ptrdiff_t got = level == 2
            ? smotelab_tile_avx512(Q, nq, w, P, m, mp, b0, i0, upper, n, cap, out_i, out_j, out_v)
            : smotelab_tile_avx2(Q, nq, w, P, m, mp, b0, i0, upper, n, cap, out_i, out_j, out_v);
        if (got < 0) {
            state[0] = n;
            state[1] = b0;
            return -1;
        }
        n = got;
    }
#else
    (void)level; (void)Q; (void)nq; (void)w; (void)R; (void)c0; (void)c1; (void)i0;
    (void)upper; (void)P; (void)cap; (void)out_i; (void)out_j; (void)out_v; (void)state;
#endif
    return n;
}

#endif /* SMOTELAB_FUSED_SIMD_H */
