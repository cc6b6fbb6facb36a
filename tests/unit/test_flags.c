/* test_flags.c — the retention flags (flags.c) over the repository lexicons: each flag with
 * its severity, reason codes and words, and the look-alikes that must not alarm anyone
 * (an order cancelled to re-order, an add-on dropped, a duplicate charge, how cancelling
 * works, a negated or hypothetical intent, a third party, an agent's words in quotes, a
 * past problem now solved, politeness, "thanks again", a defect that happened again), in
 * English and Traditional Chinese.  The analyzer runs with its learned model, as records
 * do: delight needs a positive message and escalation a message that is not. */
#include "fixture.h"
#include "internal.h"

#include <stdio.h>

static voc_analyzer *analyzer;

typedef struct flags_out {
    char summary[512]; /* "churn_risk:high(cancel_request);repeat_contact:low(follow_up)" */
    char words[512];   /* the spans' text, "|"-separated, flag by flag */
} flags_out;

static int take(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)doc;
    flags_out *o = user;
    size_t n = 0, w = 0;
    for (size_t i = 0; i < r->n_flags; i++) {
        const voc_flag_result *f = &r->flags[i];
        /* the contract: known ids and severities, most severe first, then by id */
        CHECK(f->id >= 0 && f->id < VOC_FLAG_COUNT);
        CHECK(f->severity >= VOC_SEVERITY_LOW && f->severity <= VOC_SEVERITY_HIGH);
        CHECK(f->n_reasons > 0 && f->n_spans > 0);
        if (i > 0) {
            const voc_flag_result *p = &r->flags[i - 1];
            CHECK(p->severity > f->severity || (p->severity == f->severity && p->id < f->id));
        }
        n += (size_t)snprintf(o->summary + n, sizeof o->summary - n, "%s%s:%s(", i ? ";" : "",
                              voc_flag_name(f->id), voc_severity_name(f->severity));
        for (size_t k = 0; k < f->n_reasons && n < sizeof o->summary; k++)
            n += (size_t)snprintf(o->summary + n, sizeof o->summary - n, "%s%s", k ? "," : "", f->reasons[k]);
        if (n < sizeof o->summary) n += (size_t)snprintf(o->summary + n, sizeof o->summary - n, ")");
        for (size_t k = 0; k < f->n_spans && w < sizeof o->words; k++) {
            CHECK(f->spans[k].start < f->spans[k].end && f->spans[k].end <= r->text_len);
            w += (size_t)snprintf(o->words + w, sizeof o->words - w, "%s%.*s", w ? "|" : "",
                                  (int)(f->spans[k].end - f->spans[k].start), r->text + f->spans[k].start);
        }
    }
    return 0;
}

static flags_out *run(const char *text)
{
    static flags_out out;
    memset(&out, 0, sizeof out);
    CHECK_INT(fx_analyze(analyzer, text, 1, take, &out), VOC_OK);
    return &out;
}

#define FLAGS(text, expected) CHECK_STR(run(text)->summary, expected)
#define NONE(text) CHECK_STR(run(text)->summary, "")

static void test_names(void)
{
    CHECK_STR(voc_flag_name(VOC_FLAG_CHURN_RISK), "churn_risk");
    CHECK_STR(voc_flag_name(VOC_FLAG_DELIGHT), "delight");
    CHECK_STR(voc_flag_name(-1), "unknown");
    CHECK_STR(voc_flag_name(VOC_FLAG_COUNT), "unknown");
    CHECK_STR(voc_severity_name(VOC_SEVERITY_MEDIUM), "medium");
    CHECK_STR(voc_severity_name(9), "unknown");
    CHECK(voc__flags_count(analyzer->flags) > 1000);
}

static void test_churn(void)
{
    FLAGS("Please cancel my subscription at the end of this billing period.", "churn_risk:high(cancel_request)");
    CHECK_STR(run("Please cancel my subscription at the end of this billing period.")->words,
              "cancel my subscription");
    FLAGS("I'm thinking about switching to another carrier.", "churn_risk:low(competitor,considering)");
    FLAGS("My contract is up in May and I won't be renewing.", "churn_risk:medium(contract_end,not_renewing)");
    FLAGS("If the outage isn't fixed by Monday I'll close my account.", "churn_risk:medium(account_closure,conditional)");
    FLAGS("Never ordering from you again.", "churn_risk:high(never_again)");
    FLAGS("我要解約，今天就辦。", "churn_risk:high(cancel_request)");
    FLAGS("應該不會再點了。", "churn_risk:medium(never_again)");
    FLAGS("在考慮要不要換別家。", "churn_risk:low(competitor,considering)");
    FLAGS("帳號幫我刪掉，謝謝。", "churn_risk:high(account_closure)");
    CHECK_STR(run("帳號幫我刪掉，謝謝。")->words, "帳號幫我刪掉");
}

