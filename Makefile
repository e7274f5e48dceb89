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
