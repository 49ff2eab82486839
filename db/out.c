/*
 * Quoting for the output formats: JSON strings (always valid UTF-8:
 * bytes that are not become U+FFFD), CSV fields (RFC 4180), TSV fields
 * (tab, newline and backslash escaped, other control bytes as \xHH),
 * text (control bytes but tab as \xHH) and HTML text.  And the format names.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* fwrite_unlocked */
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "query.h"

int mmdb_format_parse(const char *name)
{
	static const char *const names[] = {
		[MMDB_TEXT] = "text", [MMDB_TSV] = "tsv", [MMDB_CSV] = "csv",
		[MMDB_JSON] = "json", [MMDB_SARIF] = "sarif",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return -1;
}

/* Length of the valid UTF-8 sequence at S, or 0. */
static int utf8_len(const unsigned char *s)
{
	int n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void mmdb_json_str(FILE *out, const char *s)
{
	mmdb_json_strn(out, s, s ? strlen(s) : 0);
}

/* N bytes at S, NULs and all (a value SQL made) */
void mmdb_json_strn(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + len;

	putc('"', out);
	while (p < end) {
		int n = *p ? utf8_len(p) : 1;

		if (!n || p + n > end) {
			fputs("\\ufffd", out);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				putc(*p, out);
		}
		p++;
	}
	putc('"', out);
}

void mmdb_csv_str(FILE *out, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

/* S with each character of CHARS written as its REPL. */
static void escaped(FILE *out, const char *s, const char *chars, const char *const *repl)
{
	for (; s && *s; s++) {
		const char *c = strchr(chars, *s);

		if (c)
			fputs(repl[c - chars], out);
		else
			putc(*s, out);
	}
}

void mmdb_tsv_str(FILE *out, const char *s)
{
	mmdb_tsv_strn(out, s, s ? strlen(s) : 0);
}

/* Other control bytes (from the input files) never reach a terminal raw. */
void mmdb_tsv_strn(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; s && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\\': fputs("\\\\", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\x%02x", c);
			else
				putc(c, out);
		}
	}
}

/* How many of the LEN bytes at S text output writes as they are: up to
 * the first control byte other than tab (a NUL included), or all.  Eight
 * bytes at a time: a listing is hundreds of megabytes of text, and a
 * control byte in it is rare. */
size_t mmdb_text_span(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, del;

		memcpy(&x, p + i, 8);
		del = x ^ (0x7f * ones);
		/* a byte below 0x20, a byte 0x7f (exact: no false alarm) */
		if (((x - 0x20 * ones) & ~x & high) | ((del - ones) & ~del & high))
			break;
	}
	while (i < len && (p[i] >= 0x20 || p[i] == '\t') && p[i] != 0x7f)
		i++;
	return i;
}

/* Text output: as it is, but control bytes other than tab as \xHH; the
 * bytes between them in one write (a listing is hundreds of megabytes). */
void mmdb_text_str(FILE *out, const char *s)
{
	size_t len;

	s = s ? s : "";
	for (len = strlen(s);;) {
		size_t n = mmdb_text_span(s, len);

		fwrite_unlocked(s, 1, n, out);
		if (n == len)
			return;
		fprintf(out, "\\x%02x", (unsigned char)s[n]);
		s += n + 1;
		len -= n + 1;
	}
}

/* Text in HTML: the five special characters as entities. */
void mmdb_html_str(FILE *out, const char *s)
{
	static const char *const repl[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };

	escaped(out, s, "&<>\"'", repl);
}