static void test_churn_lookalikes(void)
{
    NONE("Can you cancel order 5521? I'll place a new order for the right size.");
    NONE("Please cancel my duplicate charge, I was billed twice.");
    NONE("Please remove the movie add-on, I'm keeping my plan.");
    NONE("How do I cancel my subscription if I move abroad?");
    NONE("I'm not going to cancel, I just want to pause deliveries.");
    NONE("My sister switched to another bank, but I'm staying.");
    NONE("Your agent said 'you can always cancel', but I only want the router fixed.");
    NONE("Last month I nearly closed my account, but your team sorted everything out.");
    NONE("Switched from another carrier last year and it's been fine.");
    NONE("我要取消加值包，月租方案不用動。");
    NONE("訂單幫我取消，我會重新下單。");
    NONE("刷卡被扣了兩次，可以幫我取消重複的那一筆嗎？");
    NONE("請問如果要解約的話，違約金怎麼算？");
    NONE("我沒有要退訂，只是想換付款的卡。");
    NONE("上個月本來想解約，後來問題解決了，就繼續用了。");
    NONE("朋友說要換別家，我覺得你們還不錯。");
    NONE("上個月從別家轉過來，目前還可以。");
}

static void test_escalation(void)
{
    FLAGS("I have filed a complaint with the BBB.", "escalation:high(consumer_body,already_filed)");
    FLAGS("If I don't get my refund by Friday I'm reporting you to the FCC.", "escalation:medium(regulator,conditional)");
    FLAGS("I'm tempted to post the whole story online so other people know.", "escalation:low(social_exposure,considering)");
    FLAGS("再不退款，我就去消基會申訴。", "escalation:medium(consumer_body,conditional)");
    FLAGS("已經向金管會申訴了。", "escalation:high(regulator,already_filed)");
    NONE("Please send the signed contract to our legal department.");
    NONE("Could I speak to a manager about my points balance?");
    NONE("The police closed the road near the hotel, so we arrived late.");
    NONE("客服跟我說「不滿意可以找消保官」，我只是想確認帳單。");
    NONE("請把合約寄到我們法務部，謝謝。");
}

static void test_dismay(void)
{
    FLAGS("Really disappointed with the new app.", "dismay:low(strong_disappointment)");
    FLAGS("So disappointed. We waited all year for this trip.", "dismay:medium(strong_disappointment,emphatic)");
    FLAGS("I'm panicking, my card is blocked and rent is due tomorrow.", "dismay:high(distress,real_harm)");
    FLAGS("真的很心寒，當了這麼多年的忠實會員。", "dismay:medium(strong_disappointment,loyalty_betrayed)");
    FLAGS("傻眼，等了一個小時還沒上菜。", "dismay:low(shock)");
    NONE("A little disappointed the room was smaller, otherwise fine.");
    NONE("有點失望，房間比照片小一點，其他都還好。");
    NONE("不好意思，請問週末有營業嗎？");
    NONE("Sorry to bother you, what time does the pool open?");
}

static void test_repeat_contact(void)
{
    FLAGS("This is the third time I'm asking for my receipt.", "repeat_contact:medium(repeat_count)");
    FLAGS("I've called five times and nobody answered.", "repeat_contact:high(repeat_count,no_response)");
    FLAGS("Still waiting on a reply to my ticket from last week.", "repeat_contact:low(still_waiting)");
    FLAGS("打了五通電話都轉語音信箱。", "repeat_contact:high(repeat_count,no_response)");
    FLAGS("您好，我再次詢問一下發票的事。", "repeat_contact:low(follow_up)");
    NONE("Thanks again for the help! One more question about my policy.");
    NONE("The app logged me out again, no big deal.");
    NONE("It took me three tries to apply the coupon.");
    NONE("I was on hold for 3 hours yesterday.");
    NONE("App 又閃退了一次，重開就好。");
    NONE("再次感謝你們的協助！");
}

