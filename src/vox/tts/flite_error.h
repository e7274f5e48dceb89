// flite's fatal errors as a return value instead of the end of the process.
//
// Why: on a fatal error flite calls cst_error(), which is `cst_errjmp ? longjmp(*cst_errjmp, 1) :
// exit(-1)` — a server must never exit because of one request's text. cst_errjmp is one global
// pointer, and flite runs on several threads at once, so pointing it at a caller's jmp_buf would
// send one thread's error into another thread's stack. Instead the build links a private copy of
// libflite.a (src/vox/tts/CMakeLists.txt) in which flite's calls to longjmp (glibc's fortified
// __longjmp_chk) go to vox_flite_error_jump(), which jumps to the jmp_buf of the calling thread's
// own run_flite_guarded(); cst_errjmp only needs to be non-null. flite itself never calls setjmp
// or longjmp except for this. The utterance being built when the error struck is leaked: flite
// has no way to free a half-made one.
#pragma once

#include <csetjmp>

extern "C" [[noreturn]] void vox_flite_error_jump(std::jmp_buf env, int value);

namespace vox {

// Runs work(arg) — flite calls only, no C++ objects with destructors — and returns false if flite
// hit a fatal error inside it.
bool run_flite_guarded(void (*work)(void*), void* arg);

}  // namespace vox
