/* test_score.c — the first scorer's rules (score.c): lexicon matches, negation with scope,
 * degree words, contrast, concessive, conditionals and questions, politeness, emphasis. */
#include "fixture.h"
#include "internal.h"

#include <math.h>

static double score(const char *text)
{
    return fx_run(text, 1)->score;
}

static int label(const char *text)
{
    return fx_run(text, 1)->label;
}

static int has_evidence(const char *text, int kind, const char *term)
{
    fx_result *r = fx_run(text, 1);
    for (size_t i = 0; i < r->n_evidence; i++)
        if (r->evidence[i].kind == kind && (!term || !strcmp(r->evidence[i].term, term))) return 1;
    return 0;
}

/* the weight of the first evidence of this kind and term, 0 when there is none */
static double evidence_weight(const char *text, int kind, const char *term)
{
    fx_result *r = fx_run(text, 1);
    for (size_t i = 0; i < r->n_evidence; i++)
        if (r->evidence[i].kind == kind && !strcmp(r->evidence[i].term, term)) return r->evidence[i].weight;
    return 0;
}

/* Texts that should or should not show a waited duration; a failure names the text. */
struct wait_case {
    const char *text;
    bool wait;
};

static void check_waits(const struct wait_case *cases, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        bool got = has_evidence(cases[k].text, VOC_EVIDENCE_RULE, "waited duration");
        test_checks++;
        if (got != cases[k].wait) {
            fprintf(stderr, "%s:%d: \"%s\": waited duration %s, expected %s\n", __FILE__, __LINE__, cases[k].text,
                    got ? "found" : "not found", cases[k].wait ? "one" : "none");
            test_failures++;
        }
    }
}

/* A session of the repository's analyzer, kept for the checks that read its internals. */
static voc_session *new_session(void)
{
    voc_session *s = NULL;
    voc_error err;
    if (voc_session_new(fx_analyzer(), &s, &err)) {
        fprintf(stderr, "session: %s\n", err.message);
        exit(1);
    }
    return s;
}

/* Analyze `text` in session s, whose tokens and scratch then describe it. */
static void analyze_in(voc_session *s, const char *text)
{
    voc_error err;
    voc_doc d = {.text = text, .text_len = strlen(text), .id = "x"};
    CHECK_INT(voc_analyze(s, &d, NULL, NULL, &err), VOC_OK);
}

