# support-inbox: plain make + pkg-config.
#   make            build the daemon, the client and the simulator
#   make check      install missing build deps (as root), then every test,
#                   on a normal build and again under ASan/UBSan
#   make demo       install deps, build, start a demo daemon and the client
#   make bench      print performance figures
#   make lint       cppcheck, clang-tidy and the banned-function check
#   make fuzz       build the libFuzzer targets (clang) and run each for
#                   FUZZ_SECONDS (default 60); crashes go to tests/fuzz/regress
#   make SAN=1      build with AddressSanitizer + UBSan into build/san

CC	?= cc
PKG	 = libevent jansson sqlite3 libsodium libcurl inih ncursesw
SAN	?=
ifeq ($(SAN),1)
B	 = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT	 = -O1
else
B	 = build
SANFLAGS =
OPT	 = -O2
endif

WARN	 = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS	?= $(OPT) -g
ALLCFLAGS = -std=gnu11 $(CFLAGS) $(WARN) $(SANFLAGS) -D_GNU_SOURCE
PKGCFLAGS = $(shell pkg-config --cflags $(PKG) 2>/dev/null)
LDFLAGS	+= $(SANFLAGS)

LIBS_COMMON = $(shell pkg-config --libs jansson inih 2>/dev/null)
LIBS_DAEMON = $(shell pkg-config --libs libevent jansson sqlite3 libsodium libcurl inih 2>/dev/null) -lm
LIBS_CLIENT = $(shell pkg-config --libs ncursesw jansson inih 2>/dev/null)
LIBS_SIM    = $(shell pkg-config --libs libevent jansson libsodium libcurl inih 2>/dev/null)
LIBS_TEST   = $(LIBS_DAEMON) $(shell pkg-config --libs cmocka 2>/dev/null)

COMMON_SRC = $(wildcard src/common/*.c)
DAEMON_SRC = $(wildcard src/daemon/*.c)
CLIENT_SRC = $(wildcard src/tui/*.c)
SIM_SRC    = $(wildcard src/sim/*.c)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
TOOLS_SRC  = $(wildcard tests/tools/*.c)
FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
COMMON_OBJ = $(call obj,$(COMMON_SRC))
DAEMON_OBJ = $(call obj,$(DAEMON_SRC))
DAEMON_LIBOBJ = $(filter-out $(B)/obj/src/daemon/main.o,$(DAEMON_OBJ))
CLIENT_OBJ = $(call obj,$(CLIENT_SRC))
SIM_OBJ    = $(call obj,$(SIM_SRC))
UNIT_BIN   = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
# Test and bench tools (data generators, baselines): linked like unit tests.
TOOLS_BIN  = $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOLS_SRC))
# The fuzz targets without libFuzzer: each replays the files it is given
# (tests/integ/fuzz-regress.sh runs tests/fuzz/regress/ through them).
CLIENT_LIBOBJ = $(filter-out $(B)/obj/src/tui/main.o,$(CLIENT_OBJ))
REPLAY_BIN = $(patsubst tests/fuzz/fuzz_%.c,$(B)/fuzz/replay_%,$(FUZZ_SRC))
REPLAY_OBJ = $(B)/obj/tests/fuzz/replay.o $(B)/obj/tests/fuzz/fuzz-lib.o

PROGS = $(B)/support-inboxd $(B)/support-inbox $(B)/support-inbox-sim

.PHONY: all deps check test unit integ tui bench demo fuzz lint asan install clean
all: $(PROGS) $(UNIT_BIN) $(TOOLS_BIN) $(REPLAY_BIN)

# The layering, kept by the compiler: each program sees the shared headers
# (include/, src/common/) and its own directory, nothing else, so a client
# file that includes a daemon header does not build. Unit tests and tools
# exercise daemon and shared modules; the fuzz targets reach daemon and
# client modules alike.
INC_COMMON = -Iinclude -Isrc/common
INC	= $(INC_COMMON)
$(B)/obj/src/daemon/%.o: INC = $(INC_COMMON) -Isrc/daemon
$(B)/obj/src/tui/%.o: INC = $(INC_COMMON) -Isrc/tui
$(B)/obj/src/sim/%.o: INC = $(INC_COMMON) -Isrc/sim
$(B)/obj/tests/unit/%.o: INC = $(INC_COMMON) -Isrc/daemon
$(B)/obj/tests/tools/%.o: INC = $(INC_COMMON) -Isrc/daemon
$(B)/obj/tests/fuzz/%.o: INC = $(INC_COMMON) -Isrc/daemon -Isrc/tui

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(INC) $(PKGCFLAGS) -MMD -MP -c -o $@ $<

$(B)/support-inboxd: $(DAEMON_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_DAEMON)

$(B)/support-inbox: $(CLIENT_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_CLIENT)

$(B)/support-inbox-sim: $(SIM_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_SIM)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(DAEMON_LIBOBJ) $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_TEST)

$(B)/tools/%: $(B)/obj/tests/tools/%.o $(DAEMON_LIBOBJ) $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_DAEMON)

# Archives, so a replay program links only the objects it uses (client
# and daemon code together).
$(B)/lib/libtui.a: $(CLIENT_LIBOBJ)
$(B)/lib/libdaemon.a: $(DAEMON_LIBOBJ)
$(B)/lib/libcommon.a: $(COMMON_OBJ)
$(B)/lib/%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/fuzz/replay_%: $(B)/obj/tests/fuzz/fuzz_%.o $(REPLAY_OBJ) \
    $(B)/lib/libtui.a $(B)/lib/libdaemon.a $(B)/lib/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_DAEMON) $(LIBS_CLIENT)

deps:
	@sh mk/deps.sh

# Static checks first, then the whole suite on the normal build, then again
# under ASan/UBSan.
check: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 all
	@sh tests/run.sh build build/san

test: all
	@sh tests/run.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh $(B)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh mk/demo.sh $(B)

asan:
	@$(MAKE) --no-print-directory SAN=1 all

lint:
	@sh mk/lint.sh

FUZZ_SECONDS ?= 60
fuzz:
	@sh tests/fuzz/build.sh
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

PREFIX	?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin
	install -m 0755 $(B)/support-inbox $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(B)/support-inboxd $(DESTDIR)$(PREFIX)/sbin/
# issue 14, the demo: "support-inbox demo" runs this script with the
# simulator (make demo runs mk/demo.sh itself)
	install -d $(DESTDIR)$(PREFIX)/share/support-inbox
	install -m 0644 mk/demo.sh $(DESTDIR)$(PREFIX)/share/support-inbox/demo.sh
	install -m 0755 $(B)/support-inbox-sim $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
