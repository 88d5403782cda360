#include "CInferenceKernels.h"

#include <string.h>

// Copies the input into `scratch` as unsigned codes (x + 128), with `pad_code` in the padding and the
// slack, so every output reads whole 4-byte groups from one contiguous padded row span.
static void pad_input(const EKConvolution *c, const int8_t *input, uint8_t *scratch) {
    const long cin = c->input_channels;
    const long row_bytes = (long)c->padded_width * cin;
    const uint8_t pad = (uint8_t)c->pad_code;
    for (long r = 0; r < c->padded_height; r++) {
        uint8_t *row = scratch + r * row_bytes;
        const long source_row = r - c->pad_top;
        if (source_row < 0 || source_row >= c->input_height) {
            memset(row, pad, (size_t)row_bytes);
            continue;
        }
        long first = c->pad_left;
        long last = c->pad_left + c->input_width;  // padded columns [first, last) hold input columns
        if (last > c->padded_width) last = c->padded_width;
        memset(row, pad, (size_t)(first * cin));
        const int8_t *source = input + source_row * (long)c->input_width * cin;
        for (long i = 0, n = (last - first) * cin; i < n; i++) row[first * cin + i] = (uint8_t)(source[i] ^ 0x80);
        memset(row + last * cin, pad, (size_t)((c->padded_width - last) * cin));
    }
    memset(scratch + c->padded_height * row_bytes, pad, 64);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define EK_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))
#define EK_INLINE static inline __attribute__((always_inline))
// The register tile loops must unroll completely so the accumulators stay in registers.
#define EK_UNROLL _Pragma("clang loop unroll(full)")

int ek_best_kernel(void) {
    static int cached = -1;
    if (cached < 0) {
        // libgcc/compiler-rt report AVX2 and AVX-512 only when the OS saves their registers (XGETBV).
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
            cached = EK_KERNEL_AVX512_VNNI;
        } else if (__builtin_cpu_supports("avx2")) {
            cached = EK_KERNEL_AVX2;
        } else {
            cached = EK_KERNEL_NONE;
        }
    }
    return cached;
}

// gemmlowp's SaturatingRoundingDoublingHighMul on 64-bit products. Its nudge (2³⁰, or 1 − 2³⁰ for a
// negative product) followed by a division by 2³¹ truncating toward zero equals
// floor((product + 2³⁰) / 2³¹) for every product (round half toward +∞ either way; for a negative
// product −floor((|p| + 2³⁰ − 1) / 2³¹) = −ceil((|p| − 2³⁰) / 2³¹)), so one add and one arithmetic shift
// do it. Multipliers are ≥ 0, so the one saturating case (INT32_MIN²) cannot occur.
EK_TARGET EK_INLINE __m512i high_half(__m512i product) {
    return _mm512_srai_epi64(_mm512_add_epi64(product, _mm512_set1_epi64(1LL << 30)), 31);
}

// TFLite's MultiplyByQuantizedMultiplier per lane: `x << left`, the doubling high multiply, then a
// rounding (ties away from zero) right shift.
EK_TARGET EK_INLINE __m512i multiply_by_quantized_multiplier(__m512i x, __m512i multiplier, __m512i left, __m512i right) {
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i shifted = _mm512_sllv_epi32(x, left);
    const __m512i even = high_half(_mm512_mul_epi32(shifted, multiplier));
    const __m512i odd = high_half(_mm512_mul_epi32(_mm512_srli_epi64(shifted, 32), _mm512_srli_epi64(multiplier, 32)));
    const __m512i high = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
    const __m512i remainder = _mm512_and_si512(high, mask);
    const __m512i threshold = _mm512_sub_epi32(_mm512_srai_epi32(mask, 1), _mm512_srai_epi32(high, 31));
    const __m512i result = _mm512_srav_epi32(high, right);
    return _mm512_mask_add_epi32(result, _mm512_cmpgt_epi32_mask(remainder, threshold), result, one);
}

