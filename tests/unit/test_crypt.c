/*
 * Unit tests for crypt.c: sealed fields bind their place, keys stay keys,
 * key files are created and opened only in the safe ways.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypt.h"
#include "xmalloc.h"

/* Shared by every test: a temp dir and two independent plain key files. */
struct fixture {
	char		 dir[64];
	struct crypt	*a;
	struct crypt	*b;
};

static struct fixture	fx;

static char *
tpath(const char *name)
{
	return (xasprintf("%s/%s", fx.dir, name));
}

static struct crypt *
open_new(const char *name, const char *pass)
{
	struct crypt	*c;
	char		*p, *cause = NULL;

	p = tpath(name);
	if (crypt_keyfile_create(p, pass, &cause) != 0)
		fail_msg("create %s: %s", name, cause);
	c = crypt_open(p, pass, &cause);
	if (c == NULL)
		fail_msg("open %s: %s", name, cause);
	free(p);
	return (c);
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	uint8_t		buf[4096], *p;
	ssize_t		n;
	int		fd;

	fd = open(path, O_RDONLY);
	assert_true(fd != -1);
	n = read(fd, buf, sizeof buf);
	assert_true(n >= 0);
	close(fd);
	p = xmalloc((size_t)n + 1);
	memcpy(p, buf, (size_t)n);
	*len = (size_t)n;
	return (p);
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int	fd;

	fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, mode);
	assert_true(fd != -1);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int
