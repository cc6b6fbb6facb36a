/* flags.c — the retention flags of a document: dismay, churn_risk, escalation,
 * repeat_contact and delight, each with a severity, reason codes and the words behind it.
 *
 * The stage runs after score, topics and emotions (analyzer.c): it reads the tokens, the
 * scorer's modifiers (negators, irrealis words, diminishers), its sarcasm finding and the
 * document's label, and matches the team's cue lexicons (lexicons/<lang>/flags.tsv) in a table of its
 * own, so nothing here changes the scorer's lexicon, the segmentation or the model's features.
 *
 * How it works.  A flags.tsv row is either a *cue* of a flag ("disappointed" dismay, 解約
 * churn_risk, 消基會 escalation, 已讀不回 repeat_contact, 大推 delight) or a *context word*
 * with a role (cancel_verb, churn_object, keep_object, hedge, past, solved, third_party,
 * count, contact …).  Terms are keyed by their tokens' norms, Han tokens joined without a
 * space, so 金管會 matches whether the segmenter cut it 金|管|會 or 金管|會; a match starts
 * and ends on token boundaries (解約 never matches inside 解約金), longest first.
 *   1. Each token gets the role of the flags row matched there, else the scorer's modifier
 *      kind (negator — also inside a scorer phrase such as "don't recommend" —, irrealis →
 *      hedge, diminisher); quote marks (「」 “” ' ") mark the tokens between them as
 *      quoted; clauses (commas, contrast words, emoji) and sentences are numbered, and a
 *      sentence with "?", 嗎 or 請問 is a question.  Informal English is read as what it
 *      stands for, for the flags only: "im", "thats" as "i am", "that is", "u", "ur",
 *      "abt", "acct" as "you", "your", "about", "account" ("ill" is read as the future
 *      "will"; "dont", "wont" the tokenizer itself reads as "do not", "will not"); a
 *      hashtag matches as its word (#neveragain, #switching); a full stop ends a clause,
 *      and a mid-text "." "!" "?" a sentence, even where the segmenter ran on ("… hear
 *      from the PUC. $680 bill??" is a threat, then a question); a past-tense cancel or
 *      close verb alone in its clause ("cancelled.", "@Shop uninstalled.", "sub cancelled
 *      👋", #cancelled) is churn already done.  Typo tolerance: an English word that no
 *      row, lexicon or model feature knows is read as the one-word row it is one slip from
 *      — a letter missed after the first ("acount", "membrship"), two neighbours swapped
 *      ("cancle"), a letter doubled — when that row is a cue or a verb or object of
 *      leaving (tables built at load time).
 *   2. Rules join context words into cues: a cancel or close verb with the nearest object
 *      (cancel + subscription → churn; cancel + order, add-on, duplicate charge → nothing;
 *      no object at all → churn only when asked for, and never when the message re-orders),
 *      a negated renew verb (won't renew, 不續約 → not_renewing), a negated return verb with
 *      "again" (never flying … again → never_again; the same unnegated after "will" is
 *      repurchase, delight), a switch verb with a competitor ("switching to another bank";
 *      "switched from another carrier" is an incoming customer: nothing), a count near a
 *      contact word ("called five times", 第三次反映, 打了五通 → repeat_contact by the
 *      count: 2 low, 3–4 medium, 5+ high; "three tries" and 第三次斷線 have no contact word),
 *      "again" next to a contact word ("asking again", 再次詢問; not "thanks again").
 *      A leave verb (switch, 改用) with no competitor leaves all the same after a hedge, "probably"
 *      or a future ("I'll probably end up switching"); a cancel verb with no object before a
 *      contract end ("dropping you at renewal") is churn; "cancel @Gym" names the company.
 *      A competitor need not be in the lexicon: after a switch verb, an unknown capitalized
 *      word followed by a provider noun ("Halcyon Bank", 山嵐銀行) or any @mention counts,
 *      and after a brand verb ("signed up with", "ported to") the name alone does — in lower
 *      case too after a verb of moving ("switching to nimbus"), when no lexicon or model
 *      feature knows the word and it is no plan setting (paperless, annual); "moving our
 *      payroll to Payroo" takes what the writer has to a name; "ported to @X from Y" is an
 *      incoming customer, and a switch to a name in a praising message is to this company.
 *      A cancel verb with no object still speaks after a future or "I'm" at the end of its
 *      clause ("… or ill cancel."), after a contact ("called 6 times to cancel"), after "I"
 *      in the past ("charged after I cancelled") or alone ("cancelling."); a hedge before a
 *      competitor ("considering other airlines") is churn low; a complaint filed with a body
 *      written in capitals ("Filed with the DOT") is escalation.  A
 *      cancel asked as a question counts when the next sentence says what the writer
 *      will do or wants ("What's the quickest way to shut my account? I'd like it sorted
 *      before it renews"); "Had … not …" counterfactuals drop their cues.
 *   3. Every cue is judged in its context and dropped when quoted (an agent's words),
 *      after a third party in its clause ("my brother moved to another bank"), negated
 *      within four tokens of its clause ("I'm not going to cancel", 沒有要退訂), inside the
 *      antecedent of a conditional ("if I were to cancel", 如果要解約的話), in a question
 *      that asks rather than requests ("how do I cancel?", 請問…解約…？ — "can you close my
 *      account?" still counts), or placed in the past with the problem solved later ("last
 *      month I was ready to close my account, but … sorted everything out").  Delight needs
 *      a positive document and no sarcasm; escalation never fires in a positive one
 *      (sharing praise on Instagram is not exposure) and needs the writer to act in its
 *      sentence (I, 我, report, 申訴: "the police are becoming militarized" is nobody's
 *      threat); dismay is dropped in a clearly positive message.
 *   4. Severity: the cue's own (flags.tsv), then the nearest tense or mood word before it —
 *      a hedge ("thinking about", 考慮, 可能) makes churn and escalation low, "probably"/應該
 *      or a future ("will", 準備, 會) at most medium, a done word ("already", "filed",
 *      已經) high — and a conditional consequent ("if it isn't fixed by Friday I'll
 *      cancel", 再不退我就去消基會) at most medium; a request ("please", 幫我) makes churn
 *      high, and "never again" stays high after "will".  Dismay rises to medium with an
 *      emphatic word (so, extremely, 非常, 太), "!!", two markers or loyalty betrayed, to high with
 *      real harm (stranded, surgery, wedding); a diminisher (a bit, 有點) drops it.  Delight
 *      is high with advocacy (recommending, 大推), medium with repurchase or loyalty or a
 *      superlative among several praises.  Churn low rises to medium with repeat_contact of
 *      medium or more, and says so in its reasons.
 * Worked example: "這是第三次開單了，sync 功能一樣壞掉，一直沒人回。再這樣下去我們只能換工具。"
 * → 第三次 (count 3) + 開單 (contact) → repeat_contact medium (repeat_count), 一直沒人回 →
 * no_response; 換工具 (churn cue, medium) after 再這樣下去 (an ultimatum: what follows is a
 * conditional consequent) → churn_risk medium (competitor, repeat_contact, conditional).
 *
 * Cost.  Every word is looked up in the table, so the passes are ordered for the documents
 * that have no flag (nine in ten tweets): find_cues reads each token's informal form and
 * misspelling once and finds the rows, and when none of them is a cue or a role step 2 can
 * make a hit with — "get", "go", "call" are roles, but a threat word needs a complaint verb
 * and a body, a contact word a count or "again", "fly" (return) an "again" (joinable) — the
 * stage ends there (four tweets in five; voc__flags_every_pass, for tests, goes on).  Filters
 * keep the per-word questions cheap: a word is asked for a misspelling only when its filter
 * bit is one a spelling one slip from a row word has (typo_index: two words in three of six
 * letters or more are not), and match_at writes a two-word key only when the pair filter
 * lets it be one.
 * Nothing allocates per token: the session's flag state holds arrays grown to the largest
 * document seen; reasons are static strings and the results live in the state. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------------------ */

static const char *const flag_names[VOC_FLAG_COUNT] = {"dismay", "churn_risk", "escalation",
                                                       "repeat_contact", "delight"};
static const char *const severity_names[] = {"none", "low", "medium", "high"};

const char *voc_flag_name(int id)
{
    return id >= 0 && id < VOC_FLAG_COUNT ? flag_names[id] : "unknown";
}

const char *voc_severity_name(int severity)
{
    return severity >= VOC_SEVERITY_NONE && severity <= VOC_SEVERITY_HIGH ? severity_names[severity]
                                                                          : "unknown";
}

#define F(x) (1u << VOC_FLAG_##x)

/* Reason codes (README.md "The record").  `cue`: a flags.tsv row may name it; the others
 * are added by the rules. */
enum reason {
    R_NONE,
    R_STRONG_DISAPPOINTMENT, R_SHOCK, R_DISTRESS, R_EMPHATIC, R_LOYALTY_BETRAYED, R_REAL_HARM,
    R_CHURN_INTENT, R_CANCEL_REQUEST, R_ACCOUNT_CLOSURE, R_COMPETITOR, R_CONTRACT_END,
    R_NOT_RENEWING, R_NEVER_AGAIN, R_ALREADY_LEFT, R_REPEAT_CONTACT,
    R_LEGAL_THREAT, R_REGULATOR, R_CONSUMER_BODY, R_MEDIA_EXPOSURE, R_SOCIAL_EXPOSURE,
    R_CHARGEBACK, R_POLICE, R_ALREADY_FILED,
    R_CONSIDERING, R_CONDITIONAL,
    R_REPEAT_COUNT, R_FOLLOW_UP, R_STILL_WAITING, R_NO_RESPONSE, R_LONG_WAIT,
    R_STRONG_PRAISE, R_SUPERLATIVE_PRAISE, R_ADVOCACY, R_REPURCHASE, R_LOYALTY,
    N_REASONS
};

static const struct reason_def {
    const char *name;
    unsigned flags;  /* the flags it can explain */
    bool cue;        /* a flags.tsv row may name it */
} reasons[N_REASONS] = {
    [R_NONE] = {"", 0, false},
    [R_STRONG_DISAPPOINTMENT] = {"strong_disappointment", F(DISMAY), true},
    [R_SHOCK] = {"shock", F(DISMAY), true},
    [R_DISTRESS] = {"distress", F(DISMAY), true},
    [R_EMPHATIC] = {"emphatic", F(DISMAY), false},
    [R_LOYALTY_BETRAYED] = {"loyalty_betrayed", F(DISMAY), true},
    [R_REAL_HARM] = {"real_harm", F(DISMAY), false},
    [R_CHURN_INTENT] = {"churn_intent", F(CHURN_RISK), true},
    [R_CANCEL_REQUEST] = {"cancel_request", F(CHURN_RISK), true},
    [R_ACCOUNT_CLOSURE] = {"account_closure", F(CHURN_RISK), true},
    [R_COMPETITOR] = {"competitor", F(CHURN_RISK), true},
    [R_CONTRACT_END] = {"contract_end", F(CHURN_RISK), true},
    [R_NOT_RENEWING] = {"not_renewing", F(CHURN_RISK), true},
    [R_NEVER_AGAIN] = {"never_again", F(CHURN_RISK), true},
    [R_ALREADY_LEFT] = {"already_left", F(CHURN_RISK), true},
    [R_REPEAT_CONTACT] = {"repeat_contact", F(CHURN_RISK), false},
    [R_LEGAL_THREAT] = {"legal_threat", F(ESCALATION), true},
    [R_REGULATOR] = {"regulator", F(ESCALATION), true},
    [R_CONSUMER_BODY] = {"consumer_body", F(ESCALATION), true},
    [R_MEDIA_EXPOSURE] = {"media_exposure", F(ESCALATION), true},
    [R_SOCIAL_EXPOSURE] = {"social_exposure", F(ESCALATION), true},
    [R_CHARGEBACK] = {"chargeback", F(ESCALATION), true},
    [R_POLICE] = {"police", F(ESCALATION), true},
    [R_ALREADY_FILED] = {"already_filed", F(ESCALATION), true},
    [R_CONSIDERING] = {"considering", F(CHURN_RISK) | F(ESCALATION), false},
    [R_CONDITIONAL] = {"conditional", F(CHURN_RISK) | F(ESCALATION), false},
    [R_REPEAT_COUNT] = {"repeat_count", F(REPEAT_CONTACT), true},
    [R_FOLLOW_UP] = {"follow_up", F(REPEAT_CONTACT), true},
    [R_STILL_WAITING] = {"still_waiting", F(REPEAT_CONTACT), true},
    [R_NO_RESPONSE] = {"no_response", F(REPEAT_CONTACT), true},
    [R_LONG_WAIT] = {"long_wait", F(REPEAT_CONTACT), false},
    [R_STRONG_PRAISE] = {"strong_praise", F(DELIGHT), true},
    [R_SUPERLATIVE_PRAISE] = {"superlative_praise", F(DELIGHT), true},
    [R_ADVOCACY] = {"advocacy", F(DELIGHT), true},
    [R_REPURCHASE] = {"repurchase", F(DELIGHT), true},
    [R_LOYALTY] = {"loyalty", F(DELIGHT), true},
};

/* Roles of context words (flags.tsv rows whose flag column is "-"); ROLE_CUE marks the
 * tokens a flag cue covers (no role of their own). */
enum role {
    ROLE_NONE, ROLE_CUE,
    ROLE_BLOCK, ROLE_NEGATOR, ROLE_HEDGE, ROLE_LIKELY, ROLE_CONDITION, ROLE_CONDITION_END, ROLE_ULTIMATUM,
    ROLE_CONSEQUENT, ROLE_FUTURE, ROLE_DONE, ROLE_PAST, ROLE_PAST_TENSE, ROLE_SOLVED, ROLE_THIRD_PARTY,
    ROLE_QUESTION, ROLE_REQUEST, ROLE_CHURN_OBJECT, ROLE_KEEP_OBJECT, ROLE_CANCEL_VERB,
    ROLE_CLOSE_VERB, ROLE_RENEW_VERB, ROLE_RETURN_VERB, ROLE_SWITCH_VERB, ROLE_LEAVE_VERB, ROLE_EVALUATE,
    ROLE_COMPETITOR, ROLE_INCOMING, ROLE_CONTRACT_END, ROLE_REORDER, ROLE_KEEP, ROLE_CONTACT,
    ROLE_AGAIN, ROLE_COUNT, ROLE_COUNT_TIMES, ROLE_TIMES, ROLE_LONG_WAIT, ROLE_EMPHATIC,
    ROLE_DIMINISHER, ROLE_HARM, ROLE_LOYALTY, ROLE_SUPERLATIVE, ROLE_SUPERLATIVE_END, ROLE_ACTOR,
    ROLE_THREAT_VERB, ROLE_BRAND_VERB, ROLE_PROVIDER, ROLE_LEAVE_ALONE,
    N_ROLES
};

static const char *const role_names[N_ROLES] = {
    "", "", "block", "negator", "hedge", "likely", "condition", "condition_end", "ultimatum", "consequent",
    "future", "done", "past", "past_tense", "solved", "third_party", "question", "request", "churn_object",
    "keep_object", "cancel_verb", "close_verb", "renew_verb", "return_verb", "switch_verb",
    "leave_verb", "evaluate", "competitor", "incoming", "contract_end", "reorder", "keep", "contact", "again",
    "count", "count_times", "times", "long_wait", "emphatic", "diminisher", "harm", "loyalty",
    "superlative", "superlative_end", "actor", "threat_verb", "brand_verb", "provider", "leave_alone"};

/* What one flags.tsv row says, filed by its entry in the table. */
typedef struct flag_cue {
    uint8_t kind;      /* 0: a prefix only, 1: a flag cue, 2: a context word */
    uint8_t flag;      /* enum voc_flag_id (cues) */
    uint8_t code;      /* enum reason (cues) or enum role (context words) */
    uint8_t value;     /* severity (cues, verbs) or the number a count word stands for */
} flag_cue;

/* ---- reading a row ---------------------------------------------------------------------- */

static int severity_of(const char *s)
{
    for (int k = VOC_SEVERITY_LOW; k <= VOC_SEVERITY_HIGH; k++)
        if (!strcmp(s, severity_names[k])) return k;
    return -1;
}

/* The flag and cue columns into *out (kind, flag, code); NULL when good, else why not, with
 * *bad_col the column (1 or 2) at fault. */
static const char *parse_names(const char *flag, const char *cue, flag_cue *out, int *bad_col)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(flag, "-")) {
        int role = ROLE_BLOCK;
        while (role < N_ROLES && (role_names[role][0] != cue[0] || strcmp(role_names[role], cue))) role++;
        if (role == N_ROLES) { *bad_col = 2; return "unknown context role (lexicons/README.md)"; }
        out->kind = 2;
        out->code = (uint8_t)role;
        return NULL;
    }
    int id = 0;
    while (id < VOC_FLAG_COUNT && strcmp(flag_names[id], flag)) id++;
    if (id == VOC_FLAG_COUNT) {
        *bad_col = 1;
        return "unknown flag (dismay, churn_risk, escalation, repeat_contact, delight or -)";
    }
    int r = R_NONE + 1;
    while (r < N_REASONS && (reasons[r].name[0] != cue[0] || strcmp(reasons[r].name, cue))) r++;
    if (r == N_REASONS || !reasons[r].cue || !(reasons[r].flags & (1u << id))) {
        *bad_col = 2;
        return "not a reason code of this flag (lexicons/README.md)";
    }
    out->kind = 1;
    out->flag = (uint8_t)id;
    out->code = (uint8_t)r;
    return NULL;
}

/* The severity column of a row of that kind and code: a cue's severity; a verb's (- is
 * medium); the number a count word stands for; - for every other context word. */