static void test_delight(void)
{
    FLAGS("Love the new dashboard!! Saves me an hour a week.", "delight:low(strong_praise)");
    FLAGS("Best pizza ever, telling all my friends about you.", "delight:high(superlative_praise,advocacy)");
    FLAGS("超好吃，會再回購！", "delight:medium(strong_praise,repurchase)");
    FLAGS("服務超親切，大推！", "delight:high(advocacy)");
    NONE("Would recommend if the checkout didn't keep timing out.");
    NONE("Wow, thanks for the 7-hour delay. Truly the best airline ever 🙄");
    NONE("I used to recommend you to everyone, now the quality is awful.");
    NONE("朋友推薦我來開戶的，請問要準備什麼？");
}

/* cue families added for dev2 (other verbs, authorities, channels) and its new look-alikes */
static void test_generalized(void)
{
    FLAGS("We're pulling the plug on the whole team plan.", "churn_risk:high(churn_intent)");
    FLAGS("Cancelled @GymCo this morning, done paying for a pool that's always shut.", "churn_risk:high(cancel_request)");
    FLAGS("I'll probably end up switching when the contract runs out.", "churn_risk:medium(competitor,contract_end)");
    FLAGS("Dropping you at renewal, the premiums doubled.", "churn_risk:medium(contract_end)");
    FLAGS("考慮改用其他平台了。", "churn_risk:low(competitor,considering)");
    FLAGS("拒買，出貨慢又不回訊息。", "churn_risk:high(never_again)");
    FLAGS("I've tagged @FCC in this thread.", "escalation:high(regulator,already_filed)");
    FLAGS("My county court claim goes in on Monday.", "escalation:medium(legal_threat)");
    FLAGS("我會寄存證信函給你們。", "escalation:medium(legal_threat)");
    FLAGS("在想要不要去找民代陳情。", "escalation:low(regulator,considering)");
    FLAGS("I'm absolutely crushed, the dress for my sister's wedding never arrived.", "dismay:high(strong_disappointment,real_harm)");
    FLAGS("很受傷，當了好幾年的白金會員。", "dismay:medium(strong_disappointment,loyalty_betrayed)");
    FLAGS("太驚艷了，一定再訪！", "delight:medium(strong_praise,repurchase)");
    NONE("Please drop the second line from my account, keep my main plan.");
    NONE("Can you cancel my 10am class and book me into the next slot?");
    NONE("Please unsubscribe me from promo texts, I still want my order updates.");
    NONE("My roommate cancelled her account last week.");
    NONE("I'm leaving for a week, can you hold my mail?");
    NONE("副卡幫我停掉，正卡照常使用。");
    NONE("請幫我取消訂閱電子報，帳號照常使用。");
    NONE("洗牙幫我取消，改約下週。");
    NONE("我妹的門號要退掉，我的主號維持不變。");
    NONE("之前本來想 po 爆料公社，後來店家道了歉也退了錢，就算了。");
}

static void test_dev3_families(void)
{
    /* a company named after a switch verb: a capitalized unknown word with a provider noun,
     * or alone after a brand verb; a place after "transfer to" is nothing */
    FLAGS("Signed up with Cobalt this afternoon, the signal here is hopeless.", "churn_risk:high(competitor)");
    FLAGS("We're consolidating everything at Halcyon Bank.", "churn_risk:medium(competitor)");
    NONE("Just wanted to ask about the fee for a transfer to Japan.");
    NONE("I switched from Cobalt Mobile last month and the coverage is great.");
    /* a question with the intent stated next to it; the question alone asks */
    FLAGS("What's the quickest way to shut my account down? I'd like it sorted before it renews.",
          "churn_risk:high(account_closure,contract_end)");
    NONE("How does cancellation of my account work?");
    /* an inverted counterfactual */
    NONE("Had the parcel not turned up today I'd have been straight on to my bank for a chargeback.");
    FLAGS("I shall be taking my custom elsewhere once this statement is settled.", "churn_risk:medium(competitor)");
    FLAGS("I will be forced to raise it with the consumer forum.", "escalation:medium(consumer_body)");
    FLAGS("I'm sick with worry, the money left my account overnight.", "dismay:medium(distress)");
    FLAGS("決定了，月底就把薪轉戶轉去山嵐銀行。", "churn_risk:medium(competitor)");
    FLAGS("以後不會再跟你們買了，連續三次都少東西。", "churn_risk:high(never_again)");
    NONE("我哥上個月轉去別的銀行，我自己沒打算換。");
}

