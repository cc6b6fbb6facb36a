/* readers/time_norm.c — the times inputs write → ISO 8601, so records sort and profiles
 * can take "first seen" and "last seen" across channels.
 *
 * Survey tools and spreadsheets write times many ways; the readers pass every time through
 * here and the record carries the ISO form when one is recognized, else the text as given:
 *
 *   2026-11-02T09:14:00Z, 2026-11-02T17:14:00+08:00   → 2026-11-02T09:14:00Z (UTC)
 *   2026-11-02 09:14:05                                → 2026-11-02T09:14:05 (no zone given)
 *   2026/11/2 10:02, 2026/11/4 下午 02:47             → 2026-11-02T10:02:00, 2026-11-04T14:47:00
 *   11/2/2026 9:14 (Excel, US locale: month first)     → 2026-11-02T09:14:00
 *   2026-11-05, 2026/11/5                              → 2026-11-05
 *
 * A year last is read month first (what US Excel writes) unless the first number cannot be
 * a month.  Nothing is guessed about zones: a time without one stays without one. */
#include "parse.h"

#include <stdio.h>
#include <string.h>

/* Read 1-4 digits; returns how many, 0 when none. */
static int digits(const char *s, size_t n, size_t *i, int *v)
{
    size_t j = *i;
    int k = 0, val = 0;
    while (j < n && k < 4 && (unsigned)(s[j] - '0') < 10) val = val * 10 + (s[j++] - '0'), k++;
    *i = j;
    *v = val;
    return k;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Does the literal `lit` stand at s[*i]?  If so, past it.  (The first byte rules most out
 * without a memcmp.) */
static inline bool skip_lit(const char *s, size_t n, size_t *i, const char *lit, size_t l)
{
    if (*i >= n || s[*i] != lit[0] || l > n - *i || memcmp(s + *i, lit, l)) return false;
    *i += l;
    return true;
}
#define skip(s, n, i, lit) skip_lit((s), (n), (i), (lit), sizeof(lit) - 1)

static void spaces(const char *s, size_t n, size_t *i)
{
    while (*i < n && (s[*i] == ' ' || s[*i] == '\t')) (*i)++;
}

/* Shift a date-time by `minutes` (a zone offset to undo), across days, months, years. */
static void shift(int *y, int *mo, int *d, int *h, int *mi, int minutes)
{
    int t = *h * 60 + *mi - minutes;
    int day_shift = 0;
    while (t < 0) t += 1440, day_shift--;
    while (t >= 1440) t -= 1440, day_shift++;
    *h = t / 60;
    *mi = t % 60;
    *d += day_shift;
    if (*d < 1) {
        if (--*mo < 1) *mo = 12, (*y)--;
        *d = days_in(*y, *mo);
    } else if (*d > days_in(*y, *mo)) {
        *d = 1;
        if (++*mo > 12) *mo = 1, (*y)++;
    }
}

/* The two digits of v (0..99) at p; returns the end. */
static inline char *two_digits(char *p, int v)
{
    memcpy(p, voc__digit_pairs + 2 * v, 2); /* json_writer.c's table */
    return p + 2;
}

/* "YYYY-MM-DD", then "THH:MM:SS" when h >= 0, then "Z" when utc: written by hand, since
 * every record's time passes here and snprintf costs more than the parsing. */
static size_t format(char *out, int y, int mo, int d, int h, int mi, int sec, bool utc)
{
    /* y is 0..9999 (1900..2999 as read, 1899..3000 after a time-zone shift), every other
     * part 0..60 */
    char *p = two_digits(out, y / 100);
    p = two_digits(p, y % 100);
    *p++ = '-';
    p = two_digits(p, mo);
    *p++ = '-';
    p = two_digits(p, d);
    if (h >= 0) {
        *p++ = 'T';
        p = two_digits(p, h);
        *p++ = ':';
        p = two_digits(p, mi);
        *p++ = ':';
        p = two_digits(p, sec);
    }
    if (utc) *p++ = 'Z';
    *p = '\0';
    return (size_t)(p - out);
}

/* Is s[at, at + k) k digits?  Their value in *v. */
static bool fixed_digits(const char *s, size_t at, int k, int *v)
{
    int val = 0;
    for (int j = 0; j < k; j++) {
        unsigned dgt = (unsigned)(s[at + (size_t)j] - '0');
        if (dgt > 9) return false;
        val = val * 10 + (int)dgt;
    }
    *v = val;
    return true;
}

/* The usual shape, read at fixed places: "YYYY-MM-DD HH:MM:SS" or with a 'T', not followed by
 * a digit — exactly what the general reading below makes of such a text, with i after the
 * seconds (a fraction, AM/PM or a zone may follow). */
static bool fixed_shape(const char *s, size_t n, int *y, int *mo, int *d, int *h, int *mi, int *sec)
{
    return n >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' &&
           s[16] == ':' && (n == 19 || (unsigned)(s[19] - '0') > 9) && fixed_digits(s, 0, 4, y) &&
           fixed_digits(s, 5, 2, mo) && fixed_digits(s, 8, 2, d) && fixed_digits(s, 11, 2, h) &&
           fixed_digits(s, 14, 2, mi) && fixed_digits(s, 17, 2, sec);
}

size_t voc__time_normalize(const char *s, size_t n, char *out, size_t cap)
{
    if (!s || cap < 26) return 0;
    size_t i = 0;
    int y, mo, d, h, mi, sec = 0, half = 0;
    bool seconds = true;
    if (fixed_shape(s, n, &y, &mo, &d, &h, &mi, &sec)) {
        if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo)) return 0;
        i = 19;
    } else {
        spaces(s, n, &i);
        int a, b, c;
        int ka = digits(s, n, &i, &a);
        if (!ka || i >= n || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return 0;
        char sep = s[i++];
        if (!digits(s, n, &i, &b) || i >= n || s[i] != sep) return 0;
        i++;
        int kc = digits(s, n, &i, &c);
        if (!kc) return 0;
        if (ka == 4) {
            y = a, mo = b, d = c;
        } else if (kc == 4) { /* year last: month first unless the first cannot be a month */
            y = c;
            if (a > 12) mo = b, d = a;
            else mo = a, d = b;
        } else {
            return 0;
        }
        if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo)) return 0;
        spaces(s, n, &i);
        if (i < n && s[i] == 'T') i++;
        spaces(s, n, &i);
        /* 上午/下午 (a.m./p.m.) may stand before the time, AM/PM after it */
        if (skip(s, n, &i, "上午")) half = 1;
        else if (skip(s, n, &i, "下午")) half = 2;
        spaces(s, n, &i);
        if (i == n && !half) return format(out, y, mo, d, -1, 0, 0, false);
        if (!digits(s, n, &i, &h) || i >= n || s[i] != ':') return 0;
        i++;
        if (!digits(s, n, &i, &mi)) return 0;
        seconds = i < n && s[i] == ':';
        if (seconds) {
            i++;
            if (!digits(s, n, &i, &sec)) return 0;
        }
    }
    if (seconds && i < n && (s[i] == '.' || s[i] == ',')) { /* fractions of a second: dropped */
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    spaces(s, n, &i);
    char am_pm = i < n ? (char)(s[i] | 0x20) : 0; /* 'a' or 'p' opens each way of writing it */
    if (am_pm == 'a' && (skip(s, n, &i, "AM") || skip(s, n, &i, "am") || skip(s, n, &i, "a.m."))) half = 1;
    else if (am_pm == 'p' && (skip(s, n, &i, "PM") || skip(s, n, &i, "pm") || skip(s, n, &i, "p.m."))) half = 2;
    if (half) {
        if (h < 1 || h > 12) return 0;
        if (half == 1 && h == 12) h = 0;
        if (half == 2 && h != 12) h += 12;
    }
    if (h > 23 || mi > 59 || sec > 60) return 0;
    spaces(s, n, &i);
    if (i == n) return format(out, y, mo, d, h, mi, sec, false);
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        int sign = s[i++] == '-' ? -1 : 1, zh, zm = 0;
        int k = digits(s, n, &i, &zh);
        if (k == 4) zm = zh % 100, zh /= 100;
        else if (k == 2 && i < n && s[i] == ':') {
            i++;
            if (digits(s, n, &i, &zm) != 2) return 0;
        } else if (k != 2) {
            return 0;
        }
        if (zh > 14 || zm > 59) return 0;
        shift(&y, &mo, &d, &h, &mi, sign * (zh * 60 + zm));
    } else if (!skip(s, n, &i, "UTC") && !skip(s, n, &i, "GMT")) {
        return 0;
    }
    spaces(s, n, &i);
    if (i != n) return 0;
    return format(out, y, mo, d, h, mi, sec, true);
}
