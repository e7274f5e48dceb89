// flite's fatal error path (cst_error) fails the call instead of exiting the process.
#include <gtest/gtest.h>

#include "vox/tts/flite_error.h"

extern "C" {
// From flite's cst_val.h: reading a list (cons) value as an int is a fatal flite error.
typedef struct cst_val_struct cst_val;
cst_val* cons_val(const cst_val* a, const cst_val* b);
int val_int(const cst_val* v);
void delete_val(cst_val* v);
}

namespace vox {
namespace {

struct BadRead {
  cst_val* value;
  int got;
};

void read_list_as_int(void* arg) {
  auto* r = static_cast<BadRead*>(arg);
  r->got = val_int(r->value);  // flite: "VAL: tried to access int in 0 type val", then cst_error()
}

void read_fine(void* arg) { static_cast<BadRead*>(arg)->got = 7; }

TEST(FliteError, AFatalFliteErrorIsAFalseReturnAndTheProcessGoesOn) {
  BadRead r{cons_val(nullptr, nullptr), -1};
  EXPECT_FALSE(run_flite_guarded(&read_list_as_int, &r));
  EXPECT_EQ(r.got, -1);
  EXPECT_TRUE(run_flite_guarded(&read_fine, &r));  // and the guard works again afterwards
  EXPECT_EQ(r.got, 7);
  EXPECT_FALSE(run_flite_guarded(&read_list_as_int, &r));
  delete_val(r.value);
}

}  // namespace
}  // namespace vox