/* informal writing: apostrophe-less contractions, text-speak, typos, hashtags, one-liners */
static void test_informal(void)
{
    FLAGS("pls cancle my subcription, i dont use it", "churn_risk:high(cancel_request)");
    FLAGS("wont renew next year tbh", "churn_risk:medium(not_renewing)");
    FLAGS("worst airline ever #neveragain", "churn_risk:high(never_again)");
    FLAGS("Uninstalled.", "churn_risk:high(already_left)");
    FLAGS("the service never once worked. porting out today", "churn_risk:medium(competitor)");
    NONE("im not cancelling lol just asking how");
    NONE("i dont want to cancel my account");
    NONE("my flight got cancelled.");
}

/* general mechanisms for informal and non-native English: misspelt row words, brand names in
 * lower case, objects moved to a name, verbs of cancelling with no object that still say what
 * the writer does, a body named by an acronym, mood words before a body, emphatic phrases
 * that hold a negator, and the look-alikes each must leave alone */
static void test_mechanisms(void)
{
    FLAGS("i want to cancel my acount asap", "churn_risk:high(cancel_request)");
    FLAGS("pls terminte my membrship", "churn_risk:high(cancel_request)");
    FLAGS("im swiching to another bank", "churn_risk:medium(competitor)");
    FLAGS("thinking of switching to zorbly, way cheaper", "churn_risk:low(competitor,considering)");
    FLAGS("gonna move my savings over to grindle next week", "churn_risk:medium(competitor)");
    NONE("switch to paperless pls");
    NONE("how do i switch to annual billing");
    NONE("Ported to @Zenmo from Brightel, how do i set up voicemail?");
    FLAGS("fix the signal this week or ill cancel.", "churn_risk:medium(churn_intent)");
    FLAGS("I'm cancelling, this is the last straw.", "churn_risk:medium(churn_intent)");
    FLAGS("after I cancelled you still billed me twice", "churn_risk:high(already_left)");
    FLAGS("membership cancelled. bye", "churn_risk:high(already_left)");
    NONE("cancelled my order, will reorder the blue one");
    FLAGS("Honestly considering other gyms after this", "churn_risk:low(competitor)");
    NONE("maybe someone else can help me");
    FLAGS("Filed with the CMA this morning about the fees.", "escalation:high(regulator,already_filed)");
    NONE("report it to HR please");
    FLAGS("going to the press with this", "escalation:medium(media_exposure)");
    FLAGS("our lawyer is now drafting a claim", "escalation:medium(legal_threat)");
    NONE("Our lawyer asked for a copy of the contract.");
    NONE("my sister is gonna cancel her plan lol");
    NONE("a lil disappointed but fine overall");
    FLAGS("stuck at the station with no info @Rail im literally crying", "dismay:medium(distress)");
    FLAGS("I can't tell you how disappointed I am.", "dismay:medium(strong_disappointment,emphatic)");
    NONE("Thanks for sorting it, I was really upset last week but all good now");
}

/* dev6 mechanisms: a clause-final exit ("I'm done."), an order by itself ("cancel pls"), an
 * object asked to be closed before its verb, "moving to <Name> <provider>", "from <date>" is
 * no incoming customer, a negated solved word, "gone to <Name>" said of the writer, a name
 * being compared, "do not want … renewed". */
static void test_dev6_mechanisms(void)
{
    FLAGS("fifth outage this month. I'm done.", "churn_risk:high(churn_intent)");
    FLAGS("I'm out once the promo ends", "churn_risk:medium(churn_intent)");
    NONE("I'm done uploading the documents");
    NONE("OK I'm done. What's next?");
    NONE("I'm out of data again, can you top me up?");
    FLAGS("cancel pls", "churn_risk:high(cancel_request)");
    FLAGS("cancel the broadband.", "churn_risk:high(cancel_request)");
    NONE("my broadband got cancelled by mistake");
    NONE("Cancel my order please");
    FLAGS("I write to ask that my car policy be closed at the end of this month.",
          "churn_risk:high(account_closure)");
    FLAGS("I want my account closed.", "churn_risk:high(account_closure)");
    NONE("my account was closed by you without warning");
    NONE("I want my money back, my account closed for no reason");
    NONE("Please stop the calls, I'm at work.");
    FLAGS("We're moving over to Halcyon Bank.", "churn_risk:medium(competitor)");
    NONE("We're moving to Leeds next month, can I take the broadband with me?");
    FLAGS("I moved my supply to Solway Power from the 14th.", "churn_risk:high(competitor)");
    FLAGS("my son was in tears because the cake never turned up", "dismay:high(distress)");
    FLAGS("gone to Zorbly. bye", "churn_risk:high(competitor)");
    NONE("my bag has gone to Lisbon without me, where do I collect it?");
    FLAGS("Been comparing Zorbly's plans with mine.", "churn_risk:low(competitor)");
    FLAGS("I do not want the policy renewed.", "churn_risk:medium(not_renewing)");
    NONE("I did not get a reminder before it renewed.");
    NONE("Can you terminate the old API key? We rotated it.");
    NONE("遙控器轉台很慢，可以換一支嗎？");
    FLAGS("合約到期就轉台", "churn_risk:medium(competitor,contract_end)");
}