static const char *parse_severity(const flag_cue *c, const char *severity, int *value)
{
    if (c->kind == 1) {
        *value = severity_of(severity);
        return *value < 0 ? "severity is low, medium or high" : NULL;
    }
    if (c->code == ROLE_COUNT || c->code == ROLE_COUNT_TIMES) {
        char *end;
        long v = strtol(severity, &end, 10);
        *value = (int)v;
        return *end || end == severity || v < 1 || v > 99
                   ? "a count word's severity column is the number it stands for (1 to 99)" : NULL;
    }
    if (c->code == ROLE_CANCEL_VERB || c->code == ROLE_CLOSE_VERB || c->code == ROLE_SWITCH_VERB ||
        c->code == ROLE_LEAVE_VERB || c->code == ROLE_BRAND_VERB || c->code == ROLE_LEAVE_ALONE) {
        *value = strcmp(severity, "-") ? severity_of(severity) : VOC_SEVERITY_MEDIUM;
        return *value < 0 ? "a verb's severity is low, medium, high or -" : NULL;
    }
    *value = 0;
    return strcmp(severity, "-") ? "a context word's severity is - (only cues, verbs and count words have one)" : NULL;
}

const char *voc__flag_row_check(const char *flag, const char *cue, const char *severity,
                                float *value, int *bad_col)
{
    flag_cue c;
    const char *why = parse_names(flag, cue, &c, bad_col);
    int v = 0;
    if (!why && (why = parse_severity(&c, severity, &v))) *bad_col = 3;
    *value = (float)v;
    return why;
}

/* ---- the table (analyzer) --------------------------------------------------------------- */

struct voc_flag_table {
    voc_lexicon lx;      /* keys → entries; only kind, prefix bit and key are used */
    flag_cue *cues;      /* by entry index; kind 0 for prefix-only entries */
    size_t n_cues, cap_cues;
    size_t n_rows;
    size_t n_collisions;     /* rows whose key an earlier row had (a user file overriding) */
    /* typo tolerance: the ASCII words of the rows (6+ letters), and every spelling of one of
     * them missing a letter after the first (6+ letters) → the word (0: two words share it) */
    voc_lexicon words, dels;
    uint32_t *del_to;        /* by dels entry: words entry + 1, or 0 */
    size_t cap_del_to;
    /* the voc__lexicon_filter_bit of every spelling one slip from a word (typo_index):
     * misspelt's first test, as most words are no such spelling */
    uint64_t typo_spellings[VOC_LEXICON_FILTER_WORDS];
    uint8_t informal_slots[128]; /* the informal words by informal_hash: index + 1, 0 empty */
    uint32_t informal_first[9];  /* by length (1 to 8): bit c - 'a' set when an informal word of
                                  * that length starts with c (most words are no such word) */
    /* the scorer's lexicon linked in (own_entry): by entry here, the scorer's entry of the same
     * key + 1 (0: none; what the cache file keeps), the same the other way (by_lexicon), and
     * the filter bits of the keys here the scorer's lexicon lacks */
    uint32_t *lexicon_of, *by_lexicon;
    uint64_t beyond_lexicon[VOC_LEXICON_FILTER_WORDS];
    /* every split at a space of every key (voc__lexicon_phrase_pairs): match_at's first step,
     * when it writes a space, makes no key if its pair of norms is missing here */
    uint64_t pairs[VOC_PHRASE_PAIR_WORDS];
    char first_collision[300]; /* "FILE:LINE: 'term'" of the first, for the lint */
};

void voc__flags_free(voc_flag_table *t)
{
    if (!t) return;
    voc__lexicon_free(&t->lx);
    voc__lexicon_free(&t->words);
    voc__lexicon_free(&t->dels);
    free(t->del_to);
    free(t->cues);
    free(t->lexicon_of);
    free(t->by_lexicon);
    free(t);
}

size_t voc__flags_count(const voc_flag_table *t) { return t ? t->n_rows : 0; }

size_t voc__flags_collisions(const voc_flag_table *t, const char **first)
{
    *first = t && t->n_collisions ? t->first_collision : "";
    return t ? t->n_collisions : 0;
}

/* Append token t's norm to key, joined to what is there: nothing between two Han tokens,
 * one space otherwise. */
static void key_append(voc_buf *key, const voc_session *s, const voc_tok *prev, const voc_tok *t)
{
    if (prev && !((prev->flags & VOC_TOKEN_HAN) && (t->flags & VOC_TOKEN_HAN)))
        voc__buf_append(key, " ", 1);
    voc__buf_append(key, voc__tok_norm(s, t), t->norm_len);
}

static int file_prefix(voc_flag_table *t, const char *key, size_t len)
{
    bool created;
    int rc;
    voc_entry *p = voc__lexicon_upsert(&t->lx, key, len, &created, &rc);
    if (!p) return rc ? rc : VOC_ENOMEM;
    p->flags |= VOC_ENTRY_PREFIX;
    return VOC_OK;
}

/* A one-word row for typo tolerance. */
static int file_word(voc_flag_table *t, const char *w, size_t len)
{
    if (len < 6 || len > 24) return VOC_OK;
    bool created;
    int rc;
    voc_entry *e = voc__lexicon_upsert(&t->words, w, len, &created, &rc);
    if (!e) return rc ? rc : VOC_ENOMEM;
    if (!created || len < 7) return VOC_OK;
    uint32_t word = (uint32_t)(e - t->words.entries) + 1;
    char v[24];
    for (size_t k = 1; k + 2 < len; k++) { /* the first letter is rarely the one missed, and
                                             * without one of the last two it is often another
                                             * word (engage, provides) */
        if (w[k] == w[k - 1]) continue; /* "acount" is filed once, from k = 1 */
        memcpy(v, w, k);
        memcpy(v + k, w + k + 1, len - k - 1);
        voc_entry *d = voc__lexicon_upsert(&t->dels, v, len - 1, &created, &rc);
        if (!d) return rc ? rc : VOC_ENOMEM;
        size_t di = (size_t)(d - t->dels.entries);
        if (voc__grow((void **)&t->del_to, &t->cap_del_to, di + 1, sizeof *t->del_to)) return VOC_ENOMEM;
        t->del_to[di] = created || t->del_to[di] == word ? word : 0;
    }
    return VOC_OK;
}

/* Rows whose word a misspelling may stand for: one-word cues, verbs and objects of leaving
 * (not the threat and evaluate verbs: "filling", "posing", "trailing" are words of their own). */
static bool typo_target(const flag_cue *c)
{
    if (c->kind == 1) return true;
    switch (c->code) {
    case ROLE_CANCEL_VERB: case ROLE_CLOSE_VERB: case ROLE_CHURN_OBJECT: case ROLE_KEEP_OBJECT:
    case ROLE_SWITCH_VERB: case ROLE_LEAVE_VERB: case ROLE_RENEW_VERB: case ROLE_COMPETITOR:
        return true;
    default: return false;
    }
}

static void typo_file(voc_flag_table *t, const char *v, size_t len)
{
    uint32_t fb = voc__lexicon_filter_bit(v, len);
    voc__bit_set(t->typo_spellings, fb);
}

/* Fill t->typo_spellings from t->words and t->dels (built, or loaded: it is not in the cache
 * file) with every spelling misspelt can take back to a word: each deletion (dels), each word
 * with two neighbours swapped after the first letter ("cancle"), each with a letter doubled
 * ("accountt").  A token whose filter bit is not among them is one slip from no word, and
 * misspelt asks nothing more. */
static void typo_index(voc_flag_table *t)
{
    memset(t->typo_spellings, 0, sizeof t->typo_spellings);
    for (size_t i = 0; i < t->dels.n_entries; i++)
        if (t->dels.entries[i].key_len) typo_file(t, t->dels.entries[i].key, t->dels.entries[i].key_len);
    char v[25]; /* each spelling made from the one before by a byte or two (start-up counts) */
    for (size_t i = 0; i < t->words.n_entries; i++) {
        const char *w = t->words.entries[i].key;
        size_t len = t->words.entries[i].key_len;
        if (len < 2 || len > 24) continue; /* v's room (file_word keeps 6 to 24 letters, but
                                            * a loaded table is not trusted that far) */
        memcpy(v, w, len);
        for (size_t k = 1; k + 1 < len; k++) { /* swapped: misspelt swaps them back */
            v[k] = w[k + 1];
            v[k + 1] = w[k];
            typo_file(t, v, len);
            v[k] = w[k];
            v[k + 1] = w[k + 1];
        }
        v[0] = w[0]; /* w[k] doubled (misspelt drops the second): w[0..k], w[k], w[k+1..] */
        memcpy(v + 1, w, len);
        for (size_t k = 0; k < len; k++) {
            v[k] = w[k]; /* from w[k - 1] doubled: only v[k] differs */
            typo_file(t, v, len + 1);
        }
    }
}

/* One cue per entry of the table, the new ones empty (prefix only until a row says more). */
static int grow_cues(voc_flag_table *t)
{
    if (voc__grow((void **)&t->cues, &t->cap_cues, t->lx.n_entries + 1, sizeof *t->cues)) return VOC_ENOMEM;
    memset(t->cues + t->n_cues, 0, (t->lx.n_entries + 1 - t->n_cues) * sizeof *t->cues);
    t->n_cues = t->lx.n_entries + 1;
    return VOC_OK;
}

/* Terms whose key is the term itself, with no tokenizer run (start-up is paid on every CLI
 * run): lower-case ASCII words separated by single spaces, none with a letter three times
 * in a row (the tokenizer would shorten it), or only CJK Unified Ideographs that are
 * Traditional (voc__plain_han: normalization leaves them alone, Han tokens are joined). */
static bool plain_ascii_phrase(const char *s, size_t len)
{
    if (len == 0 || s[0] == ' ' || s[len - 1] == ' ') return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ') { if (s[i - 1] == ' ') return false; continue; }
        if (s[i] < 'a' || s[i] > 'z') return false;
        if (i >= 2 && s[i] == s[i - 1] && s[i] == s[i - 2]) return false;
    }
    return true;
}

static void informal_index(voc_flag_table *t); /* below, with the informal words */

/* The table's entry for key, or NULL.  A token's own norm is asked through own_entry (below),
 * which reads most answers off the scorer's lookup; this is for the other keys (phrases,
 * informal and corrected readings, hashtags). */
VOC_ALWAYS_INLINE static inline const voc_entry *flag_find(const voc_flag_table *ft, const char *key, size_t len)
{
    return voc__lexicon_find(&ft->lx, key, len);
}

/* ---- the scorer's lookups reused -------------------------------------------------------
 *
 * Every word of a document is looked up here by its norm (match_at, misspelt), and the
 * scorer's lexicon has looked the same norm up already: the word memo (segment.c) put that
 * entry on most tokens (voc_tok.lookup).  So the two tables are linked once, when this one
 * is built (and kept in the cache file): each scorer entry knows this table's entry of the
 * same key, and a filter holds the keys here the scorer's lexicon lacks.  A token's own
 * entry here is then read off its scorer entry ("my", "cancel": in both), or is none when the
 * filter rules its norm out ("the", "flight": in neither); only a norm the scorer does not
 * know that may be a key here ("subscription") is hashed (own_entry).  3,000 airline tweets
 * ask 62,000 times: 6,000 probes of the table instead of 31,000.  The table also keeps the
 * scorer's kind of pair filter (pairs), so match_at writes no two-token key that cannot be
 * one ("my flight": 26,000 keys were written for 3,500 found). */

/* by_lexicon from lexicon_of, for a scorer lexicon of n_lexicon entries (each lexicon_of
 * value checked to name one: the cache file is untrusted). */
static int index_lexicon_links(voc_flag_table *t, size_t n_lexicon)
{
    free(t->by_lexicon);
    t->by_lexicon = calloc(n_lexicon + 1, sizeof *t->by_lexicon);
    if (!t->by_lexicon) return VOC_ENOMEM;
    for (size_t i = 0; i < t->lx.n_entries; i++) {
        if (t->lexicon_of[i] > n_lexicon) return VOC_ELEXICON;
        if (t->lexicon_of[i]) t->by_lexicon[t->lexicon_of[i] - 1] = (uint32_t)(i + 1);
    }
    return VOC_OK;
}

/* Link t, built, to the scorer's lexicon lx (final by then). */
static int link_lexicon(voc_flag_table *t, const voc_lexicon *lx)
{
    free(t->lexicon_of);
    t->lexicon_of = calloc(t->lx.n_entries + 1, sizeof *t->lexicon_of);
    if (!t->lexicon_of) return VOC_ENOMEM;
    memset(t->beyond_lexicon, 0, sizeof t->beyond_lexicon);
    for (size_t i = 0; i < t->lx.n_entries; i++) {
        const voc_entry *f = &t->lx.entries[i];
        const voc_entry *e = voc__lexicon_find(lx, f->key, f->key_len);
        if (e) {
            t->lexicon_of[i] = (uint32_t)(e - lx->entries + 1);
        } else if (f->key_len) {
            uint32_t fb = voc__lexicon_filter_bit(f->key, f->key_len);
            voc__bit_set(t->beyond_lexicon, fb);
        }
    }
    return index_lexicon_links(t, lx->n_entries);
}

int voc__flags_build(voc_analyzer *a, const voc_lexrows *rows, voc_error *err)
{
    a->flags = NULL;
    size_t n = 0;
    for (size_t i = 0; i < rows->n; i++) n += rows->rows[i].file_kind == VOC_FILE_FLAGS;
    if (n == 0) return VOC_OK;
    voc_flag_table *t = calloc(1, sizeof *t);
    if (!t) return voc__fail(err, VOC_ENOMEM, "<flags>", 0, 0, "out of memory");
    voc__lexicon_init(&t->lx);
    voc__lexicon_init(&t->words);
    voc__lexicon_init(&t->dels);
    informal_index(t);
    voc_session *s = NULL; /* made for the first term that needs the tokenizer */
    voc_buf key = {0};
    int rc = VOC_OK;
    for (size_t i = 0; i < rows->n; i++) {
        const voc_lexrow *r = &rows->rows[i];
        if (r->file_kind != VOC_FILE_FLAGS) continue;
        const char *file = rows->files[r->file];
        flag_cue cue;
        int bad;
        if (parse_names(r->text1, r->text2, &cue, &bad)) { /* checked when read */
            rc = voc__fail(err, VOC_ELEXICON, file, r->line, 0, "bad flags row");
            goto done;
        }
        cue.value = (uint8_t)r->a;
        size_t term_len = strlen(r->term);
        bool ascii = plain_ascii_phrase(r->term, term_len);
        if (ascii || (term_len > 0 && voc__plain_han(a, r->term, term_len))) {
            /* the key is the term; a match may stop at each space, or each Han character */
            for (size_t p = 1; p < term_len; p++)
                if ((ascii ? r->term[p] == ' ' : ((unsigned char)r->term[p] & 0xC0) != 0x80) &&
                    (rc = file_prefix(t, r->term, p)))
                    goto nomem;
            key.len = 0;
            voc__buf_append(&key, r->term, term_len);
            if (key.failed) goto nomem;
            if (ascii && !memchr(r->term, ' ', term_len) && typo_target(&cue) &&
                (rc = file_word(t, r->term, term_len)))
                goto nomem;
            goto file;
        }
        if (!s) {
            if ((rc = voc_session_new(a, &s, err))) goto done;
            s->no_opencc = true; /* terms are written in Traditional Chinese */
        }
        s->text = r->term;
        s->text_len = term_len;
        s->warnings = 0;
        if ((rc = voc__normalize(s)) || (rc = voc__segment(s))) goto done;
        if (s->n_toks == 0 || s->n_toks > 16) {
            rc = voc__fail(err, VOC_ELEXICON, file, r->line, 0,
                           "a term makes %zu tokens (1 to 16 allowed): '%.200s'", s->n_toks, r->term);
            goto done;
        }
        key.len = 0;
        bool raw = s->n_toks == 1 && (s->toks[0].flags & VOC_TOKEN_ELONGATED); /* bbb, not "bb" */
        if (raw) voc__buf_append(&key, s->norm.data + s->toks[0].nstart, s->toks[0].nend - s->toks[0].nstart);
        for (size_t k = 0; !raw && k < s->n_toks; k++) {
            /* every place a match can stop on the way: token ends, and inside Han runs
             * every character (the text may cut 金管會 where the term alone was not cut) */
            const voc_tok *tk = &s->toks[k];
            key_append(&key, s, k ? &s->toks[k - 1] : NULL, tk);
            if (key.failed) { rc = VOC_ENOMEM; goto nomem; }
            size_t from = key.len - tk->norm_len;
            if (tk->flags & VOC_TOKEN_HAN) {
                for (size_t p = from, adv; p < key.len; p += adv) {
                    voc__utf8_decode((const unsigned char *)key.data, key.len, p, &adv);
                    if (p > from && (rc = file_prefix(t, key.data, p))) goto nomem;
                }
            }
            if (k + 1 < s->n_toks && (rc = file_prefix(t, key.data, key.len))) goto nomem;
        }
    file:;
        bool created;
        voc_entry *e = voc__lexicon_upsert(&t->lx, key.data, key.len, &created, &rc);
        if (!e) goto nomem;
        size_t idx = (size_t)(e - t->lx.entries);
        if (grow_cues(t)) goto nomem;
        if (t->cues[idx].kind && !t->n_collisions++)
            snprintf(t->first_collision, sizeof t->first_collision, "%s:%u: '%s'", file, (unsigned)r->line, r->term);
        t->cues[idx] = cue; /* a later row of the same key wins (user directories override) */
        t->n_rows++;
    }
    if (grow_cues(t)) goto nomem; /* prefix-only entries filed after the last cue */
    if (link_lexicon(t, &a->lexicon)) goto nomem;
    voc__lexicon_phrase_pairs(&t->lx, t->pairs);
    typo_index(t);
    rc = VOC_OK;
    goto done;
nomem:
    rc = voc__fail(err, VOC_ENOMEM, "<flags>", 0, 0, "out of memory");
done:
    voc__buf_free(&key);
    voc_session_free(s);
    if (rc) voc__flags_free(t);
    else a->flags = t;
    return rc;
}