group_setup(void **state)
{
	(void)state;
	/* Argon2 MODERATE is 256 MiB per run; the params are in the file. */
	setenv("SI_TEST_FAST_KDF", "1", 1);
	if (crypt_global_init() != 0)
		return (-1);
	snprintf(fx.dir, sizeof fx.dir, "/tmp/test_crypt.XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return (-1);
	fx.a = open_new("a.key", NULL);
	fx.b = open_new("b.key", NULL);
	return (0);
}

static int
group_teardown(void **state)
{
	struct dirent	*de;
	DIR		*d;
	char		*p;

	(void)state;
	crypt_free(fx.a);
	crypt_free(fx.b);
	if ((d = opendir(fx.dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			p = tpath(de->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(fx.dir);
	return (0);
}

static const uint8_t *
fkey(void)
{
	return (crypt_subkey(fx.a, CRYPT_FIELDKEY));
}

static void
seal_round_trip(const void *pt, size_t len)
{
	uint8_t	*ct;
	char	*out;
	size_t	 ctlen, outlen;

	crypt_seal(fkey(), 7, "contacts", "name", 42, pt, len, &ct, &ctlen);
	assert_int_equal(ctlen, len + CRYPT_SEAL_OVERHEAD);
	assert_int_equal(crypt_sealed_key_id(ct, ctlen), 7);
	assert_int_equal(crypt_unseal(fkey(), "contacts", "name", 42, ct, ctlen,
	    &out, &outlen), 0);
	assert_int_equal(outlen, len);
	assert_memory_equal(out, pt, len);
	assert_int_equal(out[len], '\0');
	crypt_wipe_free(out, outlen + 1);
	free(ct);
}

static void
seal_unseal_round_trip_returns_plaintext(void **state)
{
	(void)state;
	seal_round_trip("Grüße, Anna 🙂", strlen("Grüße, Anna 🙂"));
}

static void
seal_unseal_round_trip_empty_plaintext(void **state)
{
	(void)state;
	seal_round_trip("", 0);
}

static void
seal_unseal_round_trip_one_mib_plaintext(void **state)
{
	uint8_t	*big;
	size_t	 len = 1024 * 1024;

	(void)state;
	big = xmalloc(len);
	randombytes_buf(big, len);
	seal_round_trip(big, len);
	free(big);
}

static void
seal_same_plaintext_twice_gives_different_ciphertexts(void **state)
{
	uint8_t	*c1, *c2;
	size_t	 l1, l2;

	(void)state;
	crypt_seal(fkey(), 1, "t", "c", 1, "x", 1, &c1, &l1);
	crypt_seal(fkey(), 1, "t", "c", 1, "x", 1, &c2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_not_equal(c1, c2, l1);
	free(c1);
	free(c2);
}

/* Seals "secret" at contacts.name row 42, key id 3. */
static uint8_t *
sealed_sample(size_t *len)
{
	uint8_t	*ct;

	crypt_seal(fkey(), 3, "contacts", "name", 42, "secret", 6, &ct, len);
	return (ct);
}

static void
expect_unseal_fails(const uint8_t *key, const char *table, const char *column,
    int64_t rowid, const uint8_t *ct, size_t len)
{
	char	*out = (char *)0x1;
	size_t	 outlen = 12345;

	assert_int_equal(crypt_unseal(key, table, column, rowid, ct, len, &out,
	    &outlen), -1);
	/* Outputs untouched on failure: nothing to free, nothing leaked. */
	assert_ptr_equal(out, (char *)0x1);
	assert_int_equal(outlen, 12345);
}

static void
unseal_fails_when_moved_to_another_rowid(void **state)
{
	uint8_t	*ct;
	size_t	 len;

	(void)state;
	ct = sealed_sample(&len);
	expect_unseal_fails(fkey(), "contacts", "name", 43, ct, len);
	expect_unseal_fails(fkey(), "contacts", "name", -42, ct, len);
	expect_unseal_fails(fkey(), "contacts", "name", 42 + (1LL << 32), ct,
	    len);
	free(ct);
}

static void
unseal_fails_when_moved_to_another_column(void **state)
{
	uint8_t	*ct;
	size_t	 len;

	(void)state;
	ct = sealed_sample(&len);
	expect_unseal_fails(fkey(), "contacts", "phone", 42, ct, len);
	expect_unseal_fails(fkey(), "contacts", "", 42, ct, len);
	free(ct);
}

static void
unseal_fails_when_moved_to_another_table(void **state)
{
	uint8_t	*ct;
	size_t	 len;

	(void)state;
	ct = sealed_sample(&len);
	expect_unseal_fails(fkey(), "messages", "name", 42, ct, len);
	/* The separators keep "contacts|name" from matching elsewhere. */
	expect_unseal_fails(fkey(), "contactsn", "ame", 42, ct, len);
	free(ct);
}

static void
unseal_fails_with_wrong_key(void **state)
{
	uint8_t	*ct;
	size_t	 len;

	(void)state;
	ct = sealed_sample(&len);
	expect_unseal_fails(crypt_subkey(fx.b, CRYPT_FIELDKEY), "contacts",
	    "name", 42, ct, len);
	expect_unseal_fails(crypt_subkey(fx.a, CRYPT_RAWEVENT), "contacts",
	    "name", 42, ct, len);
	free(ct);
}

static void
unseal_fails_on_any_flipped_byte(void **state)
{
	uint8_t	*ct;
	size_t	 len, i;

	(void)state;
	ct = sealed_sample(&len);
	/* Every byte: version, key id (bound by the AD), nonce, ct, tag. */
	for (i = 0; i < len; i++) {
		ct[i] ^= 0x01;
		expect_unseal_fails(fkey(), "contacts", "name", 42, ct, len);
		ct[i] ^= 0x01;
	}
	free(ct);
}

static void
unseal_rejects_truncated_and_garbage_input(void **state)
{
	uint8_t	*ct, garbage[256];
	size_t	 len, i;
	int	 round;

	(void)state;
	ct = sealed_sample(&len);
	for (i = 0; i < len; i++)
		expect_unseal_fails(fkey(), "contacts", "name", 42, ct, i);
	expect_unseal_fails(fkey(), "contacts", "name", 42, NULL, 0);
	free(ct);

	for (round = 0; round < 64; round++) {
		randombytes_buf(garbage, sizeof garbage);
		garbage[0] = 1;		/* get past the version check */
		len = randombytes_uniform(sizeof garbage + 1);
		expect_unseal_fails(fkey(), "contacts", "name", 42, garbage,
		    len);
	}
}

static void
sealed_key_id_reads_header_and_rejects_malformed(void **state)
{
	uint8_t	*ct;
	size_t	 len;

	(void)state;
	crypt_seal(fkey(), 0xfffffffeU, "t", "c", 1, "x", 1, &ct, &len);
	assert_int_equal(crypt_sealed_key_id(ct, len), 0xfffffffeLL);
	assert_int_equal(crypt_sealed_key_id(ct, CRYPT_SEAL_OVERHEAD - 1), -1);
	assert_int_equal(crypt_sealed_key_id(NULL, 0), -1);
	ct[0] = 2;
	assert_int_equal(crypt_sealed_key_id(ct, len), -1);
	expect_unseal_fails(fkey(), "t", "c", 1, ct, len);
	free(ct);
}

static void
blind_is_stable_for_same_input(void **state)
{
	uint8_t	h1[CRYPT_BLINDBYTES], h2[CRYPT_BLINDBYTES];

	(void)state;
	crypt_blind(fx.a, "wa", "491701234567", h1);
	crypt_blind(fx.a, "wa", "491701234567", h2);
	assert_memory_equal(h1, h2, sizeof h1);
}

static void
blind_differs_between_key_files(void **state)
{
	uint8_t	h1[CRYPT_BLINDBYTES], h2[CRYPT_BLINDBYTES];

	(void)state;
	crypt_blind(fx.a, "wa", "491701234567", h1);
	crypt_blind(fx.b, "wa", "491701234567", h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
}

static void
blind_differs_between_kinds_and_ids(void **state)
{
	uint8_t	h1[CRYPT_BLINDBYTES], h2[CRYPT_BLINDBYTES];

	(void)state;
	crypt_blind(fx.a, "wa", "491701234567", h1);
	crypt_blind(fx.a, "bsuid", "491701234567", h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
	crypt_blind(fx.a, "wa", "491701234568", h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
	/* The 0x00 separator: kind "wa" id "1..." is not "wa1" "...". */
	crypt_blind(fx.a, "wa", "1491701234567", h1);
	crypt_blind(fx.a, "wa1", "491701234567", h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
}

static void
blind_is_not_the_unkeyed_hash(void **state)
{
	uint8_t			 h1[CRYPT_BLINDBYTES], h2[CRYPT_BLINDBYTES];
	static const uint8_t	 in[] = "wa\0" "491701234567";

	(void)state;
	crypt_blind(fx.a, "wa", "491701234567", h1);
	crypto_generichash(h2, sizeof h2, in, sizeof in - 1, NULL, 0);
	assert_memory_not_equal(h1, h2, sizeof h1);
}

static void
dek_wrap_unwrap_round_trip(void **state)
{
	uint8_t	dek[CRYPT_KEYBYTES], back[CRYPT_KEYBYTES], *w;
	size_t	wlen;

	(void)state;
	crypt_dek_new(dek);
	assert_int_equal(crypt_dek_wrap(fx.a, 1001, 2, dek, &w, &wlen), 0);
	assert_true(wlen > CRYPT_KEYBYTES);
	assert_int_equal(crypt_dek_unwrap(fx.a, 1001, 2, w, wlen, back), 0);
	assert_memory_equal(dek, back, sizeof dek);
	free(w);
}

static void
dek_unwrap_fails_for_other_contact_or_key_id(void **state)
{
	uint8_t	dek[CRYPT_KEYBYTES], back[CRYPT_KEYBYTES], *w;
	size_t	wlen;

	(void)state;
	crypt_dek_new(dek);
	assert_int_equal(crypt_dek_wrap(fx.a, 1001, 2, dek, &w, &wlen), 0);
	assert_int_equal(crypt_dek_unwrap(fx.a, 1002, 2, w, wlen, back), -1);
	assert_int_equal(crypt_dek_unwrap(fx.a, -1001, 2, w, wlen, back), -1);
	assert_int_equal(crypt_dek_unwrap(fx.a, 1001, 3, w, wlen, back), -1);
	free(w);
}

static void
dek_unwrap_fails_with_other_master_key_or_damage(void **state)
{
	uint8_t	dek[CRYPT_KEYBYTES], back[CRYPT_KEYBYTES], *w;
	size_t	wlen, i;

	(void)state;
	crypt_dek_new(dek);
	assert_int_equal(crypt_dek_wrap(fx.a, 5, 1, dek, &w, &wlen), 0);
	assert_int_equal(crypt_dek_unwrap(fx.b, 5, 1, w, wlen, back), -1);
	for (i = 0; i < wlen; i++) {
		assert_int_equal(crypt_dek_unwrap(fx.a, 5, 1, w, i, back), -1);
		w[i] ^= 0x80;
		assert_int_equal(crypt_dek_unwrap(fx.a, 5, 1, w, wlen, back),
		    -1);
		w[i] ^= 0x80;
	}
	assert_int_equal(crypt_dek_unwrap(fx.a, 5, 1, NULL, 0, back), -1);
	free(w);
}

static void
dek_new_is_random(void **state)
{
	uint8_t	d1[CRYPT_KEYBYTES], d2[CRYPT_KEYBYTES];

	(void)state;
	crypt_dek_new(d1);
	crypt_dek_new(d2);
	assert_memory_not_equal(d1, d2, sizeof d1);
}

static void
subkeys_differ_per_purpose(void **state)
{
	int	i, j;

	(void)state;
	for (i = 0; i < CRYPT_NSUBKEYS; i++) {
		for (j = i + 1; j < CRYPT_NSUBKEYS; j++) {
			assert_memory_not_equal(crypt_subkey(fx.a, i),
			    crypt_subkey(fx.a, j), CRYPT_KEYBYTES);
		}
		assert_memory_not_equal(crypt_subkey(fx.a, i),
		    crypt_subkey(fx.b, i), CRYPT_KEYBYTES);
	}
	assert_null(crypt_subkey(fx.a, CRYPT_NSUBKEYS));
}

static void
keyfile_create_then_open_gives_same_keys(void **state)
{
	struct crypt	*c1, *c2;
	struct stat	 st;
	char		*p, *cause = NULL;

	(void)state;
	p = tpath("roundtrip.key");
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(S_ISREG(st.st_mode));
	c1 = crypt_open(p, NULL, &cause);
	assert_non_null(c1);
	/* A passphrase given for a plain file is not needed and ignored. */
	c2 = crypt_open(p, "unused", &cause);
	assert_non_null(c2);
	assert_memory_equal(crypt_subkey(c1, CRYPT_FIELDKEY),
	    crypt_subkey(c2, CRYPT_FIELDKEY), CRYPT_KEYBYTES);
	crypt_free(c1);
	crypt_free(c2);
	free(p);
}

static void
keyfile_create_leaves_no_temp_file(void **state)
{
	struct dirent	*de;
	DIR		*d;

	(void)state;
	d = opendir(fx.dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		assert_null(strstr(de->d_name, ".tmp"));
	closedir(d);
}

static void
keyfile_create_twice_refuses_and_leaves_file_unchanged(void **state)
{
	uint8_t	*before, *after;
	size_t	 blen, alen;
	char	*p, *cause = NULL, *want;

	(void)state;
	p = tpath("twice.key");
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), 0);
	before = read_file(p, &blen);
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), -1);
	want = xasprintf("cannot create key file '%s': File exists", p);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	assert_int_equal(crypt_keyfile_create(p, "pass", &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	after = read_file(p, &alen);
	assert_int_equal(blen, alen);
	assert_memory_equal(before, after, blen);
	free(want);
	free(before);
	free(after);
	free(p);
}

static void
keyfile_create_refuses_to_replace_a_symlink(void **state)
{
	char		*p, *target, *cause = NULL;
	struct stat	 st;

	(void)state;
	p = tpath("link.key");
	target = tpath("nonexistent-target");
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), -1);
	assert_non_null(strstr(cause, "File exists"));
	assert_int_equal(lstat(target, &st), -1);
	free(cause);
	unlink(p);
	free(target);
	free(p);
}

static void
keyfile_create_reports_missing_directory(void **state)
{
	char	*p, *cause = NULL, *want;

	(void)state;
	p = tpath("no/such/dir.key");
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), -1);
	want = xasprintf("cannot create key file '%s': %s", p,
	    strerror(ENOENT));
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

static void
open_refuses_mode(mode_t mode, const char *what)
{
	char	*p, *cause = NULL, *want, name[32];

	snprintf(name, sizeof name, "mode%04o.key", (unsigned int)mode);
	p = tpath(name);
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), 0);
	assert_int_equal(chmod(p, mode), 0);
	assert_null(crypt_open(p, NULL, &cause));
	want = xasprintf("key file '%s' is %s by group or others (mode %04o); "
	    "chmod 600 it", p, what, (unsigned int)mode);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

static void
open_refuses_mode_0644(void **state)
{
	(void)state;
	open_refuses_mode(0644, "readable");
}

static void
open_refuses_mode_0640(void **state)
{
	(void)state;
	open_refuses_mode(0640, "readable");
}

static void
open_refuses_mode_0602(void **state)
{
	(void)state;
	open_refuses_mode(0602, "writable");
}

static void
open_accepts_mode_0400(void **state)
{
	struct crypt	*c;
	char		*p, *cause = NULL;

	(void)state;
	p = tpath("ro.key");
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), 0);
	assert_int_equal(chmod(p, 0400), 0);
	c = crypt_open(p, NULL, &cause);
	assert_non_null(c);
	crypt_free(c);
	free(p);
}

static void
open_refuses_file_owned_by_another_uid(void **state)
{
	char	*p, *cause = NULL, *want;

	(void)state;
	/* Only root can hand a file to another uid; as root, run it. */
	if (geteuid() != 0)
		skip();
	p = tpath("other.key");
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), 0);
	assert_int_equal(chown(p, 1, (gid_t)-1), 0);
	assert_null(crypt_open(p, NULL, &cause));
	/* What is wrong first; the fix (a chown) follows. */
	want = xasprintf("key file '%s' is owned by uid 1, not by uid 0", p);
	assert_int_equal(strncmp(cause, want, strlen(want)), 0);
	assert_non_null(strstr(cause, "chown 0 "));
	free(want);
	free(cause);
	free(p);
}

static void
open_refuses_symlink(void **state)
{
	char	*p, *link, *cause = NULL, *want;

	(void)state;
	p = tpath("real.key");
	link = tpath("sym.key");
	assert_int_equal(crypt_keyfile_create(p, NULL, &cause), 0);
	assert_int_equal(symlink(p, link), 0);
	assert_null(crypt_open(link, NULL, &cause));
	want = xasprintf("key file '%s' is a symbolic link", link);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	unlink(link);
	free(link);
	free(p);
}

static void
open_refuses_directory_and_missing_file(void **state)
{
	char	*p, *cause = NULL, *want;

	(void)state;
	assert_null(crypt_open(fx.dir, NULL, &cause));
	want = xasprintf("key file '%s' is not a regular file", fx.dir);
	assert_string_equal(cause, want);
	free(want);
	free(cause);

	p = tpath("missing.key");
	assert_null(crypt_open(p, NULL, &cause));
	want = xasprintf("cannot open key file '%s': %s", p, strerror(ENOENT));
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

static void
open_refuses_wrong_size_or_format(void **state)
{
	uint8_t	*img, junk[300];
	size_t	 len, cut;
	char	*src, *p, *cause = NULL;

	(void)state;
	src = tpath("a.key");
	img = read_file(src, &len);
	p = tpath("bad.key");

	/* Bare 32 random bytes, as some tools write keys: no magic. */
	randombytes_buf(junk, sizeof junk);
	write_file(p, junk, 32, 0600);
	assert_null(crypt_open(p, NULL, &cause));
	assert_non_null(strstr(cause, "not a support-inbox key file"));
	free(cause);

	/* Every truncation and one byte too many. */
	for (cut = 0; cut < len; cut++) {
		write_file(p, img, cut, 0600);
		assert_null(crypt_open(p, NULL, &cause));
		free(cause);
	}
	memcpy(junk, img, len);
	write_file(p, junk, len + 1, 0600);
	assert_null(crypt_open(p, NULL, &cause));
	free(cause);

	/* Larger than any key file. */
	write_file(p, junk, sizeof junk, 0600);
	assert_null(crypt_open(p, NULL, &cause));
	free(cause);

	/* Unknown kind byte. */
	memcpy(junk, img, len);
	junk[7] = 'z';
	write_file(p, junk, len, 0600);
	assert_null(crypt_open(p, NULL, &cause));
	free(cause);

	unlink(p);
	free(p);
	free(src);
	free(img);
}

static void
errors_never_contain_key_bytes(void **state)
{
	uint8_t	*img;
	size_t	 len, i;
	char	*src, *p, *cause = NULL, hex[65];

	(void)state;
	src = tpath("a.key");
	img = read_file(src, &len);
	p = tpath("leak.key");
	write_file(p, img, len - 1, 0600);
	assert_null(crypt_open(p, NULL, &cause));
	sodium_bin2hex(hex, sizeof hex, img + 8, 32);
	assert_null(strstr(cause, hex));
	for (i = 0; cause[i] != '\0'; i++)
		assert_true(cause[i] >= 0x20 && cause[i] < 0x7f);
	free(cause);
	unlink(p);
	free(p);
	free(src);
	free(img);
}

static void
passphrase_round_trip_gives_same_keys(void **state)
{
	struct crypt	*c1, *c2;
	char		*p, *cause = NULL;
	uint8_t		*img;
	size_t		 len;

	(void)state;
	p = tpath("wrapped.key");
	assert_int_equal(crypt_keyfile_create(p, "correct horse", &cause), 0);
	img = read_file(p, &len);
	c1 = crypt_open(p, "correct horse", &cause);
	assert_non_null(c1);
	c2 = crypt_open(p, "correct horse", &cause);
	assert_non_null(c2);
	assert_memory_equal(crypt_subkey(c1, CRYPT_BLINDIDX),
	    crypt_subkey(c2, CRYPT_BLINDIDX), CRYPT_KEYBYTES);
	/* The file must not be the plain format in disguise. */
	assert_true(len != 40);
	crypt_free(c1);
	crypt_free(c2);
	free(img);
	free(p);
}

static void
wrong_passphrase_is_refused(void **state)
{
	char	*p, *cause = NULL, *want;

	(void)state;
	p = tpath("wrong.key");
	assert_int_equal(crypt_keyfile_create(p, "right", &cause), 0);
	assert_null(crypt_open(p, "wrong", &cause));
	want = xasprintf("wrong passphrase for key file '%s'", p);
	assert_string_equal(cause, want);
	free(cause);
	assert_null(crypt_open(p, "", &cause));
	assert_string_equal(cause, want);
	free(cause);
	free(want);
	free(p);
}

static void
missing_passphrase_for_wrapped_file_is_refused(void **state)
{
	char	*p, *cause = NULL, *want;

	(void)state;
	p = tpath("needpass.key");
	assert_int_equal(crypt_keyfile_create(p, "pw", &cause), 0);
	assert_null(crypt_open(p, NULL, &cause));
	want = xasprintf("key file '%s' is protected by a passphrase and none "
	    "was given", p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

static void
empty_passphrase_is_refused_at_create(void **state)
{
	char		*p, *cause = NULL;
	struct stat	 st;

	(void)state;
	p = tpath("empty.key");
	assert_int_equal(crypt_keyfile_create(p, "", &cause), -1);
	assert_non_null(strstr(cause, "empty passphrase"));
	assert_int_equal(lstat(p, &st), -1);
	free(cause);
	free(p);
}

static void
wrapped_file_opens_with_its_stored_params_whatever_the_env(void **state)
{
	struct crypt	*c;
	char		*p, *cause = NULL;

	(void)state;
	p = tpath("params.key");
	assert_int_equal(crypt_keyfile_create(p, "pw", &cause), 0);
	/* Created with INTERACTIVE; opening must not assume MODERATE. */
	unsetenv("SI_TEST_FAST_KDF");
	c = crypt_open(p, "pw", &cause);
	setenv("SI_TEST_FAST_KDF", "1", 1);
	assert_non_null(c);
	crypt_free(c);
	free(p);
}

static void
wrapped_file_with_altered_params_is_refused(void **state)
{
	uint8_t	*img;
	size_t	 len;
	char	*p, *cause = NULL;

	(void)state;
	p = tpath("alter.key");
	assert_int_equal(crypt_keyfile_create(p, "pw", &cause), 0);
	img = read_file(p, &len);

	/* opslimit (offset 12) raised by one: a different KEK, so refused. */
	img[12] ^= 0x01;
	write_file(p, img, len, 0600);
	assert_null(crypt_open(p, "pw", &cause));
	free(cause);
	img[12] ^= 0x01;

	/* memlimit absurdly high: refused before trying to allocate it. */
	img[27] = 0x7f;
	write_file(p, img, len, 0600);
	assert_null(crypt_open(p, "pw", &cause));
	assert_non_null(strstr(cause, "unsupported passphrase parameters"));
	free(cause);

	free(img);
	free(p);
}

static void
sign_keypair_is_stable_and_signs(void **state)
{
	uint8_t	pk1[32], sk1[64], pk2[32], sk2[64], pkb[32], skb[64];
	uint8_t	sig[crypto_sign_BYTES];
	static const uint8_t msg[] = "checkpoint 42";

	(void)state;
	assert_int_equal(crypt_sign_keypair(fx.a, pk1, sk1), 0);
	assert_int_equal(crypt_sign_keypair(fx.a, pk2, sk2), 0);
	assert_memory_equal(pk1, pk2, sizeof pk1);
	assert_memory_equal(sk1, sk2, sizeof sk1);
	assert_int_equal(crypt_sign_keypair(fx.b, pkb, skb), 0);
	assert_memory_not_equal(pk1, pkb, sizeof pk1);

	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk1);
	assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg,
	    pk1), 0);
	assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg,
	    pkb), -1);
	sodium_memzero(sk1, sizeof sk1);
	sodium_memzero(sk2, sizeof sk2);
	sodium_memzero(skb, sizeof skb);
}

