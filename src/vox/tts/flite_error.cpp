#include "vox/tts/flite_error.h"

#include <cstdlib>

extern "C" {
#include <cst_error.h>
}

namespace {

thread_local std::jmp_buf* t_guard = nullptr;
std::jmp_buf g_unused;  // what cst_errjmp points at: non-null is all flite checks

}  // namespace

extern "C" void vox_flite_error_jump(std::jmp_buf, int) {
  if (t_guard) std::longjmp(*t_guard, 1);
  std::abort();  // a flite call outside run_flite_guarded: no frame to return to
}

namespace vox {

bool run_flite_guarded(void (*work)(void*), void* arg) {
  cst_errjmp = reinterpret_cast<decltype(cst_errjmp)>(&g_unused);
  std::jmp_buf here;
  std::jmp_buf* outer = t_guard;
  if (setjmp(here) != 0) {
    t_guard = outer;
    return false;
  }
  t_guard = &here;
  work(arg);
  t_guard = outer;
  return true;
}

}  // namespace vox