static void test_dev7_mechanisms(void)
{
    /* a subjectless past-tense opener is the writer's act */
    FLAGS("Reported the whole thing to Ofcom yesterday.", "escalation:medium(regulator)");
    /* left for / moved to a name, only as the writer's own move */
    FLAGS("Left for Zorbly last spring and never looked back.", "churn_risk:high(competitor)");
    FLAGS("Already moved to Zorbly, thanks for nothing.", "churn_risk:high(competitor,already_left)");
    NONE("my connecting flight was moved to Gate B");
    NONE("She left for Lisbon this morning.");
    /* a threat verb well after "if" is the consequent */
    FLAGS("If this is not sorted by Monday it goes to the ombudsman.", "escalation:medium(regulator,conditional)");
    /* "compared it with X" weighs a competitor; "when compared to X" does not */
    FLAGS("Compared it with Zorbly's deal and you lose.", "churn_risk:low(competitor)");
    /* leave verbs with a churn object taken to a name; not a flight */
    FLAGS("porting the lot to Zorbly.", "churn_risk:medium(competitor)");
    NONE("can you switch my flight to @OtherAir instead?");
    /* a later "not cancelling" in the sentence says it is no cancellation */
    NONE("幫我把自動續訂關掉，不是要退訂，之後我自己手動續約。");
    /* code-switched leaving */
    FLAGS("門號已經port到別家了", "churn_risk:high(competitor,already_left)");
}

/* What a review of the rules found: look-alikes the mechanisms above must leave alone, and a
 * mechanism that only worked at the start of a text. */
static void test_review_cases(void)
{
    /* real words one slip from a typo-tolerant row stay themselves */
    NONE("my layers will be in touch tomorrow with the new design");
    NONE("I am poring over the bills from last year");
    NONE("they are sifting through the paperwork");
    /* a message in capitals has no acronym body */
    NONE("I FILED A CLAIM WITH THE CLERK AND WAITED");
    FLAGS("Filed a complaint with the DOT today.", "escalation:high(regulator,already_filed)");
    /* a lower-case company after a verb of moving, anywhere in the text */
    FLAGS("honestly we are porting my account to zorbly", "churn_risk:medium(competitor)");
    /* "my"/"our" as the writer's own, not "m…"/"ou…" prefixes */
    FLAGS("my lawyer will be in touch.", "escalation:medium(legal_threat)");
}

/* The early end (find_cues, joinable): a document it ends early for must have no flag when
 * every pass runs.  Differential: each text is analyzed, and the same session's flags then
 * made again by every pass; both must agree (and the flags table's shortcuts must hold token
 * by token: an entry read off the scorer's lookup, the pair filter of two-token keys, the
 * typo filter).  The texts: the retention dev sets and the samples, and the partner rules'
 * own cases (a contact word with a count, "again" or a complaint verb; a return verb with
 * "again"; a superlative with its end; threat and done words with and without a body). */
typedef struct every_pass {
    voc_session *s;
    size_t n_docs, n_flagged;
} every_pass;

static int compare_every_pass(void *user, const voc_doc *doc, const voc_result *r)
{
    every_pass *e = user;
    flags_out early, every;
    memset(&early, 0, sizeof early);
    memset(&every, 0, sizeof every);
    take(&early, doc, r); /* before the second run: it reuses the storage r->flags points to */
    voc_result again = *r;
    CHECK(voc__flags_shortcuts_agree(e->s)); /* scorer lookups reused, pair and typo filters */
    CHECK_INT(voc__flags_every_pass(e->s, &again), VOC_OK);
    take(&every, doc, &again);
    CHECK_STR(early.summary, every.summary);
    CHECK_STR(early.words, every.words);
    e->n_docs++;
    e->n_flagged += r->n_flags > 0;
    return 0;
}