/* ---- the table in the cache file -------------------------------------------------------
 *
 * The table is a function of the flags.tsv files and the tokenizer, both in the cache key
 * (cache.c), so a run that loads the cache loads the table too instead of reading the rows
 * and tokenizing their terms again (6 M instructions, a sixth of start-up).  Everything is
 * checked as it is read: the file is untrusted. */

void voc__flags_save(const voc_analyzer *a, voc_cache_writer *w)
{
    const voc_flag_table *t = a->flags;
    voc__cache_put_u64(w, t != NULL);
    if (!t) return;
    voc__cache_put_lexicon(w, &t->lx);
    voc__cache_put_lexicon(w, &t->words);
    voc__cache_put_lexicon(w, &t->dels);
    voc__cache_put(w, t->cues, sizeof *t->cues * t->n_cues);
    voc__cache_put(w, t->del_to, sizeof *t->del_to * t->dels.n_entries);
    voc__cache_put(w, t->lexicon_of, sizeof *t->lexicon_of * t->lx.n_entries);
    voc__cache_put(w, t->beyond_lexicon, sizeof t->beyond_lexicon);
    voc__cache_put(w, t->pairs, sizeof t->pairs);
    uint64_t counts[2] = {t->n_rows, t->n_collisions};
    voc__cache_put(w, counts, sizeof counts);
    voc__cache_put(w, t->first_collision, sizeof t->first_collision);
}

/* A cue as flags_build files it: a prefix (all zero), a flag's reason, a role. */
static bool cue_valid(const flag_cue *c)
{
    switch (c->kind) {
    case 0: return !c->flag && !c->code && !c->value;
    case 1: return c->flag < VOC_FLAG_COUNT && c->code > R_NONE && c->code < N_REASONS &&
                   c->value <= VOC_SEVERITY_HIGH;
    case 2: return c->code >= ROLE_BLOCK && c->code < N_ROLES && c->value <= 99;
    default: return false;
    }
}

int voc__flags_load(voc_analyzer *a, voc_cache_reader *r)
{
    a->flags = NULL;
    uint64_t present;
    if (!voc__cache_take_u64(r, &present) || present > 1) goto bad;
    if (!present) return VOC_OK;
    voc_flag_table *t = calloc(1, sizeof *t);
    if (!t) return VOC_ENOMEM;
    a->flags = t; /* voc__flags_free takes it back on any failure below */
    voc__lexicon_init(&t->lx);
    voc__lexicon_init(&t->words);
    voc__lexicon_init(&t->dels);
    informal_index(t);
    size_t n_del_to = 0, n_lexicon_of = 0;
    uint64_t counts[2];
    if (!voc__cache_take_lexicon(r, &t->lx) || !voc__cache_take_lexicon(r, &t->words) ||
        !voc__cache_take_lexicon(r, &t->dels))
        goto bad;
    t->cues = voc__cache_take_copy(r, sizeof *t->cues, &t->n_cues);
    t->cap_cues = t->n_cues;
    t->del_to = voc__cache_take_copy(r, sizeof *t->del_to, &n_del_to);
    t->cap_del_to = n_del_to;
    t->lexicon_of = voc__cache_take_copy(r, sizeof *t->lexicon_of, &n_lexicon_of);
    voc__cache_take_exact(r, t->beyond_lexicon, sizeof t->beyond_lexicon);
    voc__cache_take_exact(r, t->pairs, sizeof t->pairs);
    voc__cache_take_exact(r, counts, sizeof counts);
    voc__cache_take_exact(r, t->first_collision, sizeof t->first_collision);
    if (voc__cache_failed(r)) goto bad;
    t->first_collision[sizeof t->first_collision - 1] = '\0';
    t->n_rows = counts[0];
    t->n_collisions = counts[1];
    /* cues by entry (one more, as grow_cues keeps them), del_to by deletion naming a word */
    if (t->n_cues != t->lx.n_entries + 1 || n_del_to != t->dels.n_entries ||
        n_lexicon_of != t->lx.n_entries)
        goto bad;
    for (size_t i = 0; i < t->n_cues; i++)
        if (!cue_valid(&t->cues[i])) goto bad;
    for (size_t i = 0; i < n_del_to; i++)
        if (t->del_to[i] > t->words.n_entries) goto bad;
    if (index_lexicon_links(t, a->lexicon.n_entries)) goto bad; /* the lexicon came first in the file */
    typo_index(t);
    return VOC_OK;
bad:
    voc__cache_fail(r);
    voc__flags_free(a->flags);
    a->flags = NULL;
    return VOC_ELEXICON;
}

/* The table's entry for token i's own norm (the same as flag_find of it). */
VOC_ALWAYS_INLINE static inline const voc_entry *own_entry(voc_session *s, const voc_flag_table *ft, size_t i)
{
    const voc_entry *e = voc__token_entry(s, i);
    if (e) {
        uint32_t k = ft->by_lexicon[e - s->analyzer->lexicon.entries];
        return k ? &ft->lx.entries[k - 1] : NULL;
    }
    const voc_tok *t = &s->toks[i];
    if (!t->norm_len) return NULL;
    const char *p = voc__tok_norm(s, t);
    uint32_t fb = voc__lexicon_filter_bit(p, t->norm_len);
    if (!voc__bit_test(ft->beyond_lexicon, fb)) return NULL;
    return flag_find(ft, p, t->norm_len);
}

static const voc_entry *slip_target(voc_session *s, const voc_flag_table *ft, size_t i);
static inline const voc_entry *misspelt(voc_session *s, const voc_flag_table *ft, size_t i);

bool voc__flags_shortcuts_agree(voc_session *s)
{
    const voc_flag_table *ft = s->analyzer->flags;
    char key[256];
    for (size_t i = 0; ft && i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        if (own_entry(s, ft, i) != flag_find(ft, voc__tok_norm(s, t), t->norm_len)) return false;
        /* the typo filter passes every token one slip from a word (both are NULL for a
         * token find_cues does not ask: not a Latin word of 6 to 24 letters) */
        if (misspelt(s, ft, i) != slip_target(s, ft, i)) return false;
        /* a key of two norms with a space between has its pair in ft->pairs */
        if (i + 1 == s->n_toks) break;
        const voc_tok *u = &s->toks[i + 1];
        if (t->norm_len + 1 + u->norm_len > sizeof key) continue;
        memcpy(key, voc__tok_norm(s, t), t->norm_len);
        key[t->norm_len] = ' ';
        memcpy(key + t->norm_len + 1, voc__tok_norm(s, u), u->norm_len);
        if (flag_find(ft, key, t->norm_len + 1 + u->norm_len) &&
            !voc__phrase_pair_may_be_key(ft->pairs, voc__tok_norm(s, t), t->norm_len, voc__tok_norm(s, u),
                                         u->norm_len))
            return false;
    }
    return true;
}

bool voc__flags_same_links(const voc_flag_table *a, const voc_flag_table *b)
{
    return a->lx.n_entries == b->lx.n_entries &&
           !memcmp(a->lexicon_of, b->lexicon_of, sizeof *a->lexicon_of * a->lx.n_entries) &&
           !memcmp(a->beyond_lexicon, b->beyond_lexicon, sizeof a->beyond_lexicon) &&
           !memcmp(a->pairs, b->pairs, sizeof a->pairs) &&
           !memcmp(a->typo_spellings, b->typo_spellings, sizeof a->typo_spellings);
}

/* ---- per document ----------------------------------------------------------------------- */

#define MAX_REASONS 12     /* per flag in a result */
#define MAX_SPANS 16       /* per flag in a result: the first ones in text order */
#define NEG_WINDOW 4       /* a negator this many tokens before a cue negates it */

/* One cue found in the document. */
typedef struct flag_hit {
    uint32_t first, last;  /* tokens */
    uint32_t anchor;       /* the token its context is read around (a verb, not its object) */
    uint8_t flag, reason, severity;
    bool negation_used;    /* the cue was made of its negation (won't renew): not re-checked */
    bool named;            /* a switch to a company named by its name alone (may be this one) */
} flag_hit;

enum { TOK_QUOTED = 1, TOK_HEAD = 2, TOK_CANCEL_CUE = 4 }; /* per-token bits (CANCEL_CUE: a
                                                          * churn hit asking to cancel or close starts
                                                          * here) */
enum { SENT_QUESTION = 1, SENT_EXCLAIM = 2, SENT_COUNTERFACTUAL = 4, SENT_INTENT = 8 }; /* per-sentence bits: "?" (or 嗎,
                                                                * 請問), "!!", "Had it not …" */

struct voc_flag_state {
    uint8_t *role, *value, *bits;
    uint32_t *clause, *fs;   /* fs: the flags' sentence of each token (the segmenter's, also cut
                              * after a "." "!" "?" it ran on: "… from the PUC. $680 bill??") */
    const voc_entry **fix;   /* the row word a misspelt token stands for ("acount"), or NULL */
    uint8_t *inf;            /* the informal word a token is ("im"): index in informal[] + 1, or 0 */
    const flag_cue **cue;    /* find_cues: the row matched at a token it stopped at, or NULL */
    uint8_t *cue_len;        /* ... and how many tokens it covers */
    size_t cap_role, cap_value, cap_bits, cap_clause, cap_fs, cap_fix, cap_inf, cap_cue, cap_cue_len;
    size_t cap_all;          /* every per-token array holds at least this many */
    size_t n_fs;
    uint8_t *sent;
    size_t cap_sent;
    flag_hit *hits;
    size_t n_hits, cap_hits;
    size_t last_solved;      /* the last token with a "solved" word + 1, 0 when none */
    uint64_t roles;          /* bit per role some head token of the document has (read_tokens) */
    bool praise;             /* a delight cue was found (join_context's hits included) */
    voc_buf key;
    /* the result */
    voc_flag_result results[VOC_FLAG_COUNT];
    const char *reasons[VOC_FLAG_COUNT][MAX_REASONS];
    voc_span spans[VOC_FLAG_COUNT][MAX_SPANS];
};

void voc__flag_state_free(voc_flag_state *st)
{
    if (!st) return;
    free(st->role);
    free(st->value);
    free(st->bits);
    free(st->clause);
    free(st->fs);
    free(st->fix);
    free(st->inf);
    free(st->cue);
    free(st->cue_len);
    free(st->sent);
    free(st->hits);
    voc__buf_free(&st->key);
    free(st);
}

/* How customers type: an apostrophe-less contraction ("im", "ill", "thats") or a text-speak
 * word ("u", "ur", "abt", "acct") is read, for the flags only, as what it stands for — the
 * tokenizer's "i am", "you" — so every row written with the full forms matches ("im done
 * with" as "i am done with").  The tokens, the scorer and the model are untouched.  The
 * negative ones ("dont", "wont", "cant") are not here: the tokenizer itself splits them
 * like "don't" (segment.c, fused_negation_base), so flags see "do" "not".  Found
 * through a small hash table (informal_index). */
static const struct informal {
    const char *word, *as;
    size_t as_len;
} informal[] = {
#define I(w, a) {w, a, sizeof a - 1}
    I("abt", "about"),      I("acct", "account"),  I("accts", "accounts"), I("bc", "because"),
    I("hes", "he is"),      I("ill", "i will"),    I("im", "i am"),        I("ive", "i have"),
    I("msg", "message"),    I("msgs", "messages"), I("pls", "please"),     I("plz", "please"),
    I("prob", "probably"),  I("r", "are"),         I("shes", "she is"),    I("thats", "that is"),
    I("theyre", "they are"), I("tmrw", "tomorrow"), I("u", "you"),          I("ur", "your"),
    I("w", "with"),         I("youre", "you are"), I("yr", "year"),        I("yrs", "years"),
#undef I
};

static unsigned informal_hash(const char *p, size_t len)
{
    return ((unsigned)len * 37u + (unsigned char)p[0] * 11u + (unsigned char)p[len - 1]) & 127u;
}

/* The informal words in a small open-addressed table, behind a mask of first letters by
 * length (every word of every document is asked once, so the words that are not there must
 * cost next to nothing). */
static void informal_index(voc_flag_table *t)
{
    _Static_assert(sizeof informal / sizeof *informal < 128, "informal_slots needs room");
    for (size_t i = 0; i < sizeof informal / sizeof *informal; i++) {
        size_t len = strlen(informal[i].word);
        unsigned h = informal_hash(informal[i].word, len);
        while (t->informal_slots[h]) h = (h + 1) & 127u;
        t->informal_slots[h] = (uint8_t)(i + 1);
        t->informal_first[len] |= 1u << (informal[i].word[0] - 'a');
    }
}

/* The informal word token t is: its index in informal[] + 1, or 0 (find_cues files it for
 * every token in st->inf; tok_informal reads it there). */
static uint8_t informal_of(const voc_session *s, const voc_flag_table *ft, const voc_tok *t)
{
    size_t len = t->norm_len;
    if (t->type != VOC_TOKEN_WORD || len > 8 || !len || (t->flags & VOC_TOKEN_HAN)) return 0;
    const char *p = voc__tok_norm(s, t);
    unsigned c = (unsigned char)p[0] - 'a';
    if (c >= 26 || !(ft->informal_first[len] >> c & 1)) return 0;
    for (unsigned h = informal_hash(p, len); ft->informal_slots[h]; h = (h + 1) & 127u) {
        const char *w = informal[ft->informal_slots[h] - 1].word;
        size_t k = 0; /* (strncmp without the call: the words are a few letters) */
        while (k < len && w[k] && w[k] == p[k]) k++;
        if (k == len && !w[len]) return ft->informal_slots[h];
    }
    return 0;
}

/* The informal word token i is (filed by find_cues), or NULL. */
static inline const struct informal *tok_informal(const voc_flag_state *st, size_t i)
{
    return st->inf[i] ? &informal[st->inf[i] - 1] : NULL;
}

/* Token t's norm as the flags read it (the informal forms spelled out, a misspelling as the
 * row word it stands for). */
static inline const char *flag_norm(const voc_session *s, const voc_flag_state *st, const voc_tok *t, size_t *len)
{
    const voc_entry *w = st->fix[t - s->toks];
    if (w) { *len = w->key_len; return w->key; }
    const struct informal *f = tok_informal(st, (size_t)(t - s->toks));
    if (f) { *len = f->as_len; return f->as; }
    *len = t->norm_len;
    return voc__tok_norm(s, t);
}

/* The entry of the first word of p[0, *len) when it has more than one ("i am": "i"), with
 * *len cut to that word; NULL, *len as it was, when it has one. */
static const voc_entry *first_word_entry(const voc_flag_table *ft, const char *p, size_t *len)
{
    const char *sp = memchr(p, ' ', *len);
    if (!sp) return NULL;
    *len = (size_t)(sp - p);
    return flag_find(ft, p, *len);
}

/* The longest flags entry starting at token i (with a cue, not a prefix only); *n_tokens
 * is its length in tokens. */
static const flag_cue *match_at(voc_session *s, voc_flag_state *st, const voc_flag_table *ft,
                                size_t i, size_t *n_tokens)
{
    const voc_tok *t = &s->toks[i];
    const char *norm = voc__tok_norm(s, t);
    const voc_entry *e;
    const flag_cue *best = NULL;
    *n_tokens = 0;
    if ((t->flags & VOC_TOKEN_ELONGATED) && t->nend - t->nstart > t->norm_len) {
        /* BBB is a word of its own, not "bb" drawn out */
        e = flag_find(ft, s->norm.data + t->nstart, t->nend - t->nstart);
        if (e && ft->cues[e - ft->lx.entries].kind) { *n_tokens = 1; return &ft->cues[e - ft->lx.entries]; }
    }
    size_t norm_len = t->norm_len;
    const struct informal *inf = st->fix[i] ? NULL : tok_informal(st, i);
    if (st->fix[i]) {
        norm = st->fix[i]->key;
        norm_len = st->fix[i]->key_len;
    }
    if (inf) {
        norm = inf->as;
        norm_len = inf->as_len;
        e = flag_find(ft, norm, norm_len);
        if (!e) e = first_word_entry(ft, norm, &norm_len); /* "im" alone is "i" */
    } else {
        e = st->fix[i] ? flag_find(ft, norm, norm_len) : own_entry(s, ft, i);
    }
    if (!e && t->type == VOC_TOKEN_HASHTAG && t->norm_len > 1) { /* #大推 as 大推 */
        norm = voc__tok_norm(s, t);
        e = flag_find(ft, norm + 1, t->norm_len - 1);
        if (e && ft->cues[e - ft->lx.entries].kind) { *n_tokens = 1; return &ft->cues[e - ft->lx.entries]; }
        return NULL;
    }
    if (!e) return NULL;
    if (ft->cues[e - ft->lx.entries].kind) { best = &ft->cues[e - ft->lx.entries]; *n_tokens = 1; }
    if (!(e->flags & VOC_ENTRY_PREFIX)) return best;
    voc_buf *key = &st->key;
    for (size_t k = 1; k < 16 && i + k < s->n_toks && s->toks[i + k].sentence == t->sentence; k++) {
        const voc_tok *next = &s->toks[i + k];
        size_t w_len;
        const char *w = flag_norm(s, st, next, &w_len);
        bool joined = (s->toks[i + k - 1].flags & VOC_TOKEN_HAN) && (next->flags & VOC_TOKEN_HAN);
        if (k == 1) { /* the key is written once the pair filter lets it be one */
            if (!joined && !voc__phrase_pair_may_be_key(ft->pairs, norm, norm_len, w, w_len))
                break; /* most prefixes (i, my, to) are followed by no key's word */
            key->len = 0;
            voc__buf_append(key, norm, norm_len);
        }
        if (!joined) voc__buf_append(key, " ", 1); /* a space, but none between two Han tokens */
        voc__buf_append(key, w, w_len);
        if (key->failed) break;
        e = flag_find(ft, key->data, key->len);
        if (!e) break;
        const flag_cue *c = &ft->cues[e - ft->lx.entries];
        if (c->kind) { best = c; *n_tokens = k + 1; }
        if (!(e->flags & VOC_ENTRY_PREFIX)) break;
    }
    if (!best && inf && memchr(inf->as, ' ', inf->as_len) && norm_len == inf->as_len) {
        /* "ill", "im" where no row goes on from "i will", "i am" ("i am done with" is only a
         * prefix here): its verb when that is a row ("will", a future), else "i" */
        const char *sp = strrchr(inf->as, ' ');
        e = flag_find(ft, sp + 1, inf->as_len - (size_t)(sp + 1 - inf->as));
        if (!e || !ft->cues[e - ft->lx.entries].kind) {
            size_t first_len = inf->as_len;
            e = first_word_entry(ft, inf->as, &first_len);
        }
        if (e && ft->cues[e - ft->lx.entries].kind) { best = &ft->cues[e - ft->lx.entries]; *n_tokens = 1; }
    }
    return best;
}

