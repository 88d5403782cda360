#ifndef EARSHOT_CFFTW_SHIM_H
#define EARSHOT_CFFTW_SHIM_H
#include <fftw3.h>
#endif
