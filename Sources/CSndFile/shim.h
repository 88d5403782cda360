#ifndef EARSHOT_CSNDFILE_SHIM_H
#define EARSHOT_CSNDFILE_SHIM_H
#include <sndfile.h>

/// `sf_command(SFC_SET_COMPRESSION_LEVEL)` takes a pointer to a double; wrapped so Swift passes a value.
static inline int earshot_sf_set_compression_level(SNDFILE *file, double level) {
    return sf_command(file, SFC_SET_COMPRESSION_LEVEL, &level, sizeof(level));
}

/// `sf_command(SFC_SET_NORM_FLOAT)`: read integer PCM as float in [-1, 1) (the libsndfile default, stated explicitly).
static inline int earshot_sf_set_norm_float(SNDFILE *file, int on) {
    return sf_command(file, SFC_SET_NORM_FLOAT, NULL, on ? SF_TRUE : SF_FALSE);
}

/// `sf_command(SFC_SET_CLIPPING)`: clip float→int conversions on write instead of wrapping.
static inline int earshot_sf_set_clipping(SNDFILE *file, int on) {
    return sf_command(file, SFC_SET_CLIPPING, NULL, on ? SF_TRUE : SF_FALSE);
}
#endif