static int add_hit_at(voc_flag_state *st, size_t first, size_t last, size_t anchor, int flag,
                      int reason, int severity, bool negation_used)
{
    if (voc__grow((void **)&st->hits, &st->cap_hits, st->n_hits + 1, sizeof *st->hits))
        return VOC_ENOMEM;
    st->hits[st->n_hits++] = (flag_hit){(uint32_t)first, (uint32_t)last, (uint32_t)anchor,
                                        (uint8_t)flag, (uint8_t)reason, (uint8_t)severity,
                                        negation_used, false};
    if (flag == VOC_FLAG_CHURN_RISK && (reason == R_CANCEL_REQUEST || reason == R_ACCOUNT_CLOSURE))
        st->bits[first] |= TOK_CANCEL_CUE;
    return VOC_OK;
}

static int add_hit(voc_flag_state *st, size_t first, size_t last, int flag, int reason,
                   int severity, bool negation_used)
{
    return add_hit_at(st, first, last, first, flag, reason, severity, negation_used);
}

/* A quote mark token: 1 opens, 2 closes, 3 either (" '), 0 none. */
static int quote_kind(const voc_session *s, const voc_tok *t)
{
    if (t->type != VOC_TOKEN_PUNCT) return 0;
    const char *p = voc__tok_norm(s, t);
    if (t->norm_len == 1) return p[0] == '"' || p[0] == '\'' ? 3 : 0;
    if (t->norm_len != 3) return 0;
    static const char *const open[] = {"「", "『", "“", "‘"}, *const close[] = {"」", "』", "”", "’"};
    for (int k = 0; k < 4; k++) {
        if (!memcmp(p, open[k], 3)) return 1;
        if (!memcmp(p, close[k], 3)) return 2;
    }
    return 0;
}

/* A punctuation token of only . ! ? (a lower-case "done. cancelling." the segmenter may
 * keep as one sentence). */
static bool stop_mark(const voc_session *s, const voc_tok *t)
{
    if (t->type != VOC_TOKEN_PUNCT) return false;
    const char *p = voc__tok_norm(s, t);
    for (size_t k = 0; k < t->norm_len; k++)
        if (p[k] != '.' && p[k] != '!' && p[k] != '?') return false;
    return t->norm_len > 0;
}

static inline bool lower8(uint64_t x) /* eight bytes a..z (SWAR: see latin_word) */
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    return !(x & high) && ((x + 0x1F * ones) & ~(x + 0x05 * ones) & high) == high;
}

/* Is token i a word of n_min..n_max lower-case ASCII letters (the words typo tolerance and
 * unknown brand names are looked for among)?  The letters are read eight at a time: on bytes
 * below 0x80, adding 0x1F sets a byte's high bit from 'a' (0x61) up and adding 0x05 from '{'
 * (0x7B) up, with no carry into the next byte; a..z is "the first set, the second not".  Short
 * words are read as two overlapping halves, long ones in eights and an overlapping last
 * eight, all inside the word. */
static bool latin_word(const voc_session *s, size_t i, size_t n_min, size_t n_max)
{
    const voc_tok *t = &s->toks[i];
    size_t len = t->norm_len;
    if (t->type != VOC_TOKEN_WORD || (t->flags & VOC_TOKEN_HAN) || len < n_min || len > n_max)
        return false;
    const char *p = voc__tok_norm(s, t);
    if (len < 4) {
        for (size_t k = 0; k < len; k++)
            if (p[k] < 'a' || p[k] > 'z') return false;
        return true;
    }
    uint64_t x;
    if (len < 8) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + len - 4, 4);
        return lower8((uint64_t)lo | (uint64_t)hi << 32);
    }
    for (size_t k = 0; k + 8 <= len; k += 8) {
        memcpy(&x, p + k, 8);
        if (!lower8(x)) return false;
    }
    memcpy(&x, p + len - 8, 8);
    return lower8(x);
}

/* Does a lexicon (its norm or stem), the modifiers or the English model know token i? */
static bool known_word(voc_session *s, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (voc__token_entry(s, i) || voc__stem_entry(s, i) || voc__mod_kind(t) != VOC_MOD_NONE) return true;
    char name[40] = "w:";
    if (t->norm_len > sizeof name - 2) return false; /* no model feature is that long a word */
    memcpy(name + 2, voc__tok_norm(s, t), t->norm_len);
    const voc_model *m = &s->analyzer->models[VOC_MODEL_EN];
    return m->n_slots && voc__model_find(m, voc__feat_key(name, t->norm_len + 2), NULL);
}

/* Typo tolerance: the row word an English token that no row, lexicon or model knows is one
 * slip away from — a letter missed after the first ("acount", "subcription", "lawer"), two
 * neighbours swapped ("cancle", "acocunt") or a letter doubled ("accountt") —, or NULL. */
static const voc_entry *slip_target(voc_session *s, const voc_flag_table *ft, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (!ft->words.n_entries || !latin_word(s, i, 6, 24)) return NULL;
    const char *p = voc__tok_norm(s, t);
    /* a row word (ft->words) is a key of the table: a word the table has is no slip */
    if (own_entry(s, ft, i) || known_word(s, i)) /* most words: the scorer looked them up already */
        return NULL;
    const voc_entry *w = NULL, *d = voc__lexicon_find(&ft->dels, p, t->norm_len);
    if (d && ft->del_to[d - ft->dels.entries]) w = &ft->words.entries[ft->del_to[d - ft->dels.entries] - 1];
    char v[24];
    size_t len = t->norm_len;
    for (size_t k = 1; !w && k + 1 < len; k++) { /* swapped */
        if (p[k] == p[k + 1]) continue;
        memcpy(v, p, len);
        v[k] = p[k + 1];
        v[k + 1] = p[k];
        w = voc__lexicon_find(&ft->words, v, len);
    }
    for (size_t k = 1; !w && k < len; k++) { /* doubled */
        if (p[k] != p[k - 1] || (k + 1 < len && p[k + 1] == p[k])) continue;
        memcpy(v, p, k);
        memcpy(v + k, p + k + 1, len - k - 1);
        w = voc__lexicon_find(&ft->words, v, len - 1);
    }
    return w;
}

/* slip_target behind its filter: a token whose filter bit no spelling one slip from a row
 * word has (typo_index) is none, and is not looked at further — two in three of the airline
 * tweets' words of 6 to 24 letters, before latin_word, own_entry and known_word are asked
 * (voc__flags_shortcuts_agree checks the two agree). */
VOC_ALWAYS_INLINE static inline const voc_entry *misspelt(voc_session *s, const voc_flag_table *ft, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (t->norm_len < 6 || t->norm_len > 24) return NULL;
    uint32_t fb = voc__lexicon_filter_bit(voc__tok_norm(s, t), t->norm_len);
    if (!voc__bit_test(ft->typo_spellings, fb)) return NULL;
    return slip_target(s, ft, i);
}

/* A punctuation token that ends a sentence for the flags: one with "?" or "!", or a single
 * "." ("…" and ".." run on). */
static bool sentence_stop(const voc_session *s, const voc_tok *t)
{
    if (!stop_mark(s, t)) return false;
    const char *p = voc__tok_norm(s, t);
    return t->norm_len == 1 || memchr(p, '?', t->norm_len) || memchr(p, '!', t->norm_len);
}

/* Is token i a complaint verb (file, lodge, report in any form), the verb a complaint taken
 * to a body needs (authority_after)?  Whole words: "film", "fill" and "reporter" are not. */
static bool complaint_verb(const voc_session *s, size_t i)
{
    static const char *const verbs[] = {"file", "files", "filed", "filing", "lodge", "lodges", "lodged",
                                        "lodging", "report", "reports", "reported", "reporting", NULL};
    return voc__tok_is(s, i, verbs);
}

#define M(r) (1ull << (r))
/* The roles that say what the writer will do or wants: a cancel asked as a question counts
 * when the next sentence has one ("What's the quickest way to shut my account? I'd like it
 * sorted before it renews"; "Moving to Cobalt on Friday.") */
#define INTENT_ROLES (M(ROLE_REQUEST) | M(ROLE_FUTURE) | M(ROLE_DONE) | M(ROLE_CONTRACT_END) | M(ROLE_COMPETITOR) | \
                      M(ROLE_SWITCH_VERB) | M(ROLE_BRAND_VERB) | M(ROLE_LEAVE_VERB))

/* The roles join_context makes cues of (its switch below); ROLE_HEDGE there only when a row
 * gave it (own_role), never the scorer's irrealis words alone. */
#define JOIN_ROLES (M(ROLE_CANCEL_VERB) | M(ROLE_CLOSE_VERB) | M(ROLE_RENEW_VERB) | M(ROLE_RETURN_VERB) | \
                    M(ROLE_LEAVE_ALONE) | M(ROLE_SWITCH_VERB) | M(ROLE_BRAND_VERB) | M(ROLE_LEAVE_VERB) |  \
                    M(ROLE_EVALUATE) | M(ROLE_HEDGE) | M(ROLE_THREAT_VERB) | M(ROLE_DONE) | M(ROLE_CONTACT) | \
                    M(ROLE_SUPERLATIVE))

/* The roles among `roles` (those of the rows a document has) with which join_context can
 * make a hit.  Some make one only with a partner: a return verb with "again" (never flying
 * … again), a superlative with its end (the best … ever), a threat or done word when it is a
 * complaint verb with a body after it ("filed with the DOT": authority_after), a contact
 * word so too, or with a count or "again" near it ("called five times", "asking again": a
 * count is a count row, or a number right before a row of "times" or of contact).
 * complaint: some threat, done or contact word is a complaint verb; counted: some number
 * stands right before a times or contact row.  (Get, go, hear, post are threat words: a
 * third of the airline tweets have one, and most of them nothing else.) */
static uint64_t joinable(uint64_t roles, bool complaint, bool counted)
{
    uint64_t join = roles & JOIN_ROLES;
    if (!(roles & M(ROLE_AGAIN))) join &= ~M(ROLE_RETURN_VERB);
    if (!(roles & M(ROLE_SUPERLATIVE_END))) join &= ~M(ROLE_SUPERLATIVE);
    if (!complaint) join &= ~(M(ROLE_THREAT_VERB) | M(ROLE_DONE));
    if (!complaint && !counted && !(roles & (M(ROLE_AGAIN) | M(ROLE_COUNT) | M(ROLE_COUNT_TIMES))))
        join &= ~M(ROLE_CONTACT);
    return join;
}

/* Pass 0: each token's informal reading and misspelling, and the rows matched where
 * read_tokens will stop (st->cue, st->cue_len: a match skips the tokens it covers).  Returns
 * whether any of them can make a hit — a flag cue, or a role join_context can make one with
 * (joinable): a document without one (four in five of the airline tweets) has no flags, and
 * the other passes are skipped.  (The scorer's modifiers give roles too, but none
 * join_context acts on: its irrealis words are hedges there only with a hedge row at the
 * same token, which match_at would have found.) */
static bool find_cues(voc_session *s, voc_flag_state *st, const voc_flag_table *ft)
{
    size_t n = s->n_toks;
    memset(st->bits, 0, n);
    for (size_t i = 0; i < n; i++) {
        const voc_tok *t = &s->toks[i];
        st->inf[i] = 0;
        st->fix[i] = NULL;
        if (t->type != VOC_TOKEN_WORD || (t->flags & VOC_TOKEN_HAN)) continue; /* neither applies */
        if (t->norm_len <= 8) st->inf[i] = informal_of(s, ft, t);
        if (t->norm_len >= 6) st->fix[i] = misspelt(s, ft, i);
    }
    bool flag_found = false, complaint = false, counted = false;
    uint64_t roles = 0;
    for (size_t i = 0; i < n;) {
        const voc_tok *t = &s->toks[i];
        size_t k = 0;
        /* no row starts with punctuation, a link, an address or an @mention */
        bool words = t->type != VOC_TOKEN_PUNCT && t->type != VOC_TOKEN_URL &&
                     t->type != VOC_TOKEN_EMAIL && t->type != VOC_TOKEN_MENTION;
        const flag_cue *c = words ? match_at(s, st, ft, i, &k) : NULL;
        if (!c && t->type == VOC_TOKEN_MENTION && t->norm_len > 1) {
            /* a body tagged by its handle: @CFPB, @FCC, @BBB (an escalation cue only) */
            const voc_entry *e = flag_find(ft, voc__tok_norm(s, t) + 1, t->norm_len - 1);
            const flag_cue *m = e ? &ft->cues[e - ft->lx.entries] : NULL;
            if (m && m->kind == 1 && m->flag == VOC_FLAG_ESCALATION) { c = m; k = 1; }
        }
        st->cue[i] = c;
        st->cue_len[i] = (uint8_t)k;
        if (c && c->kind == 1) flag_found = true;
        if (c && c->kind == 2) {
            roles |= M(c->code);
            bool complaint_role = c->code == ROLE_THREAT_VERB || c->code == ROLE_DONE || c->code == ROLE_CONTACT;
            if (complaint_role && !(t->flags & VOC_TOKEN_HAN) && complaint_verb(s, i)) complaint = true;
            if ((c->code == ROLE_TIMES || c->code == ROLE_CONTACT) && i > 0 && s->toks[i - 1].type == VOC_TOKEN_NUMBER)
                counted = true;
        }
        i += c ? k : 1;
    }
    return flag_found || joinable(roles, complaint, counted);
}

/* Pass 1: roles, quotes, clauses, sentence marks, and the cues flags.tsv names (found by
 * find_cues). */
static int read_tokens(voc_session *s, voc_flag_state *st)
{
    size_t n = s->n_toks;
    memset(st->role, 0, n);
    memset(st->value, 0, n);
    /* the flags' sentences: the segmenter's, cut again after a mid-text "?", "!" or a single
     * "." (not an ellipsis) */
    uint32_t fsn = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (s->toks[i].sentence != s->toks[i - 1].sentence || sentence_stop(s, &s->toks[i - 1]))) fsn++;
        st->fs[i] = fsn;
    }
    st->n_fs = fsn + 1;
    memset(st->sent, 0, st->n_fs);
    st->last_solved = 0;
    uint32_t clause = 0;
    size_t quote_open = SIZE_MAX;
    int rc;
    for (size_t i = 0; i < n;) {
        const voc_tok *t = &s->toks[i];
        if (i > 0 && st->fs[i] != st->fs[i - 1]) clause++;
        if (i > 0 && t->sentence != s->toks[i - 1].sentence)
            quote_open = SIZE_MAX; /* an unclosed quote ends with its sentence (the segmenter's: a
                                    * quote may hold several: "sorry. we believe this is fair.") */
        uint8_t *sent = &st->sent[st->fs[i]];
        if (t->type == VOC_TOKEN_PUNCT) {
            const char *p = voc__tok_norm(s, t);
            size_t bangs = 0;
            for (size_t k = 0; k < t->norm_len; k++) {
                if (p[k] == '?') *sent |= SENT_QUESTION;
                bangs += p[k] == '!';
            }
            if (bangs >= 2) *sent |= SENT_EXCLAIM;
            int q = quote_kind(s, t);
            if (q == 1 || (q == 3 && quote_open == SIZE_MAX)) quote_open = i;
            else if ((q == 2 || q == 3) && quote_open != SIZE_MAX) {
                for (size_t k = quote_open + 1; k < i; k++) st->bits[k] |= TOK_QUOTED;
                quote_open = SIZE_MAX;
            }
        }
        const flag_cue *c = st->cue[i];
        size_t k = st->cue_len[i];
        if (c) {
            for (size_t j = i; j < i + k; j++) {
                st->role[j] = c->kind == 1 ? ROLE_CUE : c->code;
                st->clause[j] = clause;
            }
            st->bits[i] |= TOK_HEAD;
            st->value[i] = c->value;
            if (c->kind == 2 && c->code == ROLE_SOLVED &&
                !(i > 0 && st->role[i - 1] == ROLE_NEGATOR && st->clause[i - 1] == clause) &&
                !(i > 1 && st->role[i - 2] == ROLE_NEGATOR && st->clause[i - 2] == clause))
                st->last_solved = i + 1; /* not "never turned up", "still not fixed" */
            if (c->kind == 1 && (rc = add_hit(st, i, i + k - 1, c->flag, c->code, c->value, false)))
                return rc;
            if (c->kind == 2 && c->code == ROLE_QUESTION) *sent |= SENT_QUESTION;
            i += k;
            continue;
        }
        /* the scorer's modifiers, where the flags lexicon says nothing — a negator even
         * inside one of the scorer's phrases ("don't recommend"); not its question words
         * (怎麼, why, 為什麼 are as often rhetorical in a complaint: "?" and the lexicon's
         * 嗎, 請問, "how do I" mark questions) */
        int kind = voc__mod_kind(t);
        if (kind == VOC_MOD_NONE && t->type == VOC_TOKEN_WORD) {
            const voc_entry *own = voc__token_entry(s, i);
            if (own && (own->flags & VOC_ENTRY_MODIFIER) && own->mod_kind == VOC_MOD_NEGATOR) kind = VOC_MOD_NEGATOR;
        }
        switch (kind) {
        case VOC_MOD_NEGATOR: st->role[i] = ROLE_NEGATOR; break;
        case VOC_MOD_IRREALIS: st->role[i] = ROLE_HEDGE; break;
        case VOC_MOD_DIMINISHER: st->role[i] = ROLE_DIMINISHER; break;
        default: break;
        }
        if (st->role[i]) st->bits[i] |= TOK_HEAD;
        /* "Had the parcel not turned up, I'd have …": an inverted counterfactual — a "had"
         * opening its sentence with a negator within four tokens and no "to" after it */
        if (t->type == VOC_TOKEN_WORD && t->norm_len == 3 && !memcmp(voc__tok_norm(s, t), "had", 3) &&
            (i == 0 || st->fs[i - 1] != st->fs[i]) && i + 1 < n &&
            !(s->toks[i + 1].norm_len == 2 && !memcmp(voc__tok_norm(s, &s->toks[i + 1]), "to", 2)))
            for (size_t j = i + 1; j < n && j <= i + 5 && st->fs[j] == st->fs[i]; j++)
                if (voc__mod_kind(&s->toks[j]) == VOC_MOD_NEGATOR) { *sent |= SENT_COUNTERFACTUAL; break; }
        st->clause[i] = clause;
        if (voc__clause_break(s, i) || t->type == VOC_TOKEN_EMOJI || stop_mark(s, t))
            clause++; /* 🎂 ends a clause too, and so does a full stop the segmenter ran on past
                       * ("… never once worked. porting out today") */
        i++;
    }
    st->roles = 0;
    for (size_t j = 0; j < n; j++)
        if (st->bits[j] & TOK_HEAD) {
            st->roles |= 1ull << st->role[j];
            if (INTENT_ROLES >> st->role[j] & 1) st->sent[st->fs[j]] |= SENT_INTENT;
        }
    return VOC_OK;
}