// + zero point, clamp to the fused activation, narrow to int8.
EK_TARGET EK_INLINE __m128i clamp_narrow(__m512i x, int32_t zero_point, int32_t low, int32_t high) {
    x = _mm512_add_epi32(x, _mm512_set1_epi32(zero_point));
    x = _mm512_max_epi32(x, _mm512_set1_epi32(low));
    return _mm512_cvtepi32_epi8(_mm512_min_epi32(x, _mm512_set1_epi32(high)));
}

// One register tile: `blocks` × 16 output channels for `pixels` output positions (both compile-time
// after inlining), accumulated over every kernel row and 4-byte group with `vpdpbusd`.
EK_TARGET EK_INLINE void tile(
    const EKConvolution *c, const int blocks, const int pixels, long block0, const uint8_t *const *x,
    int8_t *const *y) {
    __m512i acc[4][16];
    EK_UNROLL
    for (int b = 0; b < blocks; b++) {
        const __m512i bias = _mm512_loadu_si512(c->bias + (block0 + b) * 16);
        EK_UNROLL
        for (int p = 0; p < pixels; p++) acc[b][p] = bias;
    }
    const long groups = c->groups;
    const long row_bytes = (long)c->padded_width * c->input_channels;
    const long block_stride = (long)c->kernel_height * groups * 64;
    const int8_t *w = c->weights + block0 * block_stride;
    for (long ky = 0; ky < c->kernel_height; ky++) {
        const long row = ky * row_bytes;
        for (long g = 0; g < groups; g++) {
            __m512i weights[4];
            EK_UNROLL
            for (int b = 0; b < blocks; b++) weights[b] = _mm512_loadu_si512(w + b * block_stride);
            w += 64;
            EK_UNROLL
            for (int p = 0; p < pixels; p++) {
                int32_t four;
                memcpy(&four, x[p] + row + 4 * g, 4);
                const __m512i broadcast = _mm512_set1_epi32(four);
                EK_UNROLL
                for (int b = 0; b < blocks; b++) acc[b][p] = _mm512_dpbusd_epi32(acc[b][p], broadcast, weights[b]);
            }
        }
    }
    // Each block's requantization constants are loaded once, before its stores: the int8 stores may
    // alias any memory, so loads between them would be repeated. Constant trip counts keep `acc` in
    // registers.
    const int32_t zero_point = c->output_zero_point, low = c->activation_min, high = c->activation_max;
    EK_UNROLL
    for (int b = 0; b < blocks; b++) {
        const long channel = (block0 + b) * 16;
        const __m512i multiplier = _mm512_loadu_si512(c->multiplier + channel);
        const __m512i left = _mm512_loadu_si512(c->left_shift + channel);
        const __m512i right = _mm512_loadu_si512(c->right_shift + channel);
        const long remaining = c->output_channels - channel;
        const __mmask16 lanes = remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
        EK_UNROLL
        for (int p = 0; p < pixels; p++) {
            const __m512i scaled = multiply_by_quantized_multiplier(acc[b][p], multiplier, left, right);
            _mm_mask_storeu_epi8(y[p] + channel, lanes, clamp_narrow(scaled, zero_point, low, high));
        }
    }
}

// Register budget (32 zmm): blocks × pixels accumulators + blocks weight vectors + 1 broadcast.
#define EK_PIXELS(blocks) ((blocks) == 4 ? 6 : (blocks) == 3 ? 8 : (blocks) == 2 ? 12 : 16)

