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
PKG	 = libevent jansson sqlite3 libsodium libcurl inih ncursesw \
	   libqrencode libpng
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
LIBS_CLIENT = $(shell pkg-config --libs ncursesw jansson inih 2>/dev/null) \
    $(shell pkg-config --libs libqrencode libpng 2>/dev/null)
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

# Where "make install" puts things. DATADIR is compiled into the client
# (its installed themes); a change of PREFIX rebuilds what uses it.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/support-inbox
DOCDIR	?= $(PREFIX)/share/doc/support-inbox
UNITDIR	?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d

.PHONY: all deps check test unit integ tui bench demo fuzz lint asan install clean FORCE
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

# DATADIR for the client's theme search, with a stamp file rewritten only
# when the value changes: make rebuilds theme.o then, and only then (so
# "make; make install PREFIX=/usr" does not ship a client looking in
# /usr/local).
$(B)/gen/datadir: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(DATADIR)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/obj/src/tui/theme.o: $(B)/gen/datadir
$(B)/obj/src/tui/theme.o: INC = $(INC_COMMON) -Isrc/tui \
    -DDATADIR='"$(DATADIR)"'
FORCE:

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

# Only the programs: installing needs no test library (cmocka) and builds
# no unit test, tool or fuzz target. The systemd files go where systemd
# looks for a PREFIX of /usr or /usr/local; the unit names the sbin of
# PREFIX. DESTDIR stages the lot for a package.
install: $(PROGS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DATADIR)/themes \
	    $(DESTDIR)$(DOCDIR)/nginx $(DESTDIR)$(DOCDIR)/caddy \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 $(B)/support-inbox $(B)/support-inbox-sim \
	    $(DESTDIR)$(BINDIR)/
	install -m 0755 $(B)/support-inboxd $(DESTDIR)$(SBINDIR)/
	install -m 0644 doc/support-inbox.1 doc/support-inbox-sim.1 \
	    $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 doc/support-inbox.conf.5 doc/support-inbox-theme.5 \
	    $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 doc/support-inboxd.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 0644 support-inbox.conf.example $(DESTDIR)$(DOCDIR)/
	install -m 0644 contrib/nginx/support-inbox.conf \
	    $(DESTDIR)$(DOCDIR)/nginx/
	install -m 0644 contrib/caddy/Caddyfile $(DESTDIR)$(DOCDIR)/caddy/
	sed 's|@SBINDIR@|$(SBINDIR)|g' contrib/systemd/support-inboxd.service \
	    >$(DESTDIR)$(UNITDIR)/support-inboxd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/support-inboxd.service
	install -m 0644 contrib/systemd/sysusers.conf \
	    $(DESTDIR)$(SYSUSERSDIR)/support-inbox.conf
	install -m 0644 contrib/systemd/tmpfiles.conf \
	    $(DESTDIR)$(TMPFILESDIR)/support-inbox.conf
	# "support-inbox demo" runs this script with the simulator (make demo
	# runs mk/demo.sh itself)
	install -m 0644 mk/demo.sh $(DESTDIR)$(DATADIR)/demo.sh
	# the privacy notice's examples (issue 16), to be filled in
	install -d $(DESTDIR)$(DOCDIR)/notice
	install -m 0644 contrib/notice/notice.de.txt \
	    contrib/notice/notice.en.txt $(DESTDIR)$(DOCDIR)/notice/
	# public holidays for [hours] holidays = (contrib/holidays/gen-de.sh)
	install -d $(DESTDIR)$(DATADIR)/holidays
	install -m 0644 contrib/holidays/*.txt $(DESTDIR)$(DATADIR)/holidays/
	# the Teams recipe's card template (issue 18, doc/integrations.md)
	install -d $(DESTDIR)$(DOCDIR)/teams
	install -m 0644 contrib/teams/card.json $(DESTDIR)$(DOCDIR)/teams/
	install -m 0644 doc/integrations.md $(DESTDIR)$(DOCDIR)/

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