#define CHECK_LABEL(text, want)                                                           \
    do {                                                                                  \
        int got_ = label(text);                                                           \
        test_checks++;                                                                    \
        if (got_ != (want)) {                                                             \
            fprintf(stderr, "%s:%d: label of \"%s\" is %s (score %.3f), want %s\n",       \
                    __FILE__, __LINE__, text, voc_label_name(got_), score(text),          \
                    voc_label_name(want));                                                \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

#define CHECK_LESS(a, b)                                                                  \
    do {                                                                                  \
        double a_ = (a), b_ = (b);                                                        \
        test_checks++;                                                                    \
        if (!(a_ < b_)) {                                                                 \
            fprintf(stderr, "%s:%d: %s < %s failed: %.4f >= %.4f\n", __FILE__, __LINE__,  \
                    #a, #b, a_, b_);                                                      \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

int main(void)
{
    /* plain lexicon hits, both languages */
    CHECK_LABEL("The agent was helpful.", VOC_POSITIVE);
    CHECK_LABEL("The refund process is a nightmare.", VOC_NEGATIVE);
    CHECK_LABEL("My order number is 12345.", VOC_NEUTRAL);
    CHECK_LABEL("客服很親切，問題馬上解決", VOC_POSITIVE);
    CHECK_LABEL("APP一直閃退，超級難用", VOC_NEGATIVE);
    CHECK_LABEL("请问发票什么时候寄出", VOC_NEUTRAL); /* Simplified, through OpenCC */
    CHECK_LABEL("这家外卖太难吃了", VOC_NEGATIVE);

    /* negation flips within its clause, and only there */
    CHECK_LABEL("The service was not good.", VOC_NEGATIVE);
    CHECK_LABEL("服務不好", VOC_NEGATIVE);
    CHECK_LABEL("餐點沒有很好吃", VOC_NEGATIVE);
    CHECK(has_evidence("The service was not good.", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK_LABEL("No, the staff were great.", VOC_POSITIVE); /* "no," ends its clause */
    /* fixed expressions whose parts mislead */
    CHECK_LABEL("Not bad at all.", VOC_POSITIVE);
    CHECK_LABEL("這家還不錯", VOC_POSITIVE);
    CHECK_LABEL("I can't complain.", VOC_POSITIVE);
    CHECK(has_evidence("It couldve been worse.", VOC_EVIDENCE_LEXICON, "could have been worse")); /* fused */
    CHECK(has_evidence("Returns are hassle free and guilt free.", VOC_EVIDENCE_LEXICON, "guilt free"));
    CHECK(!has_evidence("Returns are hassle free and guilt free.", VOC_EVIDENCE_LEXICON, "guilt"));
    /* double negation ends up positive */
    CHECK_LABEL("這家店不是不好吃", VOC_POSITIVE);
    /* 一點…都沒有, 一點都不: "not (even a little) at all" */
    CHECK(evidence_weight("麵糊糊的，一點嚼勁都沒有", VOC_EVIDENCE_LEXICON, "嚼勁") < 0);
    CHECK(evidence_weight("一點油膩感都沒有", VOC_EVIDENCE_LEXICON, "油膩") > 0);
    CHECK_LESS(evidence_weight("不油膩", VOC_EVIDENCE_LEXICON, "油膩"),
               evidence_weight("一點都不油膩", VOC_EVIDENCE_LEXICON, "油膩"));
    CHECK(evidence_weight("有一點油膩", VOC_EVIDENCE_LEXICON, "油膩") < 0);
    CHECK_LABEL("服務好差", VOC_NEGATIVE); /* 好 the degree word, not 服務好 */
    /* 好 before an amount is "quite", never "good"; 太 + a property word is an excess */
    CHECK(!has_evidence("叫了好幾次才理我們", VOC_EVIDENCE_LEXICON, "好"));
    CHECK(has_evidence("叫了好好吃", VOC_EVIDENCE_LEXICON, NULL));
    CHECK_LABEL("小籠包皮太厚", VOC_NEGATIVE);
    CHECK_LESS(0, evidence_weight("甜度不會太甜", VOC_EVIDENCE_LEXICON, "太甜")); /* denied: praise */
    CHECK_LESS(evidence_weight("皮太厚", VOC_EVIDENCE_LEXICON, "太厚"), 0);
    /* praise of a rival shop is a complaint; "better than the rival" is praise */
    CHECK_LABEL("同樣的價格別家規格好很多", VOC_NEGATIVE);
    CHECK_LABEL("比別家好吃很多", VOC_POSITIVE);
    CHECK_LABEL("環境好髒", VOC_NEGATIVE);
    /* "less" turns its term around like a negator: less helpful is a complaint, less buggy is not */
    CHECK_LABEL("The agents were less helpful than before.", VOC_NEGATIVE);
    CHECK(has_evidence("The agents were less helpful than before.", VOC_EVIDENCE_NEGATOR, "less"));
    CHECK(evidence_weight("The new version is less buggy.", VOC_EVIDENCE_LEXICON, "buggy") > 0);
    CHECK(evidence_weight("It is nothing less than amazing.", VOC_EVIDENCE_LEXICON, "amazing") > 0);

    /* degree words scale */
    CHECK_LESS(score("The food was good."), score("The food was very good."));
    CHECK_LESS(score("東西好吃"), score("東西非常好吃"));
    CHECK_LESS(score("The food was slightly good."), score("The food was good."));
    CHECK_LESS(fabs(score("有點失望")), fabs(score("失望")));

    /* contrast: the later clause weighs more */
    CHECK_LABEL("The staff were lovely but the refund took six weeks and it was a disaster.", VOC_NEGATIVE);
    CHECK_LABEL("價格有點貴，但是東西很好吃，服務也很棒", VOC_POSITIVE);
    CHECK_LABEL("雖然服務很好，但是餐點難吃又貴", VOC_NEGATIVE);
    CHECK(has_evidence("Good food but terrible service", VOC_EVIDENCE_CONTRAST, "but"));

    /* conditionals and questions are damped toward neutral */
    CHECK_LESS(fabs(score("如果服務好一點就更好了")), fabs(score("服務好一點就更好了")));
    CHECK_LESS(fabs(score("Is the new plan good?")), fabs(score("The new plan is good.")));
    CHECK(has_evidence("It would be nice if the app were faster.", VOC_EVIDENCE_IRREALIS, NULL));
    /* a rhetorical "how is that …?" denies, so its praise all but vanishes (a bare "?" damps less) */
    CHECK(has_evidence("How is that worth it?", VOC_EVIDENCE_QUESTION, "how is that"));
    CHECK_LESS(fabs(score("How is that worth it?")), fabs(score("Is that worth it?")));

    /* politeness formulas are not complaints; a sign-off praises nothing */
    CHECK(!has_evidence("Your website is broken. All best.", VOC_EVIDENCE_LEXICON, "best"));
    CHECK_LABEL("不好意思，請問我的包裹寄出了嗎？", VOC_NEUTRAL);
    CHECK_LABEL("Sorry to bother you, could you tell me my order status?", VOC_NEUTRAL);

    /* thanks closing a request is politeness; praise inside a question is damped */
    CHECK_LABEL("不好意思，請問訂單可以改寄送地址嗎？謝謝", VOC_NEUTRAL);
    CHECK_LABEL("Can you check my order status please? Thanks", VOC_NEUTRAL);
    CHECK_LABEL("Thanks, the agent fixed it in minutes.", VOC_POSITIVE);
    /* an emoticon is not negated by a negator before it */
    CHECK_LABEL("driver 還打來說找不到路 T_T", VOC_NEGATIVE);

    /* a waited duration is a complaint about time */
    CHECK_LABEL("I have been on the phone for 2 hours.", VOC_NEGATIVE);
    CHECK_LABEL("等了一個多小時才送到", VOC_NEGATIVE);
    CHECK_LABEL("Delivered in 2 hours, great service!", VOC_POSITIVE); /* praise still wins */
    static const struct wait_case waits[] = {
        {"we sat on the plane for three hours", true},
        /* looked for from the sentence's first quantity on, past ones that are no duration */
        {"2 bags, gate 12 and then we waited 3 hours", true},
        {"Fine. 2 bags, gate 12 and then we waited 3 hours", true},
        {"2 bags, gate 12 and then we waited", false},
        /* a Han duration the word list keeps whole (三天, 十分鐘) is a wait beside a waiting word */
        {"退款等了三天", true}, {"三天才到貨", true}, {"三天兩夜的行程很好玩", false}, {"住了三天很舒服", false},
        /* approximate amounts (十多, 十幾) and numerals up to 九 */
        {"等了十多個小時才到", true}, {"等了十幾分鐘", true}, {"I waited ten hours at the gate", true},
        /* the word list no longer joins a particle to a numeral (了三|週 hid 三週); a quantity and a
         * half (一個|半小時) is one duration; queueing (排了) is waiting */
        {"退款等了三週", true}, {"排了一個半小時", true}, {"一個半小時的電影很好看", false},
        /* an English duration that names a time, with no waiting word near, is no wait */
        {"Flying to LA in 9 days", false}, {"2 weeks until the holidays!", false},
        {"They fixed it in 20 minutes", false}, {"2 weeks have gone by and no refund", true},
        {"I waited 2 weeks until they refunded me", true},
        /* a countdown past "and a day": a time, not a wait */
        {"17 weeks and a day til we fly", false}, {"I waited 3 weeks and a day for the refund", true},
        {"The CD will be here in a couple weeks", false}, {"I have waited a couple weeks", true},
        /* a Han stay, outing or distance is no wait; with a waiting word it is one */
        {"打車20分鐘就到了", false}, {"步行5分鐘到捷運站", false}, {"我們玩了6個小時", false},
        {"等了20分鐘才到", true}, {"花了40分鐘才送到", true},
        /* 快 before an amount is "almost" (below): the wait is still read */
        {"等了快四十分鐘", true},
        /* an English duration of having, using or staying is no wait, unless a waiting word
         * proper is by it; nor is an age or a point in something */
        {"I've had this laptop for 3 weeks", false}, {"Been using it for 6 months, no complaints", false},
        {"We stayed for 3 days", false}, {"I have been on hold for 2 hours", true},
        {"I have been calling for 3 days", true}, {"Many have not had their luggage for 3 days", true},
        {"I've used it for 2 weeks waiting for the fix", true},
        {"My puppy is 8 weeks old", false}, {"5 minutes into the call it dropped", false},
        /* a duration bounded from above is a short time, not a wait */
        {"Setup took less than five minutes", false}, {"The refund took under an hour", false},
        {"The refund took more than five weeks", true},
        /* a negated wait was none; a modal's negation or a rule said of "it" is a complaint */
        {"I didn't have to wait 30 minutes this time", false},
        {"The agents don't take 50 minutes to answer the phone", false},
        {"They could not wait 5 minutes for us", true},
        {"It doesn't take 6 weeks to reply to an email", true},
        /* time given is no wait */
        {"That gives me 10 hours to make my move", false},
        /* how long a thing lasts is no wait; a wait beside it still is */
        {"Battery lasts about 6 hours with the screen on", false},
        {"The battery lasted 3 days and then I waited 2 weeks for a replacement", true},
        /* what a duration is "of" names what it is: sun, battery, play; a wait stays one */
        {"The beds get about six hours of sun", false}, {"It gives 10 hours of battery", false},
        {"This one has survived three weeks", false}, {"We sat through 3 hours of waiting", true},
        {"Apparently they rehearsed it for two weeks", false},
        /* an opening time is no wait; a wait of the same hours is one */
        {"ATM 24 小時皆可使用", false}, {"等了24小時都沒回", true},
        /* a unit glued to its number is a duration too; "m" and "2day" are none */
        {"on hold for 45min", true}, {"waited 2hrs for the driver", true}, {"flight leaves in 2hrs", false},
        {"waited 500m from the gate", false}, {"waiting 2day for the refund", false}};
    check_waits(waits, sizeof waits / sizeof *waits);
    /* an English duration without a waiting word around it is a plan or a fact: half weight
     * (none at all when it names a time, above) */
    CHECK_LESS(evidence_weight("I waited 2 weeks for the refund", VOC_EVIDENCE_RULE, "waited duration"),
               evidence_weight("We booked 2 weeks in Italy", VOC_EVIDENCE_RULE, "waited duration"));
    CHECK_LESS(evidence_weight("We booked 2 weeks in Italy", VOC_EVIDENCE_RULE, "waited duration"), 0);
    /* 快 before an amount is "almost", not "fast" */
    CHECK(!has_evidence("等了快四十分鐘", VOC_EVIDENCE_LEXICON, "快"));
    CHECK(has_evidence("他動作很快", VOC_EVIDENCE_LEXICON, "快"));
    CHECK(!has_evidence("建成不滿2年，設備都挺新的", VOC_EVIDENCE_LEXICON, "不滿")); /* under two years */
    CHECK(has_evidence("對服務很不滿", VOC_EVIDENCE_LEXICON, "不滿"));
    /* split Han days with no waiting word (a stay, a plan) count half */
    CHECK_LESS(evidence_weight("等了七天才到", VOC_EVIDENCE_RULE, "waited duration"),
               evidence_weight("日本七天吃到飽才399", VOC_EVIDENCE_RULE, "waited duration"));
    CHECK_LESS(evidence_weight("日本七天吃到飽才399", VOC_EVIDENCE_RULE, "waited duration"), 0); /* half, not none */
    /* weeks weigh more than hours, hours more than minutes */
    CHECK_LESS(evidence_weight("the refund took six months", VOC_EVIDENCE_RULE, "waited duration"),
               evidence_weight("the refund took six weeks", VOC_EVIDENCE_RULE, "waited duration"));
    CHECK_LESS(evidence_weight("the refund took six weeks", VOC_EVIDENCE_RULE, "waited duration"),
               evidence_weight("the refund took six hours", VOC_EVIDENCE_RULE, "waited duration"));
    CHECK_LESS(evidence_weight("the refund took six hours", VOC_EVIDENCE_RULE, "waited duration"),
               evidence_weight("the refund took six minutes", VOC_EVIDENCE_RULE, "waited duration"));
    CHECK_LESS(evidence_weight("等了三個禮拜", VOC_EVIDENCE_RULE, "waited duration"),
               evidence_weight("等了一個多小時", VOC_EVIDENCE_RULE, "waited duration"));

    /* a weak sarcasm cue turns praise only beside a complaint */
    CHECK(has_evidence("Great job losing my bag again.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Disappointed they sold out of vinyl, but I enjoyed the show. Great job tonight! <3",
                        VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("Disappointed they sold out of vinyl, but I enjoyed the show. Great job tonight! <3", VOC_POSITIVE);

    /* ... and only what follows it in its sentence, not the backdrop of real praise */
    CHECK(has_evidence("Well done, you cancelled my flight again", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Your crew is doing a great job of keeping everyone informed during the delays",
                        VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Great job and great service this weekend during the winter storm.", VOC_EVIDENCE_RULE,
                        "sarcasm"));
    CHECK(!has_evidence("They are all doing a great job. Weather is to blame.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("Your crew is doing a great job of keeping everyone informed during the delays", VOC_POSITIVE);
    /* (the two above have their complaint past the six tokens: these fail without the
     * backdrop words) */
    CHECK(!has_evidence("Great job handling the delays today.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Great job with the delays today.", VOC_EVIDENCE_RULE, "sarcasm"));

    /* deadpan praise after a complaint is sarcasm; exclaimed praise and thanks are not */
    CHECK(has_evidence("The app crashed again. Perfect.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("Forgot my phone at home. Great. I hope I do not need it.", VOC_NEGATIVE);
    CHECK(!has_evidence("The app crashed again. They fixed it in five minutes. Great!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Loved the hotel. Great.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* praise that is a sarcasm cue mocks there as a phrase and with any punctuation */
    CHECK(has_evidence("Lost my bag again. Great job.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* 呵呵 is a chuckle, no sarcasm cue: hotel reviews put it beside praise (138 of 159) */
    CHECK(!has_evidence("總體來說還不錯，就是價格有點貴，呵呵", VOC_EVIDENCE_RULE, "sarcasm"));
    /* laughter after a complaint is amusement, not deadpan praise */
    CHECK(!has_evidence("The comment says: \"I've waited far too long.\" Hahaha", VOC_EVIDENCE_RULE, "sarcasm"));
    /* "so much for" mocks at the start of its clause, not after another word */
    CHECK(has_evidence("So much for great customer service, the agent was rude.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("I love them so much for those two games alone, the rest was awful.", VOC_EVIDENCE_RULE,
                        "sarcasm"));
    /* deadpan after a comma, when the clause before it complains */
    CHECK(has_evidence("The screen cracked on day one, lovely.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Arrived on time, great.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The screen cracked on day one, haha.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The screen cracked on day one, great!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("You are the worst airline. Congrats!!", VOC_NEGATIVE);
    CHECK(!has_evidence("Fixed it in five minutes. Great job!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Congrats on the new route!", VOC_EVIDENCE_RULE, "sarcasm"));
    /* ... only a complaint term before it (a duration is none) and only real praise mocks */
    CHECK(!has_evidence("Back after a wonderful vacation. Plus two days in NYC before going home. Perfect.",
                        VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Uhhh duh! Lol. So cute", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(has_evidence("Uhhh the app crashed! Great.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The app crashed again. Fine.", VOC_EVIDENCE_RULE, "sarcasm")); /* too mild */
    CHECK(has_evidence("The app crashed again. Good.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* praise taken back by a "not" after a pause; "or not" and "not the food" are no cue */
    CHECK(has_evidence("They can't figure it out! awesome service... NOT!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(has_evidence("I love this airline. Not.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Great flight, will fly again whether the price goes up or not.", VOC_EVIDENCE_RULE,
                        "sarcasm"));
    CHECK(!has_evidence("Loved the crew. Not the food though.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* thanks for a harm: a deed, or a strongly negative thing; sincere thanks for a fix or
     * for a mildly negative thing are thanks */
    CHECK(has_evidence("thanks for making the worst trip ever", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(has_evidence("Thank you for losing my bag.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(has_evidence("thanks for the terrible service", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Thanks for fixing the problem so fast!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Thanks for your concern.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Thanks for the update on the delay", VOC_EVIDENCE_RULE, "sarcasm"));

    /* a negator reaches past an English topic word of no valence, not past a Han one */
    CHECK(has_evidence("Your company does not value good customers.", VOC_EVIDENCE_NEGATOR, "not"));
    CHECK_LESS(evidence_weight("Your company does not value good customers.", VOC_EVIDENCE_LEXICON, "good"), 0);
    CHECK_LESS(0, evidence_weight("不辣不嗆", VOC_EVIDENCE_LEXICON, "嗆"));
    CHECK(!has_evidence("別的酒店一般", VOC_EVIDENCE_NEGATOR, "別"));

    /* a two-part Han phrase with a degree word or negator between its parts */
    CHECK_LESS(0, evidence_weight("我覺得CP值很高。", VOC_EVIDENCE_LEXICON, "cp值高"));
    CHECK(has_evidence("我覺得CP值很高。", VOC_EVIDENCE_INTENSIFIER, "很"));
    CHECK_LESS(evidence_weight("價格有點高", VOC_EVIDENCE_LEXICON, "價格高"), 0);
    CHECK_LESS(evidence_weight("價格高", VOC_EVIDENCE_LEXICON, "價格高"),
               evidence_weight("價格有點高", VOC_EVIDENCE_LEXICON, "價格高"));
    CHECK_LESS(0, evidence_weight("這家酒店價格不高", VOC_EVIDENCE_LEXICON, "價格高"));
    /* never had anything so …: the term holds (沒 + 過 + 如此/這麼) */
    CHECK_LESS(0, evidence_weight("從來沒喝過如此甘醇的高湯。", VOC_EVIDENCE_LEXICON, "甘醇"));
    CHECK(!has_evidence("從來沒喝過如此甘醇的高湯。", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK_LESS(evidence_weight("沒吃過這麼難吃的牛排", VOC_EVIDENCE_LEXICON, "難吃"), 0);
    CHECK(has_evidence("沒有很甘醇", VOC_EVIDENCE_NEGATOR, "沒有"));
    /* how could it not be …: 怎麼可能不好吃 asserts the term */
    CHECK_LESS(0, evidence_weight("濃厚的鴨油拌青菜，怎麼可能不好吃。", VOC_EVIDENCE_LEXICON, "好吃"));
    CHECK(!has_evidence("怎麼會不喜歡呢", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK(has_evidence("我不喜歡", VOC_EVIDENCE_NEGATOR, "不"));
    /* food words with 棒 are no praise; QQ彈彈 is texture, not the crying QQ */
    CHECK(!has_evidence("不過裡面的蟹肉棒絲很乾。", VOC_EVIDENCE_LEXICON, "棒"));
    CHECK_LESS(0, evidence_weight("米飯QQ彈彈的。", VOC_EVIDENCE_LEXICON, "qq彈彈"));
    CHECK_LESS(evidence_weight("好難過QQ", VOC_EVIDENCE_LEXICON, "qq"), 0);
    /* not too sweet: 太甜 is an excess, so 不會太甜 praises */
    CHECK_LESS(0, evidence_weight("拉茶蠻好喝的，也不會太甜。", VOC_EVIDENCE_LEXICON, "太甜"));
    CHECK_LESS(evidence_weight("蛋糕太甜了。", VOC_EVIDENCE_LEXICON, "太甜"), 0);
    /* up to three words inside, adverbs (也, 都, 真的) among them; each modifier applies */
    CHECK_LESS(0, evidence_weight("價格也不會太高", VOC_EVIDENCE_LEXICON, "價格高"));
    CHECK(has_evidence("價格也不會太高", VOC_EVIDENCE_NEGATOR, "不會"));
    CHECK(has_evidence("價格也不會太高", VOC_EVIDENCE_INTENSIFIER, "太"));
    CHECK_LESS(evidence_weight("性價比也太低了吧", VOC_EVIDENCE_LEXICON, "性價比低"), 0);
    CHECK(!has_evidence("價格也高", VOC_EVIDENCE_LEXICON, "價格高")); /* an adverb alone: no phrase */

    /* a courtesy (greeting, sign-off) asks nothing: no polite-request lean to neutral */
    CHECK(has_evidence("I was wondering where my order is", VOC_EVIDENCE_RULE, "polite request"));
    CHECK(!has_evidence("Good morning world!!!", VOC_EVIDENCE_RULE, "polite request"));
    CHECK(!has_evidence("Have a great day!", VOC_EVIDENCE_RULE, "polite request"));
    CHECK(!has_evidence("你好，我的訂單少了一杯珍奶", VOC_EVIDENCE_RULE, "polite request"));
    CHECK(!has_evidence("Good morning world!!!", VOC_EVIDENCE_LEXICON, NULL)); /* not scored */
    /* a courtesy with a valence of its own is not scored either (score_term's formula test) */
    CHECK(!has_evidence("Hope you are well. My order has not arrived.", VOC_EVIDENCE_LEXICON, NULL));
    /* laughter is not negated, as emoticons are not */
    CHECK(!has_evidence("IM NOT THE LATTER LOL", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK_LESS(0, evidence_weight("you can never leave lmao", VOC_EVIDENCE_LEXICON, "lmao"));

    /* a consolation ("at least") or a concessive opener ("as much as") at a clause's start
     * weighs its clause down; elsewhere, or before an amount, it is nothing */
    static const struct { const char *text, *term; bool weighs; } openers[] = {
        {"The flight was delayed three hours. At least the crew was nice.", "at least", true},
        {"行李又弄丟了，至少客服態度很好。", "至少", true},
        {"As much as I love this phone, the battery is terrible.", "as much as", true},
        {"Much as I like the app, it crashes daily.", "much as", true},
        {"We waited at least 3 hours for our bags.", NULL, false},
        {"At least 3 hours on hold and nobody answered.", NULL, false},
        {"I love it as much as my old one.", NULL, false},
        {"Save as much as 50% on every order.", NULL, false}};
    for (size_t k = 0; k < sizeof openers / sizeof *openers; k++)
        CHECK(has_evidence(openers[k].text, VOC_EVIDENCE_CONCESSIVE, openers[k].term) == openers[k].weighs);
    CHECK_LABEL("The flight was delayed three hours. At least the crew was nice.", VOC_NEGATIVE);
    CHECK_LABEL("As much as I love this phone, the battery is terrible.", VOC_NEGATIVE);
    CHECK_LESS(evidence_weight("The crew was lovely. At least the crew was nice.", VOC_EVIDENCE_LEXICON, "nice"),
               evidence_weight("The crew was lovely. And the crew was nice.", VOC_EVIDENCE_LEXICON, "nice"));

    /* a degree phrase gives its last word up to a sentiment phrase that begins there */
    CHECK(has_evidence("Way too tight even though I ordered a size up.", VOC_EVIDENCE_LEXICON, "too tight"));
    CHECK_LABEL("Way too tight.", VOC_NEGATIVE);
    /* a warning in the imperative, and a remedy that fails: no praise by negation */
    CHECK_LABEL("Don't waste your money on this.", VOC_NEGATIVE);
    CHECK_LABEL("Even the talented cast can't save this mess.", VOC_NEGATIVE);
    CHECK(has_evidence("The shirt is way too expensive.", VOC_EVIDENCE_INTENSIFIER, "way too")); /* no phrase at "too" */

    /* a rise or fall is good or bad news by what rises or falls, not by its words */
    CHECK_LABEL("Unemployment fell to its lowest level in a decade.", VOC_POSITIVE);
    CHECK_LABEL("Prices at the pump have soared.", VOC_NEGATIVE);
    CHECK_LABEL("Sales dropped sharply.", VOC_NEGATIVE);
    CHECK_LABEL("My bill went up again.", VOC_NEGATIVE);
    CHECK(has_evidence("Wait times dropped to five minutes.", VOC_EVIDENCE_RULE, "change for the better"));
    CHECK(!has_evidence("The stock soared today!", VOC_EVIDENCE_RULE, "change for the better")); /* no listed noun */
    CHECK(has_evidence("Complaints have not fallen.", VOC_EVIDENCE_RULE, "change for the worse")); /* negated */
    /* (a negator of another verb does not turn the change: "not" is think's) */
    CHECK(has_evidence("I do not think complaints have fallen.", VOC_EVIDENCE_RULE, "change for the better"));
    CHECK(!has_evidence("Taxes that fall into your pocket.", VOC_EVIDENCE_RULE, NULL)); /* "fall into" */
    CHECK_LABEL("They raised my fees again.", VOC_NEGATIVE);  /* an object after the verb */
    CHECK(has_evidence("The update reduced wait times.", VOC_EVIDENCE_RULE, "change for the better"));
    CHECK(!has_evidence("Please reduce the price.", VOC_EVIDENCE_RULE, NULL)); /* asked for: no news */
    /* a verb of solving takes a trouble away; negated, the trouble stays; asked for, a purpose
     * or an order, nothing is done yet */
    CHECK_LABEL("They fixed my problem in five minutes.", VOC_POSITIVE);
    CHECK_LABEL("The issue was resolved quickly.", VOC_POSITIVE);
    CHECK_LABEL("They still haven't fixed my problem.", VOC_NEGATIVE);
    CHECK(has_evidence("The update never fixed the crashes.", VOC_EVIDENCE_RULE, "change for the worse"));
    CHECK(has_evidence("Prices did not rise this year.", VOC_EVIDENCE_RULE, "change for the better"));
    static const char *const not_done[] = {
        "Can you fix my problem?", "Please fix the issue.", "Fix the problem.",
        "I called to resolve my issue.", "Still waiting for them to fix the bug.",
        "How to fix the problem with my account?", "We pay a fixed price every month."};
    for (size_t k = 0; k < sizeof not_done / sizeof *not_done; k++)
        CHECK(!has_evidence(not_done[k], VOC_EVIDENCE_RULE, "change for the better"));
    CHECK(has_evidence("I was able to resolve the issue myself.", VOC_EVIDENCE_RULE, "change for the better"));

    /* not a single one: 一個 … 都沒有 denies the term between; 以為 holds its clause as a belief
     * the text corrects; praise in scare quotes beside a complaint mocks; a Chinese verdict
     * after a comma is no deadpan */
    CHECK_LABEL("水果一個壞的都沒有", VOC_POSITIVE);
    CHECK_LABEL("一開始以為是假貨，拿去專櫃對比了一下，是正品，放心了", VOC_POSITIVE);
    CHECK(has_evidence("以為是假貨", VOC_EVIDENCE_CONCESSIVE, "以為"));
    CHECK_LABEL("真是「驚喜」，身體乳塗上去黏糊糊的", VOC_NEGATIVE);
    CHECK(has_evidence("The \"fast\" shipping took 3 weeks and the box was crushed.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The \"fast\" shipping really was fast.", VOC_EVIDENCE_RULE, "sarcasm")); /* no complaint */
    CHECK(!has_evidence("車釐子很甜，冷鏈送來的還是冰的，新鮮", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(has_evidence("The screen cracked on day one, lovely.", VOC_EVIDENCE_RULE, "sarcasm"));

    /* praise that welcomes "another" of something mocks, unless what comes is praised too */
    CHECK_LABEL("Great, another 'scheduled maintenance' on a Friday night", VOC_NEGATIVE);
    CHECK(has_evidence("Oh wonderful, more fees.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Great, another happy customer!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The update is great, another win.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* never met anything so …: 好久沒吃到這麼好吃的 praises, as 沒吃過這麼好吃的 does */
    CHECK_LABEL("好久沒有吃到這麼好吃的手扒雞了", VOC_POSITIVE);
    CHECK_LABEL("沒想到這麼好吃", VOC_POSITIVE);
    CHECK_LABEL("從來沒吃過這麼難吃的", VOC_NEGATIVE);
    CHECK(!has_evidence("招牌菜無疑神作級別", VOC_EVIDENCE_NEGATOR, NULL)); /* 無疑: undoubtedly */

    /* a contrast word that is a complaint too: after something, not at a sentence's start */
    CHECK_LABEL("Lovely color, shame the sweater shrank two sizes in the first wash.", VOC_NEGATIVE);
    CHECK(has_evidence("Lovely color, shame it shrank.", VOC_EVIDENCE_CONTRAST, "shame"));
    CHECK(!has_evidence("Too bad he left, this would have been great.", VOC_EVIDENCE_CONTRAST, NULL));
    /* an expectation, a claim: the clause is what was believed */
    CHECK(has_evidence("I expected a sturdier chair for what it cost.", VOC_EVIDENCE_CONCESSIVE, "expected"));
    /* a copula's "not" that ends a sentence denies the praise before it */
    CHECK_LABEL("The pizza was fine. The hair baked into the crust was not.", VOC_NEGATIVE);
    CHECK(!has_evidence("The pizza was fine. I asked if it was ready. It was not.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* what a change verb's noun is of is the noun's; one describing word may stand before it */
    CHECK_LABEL("The new drug cut the risk of a second heart attack by nearly half.", VOC_POSITIVE);
    CHECK_LABEL("Vaccination rates recovered, reversing a worrying decline.", VOC_POSITIVE);
    CHECK(has_evidence("Reported burglaries dropped by a fifth.", VOC_EVIDENCE_RULE, "change for the better"));
    /* "used to" puts praise in the past: "used to be great" is no praise of today, and a
     * praise after a contrast stays one */
    CHECK_LABEL("This place used to be great.", VOC_NEGATIVE);
    CHECK(evidence_weight("I used to love this app.", VOC_EVIDENCE_NEGATOR, "used to") < 0);
    CHECK_LABEL("It takes a while to get used to the keyboard, but it's great.", VOC_POSITIVE);
    /* "if by X you mean" mocks the praise X */
    CHECK(has_evidence("The service was super attentive... if by attentive you mean we flagged someone down three times.",
                       VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The service was super attentive and the food came fast.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* ... and not a complaint word: "if by lame you mean awesome" praises */
    CHECK(!has_evidence("If by \"lame\" you mean AWESOME!", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("If by \"lame\" you mean AWESOME!", VOC_POSITIVE);
    /* a complaint joined by "or"/"nor" to a negated one is negated too */
    CHECK_LABEL("I've washed these jeans a dozen times and they haven't faded or shrunk.", VOC_POSITIVE);
    CHECK(evidence_weight("The app does not crash or freeze.", VOC_EVIDENCE_LEXICON, "freeze") > 0);
    CHECK(evidence_weight("The app crashes or freezes every day.", VOC_EVIDENCE_LEXICON, "freezes") < 0);
    /* "never looked this good": a degree, not a denial, after a linking verb */
    CHECK_LABEL("My tomatoes have never looked this good.", VOC_POSITIVE);
    CHECK_LABEL("The food has never looked good.", VOC_NEGATIVE);
    /* applause after a complaint mocks it; after a conceded one it applauds */
    CHECK(has_evidence("Raising prices again while removing half the shows. great value guys 👏👏",
                       VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("The delay was long but the crew was amazing 👏", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Great staff 👏👏👏 def flying again.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* only applause amid words is emphasis: 🙃 there still mocks */
    CHECK(has_evidence("Thanks for the two hour delay, you really made my morning 🙃 never flying you again",
                       VOC_EVIDENCE_RULE, "sarcasm"));
    /* an A-not-A question asks and denies nothing: 能|不能用, 好|不|好吃; 行不行 still complains */
    CHECK(!has_evidence("想知道能不能用USB-C充電。", VOC_EVIDENCE_LEXICON, "不能用"));
    CHECK(has_evidence("這台不能用了。", VOC_EVIDENCE_LEXICON, "不能用"));
    CHECK(!has_evidence("真的好不好吃？", VOC_EVIDENCE_LEXICON, "好吃"));
    CHECK(has_evidence("這家不好吃。", VOC_EVIDENCE_LEXICON, "好吃"));
    CHECK(has_evidence("分兩次送，行不行啊", VOC_EVIDENCE_LEXICON, "不行"));
    /* the writer's #sarcasm takes the praise back; the word itself is talk about sarcasm */
    CHECK(has_evidence("Thanks SO much for the $35 'activation fee'. Truly customer-first #sarcasm",
                       VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("Great comment, I love the sarcasm here.", VOC_EVIDENCE_RULE, "sarcasm"));
    /* slowing is a change: good of a harm, bad of a good, a complaint of anything else */
    CHECK_LABEL("The epidemic has slowed.", VOC_POSITIVE);
    CHECK_LABEL("Wage growth slowed sharply.", VOC_NEGATIVE);
    CHECK(has_evidence("Wage growth slowed sharply.", VOC_EVIDENCE_RULE, "change for the worse"));
    CHECK_LABEL("The app slowed down after the update.", VOC_NEGATIVE);
    /* "if you enjoy" a trouble, the praise before it mocks; of a pleasure it is sincere */
    CHECK(has_evidence("Perfect if you enjoy waiting forty minutes for a table you booked a week ago.",
                       VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("If you enjoy hiking, this trail is great.", VOC_POSITIVE);
    /* cooling and easing are verbs of change: "inflation has cooled" is good news */
    CHECK_LABEL("Inflation has cooled for a fourth consecutive month.", VOC_POSITIVE);
    CHECK(has_evidence("Inflation has cooled for a fourth consecutive month.", VOC_EVIDENCE_RULE,
                       "change for the better"));
    CHECK(has_evidence("Tensions eased after the talks.", VOC_EVIDENCE_RULE, "change for the better"));
    /* a verdict of balance sums the text up in the middle; asked, it sums up nothing */
    CHECK_LABEL("Great screen, awful battery; it evens out.", VOC_NEUTRAL);
    CHECK(has_evidence("Great screen, awful battery; it evens out.", VOC_EVIDENCE_RULE, "evens out"));
    CHECK_LABEL("Some puzzles are clever, some are tedious. A middle-of-the-road game.", VOC_NEUTRAL);
    CHECK(has_evidence("Some puzzles are clever, some are tedious. A middle-of-the-road game.", VOC_EVIDENCE_RULE,
                       "middle-of-the-road"));
    CHECK_LABEL("這家店好壞參半，湯頭不錯但服務普通。", VOC_NEUTRAL);
    CHECK(has_evidence("這家店好壞參半，湯頭不錯但服務普通。", VOC_EVIDENCE_RULE, "好壞參半"));
    CHECK(!has_evidence("Is it hit or miss?", VOC_EVIDENCE_RULE, "hit or miss"));
    CHECK_LABEL("Awful battery, it drains overnight.", VOC_NEGATIVE); /* (the same complaint, no verdict) */
    /* plain information without a sentiment term (hours, a price) leans neutral; beside a
     * verdict it says nothing, and an English price is no such cue */
    CHECK(has_evidence("營業時間是早上七點到下午兩點，週一公休。", VOC_EVIDENCE_RULE, "plain information"));
    CHECK(has_evidence("滷肉飯35元、貢丸湯30元。", VOC_EVIDENCE_RULE, "plain information"));
    CHECK(!has_evidence("菜單很好看但東西很難吃。", VOC_EVIDENCE_RULE, "plain information"));
    CHECK_LABEL("菜單很好看但東西很難吃。", VOC_NEGATIVE);
    CHECK(!has_evidence("The plan is $40 a month.", VOC_EVIDENCE_RULE, "plain information"));
    /* a harm gone is good news; a fix takes a complaint away */
    CHECK(has_evidence("The back pain has pretty much gone.", VOC_EVIDENCE_RULE, "change for the better"));
    CHECK(has_evidence("These patch notes fix basically every complaint.", VOC_EVIDENCE_RULE, "change for the better"));
    /* a time limit is no wait; a notice of one is plain information */
    CHECK(!has_evidence("用餐限時90分鐘，另收一成服務費。", VOC_EVIDENCE_RULE, "waited duration"));
    CHECK(has_evidence("用餐限時90分鐘，另收一成服務費。", VOC_EVIDENCE_RULE, "plain information"));
    /* 真是太棒了 before a complaint mocks it; alone it is praise */
    CHECK(has_evidence("真是太棒了，等了四十分鐘，拿到的飲料是別人的。", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK_LABEL("這家店真是太棒了，每道菜都好吃！", VOC_POSITIVE);
    /* thanks to a handle for a harm mock, the handle between them or not; staying open late is no harm */
    CHECK(has_evidence("Thanks @StreamBoxTV for logging me out mid-finale.", VOC_EVIDENCE_RULE, "sarcasm"));
    CHECK(!has_evidence("thx @MedPlusPharmacy for staying open late, the pharmacist was so kind", VOC_EVIDENCE_RULE,
                        "sarcasm"));
    /* falling "for" a span of time is a fall; falling for a trick is not */
    CHECK(has_evidence("Math scores have fallen for the third consecutive year.", VOC_EVIDENCE_RULE,
                       "change for the worse"));
    CHECK(!has_evidence("Scores fell for the trick.", VOC_EVIDENCE_RULE, NULL));
    /* "is up", "are down" are verbs of change beside a harm or a good; alone an outage stays one */
    CHECK(has_evidence("Attendance is up this term.", VOC_EVIDENCE_RULE, "change for the better"));
    CHECK(has_evidence("Prices are down this month.", VOC_EVIDENCE_RULE, "change for the better"));
    CHECK_LABEL("My internet is down again.", VOC_NEGATIVE);
    /* 差 asking for a difference is no complaint */
    CHECK(!has_evidence("公司貨跟水貨差在哪？", VOC_EVIDENCE_LEXICON, "差"));
    /* months of use are no wait */
    CHECK(!has_evidence("Six months of daily use and the pan is still nonstick.", VOC_EVIDENCE_RULE, "waited duration"));

    /* a harm named in a yes-or-no question is asked about: damped; not in a why-question */
    CHECK(has_evidence("Does my home policy cover water damage from a burst pipe?", VOC_EVIDENCE_QUESTION, "?"));
    /* (the same harm, asked with "why", stays a complaint: the pair shows the opening decides) */
    CHECK(has_evidence("Is my order late again?", VOC_EVIDENCE_QUESTION, "?"));
    CHECK(!has_evidence("Why is my order late again?", VOC_EVIDENCE_QUESTION, NULL));
    CHECK(!has_evidence("Doesn't it suck?", VOC_EVIDENCE_QUESTION, NULL));

    /* ":/" after praise takes it back */
    CHECK_LABEL("Love a good last minute emergency :/", VOC_NEGATIVE);

    /* a sigh, like laughter, is affect of its own: no negator turns it */
    CHECK_LABEL("can't pay rent smh", VOC_NEGATIVE);
    CHECK(!has_evidence("can't pay rent smh", VOC_EVIDENCE_NEGATOR, NULL));
    /* the negator's window counts words, not articles */
    CHECK_LABEL("Never had a single dropped call.", VOC_POSITIVE);
    CHECK(has_evidence("I have not had a single problem", VOC_EVIDENCE_NEGATOR, NULL));

    /* a question that opens with a negated auxiliary asserts; so does a tag; not a request
     * ("can't you"), a wish with "if", or a question that does not open with it */
    CHECK_LABEL("Isn't it beautiful?", VOC_POSITIVE);
    CHECK_LABEL("Don't you just love it?", VOC_POSITIVE);
    CHECK_LABEL("Doesn't it suck?", VOC_NEGATIVE);
    CHECK_LABEL("It's beautiful, isn't it?", VOC_POSITIVE);
    CHECK(!has_evidence("Isn't it beautiful?", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK(!has_evidence("Isn't it beautiful?", VOC_EVIDENCE_QUESTION, NULL)); /* asserted: not damped */
    CHECK(has_evidence("Wouldn't it be nice if they answered the phone?", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK(has_evidence("Can't you be nice?", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK(has_evidence("Why isn't it good?", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK(has_evidence("It isn't great, it is ok?", VOC_EVIDENCE_NEGATOR, NULL));

    /* a negator that denies anything was ever like it intensifies; time frame after not */
    CHECK_LABEL("I have never been so disappointed in a company.", VOC_NEGATIVE);
    CHECK_LABEL("Never had such bad service in my life.", VOC_NEGATIVE);
    CHECK_LABEL("Never seen such a rude agent.", VOC_NEGATIVE);
    CHECK_LABEL("I have never been this happy with a purchase.", VOC_POSITIVE);
    CHECK_LABEL("I haven't been this happy in years!", VOC_POSITIVE);
    CHECK_LABEL("The staff could not be more helpful!", VOC_POSITIVE);
    CHECK_LABEL("Couldn't be happier with my order", VOC_POSITIVE);
    CHECK_LABEL("The staff couldn't have been more helpful.", VOC_POSITIVE);
    CHECK(has_evidence("The council has yet to deliver a decent plan.", VOC_EVIDENCE_NEGATOR, NULL));
    /* "yet" closing its clause is time, not contrast; opening one it still contrasts */
    CHECK(!has_evidence("I haven't gotten my refund yet. The agent was nice.", VOC_EVIDENCE_CONTRAST, "yet"));
    CHECK(has_evidence("It is cheap, yet it feels solid.", VOC_EVIDENCE_CONTRAST, "yet"));
    /* praise that describes what a complaint harmed is no praise; without the harm it is */
    CHECK(evidence_weight("They lost my favorite suitcase", VOC_EVIDENCE_LEXICON, "favorite") == 0);
    CHECK(evidence_weight("They found my favorite suitcase", VOC_EVIDENCE_LEXICON, "favorite") > 0);
    CHECK_LABEL("They ruined my beautiful dress", VOC_NEGATIVE);
    /* "must have" recommends, unless a past participle follows (the modal) */
    CHECK(evidence_weight("This blender is a must have", VOC_EVIDENCE_LEXICON, "a must") > 0 ||
          evidence_weight("This blender is a must have", VOC_EVIDENCE_LEXICON, "must have") > 0);
    CHECK(evidence_weight("Must have for any kitchen.", VOC_EVIDENCE_LEXICON, "must have") > 0);
    CHECK(evidence_weight("The parcel must have been lost", VOC_EVIDENCE_LEXICON, "must have") == 0);
    CHECK(evidence_weight("I must have missed the email", VOC_EVIDENCE_LEXICON, "must have") == 0);
    /* a negator glued before a hashtag's term turns it */
    CHECK(evidence_weight("lost my bag #nothappy", VOC_EVIDENCE_LEXICON, "happy") < 0);
    CHECK(evidence_weight("home at last #happy", VOC_EVIDENCE_LEXICON, "happy") > 0);
    CHECK(has_evidence("lost my bag #nothappy", VOC_EVIDENCE_NEGATOR, "not"));
    CHECK(evidence_weight("waited 2 hours #notgood", VOC_EVIDENCE_LEXICON, "good") < 0); /* a short term */
    CHECK_LABEL("#notbad at all", VOC_POSITIVE);
    CHECK(evidence_weight("concert tonight #cantwait", VOC_EVIDENCE_LEXICON, "wait") > 0); /* any glued negator */
    /* "pretty" is the adjective unless a sentiment term follows (or a degree phrase is written) */
    CHECK(evidence_weight("Pretty horses at the derby", VOC_EVIDENCE_LEXICON, "pretty") > 0);
    CHECK(evidence_weight("not a pretty day", VOC_EVIDENCE_LEXICON, "pretty") < 0);
    CHECK(evidence_weight("pretty bad service", VOC_EVIDENCE_LEXICON, "pretty") == 0);
    CHECK(evidence_weight("it was pretty much useless", VOC_EVIDENCE_LEXICON, "pretty") == 0);
    CHECK_LABEL("it was pretty much useless", VOC_NEGATIVE);
    /* "can't … enough" praises past measure, a complaint phrase of "can't" too; "can't believe
     * how" keeps its term; "can't load fast enough" still negates */
    CHECK_LABEL("Can't recommend this place enough!", VOC_POSITIVE);
    CHECK_LABEL("Can't recommend.", VOC_NEGATIVE);
    CHECK_LABEL("I can't praise them enough.", VOC_POSITIVE);
    CHECK_LABEL("Can't believe how bad this was.", VOC_NEGATIVE);
    CHECK(has_evidence("The app can't load fast enough.", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK_LABEL("It can't get any worse.", VOC_NEGATIVE);
    CHECK(!has_evidence("I have never been so disappointed", VOC_EVIDENCE_NEGATOR, NULL));
    /* ... and without the shape or the time frame it negates as ever: a comparison only after
     * never or could/can not, this/that only after a copula, a time frame only as a phrase */
    CHECK_LABEL("It didn't get any better.", VOC_NEGATIVE);
    CHECK_LABEL("I didn't feel happier after the call.", VOC_NEGATIVE);
    CHECK(has_evidence("I have never had that problem before.", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK(!has_evidence("I have never been that unhappy.", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK_LABEL("I have not been so happy with how long it takes.", VOC_NEGATIVE);
    CHECK(!has_evidence("I haven't been so happy for ages.", VOC_EVIDENCE_NEGATOR, NULL));
    /* ("lately" is no time frame; without the shape any negator negates, "never" too) */
    CHECK(has_evidence("I haven't been so happy with the service lately.", VOC_EVIDENCE_NEGATOR, NULL));
    CHECK_LABEL("I haven't been so happy with the service lately.", VOC_NEGATIVE);
    CHECK_LABEL("The food was not so good.", VOC_NEGATIVE);
    CHECK(has_evidence("I have never been happy with them", VOC_EVIDENCE_NEGATOR, NULL));
    /* "no" negates what it reaches, says no when it reaches nothing, and answers alone */
    CHECK(has_evidence("no internet since Monday", VOC_EVIDENCE_LEXICON, "no"));
    CHECK(!has_evidence("no good", VOC_EVIDENCE_LEXICON, "no"));
    CHECK(has_evidence("no good", VOC_EVIDENCE_NEGATOR, "no"));
    CHECK(!has_evidence("No, that's all.", VOC_EVIDENCE_LEXICON, "no"));
    CHECK_LABEL("No, that's all.", VOC_NEUTRAL);
    /* an apostrophe-less negation negates */
    CHECK_LABEL("the app doesnt work and the agent wasnt helpful", VOC_NEGATIVE);
    CHECK(has_evidence("it isnt good", VOC_EVIDENCE_NEGATOR, "not"));

    /* a capitalized word inside its sentence is a name: never matched by its stem */
    CHECK(!has_evidence("I'mma miss you, Los Angeles.", VOC_EVIDENCE_LEXICON, "angel"));
    CHECK(!has_evidence("Damn it Braves!", VOC_EVIDENCE_LEXICON, "brave"));
    CHECK(has_evidence("They were brave and kind.", VOC_EVIDENCE_LEXICON, "brave"));
    CHECK(has_evidence("We had a Wonderful time", VOC_EVIDENCE_LEXICON, "wonderful")); /* its own form */

    /* "down" is a direction; an outage says what is down */
    CHECK(!has_evidence("Heading down to Brighton tomorrow", VOC_EVIDENCE_LEXICON, "down"));
    CHECK_LABEL("The app is down again.", VOC_NEGATIVE);

    /* the markers of one hypothetical do not compound: "if … would" damps like "if" alone */
    CHECK(evidence_weight("If true, this is terrible.", VOC_EVIDENCE_LEXICON, "terrible") < 0);
    CHECK(fabs(evidence_weight("If true, this would be terrible.", VOC_EVIDENCE_LEXICON, "terrible") -
               evidence_weight("If true, this is terrible.", VOC_EVIDENCE_LEXICON, "terrible")) < 1e-12);

    /* emphasis: caps in mixed-case text, exclamation marks */
    CHECK_LESS(score("the delay was terrible"), 0);
    CHECK_LESS(score("the delay was TERRIBLE"), score("the delay was terrible"));
    CHECK_LESS(score("great service"), score("great service!!!"));
    /* the text's case is read when the first term in capitals asks (not before), and kept
     * for the next: both terms in capitals here are boosted, a later sentence's included */
    CHECK_LESS(evidence_weight("Good crew. The delay was TERRIBLE and AWFUL", VOC_EVIDENCE_LEXICON, "terrible"),
               evidence_weight("Good crew. The delay was terrible and awful", VOC_EVIDENCE_LEXICON, "terrible"));
    CHECK_LESS(evidence_weight("Good crew. The delay was TERRIBLE and AWFUL", VOC_EVIDENCE_LEXICON, "awful"),
               evidence_weight("Good crew. The delay was terrible and awful", VOC_EVIDENCE_LEXICON, "awful"));
    CHECK_LESS(evidence_weight("good crew. the delay was terrible and awful", VOC_EVIDENCE_LEXICON, "awful"), 0);
    CHECK(fabs(evidence_weight("GOOD CREW. THE DELAY WAS TERRIBLE AND AWFUL", VOC_EVIDENCE_LEXICON, "awful") -
               evidence_weight("good crew. the delay was terrible and awful", VOC_EVIDENCE_LEXICON, "awful")) < 1e-12);
    /* "mixed case" is ASCII letters of both cases anywhere in the text, read eight bytes at
     * a time: a lower-case letter in a whole eight (byte 15) or in the partial last eight
     * (byte 18) counts; UTF-8 bytes never do (⋯'s lead byte E2 is 'b' in its low seven bits) */
    {
        double caps = evidence_weight("TERRIBLE DELAY", VOC_EVIDENCE_LEXICON, "terrible");
        CHECK_LESS(caps, 0);
        CHECK_LESS(evidence_weight("TERRIBLE DELAY x", VOC_EVIDENCE_LEXICON, "terrible"), caps);
        CHECK_LESS(evidence_weight("TERRIBLE DELAY!!! x", VOC_EVIDENCE_LEXICON, "terrible"), caps);
        CHECK(evidence_weight("TERRIBLE DELAY \xe2\x8b\xaf\xe2\x8b\xaf", VOC_EVIDENCE_LEXICON, "terrible") == caps);
    }

    /* emoji and emoticons carry sentiment */
    CHECK_LABEL("\xF0\x9F\x98\xA1\xF0\x9F\x98\xA1", VOC_NEGATIVE); /* 😡😡 */
    CHECK_LABEL("thanks :)", VOC_POSITIVE);

    /* recency: a complaint at the end of an email outweighs the greeting */
    CHECK_LABEL("Hi team, I love your app. However the last three bills were wrong and nobody answers. I am furious.",
                VOC_NEGATIVE);

    /* thanks in a message that asks (a "?" anywhere in a punctuation token) count zero */
    CHECK(evidence_weight("I checked my order! Thanks", VOC_EVIDENCE_LEXICON, "thanks") > 0);
    /* (found and weighed zero: evidence_weight is 0 for a term not found as well) */
    CHECK(has_evidence("Could you check my order?! Thanks", VOC_EVIDENCE_LEXICON, "thanks"));
    CHECK(evidence_weight("Could you check my order?! Thanks", VOC_EVIDENCE_LEXICON, "thanks") == 0);
    CHECK(has_evidence("Could you check my order!? Thanks", VOC_EVIDENCE_LEXICON, "thanks"));
    CHECK(evidence_weight("Could you check my order!? Thanks", VOC_EVIDENCE_LEXICON, "thanks") == 0);

    /* the rules' word lists: what voc__word_lists finds for a token (punctuation answered
     * without a lookup) is what the lists hold for its norm, token by token */
    {
        static const char *const texts[] = {
            "on hold for 2 hours?! then 3 more hours... a few days, several weeks; why again?",
            "等了一個多小時，好幾天！為什麼又這樣？兩個禮拜、三天。", "#hours @two two. hours, (an) hour: mins",
            "again and again!!! ... ??? -- '' \"\" ** an hour late"};
        voc_session *s = new_session();
        size_t n_punct = 0;
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            analyze_in(s, texts[k]);
            for (size_t i = 0; i < s->n_toks; i++) {
                voc_tok *t = &s->toks[i];
                t->word_lists = 0; /* asked again, by voc__word_lists_find */
                CHECK_INT(voc__word_lists(s, i), voc__word_lists_of(s->analyzer, voc__tok_norm(s, t), t->norm_len));
                n_punct += t->type == VOC_TOKEN_PUNCT;
            }
        }
        CHECK(n_punct > 20);
        voc_session_free(s);
    }

    {
        /* phrase keys: read in place from the normalized text where the norms are slices of
         * it one space apart, else written out (score.c's extend_phrase).  Differential: walk
         * every token, move every norm out of the text into s->strings (every key must then be
         * written out), walk again: the same phrases, and some of them several tokens long. */
        static const char *const texts[] = {
            "Not bad at all, I can't complain. Not  bad, not\tbad; haven't even been on hold.",
            "The customer service was not bad but the wait time was way too long, can not complain",
            "I don't like it. It's not worth it!! Thank you so much for nothing, no problem at all",
            "這家還不錯，但是客服 不好 ，還好啦"};
        voc_session *s = new_session();
        size_t n_long = 0, n_moved = 0;
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            analyze_in(s, texts[k]);
            const voc_entry *sentiment[64], *topic[64];
            uint8_t sentiment_k[64], topic_k[64];
            size_t n = s->n_toks < 64 ? s->n_toks : 64;
            for (size_t i = 0; i < n; i++) {
                voc_tok *t = &s->toks[i];
                t->phrases_walked = false;
                voc__phrases_walk(s, i);
                sentiment[i] = t->phrase_sentiment, sentiment_k[i] = t->phrase_sentiment_tokens;
                topic[i] = t->phrase_topic, topic_k[i] = t->phrase_topic_tokens;
                n_long += sentiment_k[i] > 1 || topic_k[i] > 1;
            }
            for (size_t i = 0; i < s->n_toks; i++) {
                voc_tok *t = &s->toks[i];
                if (!t->norm_in_text) continue;
                size_t off = s->strings.len;
                CHECK_INT(voc__buf_append(&s->strings, s->norm.data + t->norm_off, t->norm_len), VOC_OK);
                CHECK_INT(voc__buf_append(&s->strings, "", 1), VOC_OK);
                t->norm_off = (uint32_t)off;
                t->norm_in_text = 0;
                n_moved++;
            }
            for (size_t i = 0; i < n; i++) {
                voc_tok *t = &s->toks[i];
                t->phrases_walked = false;
                voc__phrases_walk(s, i);
                CHECK(t->phrase_sentiment == sentiment[i]);
                CHECK_INT(t->phrase_sentiment_tokens, sentiment_k[i]);
                CHECK(t->phrase_topic == topic[i]);
                CHECK_INT(t->phrase_topic_tokens, topic_k[i]);
            }
        }
        CHECK(n_long >= 6);
        CHECK(n_moved >= 20); /* norms were slices of the text: the first walk had keys to read in place */
        voc_session_free(s);
    }
    {
        /* s->term_toks, the terms the sentences are scored from, is every token with an entry
         * and no other, in order (a term missed would go unscored); the sentences scored are
         * the runs of tokens of one sentence */
        static const char *const texts[] = {
            "Not bad at all! The refunds were slow, #worstflightever... I can't complain though",
            "這家還不錯，但是客服不好，慢了。Great job losing my bag AGAIN", "", "!!! ??? http://x.example"};
        voc_session *s = new_session();
        size_t n_terms = 0;
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            analyze_in(s, texts[k]);
            size_t listed = 0;
            for (size_t i = 0; i < s->n_toks; i++) {
                if (!s->toks[i].entry) continue;
                CHECK(listed < s->n_term_toks);
                if (listed < s->n_term_toks) CHECK_INT(s->term_toks[listed], i);
                listed++;
            }
            CHECK_INT(listed, s->n_term_toks);
            n_terms += listed;
            /* s->sent_first_tok: each sentence's first token, then n_toks */
            size_t n_sent = 0;
            for (size_t i = 0; i < s->n_toks; i++)
                if (i == 0 || s->toks[i].sentence != s->toks[i - 1].sentence)
                    CHECK_INT(s->sent_first_tok[n_sent++], i);
            CHECK_INT(s->sent_first_tok[n_sent], s->n_toks);
        }
        CHECK(n_terms >= 10);
        voc_session_free(s);
    }

    /* probabilities are a distribution and agree with the label */
    fx_result *r = fx_run("Terrible service, I want a refund.", 1);
    CHECK(fabs(r->probs[0] + r->probs[1] + r->probs[2] - 1.0) < 1e-9);
    CHECK(r->confidence == r->probs[r->label]);
    CHECK(r->score >= -1 && r->score <= 1);
    /* evidence spans index the original text */
    const char *t = "ＡＰＰ一直閃退";
    r = fx_run(t, 1);
    CHECK(r->n_evidence >= 1);
    int found = 0;
    for (size_t i = 0; i < r->n_evidence; i++)
        if (r->evidence[i].kind == VOC_EVIDENCE_LEXICON &&
            r->evidence[i].end - r->evidence[i].start == strlen("閃退") &&
            !memcmp(t + r->evidence[i].start, "閃退", strlen("閃退")))
            found = 1;
    CHECK(found);
    return test_exit_status("test_score");
}