/* ---- looking around a token ------------------------------------------------------------- */

static bool same_clause(const voc_flag_state *st, size_t a, size_t b) { return st->clause[a] == st->clause[b]; }
static bool same_sentence(const voc_flag_state *st, size_t a, size_t b) { return st->fs[a] == st->fs[b]; }

/* The nearest token before `from` (within `max` tokens, in its clause or, when `sentence`,
 * its sentence) whose role is in `mask` (bits 1 << role); SIZE_MAX when none. */
static size_t find_before(const voc_flag_state *st, size_t from, size_t max, uint64_t mask,
                          bool sentence)
{
    for (size_t d = 1; d <= max && from >= d; d++) {
        size_t j = from - d;
        if (sentence ? !same_sentence(st, j, from) : !same_clause(st, j, from)) break;
        if ((st->bits[j] & TOK_HEAD) && (mask >> st->role[j] & 1)) return j;
    }
    return SIZE_MAX;
}

static size_t find_after(const voc_session *s, const voc_flag_state *st, size_t from, size_t max,
                         uint64_t mask, bool sentence)
{
    for (size_t j = from + 1; j < s->n_toks && j <= from + max; j++) {
        if (sentence ? !same_sentence(st, j, from) : !same_clause(st, j, from)) break;
        if ((st->bits[j] & TOK_HEAD) && (mask >> st->role[j] & 1)) return j;
    }
    return SIZE_MAX;
}

/* (short for voc__tok_norm_is: the cue tests below ask it often) */
static inline bool norm_is(const voc_session *s, size_t i, const char *w) { return voc__tok_norm_is(s, i, w); }

_Static_assert(N_ROLES <= 64 && N_REASONS <= 64, "roles and reasons are bits of a uint64_t");

/* Is there a token of `role` anywhere in the document (from `from` on)?  The document's
 * role bits answer at once from the start, and say when no scan is needed. */
static bool any_role(const voc_session *s, const voc_flag_state *st, int role, size_t from)
{
    if (!(st->roles >> role & 1)) return false;
    if (from == 0) return true;
    for (size_t j = from; j < s->n_toks; j++)
        if ((st->bits[j] & TOK_HEAD) && st->role[j] == role) return true;
    return false;
}

/* The number of contacts a token counts, or 0.  "twice", 三次, 第三次, "several times"
 * (count_times) count by themselves; a number word or digits ("three", "3rd", 五) only when
 * a unit follows — "times", 次, 通, or a contact word ("five calls", "third email") — so
 * "on hold for 3 hours", "at 6:23" and "second plane" count nothing. */
static int count_value(const voc_session *s, const voc_flag_state *st, size_t i)
{
    if (st->role[i] && !(st->bits[i] & TOK_HEAD)) return 0;
    if (st->role[i] == ROLE_COUNT_TIMES) return st->value[i];
    int v = 0;
    size_t next = i + 1;
    if (st->role[i] == ROLE_COUNT) {
        v = st->value[i];
        while (next < s->n_toks && !(st->bits[next] & TOK_HEAD) && st->role[next] == ROLE_COUNT) next++;
    } else {
        const voc_tok *t = &s->toks[i];
        if (t->type != VOC_TOKEN_NUMBER || st->role[i]) return 0;
        const char *p = voc__tok_norm(s, t);
        size_t k = 0;
        while (k < t->norm_len && k < 3 && p[k] >= '0' && p[k] <= '9') v = v * 10 + (p[k++] - '0');
        if (k == 0 || k > 2) return 0;
        if (k < t->norm_len) { /* only ordinal endings: 3rd, 5th */
            size_t rest = t->norm_len - k;
            if (rest != 2 || !(memcmp(p + k, "st", 2) == 0 || memcmp(p + k, "nd", 2) == 0 ||
                               memcmp(p + k, "rd", 2) == 0 || memcmp(p + k, "th", 2) == 0))
                return 0;
        }
    }
    if (next >= s->n_toks || !(st->role[next] == ROLE_TIMES || st->role[next] == ROLE_CONTACT)) return 0;
    return v >= 2 && v <= 20 ? v : 0;
}

static int severity_of_count(int n)
{
    return n >= 5 ? VOC_SEVERITY_HIGH : n >= 3 ? VOC_SEVERITY_MEDIUM : VOC_SEVERITY_LOW;
}

/* Is the English churn object at token j, before its verb at `first`, one the writer asks to
 * have closed — a request earlier in its sentence, and nothing between object and verb but
 * "be" or "to be" ("I write to ask that my car policy be closed", "I'd like my account to be
 * cancelled", "I want my account closed"), not a passive report ("my account was closed")? */
static bool asked_object(const voc_session *s, const voc_flag_state *st, size_t j, size_t first)
{
    if (st->role[j] != ROLE_CHURN_OBJECT || !same_sentence(st, j, first)) return false;
    size_t e = j;
    while (e + 1 < first && !(st->bits[e + 1] & TOK_HEAD) && st->role[e + 1] == ROLE_CHURN_OBJECT) e++;
    for (size_t k = e + 1; k < first; k++)
        if (!norm_is(s, k, "be") && !norm_is(s, k, "to")) return false;
    /* with "be" the request may be far ("I write to ask that … be closed"); without it, right
     * before the object ("I want my account closed", not "I want my money back, my account
     * closed for no reason") */
    return find_before(st, j, e + 1 < first ? 24 : 3, M(ROLE_REQUEST), true) != SIZE_MAX;
}

/* The object of a cancel or close verb at tokens [first, last]: the nearest churn or keep
 * object after it in its clause, else before it in its sentence, else in the 20 tokens
 * before that (an order named in the previous sentence).  Returns the role, *at its token. */
static int verb_object(const voc_session *s, const voc_flag_state *st, size_t first, size_t last,
                       size_t *at)
{
    uint64_t objects = M(ROLE_CHURN_OBJECT) | M(ROLE_KEEP_OBJECT) | M(ROLE_PROVIDER); /* "cancel the broadband" */
    /* an English object before its verb is a passive ("my order got cancelled", "my account
     * was closed"): the company's act, never the customer leaving; Chinese puts objects first
     * (帳號幫我刪掉) */
    uint64_t before = s->toks[first].flags & VOC_TOKEN_HAN ? objects : M(ROLE_KEEP_OBJECT);
    size_t j = find_after(s, st, last, 6, objects, false);
    if (j == SIZE_MAX) j = find_before(st, first, 8, objects, true);
    if (j == SIZE_MAX)
        for (size_t d = 1; d <= 20 && first >= d; d++)
            if ((st->bits[first - d] & TOK_HEAD) && (objects >> st->role[first - d] & 1)) {
                j = first - d;
                break;
            }
    if (j != SIZE_MAX && j < first && !(before >> st->role[j] & 1) && !asked_object(s, st, j, first)) j = SIZE_MAX;
    *at = j;
    return j == SIZE_MAX ? 0 : st->role[j] == ROLE_PROVIDER ? ROLE_CHURN_OBJECT : st->role[j];
}

/* Is token i an ASCII word of letters that no lexicon knows and the English model has no
 * feature for (a made-up brand: nimbus, dashbite; not "monthly", "uber")? */
static bool unknown_word(voc_session *s, size_t i)
{
    return latin_word(s, i, 1, 30) && !known_word(s, i);
}

/* Does token i, right after a switch verb in its clause, name a company: an @mention, or a
 * capitalized word the lexicons do not know (Cobalt, Halcyon; not "Friday") followed by a
 * provider noun ("Cobalt Mobile", "Halcyon Bank") or, after a brand verb ("signed up with",
 * "switched to"), alone — "transfer to Japan" is a place.  Returns the tokens it covers. */
static size_t named_company(voc_session *s, const voc_flag_state *st, size_t i, bool bare)
{
    if (i >= s->n_toks || i == 0 || !same_clause(st, i - 1, i) || st->role[i]) return 0;
    const voc_tok *t = &s->toks[i];
    if (t->type == VOC_TOKEN_MENTION) return t->norm_len > 1;
    if (t->type == VOC_TOKEN_WORD && (t->flags & VOC_TOKEN_HAN)) { /* 轉去山嵐|銀行 */
        for (size_t j = i + 1; j < s->n_toks && j <= i + 2 && same_clause(st, i, j); j++)
            if ((st->bits[j] & TOK_HEAD) && st->role[j] == ROLE_PROVIDER) return j - i + 1;
            else if (st->role[j] || !(s->toks[j].flags & VOC_TOKEN_HAN)) break;
        return 0;
    }
    if (t->type != VOC_TOKEN_WORD || t->norm_len < 3) return 0;
    unsigned char c = (unsigned char)s->text[s->map_start[t->nstart]];
    const char *p = voc__tok_norm(s, t);
    if (p[0] < 'a' || p[0] > 'z') return 0;
    if (c < 'A' || c > 'Z') {
        /* lower case ("switching to nimbus"): after a brand verb, a word no lexicon, no model
         * feature and no list of plan words knows ("switch to paperless" is a setting) */
        if (!bare || t->norm_len < 4 || !unknown_word(s, i)) return 0;
        /* and only after a verb of moving ("switching to nimbus", "move my orders over to
         * dashbite"), not "go back to school" */
        size_t v = i - 1, limit = i > 8 ? i - 8 : 0;
        while (v > limit && st->role[v] != ROLE_BRAND_VERB && st->role[v] != ROLE_SWITCH_VERB &&
               st->role[v] != ROLE_LEAVE_VERB)
            v--;
        while (v > limit && !(st->bits[v] & TOK_HEAD) && st->role[v - 1] == st->role[v]) v--; /* its first word */
        const char *vn = voc__tok_norm(s, &s->toks[v]);
        if (s->toks[v].norm_len < 4 || (memcmp(vn, "swit", 4) && memcmp(vn, "movi", 4) && memcmp(vn, "move", 4) &&
                                        memcmp(vn, "port", 4) && memcmp(vn, "chan", 4)))
            return 0;
        static const char *const settings[] = {"paperless", "annual", "annually", "yearly", "quarterly",
            "ebill", "ebilling", "estatements", "esim", "postpaid", "prepaid", "unlimited", "contactless",
            "weekly", "biweekly", "fortnightly", "basic", "lite", "pickup", "autopay", "direct", "manual",
            "metered", "paygo", "contract", "sim", "wifi", "ethernet", "broadband", "fibre", "fiber"};
        for (size_t k = 0; k < sizeof settings / sizeof *settings; k++)
            if (strlen(settings[k]) == t->norm_len && !memcmp(settings[k], p, t->norm_len)) return 0;
    }
    static const char *const not_names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "christmas", "easter"};
    for (size_t k = 0; k < sizeof not_names / sizeof *not_names; k++)
        if (strlen(not_names[k]) == t->norm_len && !memcmp(not_names[k], p, t->norm_len)) return 0;
    if (voc__token_entry(s, i) || voc__mod_kind(t) != VOC_MOD_NONE) return 0; /* a word the lexicons know */
    if (i + 1 < s->n_toks && st->role[i + 1] == ROLE_PROVIDER && same_clause(st, i, i + 1)) return 2;
    if (c < 'A' || c > 'Z') /* the next word of its clause is not its noun ("switch to nimbus after this") */
        for (size_t j = i + 1; j < s->n_toks && j <= i + 1 && same_clause(st, i, j); j++)
            if (st->role[j] == ROLE_CHURN_OBJECT || st->role[j] == ROLE_KEEP_OBJECT ||
                s->toks[j].type == VOC_TOKEN_NUMBER)
                return 0; /* "switched to carsl 5": a place with a number */
    return bare ? 1 : 0;
}

/* Is the verb at [i, last] one word ending in "ed" and the only word of its clause
 * ("cancelled.", "@Snapbasket uninstalled.")? */
static bool done_alone(const voc_session *s, const voc_flag_state *st, size_t i, size_t last)
{
    const voc_tok *t = &s->toks[i];
    if (i != last || (t->type != VOC_TOKEN_WORD && t->type != VOC_TOKEN_HASHTAG) || t->norm_len < 5 ||
        memcmp(voc__tok_norm(s, t) + t->norm_len - 2, "ed", 2))
        return false;
    if (t->type == VOC_TOKEN_HASHTAG) /* #cancelled — of a plan the message names, not a flight */
        return any_role(s, st, ROLE_CHURN_OBJECT, 0) && !any_role(s, st, ROLE_KEEP_OBJECT, 0);
    size_t from = i;
    if (st->role[i] == ROLE_CANCEL_VERB && i > 0 && st->role[i - 1] == ROLE_CHURN_OBJECT &&
        same_clause(st, i - 1, i)) {
        /* "sub cancelled", "membership cancelled 👋": the object with its verb and nothing
         * else (no "was", "got": the company's act) */
        from = i - 1;
        while (from > 0 && st->role[from - 1] == ROLE_CHURN_OBJECT && !(st->bits[from] & TOK_HEAD)) from--;
        if (from > 0 && same_clause(st, from - 1, i)) {
            const voc_tok *p = &s->toks[from - 1];
            if ((p->norm_len == 2 && !memcmp(voc__tok_norm(s, p), "my", 2)) ||
                (p->norm_len == 3 && !memcmp(voc__tok_norm(s, p), "our", 3)))
                from--;
        }
    }
    for (size_t j = from; j-- > 0 && same_clause(st, j, i);)
        if (s->toks[j].type == VOC_TOKEN_WORD || s->toks[j].type == VOC_TOKEN_NUMBER) return false;
    for (size_t j = i + 1; j < s->n_toks && same_clause(st, j, i); j++)
        if (s->toks[j].type == VOC_TOKEN_WORD || s->toks[j].type == VOC_TOKEN_NUMBER) return false;
    return true;
}


/* Is the verb at i an "-ing" form after "I am" / "we are" / "im" in its clause ("I'm cancelling",
 * "we're porting")? — the writer's plan. */
static bool progressive(const voc_session *s, const voc_flag_state *st, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (t->norm_len < 5 || memcmp(voc__tok_norm(s, t) + t->norm_len - 3, "ing", 3) || i == 0 ||
        !same_clause(st, i - 1, i))
        return false;
    if (norm_is(s, i - 1, "im")) return true;
    return i >= 2 && same_clause(st, i - 2, i) &&
           ((norm_is(s, i - 1, "am") && norm_is(s, i - 2, "i")) || (norm_is(s, i - 1, "are") && norm_is(s, i - 2, "we")));
}

/* Is token i the only word of its clause? */
static bool alone_in_clause(const voc_session *s, const voc_flag_state *st, size_t i, size_t last)
{
    for (size_t j = i; j-- > 0 && same_clause(st, j, i);)
        if (s->toks[j].type == VOC_TOKEN_WORD || s->toks[j].type == VOC_TOKEN_NUMBER) return false;
    for (size_t j = last + 1; j < s->n_toks && same_clause(st, j, i); j++)
        if (s->toks[j].type == VOC_TOKEN_WORD || s->toks[j].type == VOC_TOKEN_NUMBER) return false;
    return true;
}

/* A cancel verb with no object that says all the same what the writer does (-1 when not):
 * R_CHURN_INTENT after a future with nothing after it in its clause ("fix it by Friday or I'll
 * cancel."); R_CANCEL_REQUEST for a contact made to cancel ("I've called 6 times to cancel");
 * R_ALREADY_LEFT for "I cancelled" ("charged after I cancelled"). */