EK_TARGET EK_INLINE void sweep(const EKConvolution *c, const int blocks, long block0, const uint8_t *scratch, int8_t *output) {
    enum { max_pixels = 16 };
    const int pixels = EK_PIXELS(blocks);
    const long positions = (long)c->output_height * c->output_width;
    const long row_bytes = (long)c->padded_width * c->input_channels;
    const long row_step = c->stride_height * row_bytes, column_step = (long)c->stride_width * c->input_channels;
    long oy = 0, ox = 0;  // of position `start`, advanced without divisions
    for (long start = 0; start < positions; start += pixels) {
        const uint8_t *x[max_pixels];
        int8_t *y[max_pixels];
        const int count = positions - start < pixels ? (int)(positions - start) : pixels;
        for (int p = 0; p < count; p++) {
            x[p] = scratch + oy * row_step + ox * column_step;
            y[p] = output + (start + p) * c->output_channels;
            if (++ox == c->output_width) {
                ox = 0;
                oy++;
            }
        }
        // A short last tile gets its own register tile instead of wasted repeats (a dense layer is one position).
        switch (count) {
#define EK_CASE(n) \
    case n:        \
        if (n < pixels) { tile(c, blocks, n < pixels ? n : 1, block0, x, y); break; }
            EK_CASE(1) EK_CASE(2) EK_CASE(3) EK_CASE(4) EK_CASE(5) EK_CASE(6) EK_CASE(7) EK_CASE(8)
            EK_CASE(9) EK_CASE(10) EK_CASE(11) EK_CASE(12) EK_CASE(13) EK_CASE(14) EK_CASE(15)
#undef EK_CASE
        default: tile(c, blocks, pixels, block0, x, y); break;
        }
    }
}

EK_TARGET static void sweep4(const EKConvolution *c, long b, const uint8_t *s, int8_t *y) { sweep(c, 4, b, s, y); }
EK_TARGET static void sweep3(const EKConvolution *c, long b, const uint8_t *s, int8_t *y) { sweep(c, 3, b, s, y); }
EK_TARGET static void sweep2(const EKConvolution *c, long b, const uint8_t *s, int8_t *y) { sweep(c, 2, b, s, y); }
EK_TARGET static void sweep1(const EKConvolution *c, long b, const uint8_t *s, int8_t *y) { sweep(c, 1, b, s, y); }

static void convolution_avx512_vnni(const EKConvolution *c, const uint8_t *scratch, int8_t *output) {
    const long blocks = (c->output_channels + 15) / 16;
    long block = 0;
    for (; block + 4 <= blocks; block += 4) sweep4(c, block, scratch, output);
    switch (blocks - block) {
    case 3: sweep3(c, block, scratch, output); break;
    case 2: sweep2(c, block, scratch, output); break;
    case 1: sweep1(c, block, scratch, output); break;
    default: break;
    }
}

// ---- AVX2: the same packed layout; each 4-tap group is widened to int16 and multiplied with `vpmaddwd`,
// which is exact here (|w| ≤ 127, u ≤ 255: a pair sum ≤ 64,770 fits int32), unlike `vpmaddubsw`, whose
// int16 pair sums would saturate.

#define EK_TARGET_AVX2 __attribute__((target("avx2")))

// The high half of the doubling product, as `high_half` above. AVX2 has no 64-bit arithmetic shift, but
// only the low 32 bits of each lane are kept, and those are the same after a logical shift.
EK_TARGET_AVX2 EK_INLINE __m256i high_half_avx2(__m256i product) {
    return _mm256_srli_epi64(_mm256_add_epi64(product, _mm256_set1_epi64x(1LL << 30)), 31);
}

// `multiply_by_quantized_multiplier` on 8 lanes.
EK_TARGET_AVX2 EK_INLINE __m256i multiply_by_quantized_multiplier_avx2(__m256i x, __m256i multiplier, __m256i left, __m256i right) {
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i shifted = _mm256_sllv_epi32(x, left);
    const __m256i even = high_half_avx2(_mm256_mul_epi32(shifted, multiplier));
    const __m256i odd = high_half_avx2(_mm256_mul_epi32(_mm256_srli_epi64(shifted, 32), _mm256_srli_epi64(multiplier, 32)));
    const __m256i high = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
    const __m256i remainder = _mm256_and_si256(high, mask);
    const __m256i threshold = _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_srai_epi32(high, 31));
    const __m256i result = _mm256_srav_epi32(high, right);
    return _mm256_add_epi32(result, _mm256_and_si256(_mm256_cmpgt_epi32(remainder, threshold), one));
}

