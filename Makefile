# linkshim: plain GNU Makefile (style.md §11).  Output goes under $(B)/.
#   make            build build/linkshimd and build/linkshimctl
#   make run        install deps if missing, build, run linkshimd on conf/linkshim.yaml
#   make test       install deps if missing, build, run every test (N passed, N failed)
#   make asan-test  the same suite under ASan+UBSan (in build-asan/)
#   make check      run the suite on an existing build

B        ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
VERSION  ?= 0.1.0
SBINDIR  ?= $(PREFIX)/sbin
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
UNITDIR  ?= $(PREFIX)/lib/systemd/system
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
SO_LIB    = $(B)/liblinkshim.so.0
LIB_OBJS  = $(call obj,$(IO_SRC) $(COMMON_SRC) $(CORE_SRC))
DAEMON    = $(B)/linkshimd
CTL       = $(B)/linkshimctl
UNIT_BINS = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
FUZZ_REPLAY = $(patsubst tests/fuzz/%.c,$(B)/fuzz/replay_%,$(FUZZ_SRC))
HELPER_BINS = $(patsubst tests/helpers/%.c,$(B)/helpers/%,$(HELPER_SRC))

.PHONY: all run test asan-test check unit conf-test conf-update integration fuzz \
        fuzz-replay format format-check lint install clean deps tests-build bench bench-hotpath deb lib docker docker-check

all: $(DAEMON) $(CTL)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CTL_CFLAGS) $(CFLAGS) -c -o $@ $<

$(CORE_LIB): $(call obj,$(COMMON_SRC) $(CORE_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# liblinkshim.a is the whole library (io + core + common), for embedders
# and for the test programs; libcore.a is the pure part alone.
$(SHIM_LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The shared library: soname liblinkshim.so.0, exports limited by the
# version script (packaging/liblinkshim.map) to the embedding API.
$(SO_LIB): $(LIB_OBJS) packaging/liblinkshim.map
	$(CC) -shared -Wl,-soname,liblinkshim.so.0 \
	  -Wl,--version-script=packaging/liblinkshim.map -Wl,--no-undefined \
	  -Wl,--as-needed $(filter-out -pie,$(LDFLAGS)) -o $@ $(LIB_OBJS) \
	  $(PKG_LIBS) $(CTL_LIBS) -lpthread
	ln -sf liblinkshim.so.0 $(B)/liblinkshim.so

lib: $(SHIM_LIB) $(SO_LIB)

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

tests-build: all lib $(UNIT_BINS) $(FUZZ_REPLAY) $(HELPER_BINS)

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

# Benchmark against dnsmasq, Unbound and dnsdist (not part of the test run).
bench: all
	sh bench/run.sh

# Instructions per query on the pure-core hot paths under callgrind
# (issue 3; tests/bench/hotpath.c); not part of the test run.
bench-hotpath: $(CORE_LIB)
	@mkdir -p $(B)/bench
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $(B)/bench/hotpath \
	  tests/bench/hotpath.c $(CORE_LIB) $(PKG_LIBS)
	B=$(B) sh tests/bench/hotpath.sh

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
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr -D__GNUC__ -Iinclude -Isrc -I/usr/include/bsd -DLIBBSD_OVERLAY $(COMMON_SRC) $(CORE_SRC) $(IO_SRC)
	@if ls man/*.[0-9] >/dev/null 2>&1; then mandoc -Tlint -Wwarning man/*.[0-9]; fi

# The unit and the example config name /usr/sbin and /etc: rewritten for
# the PREFIX in use.  An existing config is never overwritten outside DESTDIR.
install: all lib
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	  $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/linkshim \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/linkshim \
	  $(DESTDIR)$(UNITDIR)
	install -m 755 $(DAEMON) $(DESTDIR)$(SBINDIR)/linkshimd
	install -m 755 $(CTL) $(DESTDIR)$(BINDIR)/linkshimctl
	install -m 644 $(SHIM_LIB) $(DESTDIR)$(LIBDIR)/liblinkshim.a
	install -m 644 $(SO_LIB) $(DESTDIR)$(LIBDIR)/liblinkshim.so.$(VERSION)
	ln -sf liblinkshim.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liblinkshim.so.0
	ln -sf liblinkshim.so.0 $(DESTDIR)$(LIBDIR)/liblinkshim.so
	install -m 644 include/linkshim/*.h $(DESTDIR)$(INCLUDEDIR)/linkshim/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
	  packaging/linkshim.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/linkshim.pc
	install -m 644 man/linkshimctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/linkshim.yaml.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/linkshimd.8 $(DESTDIR)$(MANDIR)/man8/
	sed -e 's|/usr/sbin/|$(SBINDIR)/|g; s|/etc/linkshim/|$(SYSCONFDIR)/linkshim/|g' \
	  packaging/systemd/linkshimd.service >$(DESTDIR)$(UNITDIR)/linkshimd.service
	if [ -f conf/linkshim.yaml ] && { [ -n "$(DESTDIR)" ] || \
	  [ ! -e $(SYSCONFDIR)/linkshim/linkshim.yaml ]; }; then \
	  install -m 644 conf/linkshim.yaml $(DESTDIR)$(SYSCONFDIR)/linkshim/; fi

# Debian packages (packaging/debian/) built from a copy of the working
# tree, so that nothing lands in the source tree; the .debs end up in
# $(B)/deb/.  MAKEFLAGS is dropped so that B=/SAN= of this make do not leak
# into the package build.
deb:
	rm -rf $(B)/deb && mkdir -p $(B)/deb/src
	tar --exclude=./build --exclude='./build-*' --exclude=./$(B) --exclude=./.git -cf - . | \
	  tar -C $(B)/deb/src -xf -
	cp -r packaging/debian $(B)/deb/src/debian
	cd $(B)/deb/src && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	  dpkg-buildpackage -us -uc -b
	@ls -1 $(B)/deb/*.deb

# The container image (needs a Docker engine); docker-check is what CI can
# do without one (packaging/docker/check.sh).
docker:
	docker build -f packaging/docker/Dockerfile -t linkshim:$(VERSION) .
docker-check:
	@sh packaging/docker/check.sh

clean:
	rm -rf build build-asan

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
