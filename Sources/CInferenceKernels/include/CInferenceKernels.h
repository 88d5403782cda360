#ifndef EARSHOT_C_INFERENCE_KERNELS_H
#define EARSHOT_C_INFERENCE_KERNELS_H

// The C kernels of the Inference module, chosen at run time: an int8 convolution on the x86-64 AVX-512
// VNNI dot product (`vpdpbusd`) or, on CPUs without it, on AVX2's `vpmaddwd`, and the AVX-512
// quantization of the input window. They exist because Swift emits only the build target's baseline
// instructions, and a binary built for AVX2 or AVX-512 would not run on other x86-64 CPUs
// (docs/inference.md has the measurements against the best Swift kernels). The Swift
// kernels stay the fallback and `runReference` the oracle: tests compare these kernels with the
// reference bit for bit.
//
// Memory: the Swift caller owns every buffer; nothing here allocates.
// Threading: no global state except the cached CPU check, which is idempotent.

#include <stdint.h>

/// One prepared convolution, N = 1, NHWC, TFLite int8 semantics (see `PackedConvolution`).
typedef struct {
    /// Weights `[block][kernelHeight][groups][16 lanes][4 taps]` int8; a block is 16 output channels,
    /// `groups = ceil(kernelWidth × inputChannels / 4)`; missing channels and taps are 0.
    const int8_t *weights;
    /// `[blocks × 16]` int32: `bias − (inputZeroPoint + 128) · Σw`, wrapping.
    const int32_t *bias;
    /// `[blocks × 16]` Q31 multipliers (≥ 0), left shifts and right shifts (0…31).
    const int32_t *multiplier;
    const int32_t *left_shift;
    const int32_t *right_shift;
    int32_t input_height, input_width, input_channels;
    int32_t kernel_height, groups;
    int32_t stride_height, stride_width;
    int32_t pad_top, pad_left;
    /// Rows and columns of the padded copy: `(outputHeight − 1) · strideHeight + kernelHeight`, etc.
    int32_t padded_height, padded_width;
    int32_t output_height, output_width, output_channels;
    /// `inputZeroPoint + 128`: the unsigned code of a padding tap.
    int32_t pad_code;
    int32_t output_zero_point, activation_min, activation_max;
} EKConvolution;

/// The convolution kernels, by instruction set.
enum {
    /// No C kernel runs here (not x86-64, or an x86-64 without AVX2): use the Swift kernels.
    EK_KERNEL_NONE = 0,
    /// AVX2 (`vpmaddwd` on int16-widened taps).
    EK_KERNEL_AVX2 = 1,
    /// AVX-512 VNNI (`vpdpbusd`), with AVX-512 F/BW/DQ/VL.
    EK_KERNEL_AVX512_VNNI = 2,
};

/// The fastest kernel this CPU and OS run (`EK_KERNEL_…`; always `EK_KERNEL_NONE` off x86-64). Cached after
/// the first call. A CPU that runs a kernel also runs every lower one.
int ek_best_kernel(void);

/// Runs the convolution with `kernel` (`EK_KERNEL_AVX2` or `EK_KERNEL_AVX512_VNNI`, at most `ek_best_kernel()`): `input` is `(inputHeight, inputWidth, inputChannels)` int8, `output`
/// `(outputHeight, outputWidth, outputChannels)` int8, `scratch` at least
/// `padded_height × padded_width × input_channels + 64` bytes.
/// Bit-identical to TFLite's reference `ConvPerChannel` with either kernel.
void ek_convolution_run(
    const EKConvolution *convolution, int kernel, const int8_t *input, int8_t *output, uint8_t *scratch);

/// Quantizes `count` floats: `clamp(round(x / scale) + zero_point)`, ties away from zero, NaN → -128;
/// equal to Swift's `QuantizationParameters.quantize(_:into:)`. Call only when `ek_best_kernel()` is
/// `EK_KERNEL_AVX512_VNNI`.
void ek_quantize_run(const float *input, int8_t *output, long count, float scale, int32_t zero_point);

#endif
