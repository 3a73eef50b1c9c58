# zocalo: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps deps-build build run test test-asan fuzz bench format clean

all: build

# What building and running need (compiler, libraries).
deps-build:
	@scripts/install-deps --build

# Everything, test and benchmark tools included (PostgreSQL, chromium, wrk, nginx, ...).
deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps-build $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

# Starts zocalo with the embedded default (SQLite + ./var) and the Mexico City demo data.
run: build
	$(BUILD)/zocalo serve --demo --listen 127.0.0.1:8080 --data-dir var

# Every test: unit and store tests on SQLite and PostgreSQL, HTTP integration and hostile input,
# e-mail through a real SMTP server, browser tests, the suite again under ASan+UBSan, fuzzers.
test: deps build
	tests/run-all $(BUILD)

# The unit and store tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	tests/run-asan

# Each libFuzzer target for FUZZ_SECONDS (default 30).
fuzz: deps
	fuzz/run-all $(or $(FUZZ_SECONDS),30)

bench: deps build
	bench/run $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-asan build-fuzz build-bench