static int cancel_alone(const voc_session *s, const voc_flag_state *st, size_t i, size_t last)
{
    bool ends = last + 1 >= s->n_toks || !same_clause(st, i, last + 1) ||
                (s->toks[last + 1].type != VOC_TOKEN_WORD && s->toks[last + 1].type != VOC_TOKEN_NUMBER);
    if (ends && (find_before(st, i, 3, M(ROLE_FUTURE) | M(ROLE_CONSEQUENT), false) != SIZE_MAX ||
                 progressive(s, st, i)))
        return R_CHURN_INTENT; /* "… or I'll cancel.", "… by Friday I'm cancelling, simple as that" */
    const voc_tok *v = &s->toks[i];
    if (i == last && v->type == VOC_TOKEN_WORD && v->norm_len > 5 &&
        !memcmp(voc__tok_norm(s, v) + v->norm_len - 3, "ing", 3) && alone_in_clause(s, st, i, last))
        return R_CANCEL_REQUEST; /* "… charged me anyway. cancelling." */
    if (i == last && v->type == VOC_TOKEN_WORD && v->norm_len > 5 &&
        !memcmp(voc__tok_norm(s, v) + v->norm_len - 3, "ing", 3)) {
        /* opening its sentence, before a preposition: "cancelling on behalf of the whole flat",
         * "Cancelling effective today" (not "Cancelling is a nightmare") */
        bool first = true;
        for (size_t j = i; j-- > 0 && st->fs[j] == st->fs[i] && first;)
            first = s->toks[j].type != VOC_TOKEN_WORD && s->toks[j].type != VOC_TOKEN_NUMBER;
        static const char *const next[] = {"on", "for", "as", "from", "at", "effective", "today", "now", "with"};
        bool prep = last + 1 >= s->n_toks || st->fs[last + 1] != st->fs[i];
        for (size_t k = 0; k < sizeof next / sizeof *next && !prep; k++) prep = norm_is(s, last + 1, next[k]);
        if (first && prep) return R_CANCEL_REQUEST;
    }
    if (i > 0 && norm_is(s, i - 1, "to") &&
        find_before(st, i - 1, 8, M(ROLE_CONTACT), true) != SIZE_MAX)
        return R_CANCEL_REQUEST;
    const voc_tok *t = &s->toks[i];
    if (i == last && t->norm_len >= 5 && !memcmp(voc__tok_norm(s, t) + t->norm_len - 2, "ed", 2)) {
        size_t j = i;
        while (j > 0 && same_clause(st, j - 1, i) && st->role[j - 1] == ROLE_DONE) j--; /* I already cancelled */
        if (j > 0 && same_clause(st, j - 1, i) && (norm_is(s, j - 1, "i") || norm_is(s, j - 1, "we")))
            return R_ALREADY_LEFT;
    }
    if (i == last && t->norm_len >= 4 && memcmp(voc__tok_norm(s, t) + t->norm_len - 2, "ed", 2) &&
        memcmp(voc__tok_norm(s, t) + t->norm_len - 3, "ing", 3)) {
        /* an order by itself: the verb opens its sentence and only a request follows in its
         * clause ("cancel pls", "Unsubscribe please.") */
        for (size_t j = i; j-- > 0 && st->fs[j] == st->fs[i];)
            if (s->toks[j].type == VOC_TOKEN_WORD || s->toks[j].type == VOC_TOKEN_NUMBER) return -1;
        bool asked = false;
        for (size_t j = last + 1; j < s->n_toks && same_clause(st, j, i); j++) {
            if (s->toks[j].type != VOC_TOKEN_WORD && s->toks[j].type != VOC_TOKEN_NUMBER) continue;
            if (st->role[j] != ROLE_REQUEST) return -1;
            asked = true;
        }
        if (asked) return R_CANCEL_REQUEST;
    }
    return -1;
}

/* After a complaint verb at [i, last] (file, lodge, report), "to" or
 * "with", maybe "the", then a word written in capitals (2–6 letters) that no row names and
 * that is not a role in the company or a common abbreviation: the body's token, else SIZE_MAX. */
static size_t authority_after(const voc_session *s, const voc_flag_state *st, size_t i, size_t last)
{
    const voc_tok *v = &s->toks[i];
    if (!complaint_verb(s, i)) return SIZE_MAX;
    size_t j = last + 1;
    while (j < s->n_toks && j <= last + 3 && same_clause(st, i, j) && !norm_is(s, j, "to") && !norm_is(s, j, "with")) j++;
    if (j >= s->n_toks || j > last + 3 || !same_clause(st, i, j)) return SIZE_MAX;
    j++;
    if (j < s->n_toks && norm_is(s, j, "the")) j++;
    if (j >= s->n_toks || !same_clause(st, i, j) || st->role[j] || s->toks[j].type != VOC_TOKEN_WORD) return SIZE_MAX;
    const voc_tok *t = &s->toks[j];
    size_t a = s->map_start[t->nstart], z = s->map_end[t->nend - 1];
    if (t->norm_len < 2 || t->norm_len > 6 || z - a != t->norm_len) return SIZE_MAX;
    for (size_t k = a; k < z; k++)
        if (s->text[k] < 'A' || s->text[k] > 'Z') return SIZE_MAX;
    /* an acronym stands out from the words around it: in a message written in capitals
     * ("I FILED A CLAIM WITH THE CLERK") a capital word is no body */
    bool verb_lower = false;
    for (size_t k = s->map_start[v->nstart]; k < s->map_end[v->nend - 1] && !verb_lower; k++)
        verb_lower = s->text[k] >= 'a' && s->text[k] <= 'z';
    if (!verb_lower) return SIZE_MAX;
    static const char *const inside[] = {"ceo", "cfo", "coo", "cto", "hr", "it", "ok", "pm", "am", "id", "pdf",
        "sms", "atm", "us", "uk", "usa", "eu", "asap", "fyi", "faq", "app", "vip", "gm", "md", "vp", "svp", "evp",
        "cs", "cx", "qa", "dm", "dms", "tv", "sim", "pin", "otp", "kyc", "emi", "nri", "gst", "vat", "tax"};
    const char *q = voc__tok_norm(s, t);
    for (size_t k = 0; k < sizeof inside / sizeof *inside; k++)
        if (strlen(inside[k]) == t->norm_len && !memcmp(inside[k], q, t->norm_len)) return SIZE_MAX;
    return j;
}

static int own_role(const voc_session *s, const voc_flag_state *st, const voc_flag_table *ft, size_t i);

/* Is token j (an incoming word, "from") followed by a date — "moved my supply to Solway Power
 * from the 14th", "from Monday", "from next month" — rather than where the writer came from? */
static bool from_date(const voc_session *s, const voc_flag_state *st, size_t j)
{
    size_t k = j + 1;
    if (k < s->n_toks && norm_is(s, k, "the")) k++;
    if (k >= s->n_toks || !same_clause(st, j, k)) return false;
    if (s->toks[k].type == VOC_TOKEN_NUMBER) return true;
    static const char *const when[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "today", "tomorrow", "next", "now", "then", "end", "start", "beginning", "1st"};
    for (size_t w = 0; w < sizeof when / sizeof *when; w++)
        if (norm_is(s, k, when[w])) return true;
    return false;
}

/* Pass 2: cues made of context words. */
static int join_context(voc_session *s, voc_flag_state *st)
{
    int rc;
    bool reorder = any_role(s, st, ROLE_REORDER, 0), keep = any_role(s, st, ROLE_KEEP, 0);
    for (size_t i = 0; i < s->n_toks; i++) {
        if (!(st->bits[i] & TOK_HEAD)) continue;
        int role = st->role[i];
        size_t last = i;
        while (last + 1 < s->n_toks && !(st->bits[last + 1] & TOK_HEAD) && st->role[last + 1] == role &&
               role > ROLE_CUE)
            last++;
        switch (role) {
        case ROLE_CANCEL_VERB:
        case ROLE_CLOSE_VERB: {
            size_t at;
            int obj = verb_object(s, st, i, last, &at);
            int reason = role == ROLE_CLOSE_VERB ? R_ACCOUNT_CLOSURE : R_CANCEL_REQUEST;
            /* "cancel @PulsefitGym": the company itself is the object */
            size_t ment = last + 1 < s->n_toks && (norm_is(s, last + 1, "my") || norm_is(s, last + 1, "our")) ? last + 2 : last + 1;
            if (!obj && ment < s->n_toks &&
                s->toks[ment].type == VOC_TOKEN_MENTION && same_sentence(st, i, ment)) {
                obj = ROLE_CHURN_OBJECT; /* "#cancelled my @CratefoxShop Plus" */
                at = ment;
            }
            /* "cancel the second line …, keep my main plan", 副卡停掉，正卡繼續用: the
             * rest stays */
            if (obj == ROLE_CHURN_OBJECT && keep && any_role(s, st, ROLE_KEEP, last + 1)) obj = ROLE_KEEP_OBJECT;
            if (obj == ROLE_CHURN_OBJECT) {
                size_t a = at < i ? at : i, b = at < i ? last : at;
                if (!same_sentence(st, a, b)) a = i, b = last;
                if ((rc = add_hit_at(st, a, b, i, VOC_FLAG_CHURN_RISK, reason, st->value[i], false))) return rc;
            } else if (!obj && role == ROLE_CANCEL_VERB && !reorder && !keep &&
                       find_before(st, i, 6, M(ROLE_REQUEST), false) != SIZE_MAX) {
                /* "I want to cancel", 我要解除: asked for, no object named */
                if ((rc = add_hit(st, i, last, VOC_FLAG_CHURN_RISK, R_CHURN_INTENT, VOC_SEVERITY_MEDIUM, false)))
                    return rc;
            } else if (!obj && role == ROLE_CANCEL_VERB && !reorder && !keep &&
                       (rc = cancel_alone(s, st, i, last)) >= 0) {
                /* "or I'll cancel.", "called 6 times to cancel", "charged after I cancelled" */
                if ((rc = add_hit(st, i, last, VOC_FLAG_CHURN_RISK, rc,
                                  rc == R_CHURN_INTENT ? VOC_SEVERITY_MEDIUM : VOC_SEVERITY_HIGH, false)))
                    return rc;
            } else if (!obj && !reorder && !keep && done_alone(s, st, i, last)) {
                /* "cancelled.", "uninstalled." — a past-tense cancel or close verb that is a
                 * clause by itself: done */
                if ((rc = add_hit(st, i, last, VOC_FLAG_CHURN_RISK, R_ALREADY_LEFT, VOC_SEVERITY_HIGH, false)))
                    return rc;
            } else if (!obj && !reorder && !keep) {
                /* "dropping them at renewal", "cancelling when my contract ends" */
                size_t end = find_after(s, st, last, 6, M(ROLE_CONTRACT_END), false);
                if (end != SIZE_MAX &&
                    (rc = add_hit_at(st, i, end, i, VOC_FLAG_CHURN_RISK, R_CONTRACT_END, VOC_SEVERITY_MEDIUM, false)))
                    return rc;
            }
            break;
        }
        case ROLE_RENEW_VERB: {
            size_t neg = find_before(st, i, 3, M(ROLE_NEGATOR), false);
            if (neg == SIZE_MAX) { /* "do not want the policy renewed", "don't wish it to renew" */
                size_t far = find_before(st, i, 6, M(ROLE_NEGATOR), false);
                for (size_t j = far + 1; far != SIZE_MAX && j < i && neg == SIZE_MAX; j++)
                    if (j <= far + 2 && (norm_is(s, j, "want") || norm_is(s, j, "wish"))) neg = far;
            }
            if (neg != SIZE_MAX &&
                (rc = add_hit(st, neg, last, VOC_FLAG_CHURN_RISK, R_NOT_RENEWING, VOC_SEVERITY_MEDIUM, true)))
                return rc;
            break;
        }
        case ROLE_RETURN_VERB: {
            size_t neg = find_before(st, i, NEG_WINDOW, M(ROLE_NEGATOR), false);
            size_t again = find_after(s, st, last, 5, M(ROLE_AGAIN), false);
            if (again == SIZE_MAX) {
                size_t before = find_before(st, i, 2, M(ROLE_AGAIN), false);
                if (before != SIZE_MAX && (neg == SIZE_MAX || neg < before)) again = before;
            }
            if (again == SIZE_MAX) break;
            size_t end = again > last ? again : last;
            if (neg != SIZE_MAX) {
                if ((rc = add_hit(st, neg, end, VOC_FLAG_CHURN_RISK, R_NEVER_AGAIN, VOC_SEVERITY_HIGH, true)))
                    return rc;
            } else if (find_before(st, i, 4, M(ROLE_FUTURE) | M(ROLE_CONSEQUENT), false) != SIZE_MAX) {
                if ((rc = add_hit(st, i, end, VOC_FLAG_DELIGHT, R_REPURCHASE, VOC_SEVERITY_MEDIUM, false)))
                    return rc;
            }
            break;
        }
        case ROLE_LEAVE_ALONE: {
            /* "I'm done.", "if it isn't fixed, I'm out", "I'm out once the promo ends": the
             * writer's exit when it ends its clause or a time clause follows ("I'm out of
             * data", "I'm done uploading" say nothing) */
            size_t j = last + 1;
            while (j < s->n_toks && same_clause(st, i, j) && s->toks[j].type != VOC_TOKEN_WORD &&
                   s->toks[j].type != VOC_TOKEN_NUMBER)
                j++;
            if (j < s->n_toks && same_clause(st, i, j) && !norm_is(s, j, "once") && !norm_is(s, j, "when") &&
                !norm_is(s, j, "after") && !norm_is(s, j, "as"))
                break;
            if (st->fs[i] + 1 < st->n_fs && (st->sent[st->fs[i] + 1] & SENT_QUESTION) &&
                (j >= s->n_toks || !same_clause(st, i, j)))
                break; /* "OK, I'm done. What's next?" — finished a step */
            if ((rc = add_hit(st, i, last, VOC_FLAG_CHURN_RISK, R_CHURN_INTENT, st->value[i], false))) return rc;
            break;
        }
        case ROLE_SWITCH_VERB:
        case ROLE_BRAND_VERB:
        case ROLE_LEAVE_VERB:
        case ROLE_EVALUATE: {
            if (role == ROLE_BRAND_VERB && (norm_is(s, i, "gone") || norm_is(s, i, "went") || norm_is(s, i, "left") ||
                                            norm_is(s, i, "moved"))) {
                /* "gone to Screenpike", "I've gone to Cobalt", "Left for Lynxtel in January",
                 * "Already moved to Oakhurst" — not "my bag has gone to Lisbon", "the flight was
                 * moved to Gate B" */
                bool own = true;
                for (size_t j = i; j-- > 0 && same_clause(st, j, i) && own;)
                    own = s->toks[j].type != VOC_TOKEN_WORD || norm_is(s, j, "i") || norm_is(s, j, "we") ||
                          norm_is(s, j, "have") || norm_is(s, j, "just") || norm_is(s, j, "already") ||
                          norm_is(s, j, "finally");
                if (!own) break;
            }
            size_t comp = find_after(s, st, last, 8, M(ROLE_COMPETITOR), false);
            int sev = role == ROLE_EVALUATE ? VOC_SEVERITY_LOW : st->value[i];
            if (comp == SIZE_MAX && role == ROLE_LEAVE_VERB &&
                (find_before(st, i, 6, M(ROLE_HEDGE) | M(ROLE_LIKELY) | M(ROLE_FUTURE) | M(ROLE_EVALUATE) |
                                              M(ROLE_CONSEQUENT) | M(ROLE_ULTIMATUM), false) != SIZE_MAX ||
                 progressive(s, st, i)) &&
                find_after(s, st, last, 8, M(ROLE_CHURN_OBJECT) | M(ROLE_KEEP_OBJECT) | M(ROLE_INCOMING), false) == SIZE_MAX) {
                /* "I'll probably end up switching", 評估要不要改用…: leaving, whoever to */
                if ((rc = add_hit(st, i, last, VOC_FLAG_CHURN_RISK, R_COMPETITOR, sev, false))) return rc;
                break;
            }
            size_t named = comp == SIZE_MAX && role != ROLE_EVALUATE && role != ROLE_LEAVE_VERB
                               ? named_company(s, st, last + 1, role == ROLE_BRAND_VERB) : 0;
            size_t cskip = 0; /* "compared it with Fernbrook's offer", "comparing you to Cariboo" (not
                               * "when compared to MEX BKK": a pronoun object first) */
            if (last + 2 < s->n_toks && (norm_is(s, last + 1, "it") || norm_is(s, last + 1, "you") ||
                                         norm_is(s, last + 1, "them")) &&
                (norm_is(s, last + 2, "with") || norm_is(s, last + 2, "to") || norm_is(s, last + 2, "against")))
                cskip = 2;
            if (comp == SIZE_MAX && role == ROLE_EVALUATE && s->toks[i].norm_len >= 7 &&
                !memcmp(voc__tok_norm(s, &s->toks[i]), "compar", 6) &&
                (named = named_company(s, st, last + 1 + cskip, true))) {
                named += cskip;
                /* "Been comparing Cariboo's plans with mine": a company weighed by its name */
                if ((rc = add_hit(st, i, last + named, VOC_FLAG_CHURN_RISK, R_COMPETITOR, VOC_SEVERITY_LOW, false))) return rc;
                break;
            }
            if (!named && comp == SIZE_MAX && role == ROLE_SWITCH_VERB) {
                /* "I'm moving to Southerly Net", "moving over to @Cobalt": a name with its
                 * provider noun after "to" ("moving to Leeds" is a place) */
                size_t j = last + 1;
                if (j < s->n_toks && norm_is(s, j, "over")) j++;
                if (j + 1 < s->n_toks && norm_is(s, j, "to") && same_clause(st, i, j) &&
                    (named = named_company(s, st, j + 1, false)))
                    named += j - last;
            }
            if (!named && comp == SIZE_MAX && (role == ROLE_SWITCH_VERB || role == ROLE_LEAVE_VERB)) {
                /* "move my orders over to dashbite", "moving our payroll to Payroo", "Porting the
                 * lot to Lynxtel": what the writer has, taken to a name */
                bool object = false, leave = role == ROLE_LEAVE_VERB; /* a leave verb needs a churn
                                                                           * object: not "switch my flight to @AmericanAir" */
                for (size_t j = last + 1; j < s->n_toks && j <= last + 6 && same_clause(st, i, j); j++) {
                    const voc_tok *t = &s->toks[j];
                    if (leave && st->role[j] == ROLE_KEEP_OBJECT) break;
                    object |= st->role[j] == ROLE_CHURN_OBJECT ||
                              (!leave && (st->role[j] == ROLE_KEEP_OBJECT ||
                                          (j == last + 1 && (norm_is(s, j, "my") || norm_is(s, j, "our")))));
                    if (object && t->norm_len == 2 && !memcmp(voc__tok_norm(s, t), "to", 2)) {
                        if ((named = named_company(s, st, j + 1, true))) named += j - last;
                        break;
                    }
                }
            }
            if (!named && comp == SIZE_MAX && (role == ROLE_SWITCH_VERB || role == ROLE_LEAVE_VERB ||
                                               role == ROLE_BRAND_VERB) &&
                s->toks[i].type == VOC_TOKEN_HASHTAG) {
                /* #switching: a declaration */
                if ((rc = add_hit(st, i, last, VOC_FLAG_CHURN_RISK, R_COMPETITOR, VOC_SEVERITY_MEDIUM, false))) return rc;
                break;
            }
            size_t from = named ? find_after(s, st, last + named, 2, M(ROLE_INCOMING), false) : SIZE_MAX;
            if (from != SIZE_MAX && !from_date(s, st, from))
                break; /* "Ported to @KitewireMobile from Pebblenet": a new customer of the one tagged */
            if (named) {
                /* "signed up with Cobalt", "moving to Cobalt Mobile", "switching to @Cobalt" */
                if ((rc = add_hit(st, i, last + named, VOC_FLAG_CHURN_RISK, R_COMPETITOR, sev, false))) return rc;
                st->hits[st->n_hits - 1].named = true;
                break;
            }
            if (comp != SIZE_MAX) {
                if (role != ROLE_EVALUATE && find_before(st, comp, 2, M(ROLE_INCOMING), false) != SIZE_MAX)
                    break; /* from another carrier; "quotes from two other tools" is still shopping around */
                size_t end = comp;
                while (end + 1 < s->n_toks && !(st->bits[end + 1] & TOK_HEAD) && st->role[end + 1] == ROLE_COMPETITOR) end++;
                if ((rc = add_hit(st, i, end, VOC_FLAG_CHURN_RISK, R_COMPETITOR, sev, false))) return rc;
            }
            break;
        }
        contact: {
            /* a count near it: "called five times", "third email", 第三次反映, 打了五通 */
            int best = 0;
            size_t best_at = SIZE_MAX;
            for (size_t j = i >= 4 ? i - 4 : 0; j <= last + 4 && j < s->n_toks; j++) {
                if (!same_clause(st, j, i) || (j >= i && j <= last)) continue;
                int v = count_value(s, st, j);
                if (v > best) { best = v; best_at = j; }
            }
            if (best >= 2) {
                size_t a = best_at < i ? best_at : i, b = best_at < i ? last : best_at;
                if ((rc = add_hit(st, a, b, VOC_FLAG_REPEAT_CONTACT, R_REPEAT_COUNT, severity_of_count(best), false)))
                    return rc;
                break;
            }
            /* "asking again" (after it), 再次詢問, 又問 (before it: 說再送來 is another verb's) */
            size_t again = s->toks[i].flags & VOC_TOKEN_HAN ? find_before(st, i, 2, M(ROLE_AGAIN), false)
                                                            : find_after(s, st, last, 2, M(ROLE_AGAIN), false);
            if (again != SIZE_MAX) {
                size_t a = again < i ? again : i, b = again < i ? last : again;
                if ((rc = add_hit(st, a, b, VOC_FLAG_REPEAT_CONTACT, R_FOLLOW_UP, VOC_SEVERITY_LOW, false)))
                    return rc;
            }
            break;
        }
        case ROLE_HEDGE: {
            /* "Honestly considering other airlines", "tempted by another bank": weighing a
             * competitor with no verb of leaving ("maybe someone else can help" is no choice) */
            const voc_tok *t = &s->toks[i];
            if (last == i && (norm_is(s, i, "maybe") || norm_is(s, i, "might") || norm_is(s, i, "perhaps") ||
                              t->type != VOC_TOKEN_WORD || own_role(s, st, s->analyzer->flags, i) != ROLE_HEDGE))
                break; /* a row's hedge ("considering"), not the scorer's irrealis words */
            size_t comp = find_after(s, st, last, 3, M(ROLE_COMPETITOR), false);
            for (size_t j = last + 1; comp == SIZE_MAX && j < s->n_toks && j <= last + 3 && same_clause(st, i, j); j++) {
                size_t named = named_company(s, st, j, false); /* "tempted to give Veloce Air a go" */
                if (named) comp = j + named - 1;
            }
            if (comp != SIZE_MAX && find_before(st, comp, 2, M(ROLE_INCOMING), false) == SIZE_MAX &&
                (rc = add_hit(st, i, comp, VOC_FLAG_CHURN_RISK, R_COMPETITOR, VOC_SEVERITY_LOW, false)))
                return rc;
            break;
        }
        case ROLE_THREAT_VERB:
        case ROLE_DONE:
        case ROLE_CONTACT: {
            if (s->toks[i].flags & VOC_TOKEN_HAN) {
                if (role != ROLE_CONTACT) break;
                goto contact;
            }
            /* "Filed with the DOT", "complaint to the CMA": a complaint taken to a body named by
             * an acronym the lexicon does not know */
            size_t body = authority_after(s, st, i, last);
            if (body != SIZE_MAX &&
                (rc = add_hit_at(st, i, body, body, VOC_FLAG_ESCALATION, R_REGULATOR, VOC_SEVERITY_MEDIUM, false)))
                return rc;
            if (role != ROLE_CONTACT) break;
            goto contact; /* a contact word also counts contacts */
        }
        case ROLE_SUPERLATIVE: {
            size_t end = find_after(s, st, last, 6, M(ROLE_SUPERLATIVE_END), false);
            if (end != SIZE_MAX &&
                (rc = add_hit(st, i, end, VOC_FLAG_DELIGHT, R_SUPERLATIVE_PRAISE, VOC_SEVERITY_LOW, false)))
                return rc;
            break;
        }
        default: break;
        }
    }
    return VOC_OK;
}

