# The two commands of the README: `make serve` and `make test`. Both set everything up first.
BUILD ?= build
ARGS ?=

.PHONY: serve test build bench clean

serve: build
	./$(BUILD)/vox serve $(ARGS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j2 $(ARGS)

build:
	scripts/setup

bench: build
	bench/run_all

clean:
	rm -rf $(BUILD)

# ---- Fuzzing and sanitizers (README "Fuzzing and sanitizers") ---------------------------------
JOBS ?= 2
# -O1 with line tables: readable sanitizer stacks, shorter builds than Release.
SAN_CMAKE = -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
SUPP = $(CURDIR)/tests/sanitizers
# Discovery of the gtest cases runs the test binaries during the build, so leak checks stay off there.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:check_initialization_order=1 \
  LSAN_OPTIONS=suppressions=$(SUPP)/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$(SUPP)/ubsan.supp
TSAN_ENV = TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(SUPP)/tsan.supp
# The concurrency-heavy units: thread pool / admission, micro-batcher, jobs, rate limiters, engine host.
TSAN_TESTS = vox_core_tests vox_asr_tests:MicroBatcher* vox_jobs_tests vox_service_tests vox_engines_tests
FUZZ_SECONDS ?= 120

.PHONY: fuzz test-asan test-asan-unit build-asan test-tsan

# Builds the libFuzzer targets (clang, ASan + UBSan), replays their seeds and past crashes, then
# fuzzes each for FUZZ_SECONDS over a copy of its seeds in build-fuzz/corpus; fails on a crash.
fuzz:
	scripts/setup --no-build
	cmake -S . -B build-fuzz $(SAN_CMAKE) -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DVOX_FUZZ=ON -DVOX_SANITIZE=address,undefined -DVOX_BUILD_TESTS=OFF >/dev/null
	cmake --build build-fuzz --target fuzz_targets -- -j$(JOBS)
	ctest --test-dir build-fuzz/fuzz --output-on-failure -j$(JOBS)
	fuzz/run build-fuzz $(FUZZ_SECONDS)

build-asan:
	scripts/setup --no-build
	cmake -S . -B build-asan $(SAN_CMAKE) -DVOX_SANITIZE=address,undefined >/dev/null
	ASAN_OPTIONS=detect_leaks=0 cmake --build build-asan -- -j$(JOBS)

# Every unit test under ASan + UBSan (gcc), leaks included.
test-asan-unit: build-asan
	$(ASAN_ENV) ctest --test-dir build-asan -L unit -E '^web\.' --output-on-failure -j2 $(ARGS)

# ... and the integration tests, which start build-asan's own (instrumented) vox; a server's
# exit-time leaks are not checked (they would be reported as a failed shutdown).
test-asan: test-asan-unit
	$(ASAN_ENV) ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan -LE unit --output-on-failure -j2 $(ARGS)

# The concurrency-heavy units under TSan (gcc).
test-tsan:
	scripts/setup --no-build
	cmake -S . -B build-tsan $(SAN_CMAKE) -DVOX_SANITIZE=thread >/dev/null
	cmake --build build-tsan --target $(foreach t,$(TSAN_TESTS),$(firstword $(subst :, ,$(t)))) -- -j$(JOBS)
	@set -e; for t in $(TSAN_TESTS); do \
	  bin=$${t%%:*}; filter=$${t#*:}; [ "$$filter" = "$$t" ] && filter='*'; \
	  echo "== $$bin ($$filter)"; $(TSAN_ENV) build-tsan/tests/$$bin --gtest_filter="$$filter" --gtest_brief=1; \
	done