// Requantizes 8 accumulators of channels [channel, channel + 8) and clamps them to int32 in [low, high].
EK_TARGET_AVX2 EK_INLINE __m256i requantize_avx2(const EKConvolution *c, __m256i acc, long channel) {
    const __m256i multiplier = _mm256_loadu_si256((const __m256i *)(c->multiplier + channel));
    const __m256i left = _mm256_loadu_si256((const __m256i *)(c->left_shift + channel));
    const __m256i right = _mm256_loadu_si256((const __m256i *)(c->right_shift + channel));
    __m256i x = _mm256_add_epi32(
        multiply_by_quantized_multiplier_avx2(acc, multiplier, left, right), _mm256_set1_epi32(c->output_zero_point));
    x = _mm256_max_epi32(x, _mm256_set1_epi32(c->activation_min));
    return _mm256_min_epi32(x, _mm256_set1_epi32(c->activation_max));
}

// One register tile: 16 output channels (block `block`) for `pixels` (1 or 2, compile-time after inlining)
// output positions. acc[p][k] holds, for lanes 4k…4k+3, the partial sums of taps 0–1 and 2–3 side by side.
EK_TARGET_AVX2 EK_INLINE void tile_avx2(
    const EKConvolution *c, const int pixels, long block, const uint8_t *const *x, int8_t *const *y) {
    __m256i acc[2][4];
    EK_UNROLL
    for (int p = 0; p < pixels; p++) {
        EK_UNROLL
        for (int k = 0; k < 4; k++) acc[p][k] = _mm256_setzero_si256();
    }
    const long groups = c->groups;
    const long row_bytes = (long)c->padded_width * c->input_channels;
    const int8_t *w = c->weights + block * (long)c->kernel_height * groups * 64;
    for (long ky = 0; ky < c->kernel_height; ky++) {
        const long row = ky * row_bytes;
        for (long g = 0; g < groups; g++) {
            __m256i weights[4];  // lanes 4k…4k+3, 4 taps each, as int16
            EK_UNROLL
            for (int k = 0; k < 4; k++) weights[k] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + 16 * k)));
            w += 64;
            EK_UNROLL
            for (int p = 0; p < pixels; p++) {
                int32_t four;
                memcpy(&four, x[p] + row + 4 * g, 4);
                const __m256i taps = _mm256_broadcastq_epi64(_mm_cvtepu8_epi16(_mm_cvtsi32_si128(four)));
                EK_UNROLL
                for (int k = 0; k < 4; k++) acc[p][k] = _mm256_add_epi32(acc[p][k], _mm256_madd_epi16(weights[k], taps));
            }
        }
    }
    const long channel = block * 16;
    const long remaining = c->output_channels - channel;
    const __m256i bias_low = _mm256_loadu_si256((const __m256i *)(c->bias + channel));
    const __m256i bias_high = _mm256_loadu_si256((const __m256i *)(c->bias + channel + 8));
    EK_UNROLL
    for (int p = 0; p < pixels; p++) {
        // Pairwise sums give [0 1 4 5 | 2 3 6 7]; the 64-bit permute puts the lanes in order.
        const __m256i low = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[p][0], acc[p][1]), 0xD8);
        const __m256i high = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[p][2], acc[p][3]), 0xD8);
        const __m256i words = _mm256_permute4x64_epi64(
            _mm256_packs_epi32(
                requantize_avx2(c, _mm256_add_epi32(low, bias_low), channel),
                requantize_avx2(c, _mm256_add_epi32(high, bias_high), channel + 8)),
            0xD8);
        const __m128i bytes = _mm_packs_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
        if (remaining >= 16) {
            _mm_storeu_si128((__m128i *)(y[p] + channel), bytes);
        } else {
            int8_t lanes[16];
            _mm_storeu_si128((__m128i *)lanes, bytes);
            memcpy(y[p] + channel, lanes, (size_t)remaining);
        }
    }
}

