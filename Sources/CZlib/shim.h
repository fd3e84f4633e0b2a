#ifndef FAULTLINE_CZLIB_SHIM_H
#define FAULTLINE_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro Swift cannot import: wrap it. windowBits 31 = gzip, -15 = raw deflate. */
static inline int faultline_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
