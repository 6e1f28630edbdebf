# linkshim: plain GNU Makefile (style.md §11).  Output goes under $(B)/.
#   make            build build/linkshimd and build/linkshimctl
#   make run        install deps if missing, build, run linkshimd on conf/linkshim.yaml
#   make test       install deps if missing, build, run every test (N passed, N failed)
#   make asan-test  the same suite under ASan+UBSan (in build-asan/)
#   make check      run the suite on an existing build

B        ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
SAN      ?=

PKGS      = ldns libevent_core libevent_extra libevent_pthreads yaml-0.1 libbsd-overlay \
            jansson expat libcrypto
CTL_PKGS  = libcurl jansson expat libcrypto
TEST_PKGS = cmocka

PKG_CFLAGS   := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CTL_CFLAGS   := $(shell pkg-config --cflags $(CTL_PKGS) 2>/dev/null)
CTL_LIBS     := $(shell pkg-config --libs $(CTL_PKGS) 2>/dev/null)
TEST_CFLAGS  := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS    := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wpointer-arith -Wstrict-prototypes \
       -Wmissing-prototypes -Wmissing-declarations -Wformat=2 -Werror
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIC
ifeq ($(SAN),1)
OPT    = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
HARDEN = -fPIC
LDSAN  = -fsanitize=address,undefined
else
OPT    = -O2 -g
LDSAN  =
endif
CPPFLAGS += -D_DEFAULT_SOURCE -D_GNU_SOURCE -Iinclude -Isrc
CFLAGS   += -std=c11 $(OPT) $(WARN) $(HARDEN) -MMD -MP
LDFLAGS  += $(LDSAN) -pie -Wl,-z,relro,-z,now

COMMON_SRC = $(wildcard src/common/*.c)
CORE_SRC   = $(wildcard src/core/*.c)
IO_SRC     = $(wildcard src/io/*.c)
DAEMON_SRC = $(wildcard src/daemon/*.c)
CTL_SRC    = $(wildcard src/ctl/*.c)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)
HELPER_SRC = $(wildcard tests/helpers/*.c)

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

CORE_LIB  = $(B)/libcore.a
SHIM_LIB  = $(B)/liblinkshim.a
DAEMON    = $(B)/linkshimd
CTL       = $(B)/linkshimctl
UNIT_BINS = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
FUZZ_REPLAY = $(patsubst tests/fuzz/%.c,$(B)/fuzz/replay_%,$(FUZZ_SRC))
HELPER_BINS = $(patsubst tests/helpers/%.c,$(B)/helpers/%,$(HELPER_SRC))

.PHONY: all run test asan-test check unit conf-test conf-update integration fuzz \
        fuzz-replay format format-check lint install clean deps tests-build bench deb

all: $(DAEMON) $(CTL)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CTL_CFLAGS) $(CFLAGS) -c -o $@ $<

$(CORE_LIB): $(call obj,$(COMMON_SRC) $(CORE_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SHIM_LIB): $(call obj,$(IO_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(DAEMON): $(call obj,$(DAEMON_SRC)) $(SHIM_LIB) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(DAEMON_SRC)) $(SHIM_LIB) $(CORE_LIB) $(PKG_LIBS) -lpthread

$(CTL): $(call obj,$(CTL_SRC)) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(CTL_SRC)) $(CORE_LIB) $(CTL_LIBS) $(PKG_LIBS)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(SHIM_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SHIM_LIB) $(CORE_LIB) $(TEST_LIBS) $(CTL_LIBS) $(PKG_LIBS) -lpthread

$(B)/fuzz/replay_%: $(B)/obj/tests/fuzz/%.o $(B)/obj/tests/fuzz/driver.o $(SHIM_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/obj/tests/fuzz/driver.o $(SHIM_LIB) $(CORE_LIB) $(CTL_LIBS) $(PKG_LIBS) -lpthread

$(B)/helpers/%: $(B)/obj/tests/helpers/%.o $(SHIM_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SHIM_LIB) $(CORE_LIB) $(PKG_LIBS) -lpthread

tests-build: all $(UNIT_BINS) $(FUZZ_REPLAY) $(HELPER_BINS)

deps:
	@sh tests/deps.sh

run: deps all
	$(DAEMON) -c conf/linkshim.yaml

check: tests-build
	@B=$(B) sh tests/run.sh

test: deps
	$(MAKE) tests-build
	@B=$(B) sh tests/run.sh

asan-test: deps
	$(MAKE) B=build-asan SAN=1 tests-build
	@B=build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh

unit: tests-build
	@B=$(B) ONLY=unit sh tests/run.sh
conf-test: tests-build
	@B=$(B) ONLY=conf sh tests/run.sh
integration: tests-build
	@B=$(B) ONLY=integration sh tests/run.sh
fuzz-replay: tests-build
	@B=$(B) ONLY=fuzz sh tests/run.sh
conf-update: $(DAEMON)
	@sh tests/conf/update.sh $(DAEMON)

# libFuzzer builds (clang); not part of the test run, the corpus replay is.
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined
fuzz:
	@mkdir -p $(B)/fuzz-bin
	for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang $(CPPFLAGS) $(PKG_CFLAGS) $(CTL_CFLAGS) -std=c11 $(FUZZ_FLAGS) -o $(B)/fuzz-bin/$$n $$f \
	    $(COMMON_SRC) $(CORE_SRC) $(PKG_LIBS) $(CTL_LIBS) || exit 1; done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Iinclude $(COMMON_SRC) $(CORE_SRC) $(IO_SRC)
	@if ls man/*.[0-9] >/dev/null 2>&1; then mandoc -Tlint -Wwarning man/*.[0-9]; fi

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(DAEMON) $(DESTDIR)$(PREFIX)/sbin/linkshimd
	install -m 755 $(CTL) $(DESTDIR)$(PREFIX)/bin/linkshimctl

clean:
	rm -rf build build-asan

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