EK_TARGET_AVX2 static void convolution_avx2(const EKConvolution *c, const uint8_t *scratch, int8_t *output) {
    const long blocks = (c->output_channels + 15) / 16;
    const long positions = (long)c->output_height * c->output_width;
    const long row_bytes = (long)c->padded_width * c->input_channels;
    const long row_step = c->stride_height * row_bytes, column_step = (long)c->stride_width * c->input_channels;
    for (long block = 0; block < blocks; block++) {  // one block's weights stay in L1 across all positions
        long oy = 0, ox = 0;
        for (long start = 0; start < positions; start += 2) {
            const uint8_t *x[2];
            int8_t *y[2];
            const int count = positions - start < 2 ? 1 : 2;
            for (int p = 0; p < count; p++) {
                x[p] = scratch + oy * row_step + ox * column_step;
                y[p] = output + (start + p) * c->output_channels;
                if (++ox == c->output_width) {
                    ox = 0;
                    oy++;
                }
            }
            if (count == 2) {
                tile_avx2(c, 2, block, x, y);
            } else {
                tile_avx2(c, 1, block, x, y);
            }
        }
    }
}

void ek_convolution_run(const EKConvolution *c, int kernel, const int8_t *input, int8_t *output, uint8_t *scratch) {
    pad_input(c, input, scratch);
    if (kernel == EK_KERNEL_AVX512_VNNI) {
        convolution_avx512_vnni(c, scratch, output);
    } else {
        convolution_avx2(c, scratch, output);
    }
}

EK_TARGET void ek_quantize_run(const float *input, int8_t *output, long count, float scale, int32_t zero_point) {
    const __m512 high = _mm512_set1_ps(1000.0f), low = _mm512_set1_ps(-1000.0f), half = _mm512_set1_ps(0.5f);
    const __m512i one = _mm512_set1_epi32(1);
    for (long i = 0; i < count; i += 16) {
        const __mmask16 lanes = count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        const __m512 scaled = _mm512_div_ps(_mm512_maskz_loadu_ps(lanes, input + i), _mm512_set1_ps(scale));
        // Same order as the Swift loop: NaN fails both comparisons and lands on the lower bound.
        const __m512 bounded = _mm512_mask_blend_ps(
            _mm512_cmp_ps_mask(scaled, high, _CMP_GT_OQ),
            _mm512_mask_blend_ps(_mm512_cmp_ps_mask(scaled, low, _CMP_GE_OQ), low, scaled), high);
        __m512i rounded = _mm512_cvttps_epi32(bounded);
        const __m512 fraction = _mm512_sub_ps(bounded, _mm512_cvtepi32_ps(rounded));
        rounded = _mm512_mask_add_epi32(rounded, _mm512_cmp_ps_mask(fraction, half, _CMP_GE_OQ), rounded, one);
        rounded = _mm512_mask_sub_epi32(
            rounded, _mm512_cmp_ps_mask(fraction, _mm512_sub_ps(_mm512_setzero_ps(), half), _CMP_LE_OQ), rounded, one);
        _mm_mask_storeu_epi8(output + i, lanes, clamp_narrow(rounded, zero_point, -128, 127));
    }
}

#else

int ek_best_kernel(void) { return EK_KERNEL_NONE; }

void ek_quantize_run(const float *input, int8_t *output, long count, float scale, int32_t zero_point) {
    (void)input;
    (void)output;
    (void)count;
    (void)scale;
    (void)zero_point;
}


void ek_convolution_run(const EKConvolution *c, int kernel, const int8_t *input, int8_t *output, uint8_t *scratch) {
    (void)kernel;
    (void)output;
    pad_input(c, input, scratch);
}

#endif
