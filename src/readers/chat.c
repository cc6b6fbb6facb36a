/* readers/chat.c — a chat conversation (one JSON object per line) → the customer's side.
 *
 *   {"id":"CH-1","customer_id":"C-7","turns":[{"role":"customer","text":"…","time":"…"},
 *                                             {"role":"agent","text":"…"}, …]}
 *
 * Only customer turns are scored: an agent's "we are so sorry for the terrible experience"
 * says nothing about how the customer feels.  The customer turns are joined by line breaks
 * (each a sentence boundary for the analyzer) into the document text, and each keeps where
 * it sits (voc_turn), so the record can point spans into the turn they came from and the
 * analyzer can score the first and the last turn alone — the conversation's trajectory.
 * Role names and field names are options (--role-field, --customer-role, --turns-field,
 * --text-field); a turn without text or with a role nobody named is skipped with a
 * warning on the record, and a conversation without any customer turn still yields a
 * (neutral, empty_text) record, so every conversation is counted. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

/* Is `role` one of the comma-separated names in `list`? (case-sensitive: roles are codes) */
static bool role_in(const char *role, size_t len, const char *list)
{
    while (list && *list) {
        const char *comma = strchr(list, ',');
        size_t l = comma ? (size_t)(comma - list) : strlen(list);
        if (l == len && !memcmp(role, list, len)) return true;
        list = comma ? comma + 1 : NULL;
    }
    return false;
}

int voc__chat_fill(const voc_reader_options *opts, const voc_json_node *root, voc_input *in,
                   const char *source, size_t line, voc_error *err)
{
    voc_input_storage *st = in->priv;
    const voc_json *j = &st->json;
    const char *turns_field = opts->turns_field ? opts->turns_field : "turns";
    const char *role_field = opts->role_field ? opts->role_field : "role";
    const char *text_field = opts->text_field ? opts->text_field : "text";
    const char *time_field = opts->time_field ? opts->time_field : "time";
    const char *customer_roles = opts->customer_roles ? opts->customer_roles : "customer";
    const char *other_roles = opts->other_roles ? opts->other_roles : "agent,bot,system";
    const voc_json_node *turns = voc__json_get(j, root, turns_field);
    if (!turns || turns->type != VOC_JSON_ARRAY)
        return voc__fail(err, VOC_EFIELD, source, line, 0, "field \"%s\" %s (a chat needs an array of turns)",
                         turns_field, turns ? "is not an array" : "is missing");
    size_t n = turns->len;
    st->turns = calloc(n ? n : 1, sizeof *st->turns);
    if (!st->turns) return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    voc_buf text = {0};
    size_t n_customer = 0, i = 0;
    const char *first_time = NULL;
    for (const voc_json_node *turn = voc__json_first(j, turns); turn; turn = voc__json_next(j, turn), i++) {
        if (turn->type != VOC_JSON_OBJECT) {
            in->doc.input_warnings |= VOC_WARN_SKIPPED_TURNS;
            continue;
        }
        if (!first_time) first_time = voc__json_string(j, voc__json_get(j, turn, time_field), NULL);
        size_t role_len = 0;
        const char *role = voc__json_string(j, voc__json_get(j, turn, role_field), &role_len);
        bool customer = role && role_in(role, role_len, customer_roles);
        if (!customer) {
            if (!role || !role_in(role, role_len, other_roles)) in->doc.input_warnings |= VOC_WARN_SKIPPED_TURNS;
            continue;
        }
        size_t len = 0;
        const char *said = voc__json_string(j, voc__json_get(j, turn, text_field), &len);
        if (!said) {
            in->doc.input_warnings |= VOC_WARN_SKIPPED_TURNS;
            continue;
        }
        if (n_customer) voc__buf_append(&text, "\n", 1);
        st->turns[n_customer] = (voc_turn){text.len, len, i};
        voc__buf_append(&text, said, len);
        n_customer++;
    }
    if (voc__input_take_text(in, &text)) return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    in->doc.turns = st->turns;
    in->doc.n_turns = n_customer;
    const char *t = voc__json_string(j, voc__json_get(j, root, time_field), NULL);
    in->doc.time = t ? t : first_time;
    return VOC_OK;
}