/* ---- judging a cue ---------------------------------------------------------------------- */

/* What a cue's context does to it. */
enum { KEEP_HIT, DROP_HIT };

typedef struct judged {
    int severity;
    int extra[3];          /* reasons the context adds */
    int n_extra;
} judged;

static void add_extra(judged *j, int reason)
{
    for (int k = 0; k < j->n_extra; k++) if (j->extra[k] == reason) return;
    if (j->n_extra < 3) j->extra[j->n_extra++] = reason;
}

static int min_sev(int a, int b) { return a < b ? a : b; }
static int max_sev(int a, int b) { return a > b ? a : b; }

/* Conditionals around the cue: 0 none, 1 inside the antecedent ("if I were to cancel",
 * 如果要解約的話: hypothetical), 2 in the consequent ("if it is not fixed I'll cancel",
 * 再不退我就去消基會) or after an ultimatum that is a whole antecedent by itself ("otherwise",
 * 再這樣下去), 3 with an "if" later in its sentence ("I'll cancel if …"). */
static int conditional(const voc_session *s, const voc_flag_state *st, const flag_hit *h)
{
    size_t cond = find_before(st, h->anchor, 64, M(ROLE_CONDITION), true);
    if (cond != SIZE_MAX) {
        if (!same_clause(st, cond, h->anchor)) return 2;
        /* same clause: a consequent word between ("if X I'll cancel", 如果…就換), or a subject
         * that is not the antecedent's own ("if this isn't sorted by Friday I'm reporting…";
         * "if I were to cancel" starts with its subject) */
        if (find_before(st, h->anchor, h->anchor - cond, M(ROLE_CONSEQUENT) | M(ROLE_FUTURE), false) != SIZE_MAX)
            return 2;
        size_t actor = find_before(st, h->anchor, h->anchor - cond, M(ROLE_ACTOR), false);
        if (actor != SIZE_MAX && actor > cond + 1) return 2;
        /* "if this isn't refunded within 14 days it goes to the Financial Ombudsman": a threat
         * verb well after the "if" (not "if I report …") starts the consequent */
        size_t tv = find_before(st, h->anchor, h->anchor - cond, M(ROLE_THREAT_VERB), false);
        if (tv != SIZE_MAX && tv > cond + 3 && !norm_is(s, tv - 1, "i") && !norm_is(s, tv - 1, "we")) return 2;
        return 1;
    }
    if (find_after(s, st, h->last, 64, M(ROLE_CONDITION_END), false) != SIZE_MAX) return 1; /* …的話 */
    if (find_before(st, h->anchor, 64, M(ROLE_ULTIMATUM), true) != SIZE_MAX) return 2; /* 再這樣下去… */
    if (find_after(s, st, h->last, 64, M(ROLE_CONDITION), true) != SIZE_MAX) return 3;
    return 0;
}

/* The role of token i's norm alone in the flags table (a word inside a longer match keeps
 * its own role here: "our" in "to our lawyer"). */
static int own_role(const voc_session *s, const voc_flag_state *st, const voc_flag_table *ft, size_t i)
{
    const voc_tok *t = &s->toks[i];
    size_t len;
    const char *p = flag_norm(s, st, t, &len);
    const voc_entry *e = flag_find(ft, p, len);
    if (!e && tok_informal(st, i)) e = first_word_entry(ft, p, &len); /* "im" alone is "i" */
    const flag_cue *c = e ? &ft->cues[e - ft->lx.entries] : NULL;
    return c && c->kind == 2 ? c->code : ROLE_NONE;
}

/* Is token i "lawyer(s)" or "attorney(s)" (a person, not "solicitor", "lawsuit")? */
static bool legal_person(const voc_session *s, size_t i)
{
    return norm_is(s, i, "lawyer") || norm_is(s, i, "lawyers") || norm_is(s, i, "attorney") || norm_is(s, i, "attorneys");
}

/* Does the writer act in the cue's sentence — a first person (I, we, our, 我, 我們; Chinese
 * glues 我 to the next word: 我會, 我要, 我就), a threat verb (report, file, 申訴, 投訴, 向)
 * or a done word (filed, already) up to 64 tokens before the cue, inside it or up to four
 * tokens after it (向金管會申訴, "my solicitor has already written")?
 * "The police are becoming militarized" and "setting themselves up for a lawsuit" name a
 * body without anyone going to it. */
static bool writer_acts(const voc_session *s, const voc_flag_state *st, const flag_hit *h)
{
    const voc_flag_table *ft = s->analyzer->flags;
    if (h->last > h->first && (norm_is(s, h->first, "my") || norm_is(s, h->first, "our"))) {
        /* "my lawyer will be in touch", "our solicitor is going to": the writer's own, when it
         * acts next (not "my lawyer asked for a copy of the invoice") */
        const voc_tok *l = &s->toks[h->last];
        if ((l->norm_len == 4 && !memcmp(voc__tok_norm(s, l), "will", 4)) ||
            find_after(s, st, h->last, 3, M(ROLE_FUTURE) | M(ROLE_THREAT_VERB) | M(ROLE_DONE), false) != SIZE_MAX)
            return true;
    }
    if (h->reason == R_LEGAL_THREAT && h->first == h->last && legal_person(s, h->first)) {
        /* "lawyer" alone: taken to ("this goes to our lawyer"), or ours and at work on it ("Our
         * employment lawyer is now reviewing the contract"), not "our lawyer asked us to check",
         * "the buyer's attorney is asking for …" */
        if (find_before(st, h->first, 4, M(ROLE_THREAT_VERB) | M(ROLE_FUTURE) | M(ROLE_DONE), false) != SIZE_MAX)
            return true;
        bool ours = false;
        for (size_t j = h->first; j-- > 0 && h->first - j <= 2 && same_clause(st, j, h->first);)
            ours |= norm_is(s, j, "my") || norm_is(s, j, "our");
        if (!ours) return false;
        for (size_t j = h->last + 1; j < s->n_toks && j <= h->last + 3 && same_clause(st, j, h->last); j++) {
            const voc_tok *t = &s->toks[j];
            if (st->role[j] == ROLE_FUTURE || st->role[j] == ROLE_THREAT_VERB || st->role[j] == ROLE_DONE ||
                (t->norm_len > 4 && !memcmp(voc__tok_norm(s, t) + t->norm_len - 3, "ing", 3) &&
                 st->role[j] != ROLE_CONTACT))
                return true;
        }
        return false;
    }
    /* a mood or contact word just before it that opens its clause (after I, we): "going to the
     * press", "might have to look into small claims", "calling the state insurance commissioner
     * tomorrow" — not "they would call the police" */
    size_t mood = find_before(st, h->anchor, 6, M(ROLE_FUTURE) | M(ROLE_HEDGE) | M(ROLE_LIKELY) | M(ROLE_CONTACT), false);
    if (mood != SIZE_MAX && st->role[mood] == ROLE_CONTACT &&
        (s->toks[mood].norm_len < 5 || memcmp(voc__tok_norm(s, &s->toks[mood]) + s->toks[mood].norm_len - 3, "ing", 3)))
        mood = SIZE_MAX; /* "calling the commissioner tomorrow", not "call the cops" said to someone */
    if (mood != SIZE_MAX) {
        bool opens = true;
        for (size_t j = mood; j-- > 0 && same_clause(st, j, mood) && opens;) {
            const voc_tok *t = &s->toks[j];
            if (t->type != VOC_TOKEN_WORD) continue;
            static const char *const ok[] = {"i", "we", "im", "am", "are", "will", "just", "honestly", "really",
                                             "seriously", "then", "so", "ok", "now", "and", "right"};
            bool fine = false;
            for (size_t k = 0; k < sizeof ok / sizeof *ok && !fine; k++) fine = norm_is(s, j, ok[k]);
            opens = fine;
        }
        if (opens) return true;
    }
    size_t a = h->anchor;
    while (a > 0 && h->anchor - a < 64 && same_sentence(st, a - 1, h->anchor)) a--;
    for (size_t j = h->first; j-- > 0 && h->first - j <= 2 && same_clause(st, j, h->first);) {
        /* 打了1950, 撥1950: a call verb right before the body, with no subject (Chinese drops
         * the writer's 我) */
        const voc_tok *t = &s->toks[j];
        if (!(t->flags & VOC_TOKEN_HAN)) break;
        int role = st->role[j] > ROLE_CUE ? st->role[j] : own_role(s, st, ft, j);
        if (role == ROLE_CONTACT || role == ROLE_THREAT_VERB ||
            (t->norm_len >= 3 && (!memcmp(voc__tok_norm(s, t), "\xe6\x89\x93", 3) ||  /* 打 */
                                  !memcmp(voc__tok_norm(s, t), "\xe6\x92\xa5", 3)))) /* 撥 */
            return true;
    }
    {   /* "Disputed the charge with my card company this morning.", "Already reported you to
         * Ofcom": a past-tense verb opening its sentence with no subject is the writer's diary */
        size_t v = a;
        while (v < h->first && (s->toks[v].type != VOC_TOKEN_WORD || norm_is(s, v, "already") ||
                                norm_is(s, v, "just") || norm_is(s, v, "also") || norm_is(s, v, "so")))
            v++;
        const voc_tok *t = &s->toks[v];
        if (v == h->first && t->type == VOC_TOKEN_WORD && !(t->flags & VOC_TOKEN_HAN) && t->norm_len >= 5 &&
            !memcmp(voc__tok_norm(s, t) + t->norm_len - 2, "ed", 2))
            return true;
    }
    for (size_t j = a; j < s->n_toks && j <= h->last + 4 && same_sentence(st, j, h->anchor); j++) {
        int role = st->role[j] > ROLE_CUE ? st->role[j] : own_role(s, st, ft, j);
        if (role != ROLE_THREAT_VERB && role != ROLE_ACTOR && role != ROLE_DONE && role > ROLE_CUE)
            role = own_role(s, st, ft, j); /* 我 inside 我就 (a consequent) */
        if (role == ROLE_THREAT_VERB || role == ROLE_ACTOR || role == ROLE_DONE) return true;
        const voc_tok *t = &s->toks[j];
        if (j < h->anchor && t->norm_len > 3 && !memcmp(voc__tok_norm(s, t), "\xe6\x88\x91", 3))
            return true; /* 我會, 我要, 我就 */
    }
    /* the act named in the next few words of the next sentence ("Small claims court it is.
     * Filing Friday …") */
    for (size_t j = h->last + 1; j < s->n_toks && j <= h->last + 16; j++) {
        if (same_sentence(st, j, h->anchor)) continue;
        if (st->fs[j] > st->fs[h->anchor] + 1) break;
        int role = st->role[j] > ROLE_CUE ? st->role[j] : own_role(s, st, ft, j);
        if (role == ROLE_THREAT_VERB || role == ROLE_DONE) return true;
    }
    return false;
}

/* Does a statement (not a question) in the sentence after the anchor's say what
 * the writer will do or wants — a request, a future, a done word, a contract end, a
 * competitor (I'd like it gone today; Moving to Cobalt on Friday; 下個月開始就不用了)? */
static bool intent_nearby(const voc_flag_state *st, size_t anchor)
{
    uint32_t next = st->fs[anchor] + 1; /* read_tokens marked the sentences with SENT_INTENT */
    return next < st->n_fs && !(st->sent[next] & SENT_QUESTION) && (st->sent[next] & SENT_INTENT);
}

/* Is the cue the word "chargeback" itself (always the writer's: "no refund by Monday =
 * chargeback"), not a body such as "card issuer"? */
static bool chargeback_word(const voc_session *s, const flag_hit *h)
{
    const voc_tok *t = &s->toks[h->first];
    return h->reason == R_CHARGEBACK && t->norm_len >= 6 &&
           (!memcmp(voc__tok_norm(s, t), "chargeback", t->norm_len < 10 ? t->norm_len : 10) ||
            !memcmp(voc__tok_norm(s, t), "charge", 6));
}

