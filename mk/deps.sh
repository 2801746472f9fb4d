#!/bin/sh
# Installs the Debian packages the build, the tests and the demo need.
# As root it runs apt-get (non-interactive); otherwise it prints the command.
# nginx: tests/integ/nginx.sh runs its own, on loopback, in front of a test
# daemon (Debian's package also enables a system nginx on port 80; stop it
# with "systemctl disable --now nginx" where that is unwanted). systemd:
# tests/integ/install.sh checks the unit, sysusers and tmpfiles files with
# systemd-analyze, systemd-sysusers and systemd-tmpfiles.
# libqrencode-dev, libpng-dev: the client's "optin qr" (issue 17) draws the
# click-to-chat link's QR code and writes it as PNG. zbar-tools, qrencode:
# tests/integ/optin.sh decodes that PNG with zbarimg and compares the
# terminal drawing with qrencode -t UTF8.
# python3-jsonschema: tests/integ/hooks-teams.sh validates the Teams card
# against the Adaptive Card schema (issue 18).
PKGS="build-essential pkg-config libevent-dev libjansson-dev libsqlite3-dev
libsodium-dev libcurl4-openssl-dev libinih-dev libncurses-dev libcmocka-dev
tmux sqlite3 curl jq socat openssl passwd util-linux python3 clang libclang-rt-14-dev
cppcheck clang-tidy nginx systemd tzdata
libqrencode-dev libpng-dev zbar-tools qrencode
python3-jsonschema"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages:$missing" >&2
	echo "run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || exit 1
apt-get install -y -qq --no-install-recommends $missing || exit 1
