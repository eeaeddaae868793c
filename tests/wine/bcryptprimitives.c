/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks: Rust's std draws
 * random bytes through its ProcessPrng. This forwards to advapi32's RtlGenRandom
 * (SystemFunction036), which Wine has. Never shipped: tests/wine only. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