static void
wipe_free_accepts_null(void **state)
{
	(void)state;
	crypt_wipe_free(NULL, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seal_unseal_round_trip_returns_plaintext),
		cmocka_unit_test(seal_unseal_round_trip_empty_plaintext),
		cmocka_unit_test(seal_unseal_round_trip_one_mib_plaintext),
		cmocka_unit_test(
		    seal_same_plaintext_twice_gives_different_ciphertexts),
		cmocka_unit_test(unseal_fails_when_moved_to_another_rowid),
		cmocka_unit_test(unseal_fails_when_moved_to_another_column),
		cmocka_unit_test(unseal_fails_when_moved_to_another_table),
		cmocka_unit_test(unseal_fails_with_wrong_key),
		cmocka_unit_test(unseal_fails_on_any_flipped_byte),
		cmocka_unit_test(unseal_rejects_truncated_and_garbage_input),
		cmocka_unit_test(
		    sealed_key_id_reads_header_and_rejects_malformed),
		cmocka_unit_test(blind_is_stable_for_same_input),
		cmocka_unit_test(blind_differs_between_key_files),
		cmocka_unit_test(blind_differs_between_kinds_and_ids),
		cmocka_unit_test(blind_is_not_the_unkeyed_hash),
		cmocka_unit_test(dek_wrap_unwrap_round_trip),
		cmocka_unit_test(dek_unwrap_fails_for_other_contact_or_key_id),
		cmocka_unit_test(
		    dek_unwrap_fails_with_other_master_key_or_damage),
		cmocka_unit_test(dek_new_is_random),
		cmocka_unit_test(subkeys_differ_per_purpose),
		cmocka_unit_test(keyfile_create_then_open_gives_same_keys),
		cmocka_unit_test(
		    keyfile_create_twice_refuses_and_leaves_file_unchanged),
		cmocka_unit_test(keyfile_create_refuses_to_replace_a_symlink),
		cmocka_unit_test(keyfile_create_reports_missing_directory),
		cmocka_unit_test(keyfile_create_leaves_no_temp_file),
		cmocka_unit_test(open_refuses_mode_0644),
		cmocka_unit_test(open_refuses_mode_0640),
		cmocka_unit_test(open_refuses_mode_0602),
		cmocka_unit_test(open_accepts_mode_0400),
		cmocka_unit_test(open_refuses_file_owned_by_another_uid),
		cmocka_unit_test(open_refuses_symlink),
		cmocka_unit_test(open_refuses_directory_and_missing_file),
		cmocka_unit_test(open_refuses_wrong_size_or_format),
		cmocka_unit_test(errors_never_contain_key_bytes),
		cmocka_unit_test(passphrase_round_trip_gives_same_keys),
		cmocka_unit_test(wrong_passphrase_is_refused),
		cmocka_unit_test(
		    missing_passphrase_for_wrapped_file_is_refused),
		cmocka_unit_test(empty_passphrase_is_refused_at_create),
		cmocka_unit_test(
		    wrapped_file_opens_with_its_stored_params_whatever_the_env),
		cmocka_unit_test(wrapped_file_with_altered_params_is_refused),
		cmocka_unit_test(sign_keypair_is_stable_and_signs),
		cmocka_unit_test(wipe_free_accepts_null),
	};

	return (cmocka_run_group_tests_name("crypt", tests, group_setup,
	    group_teardown));
}