static int judge(const voc_session *s, const voc_flag_state *st, const voc_result *r,
                 const flag_hit *h, judged *out)
{
    int flag = h->flag;
    uint8_t sent = st->sent[st->fs[h->anchor]];
    out->severity = h->severity;
    out->n_extra = 0;
    bool praise = st->praise; /* sharing praise is not exposure */
    bool retention = flag == VOC_FLAG_DISMAY || flag == VOC_FLAG_CHURN_RISK || flag == VOC_FLAG_ESCALATION;
    if (h->reason == R_FOLLOW_UP && /* "didn't bother following up" */
        find_before(st, h->anchor, NEG_WINDOW, M(ROLE_NEGATOR), false) != SIZE_MAX)
        return DROP_HIT;
    if (flag != VOC_FLAG_REPEAT_CONTACT) {
        if (st->bits[h->anchor] & TOK_QUOTED) return DROP_HIT;             /* an agent's words */
        size_t other = find_before(st, h->anchor, 12, M(ROLE_THIRD_PARTY), false);
        /* someone else's — unless the writer speaks again after them ("we borrowed my parents'
         * rings and I cried"), or it is the writer's own child in tears over the company (the
         * writer's distress) */
        if (other != SIZE_MAX && find_before(st, h->anchor, h->anchor - other, M(ROLE_ACTOR), false) == SIZE_MAX &&
            !(h->reason == R_DISTRESS && (norm_is(s, other, "my") || norm_is(s, other, "our"))))
            return DROP_HIT;
        size_t neg = h->negation_used ? SIZE_MAX : find_before(st, h->anchor, NEG_WINDOW, M(ROLE_NEGATOR), false);
        bool tagged = false; /* "… no food vouchers nothing @SkyfinchAir im literally crying": a mention
                              * between them starts what the writer says to the company */
        for (size_t j = neg + 1; neg != SIZE_MAX && j < h->anchor && !tagged; j++)
            tagged = s->toks[j].type == VOC_TOKEN_MENTION;
        if (neg != SIZE_MAX && !tagged) return DROP_HIT;
        /* a question asks how things work, unless it asks for it ("can you close my account?")
         * or a statement next to it says the writer means it ("How do I shut my account
         * down? I'd like it sorted before it renews.") */
        bool done = h->reason == R_ALREADY_LEFT || h->reason == R_ALREADY_FILED ||
                    find_before(st, h->anchor, 12, M(ROLE_DONE), false) != SIZE_MAX;
        if (flag != VOC_FLAG_DISMAY && (sent & SENT_QUESTION) && !done && /* "I already cancelled —
                                                                           * why was I charged?" */
            find_before(st, h->anchor, 64, M(ROLE_REQUEST), true) == SIZE_MAX &&
            !(flag == VOC_FLAG_CHURN_RISK && (h->reason == R_CANCEL_REQUEST || h->reason == R_ACCOUNT_CLOSURE ||
                                               h->reason == R_CHURN_INTENT) && intent_nearby(st, h->anchor)))
            return DROP_HIT;
        if (retention && (sent & SENT_COUNTERFACTUAL)) return DROP_HIT; /* "Had it not turned up, I'd have…" */
    }
    int cond = flag == VOC_FLAG_REPEAT_CONTACT ? 0 : conditional(s, st, h);
    if (cond == 1) return DROP_HIT;
    if (cond == 3) /* an "if" later in the sentence: a feeling or praise is conditional only when it
                    * is close ("would recommend if checkout worked"), not "I'm panicking … my
                    * landlord says I'm out if it's not paid" */
        cond = (flag == VOC_FLAG_DELIGHT || flag == VOC_FLAG_DISMAY) &&
                       find_after(s, st, h->last, 6, M(ROLE_CONDITION), true) == SIZE_MAX ? 0 : 2;
    if (cond == 2 && (flag == VOC_FLAG_DELIGHT || flag == VOC_FLAG_DISMAY)) return DROP_HIT;
    if (retention && st->last_solved > h->last + 1 &&
        find_before(st, h->anchor, 64, M(ROLE_PAST) | M(ROLE_PAST_TENSE), true) != SIZE_MAX)
        return DROP_HIT;                                                  /* past, and solved since */
    switch (flag) {
    case VOC_FLAG_DISMAY: {
        /* a diminisher ("a bit disappointed", 有點失望) makes it a mild complaint; a clearly
         * positive message ("I feared I'd be disappointed — it's perfect") is not dismay */
        bool emphatic = find_before(st, h->anchor, 2, M(ROLE_EMPHATIC), false) != SIZE_MAX ||
                        (h->anchor > 0 && st->role[h->anchor - 1] == ROLE_EMPHATIC && same_clause(st, h->anchor - 1, h->anchor));
        if (r->probs[VOC_POSITIVE] >= 0.8 && !emphatic && /* "never been this let down" is no praise */
            (h->reason != R_STRONG_DISAPPOINTMENT || st->fs[h->last] != st->fs[s->n_toks - 1]))
            return DROP_HIT; /* the praise has the last word; "… Best carrier ever. What a letdown." does not */
        if (find_before(st, h->anchor, 3, M(ROLE_DIMINISHER), false) != SIZE_MAX) return DROP_HIT;
        if (h->first == h->last && h->first > 0 && h->last + 1 < s->n_toks && same_clause(st, h->first - 1, h->last + 1) &&
            s->toks[h->last + 1].type == VOC_TOKEN_WORD && !st->role[h->last + 1] &&
            (norm_is(s, h->first - 1, "my") || norm_is(s, h->first - 1, "our") || norm_is(s, h->first - 1, "his") ||
             norm_is(s, h->first - 1, "her") || norm_is(s, h->first - 1, "their"))) {
            const voc_tok *t = &s->toks[h->first];
            if (t->norm_len < 4 || memcmp(voc__tok_norm(s, t) + t->norm_len - 4, "ment", 4))
                return DROP_HIT; /* "my anxious toddler": a word for someone else (not "my disappointment") */
        }
        if (emphatic || (sent & SENT_EXCLAIM)) {
            out->severity = max_sev(out->severity, VOC_SEVERITY_MEDIUM);
            add_extra(out, R_EMPHATIC);
        }
        break;
    }
    case VOC_FLAG_CHURN_RISK:
    case VOC_FLAG_ESCALATION: {
        if (h->named && praise && r->label == VOC_POSITIVE)
            return DROP_HIT; /* "Moved my home insurance to Oakridge in January. Smoothest claim I've
                              * ever made": praise for the company moved to — this one */
        /* a positive message shares praise (exposure) or is mis-read by the model ("Right, that's
         * it, I've reported you to Ofgem … works perfectly well" is no praise of a regulator) */
        bool exposure = h->reason == R_SOCIAL_EXPOSURE || h->reason == R_MEDIA_EXPOSURE || h->reason == R_POLICE;
        if (flag == VOC_FLAG_ESCALATION &&
            ((r->label == VOC_POSITIVE && (praise || (exposure && r->probs[VOC_POSITIVE] >= 0.8))) ||
             (h->reason != R_SOCIAL_EXPOSURE && h->reason != R_ALREADY_FILED && !chargeback_word(s, h) &&
              !writer_acts(s, st, h))))
            return DROP_HIT;
        if (flag == VOC_FLAG_CHURN_RISK && h->reason != R_COMPETITOR && h->reason != R_ALREADY_LEFT) {
            /* "把自動續訂關掉喔，不是要退訂", "turn off the auto-renew, not cancelling": the
             * writer says next, in the same sentence, that it is no cancellation */
            for (size_t j = h->last + 1; j < s->n_toks && j <= h->last + 8 && same_sentence(st, j, h->anchor); j++) {
                if (st->role[j] != ROLE_NEGATOR && own_role(s, st, s->analyzer->flags, j) != ROLE_NEGATOR &&
                    !(voc__mod_kind(&s->toks[j]) == VOC_MOD_NEGATOR))
                    continue;
                for (size_t k = j + 1; k < s->n_toks && k <= j + 3 && same_clause(st, j, k); k++)
                    if (st->role[k] == ROLE_CANCEL_VERB || st->role[k] == ROLE_CLOSE_VERB ||
                        (st->bits[k] & TOK_CANCEL_CUE)) /* 不是要|退訂: a cancel cue of its own */
                        return DROP_HIT;
            }
        }
        bool final = h->reason == R_NEVER_AGAIN; /* "I will never fly with you again" */
        /* a hedge anywhere before it in its clause ("I might be going to…", 可能要去); else
         * the nearest of "probably", a future or a done word */
        uint64_t mood = M(ROLE_LIKELY) | M(ROLE_FUTURE) | M(ROLE_DONE);
        size_t m = find_before(st, h->anchor, 12, mood, false);
        int role = m == SIZE_MAX ? ROLE_NONE : st->role[m];
        if (find_before(st, h->anchor, 12, M(ROLE_HEDGE), false) != SIZE_MAX) {
            out->severity = final ? VOC_SEVERITY_MEDIUM : VOC_SEVERITY_LOW; /* "I would never…" */
            add_extra(out, R_CONSIDERING);
            break;
        }
        if (cond == 2) {
            out->severity = min_sev(out->severity, VOC_SEVERITY_MEDIUM);
            add_extra(out, R_CONDITIONAL);
        } else if (flag == VOC_FLAG_CHURN_RISK && h->reason != R_COMPETITOR &&
                   find_before(st, h->anchor, 12, M(ROLE_REQUEST), false) != SIZE_MAX) {
            out->severity = VOC_SEVERITY_HIGH; /* asked for: "please don't renew", 幫我解約 */
        } else if (flag == VOC_FLAG_ESCALATION &&
                   find_after(s, st, h->last, 3, M(ROLE_DONE), false) != SIZE_MAX) {
            out->severity = VOC_SEVERITY_HIGH; /* "my solicitor has already written" */
            add_extra(out, R_ALREADY_FILED);
        } else if (role == ROLE_LIKELY || (role == ROLE_FUTURE && !final)) {
            out->severity = min_sev(out->severity, VOC_SEVERITY_MEDIUM);
        } else if (role == ROLE_DONE) {
            out->severity = VOC_SEVERITY_HIGH;
            add_extra(out, flag == VOC_FLAG_ESCALATION ? R_ALREADY_FILED : R_ALREADY_LEFT);
        }
        break;
    }
    case VOC_FLAG_DELIGHT:
        if (r->label != VOC_POSITIVE || s->sarcasm) return DROP_HIT;
        if (find_before(st, h->anchor, 64, M(ROLE_PAST), false) != SIZE_MAX) return DROP_HIT; /* used to recommend */
        break;
    default: break;
    }
    return KEEP_HIT;
}

/* ---- the result ------------------------------------------------------------------------- */

typedef struct flag_acc {
    int severity;
    uint64_t reasons;          /* bits of enum reason */
    size_t n_spans;
    int n_hits;
    bool superlative;
} flag_acc;

static void add_span(voc_flag_state *st, flag_acc *acc, int flag, size_t start, size_t end)
{
    voc_span *sp = st->spans[flag];
    for (size_t k = 0; k < acc->n_spans; k++)
        if (sp[k].start == start && sp[k].end == end) return;
    if (acc->n_spans == MAX_SPANS) return;
    /* kept in text order */
    size_t k = acc->n_spans++;
    while (k > 0 && (sp[k - 1].start > start || (sp[k - 1].start == start && sp[k - 1].end > end))) {
        sp[k] = sp[k - 1];
        k--;
    }
    sp[k] = (voc_span){start, end};
}

static int cmp_flag(const void *a, const void *b)
{
    const voc_flag_result *x = a, *y = b;
    if (x->severity != y->severity) return x->severity > y->severity ? -1 : 1;
    return x->id - y->id;
}

static int flags(voc_session *s, voc_result *r, bool every_pass);

int voc__flags(voc_session *s, voc_result *r) { return flags(s, r, false); }
int voc__flags_every_pass(voc_session *s, voc_result *r) { return flags(s, r, true); }

static int flags(voc_session *s, voc_result *r, bool every_pass)
{
    r->flags = NULL;
    r->n_flags = 0;
    const voc_flag_table *ft = s->analyzer->flags;
    if (!ft || s->n_toks == 0) return VOC_OK;
    if (!s->flag_state && !(s->flag_state = calloc(1, sizeof *s->flag_state))) return VOC_ENOMEM;
    voc_flag_state *st = s->flag_state;
    size_t n = s->n_toks + 1;
    if (n > st->cap_all) { /* cap_all: one test per document, not one per array */
        if (voc__grow((void **)&st->role, &st->cap_role, n, 1) ||
            voc__grow((void **)&st->value, &st->cap_value, n, 1) ||
            voc__grow((void **)&st->bits, &st->cap_bits, n, 1) ||
            voc__grow((void **)&st->clause, &st->cap_clause, n, sizeof *st->clause) ||
            voc__grow((void **)&st->fs, &st->cap_fs, n, sizeof *st->fs) ||
            voc__grow((void **)&st->fix, &st->cap_fix, n, sizeof *st->fix) ||
            voc__grow((void **)&st->inf, &st->cap_inf, n, 1) ||
            voc__grow((void **)&st->cue, &st->cap_cue, n, sizeof *st->cue) ||
            voc__grow((void **)&st->cue_len, &st->cap_cue_len, n, 1) ||
            voc__grow((void **)&st->sent, &st->cap_sent, n, 1))
            return VOC_ENOMEM;
        st->cap_all = n;
    }
    st->n_hits = 0;
    if (!find_cues(s, st, ft) && !every_pass) /* nothing that can make a hit */
        return st->key.failed ? VOC_ENOMEM : VOC_OK;
    int rc = read_tokens(s, st);
    if (!rc && (st->roles & JOIN_ROLES)) rc = join_context(s, st);
    if (rc) return rc;
    if (st->key.failed) return VOC_ENOMEM;
    if (st->n_hits == 0) return VOC_OK;
    st->praise = false;
    for (size_t k = 0; k < st->n_hits && !st->praise; k++) st->praise = st->hits[k].flag == VOC_FLAG_DELIGHT;

    flag_acc acc[VOC_FLAG_COUNT];
    memset(acc, 0, sizeof acc);
    for (size_t k = 0; k < st->n_hits; k++) {
        const flag_hit *h = &st->hits[k];
        judged j = {0};
        if (judge(s, st, r, h, &j) == DROP_HIT) continue;
        flag_acc *a = &acc[h->flag];
        a->severity = max_sev(a->severity, j.severity);
        a->reasons |= 1ull << h->reason;
        for (int e = 0; e < j.n_extra; e++) a->reasons |= 1ull << j.extra[e];
        a->n_hits++;
        if (h->reason == R_SUPERLATIVE_PRAISE) a->superlative = true;
        add_span(st, a, h->flag, s->map_start[s->toks[h->first].nstart],
                 s->map_end[s->toks[h->last].nend - 1]);
    }
    /* what the whole message adds */
    flag_acc *d = &acc[VOC_FLAG_DISMAY];
    if (d->severity) {
        if (d->n_hits >= 2) {
            d->severity = max_sev(d->severity, VOC_SEVERITY_MEDIUM);
            d->reasons |= 1ull << R_EMPHATIC;
        }
        if (any_role(s, st, ROLE_LOYALTY, 0)) {
            d->severity = max_sev(d->severity, VOC_SEVERITY_MEDIUM);
            d->reasons |= 1ull << R_LOYALTY_BETRAYED;
        }
        if (any_role(s, st, ROLE_HARM, 0)) {
            d->severity = VOC_SEVERITY_HIGH;
            d->reasons |= 1ull << R_REAL_HARM;
        }
    }
    flag_acc *rp = &acc[VOC_FLAG_REPEAT_CONTACT];
    if (rp->severity && (rp->reasons & (1ull << R_STILL_WAITING | 1ull << R_NO_RESPONSE)) &&
        any_role(s, st, ROLE_LONG_WAIT, 0)) {
        rp->severity = max_sev(rp->severity, VOC_SEVERITY_MEDIUM);
        rp->reasons |= 1ull << R_LONG_WAIT;
    }
    flag_acc *c = &acc[VOC_FLAG_CHURN_RISK];
    if (c->severity && any_role(s, st, ROLE_CONTRACT_END, 0)) /* "my contract is up in May" */
        c->reasons |= 1ull << R_CONTRACT_END;
    if (c->severity && rp->severity) {
        c->reasons |= 1ull << R_REPEAT_CONTACT;
        if (rp->severity >= VOC_SEVERITY_MEDIUM) c->severity = max_sev(c->severity, VOC_SEVERITY_MEDIUM);
    }
    flag_acc *dl = &acc[VOC_FLAG_DELIGHT];
    if (dl->severity && d->severity) memset(dl, 0, sizeof *dl); /* praise beside dismay is sarcasm or mixed */
    if (dl->severity) {
        if (dl->reasons & (1ull << R_ADVOCACY)) dl->severity = VOC_SEVERITY_HIGH;
        else if (dl->reasons & (1ull << R_REPURCHASE | 1ull << R_LOYALTY) || (dl->superlative && dl->n_hits >= 2))
            dl->severity = max_sev(dl->severity, VOC_SEVERITY_MEDIUM);
    }
    size_t nf = 0;
    for (int f = 0; f < VOC_FLAG_COUNT; f++) {
        if (!acc[f].severity) continue;
        size_t nr = 0;
        for (int k = 1; k < N_REASONS && nr < MAX_REASONS; k++)
            if (acc[f].reasons >> k & 1) st->reasons[f][nr++] = reasons[k].name;
        st->results[nf++] = (voc_flag_result){f, acc[f].severity, st->reasons[f], nr,
                                              st->spans[f], acc[f].n_spans};
    }
    qsort(st->results, nf, sizeof *st->results, cmp_flag);
    r->flags = st->results;
    r->n_flags = nf;
    return VOC_OK;
}
