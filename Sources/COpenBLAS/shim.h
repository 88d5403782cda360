#ifndef EARSHOT_COPENBLAS_SHIM_H
#define EARSHOT_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