static void test_early_end(void)
{
    every_pass e = {NULL, 0, 0};
    voc_error err;
    CHECK_INT(voc_session_new(analyzer, &e.s, &err), VOC_OK);
    static const char *const texts[] = {
        "Reported them to the FAA this morning.", "I will report you to the DOT", "lodged it with the CAA",
        "I have called 5 times about this", "third email and nothing", "emailed them 3 times now",
        "I called 2 times", "asking again about my bag", "I'm asking again", "dm me",
        "never flying with you again", "will fly with you again", "best airline ever",
        "the best crew I have ever had", "get me home", "we go to the gate", "already boarded",
        "我打了五通電話", "第三次反映了", "再次詢問客服", "我要去消基會申訴",
        /* misspellings of each kind, for the typo filter (voc__flags_shortcuts_agree) */
        "i want to cancel my acount asap", "pls terminte my membrship", "cancle my subscripton",
        "close my accountt now", "im swiching to another bank", "my acocunt is a mess",
        "cancellled and refundd"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        voc_doc d = {.text = texts[i], .text_len = strlen(texts[i]), .id = "x"};
        CHECK_INT(voc_analyze(e.s, &d, compare_every_pass, &e, &err), VOC_OK);
    }
    /* every misspelling of some row words misspelt undoes — a letter missed, two neighbours
     * swapped, a letter doubled —, one text per word: the typo filter must let each through */
    static const char *const row_words[] = {"subscription", "membership", "terminate", "switching", "lawyer"};
    for (size_t w = 0; w < sizeof row_words / sizeof *row_words; w++) {
        const char *word = row_words[w];
        size_t len = strlen(word), n = 0;
        char text[2048];
        for (size_t k = 1; k < len; k++) { /* missed */
            n += (size_t)snprintf(text + n, sizeof text - n, "%.*s%s ", (int)k, word, word + k + 1);
        }
        for (size_t k = 1; k + 1 < len; k++) { /* swapped */
            n += (size_t)snprintf(text + n, sizeof text - n, "%.*s%c%c%s ", (int)k, word, word[k + 1], word[k],
                                  word + k + 2);
        }
        for (size_t k = 0; k < len; k++) { /* doubled */
            n += (size_t)snprintf(text + n, sizeof text - n, "%.*s%s ", (int)k + 1, word, word + k);
        }
        CHECK(n < sizeof text);
        voc_doc d = {.text = text, .text_len = n, .id = "x"};
        CHECK_INT(voc_analyze(e.s, &d, compare_every_pass, &e, &err), VOC_OK);
    }
    static const char *const files[] = {"corpora/retention/dev.jsonl", "corpora/retention/dev2.jsonl",
        "corpora/retention/dev3.jsonl", "corpora/retention/dev4.jsonl", "corpora/retention/dev5.jsonl",
        "corpora/retention/dev6.jsonl", "corpora/retention/dev7.jsonl", "corpora/samples/messages.jsonl"};
    voc_reader_options o = {0};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[512], line[16384];
        snprintf(path, sizeof path, "%s/%s", VOCMINE_SOURCE_DIR, files[f]);
        FILE *in = fopen(path, "r");
        CHECK(in != NULL);
        for (size_t n = 1; in && fgets(line, sizeof line, in); n++) {
            voc_input doc;
            if (voc_input_parse(&o, files[f], n, line, strlen(line), &doc, &err)) continue;
            CHECK_INT(voc_analyze(e.s, &doc.doc, compare_every_pass, &e, &err), VOC_OK);
            voc_input_clear(&doc);
        }
        if (in) fclose(in);
    }
    CHECK(e.n_docs > 1400);
    CHECK(e.n_flagged > 700); /* most of the retention sets' messages have a flag */
    /* and hundreds have none: documents without a flag, where the early end may apply (this
     * counts them, not the early ends themselves; a set of flagged texts only would hardly
     * reach it) */
    CHECK(e.n_docs - e.n_flagged > 300);
    voc_session_free(e.s);
}

int main(void)
{
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", NULL, 0, VOC_SEGMENTER_DICT, 0, NULL};
    voc_error err;
    if (voc_analyzer_new(&o, &analyzer, &err)) {
        fprintf(stderr, "cannot build analyzer: %s:%zu: %s\n", err.source, err.line, err.message);
        return 1;
    }
    test_names();
    test_churn();
    test_churn_lookalikes();
    test_escalation();
    test_dismay();
    test_repeat_contact();
    test_delight();
    test_generalized();
    test_dev3_families();
    test_informal();
    test_mechanisms();
    test_dev6_mechanisms();
    test_dev7_mechanisms();
    test_review_cases();
    test_early_end();
    voc_analyzer_free(analyzer);
    return test_exit_status("flags");
}
