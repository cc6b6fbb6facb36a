#!/usr/bin/env python3
"""make_corpus.py — writes the committed seed corpus of the fuzz targets in tests/fuzz.

    python3 tests/fuzz/make_corpus.py            rewrite tests/fuzz/corpus/<target>/seed_* and
                                                 regress_*
    python3 tests/fuzz/make_corpus.py --check    exit 1 if the committed files differ

Standard library only; the output is deterministic (no randomness, no clock), so a diff of
corpus/ after running it shows exactly what changed.  Files this script writes are named
seed_*; inputs found by real fuzzing and added by hand are named found_* and left alone.
Each target's seeds stay small (the whole corpus is kept under 200 KB): they are starting
points for libFuzzer and, replayed under ctest, regression inputs for every build.
Inputs that once broke an invariant in src/ are kept as regress_* seeds, so the fix stays.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def u(s):
    return s.encode("utf-8")


# ---- bytes that are hard for a UTF-8 decoder --------------------------------------------
TRICKY_UTF8 = {
    "overlong_slash": b"a/b \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf end",
    "overlong_nul": b"nul\xc0\x80here \xe0\x80\x80",
    "surrogates": b"hi \xed\xa0\x80 lone high, \xed\xbf\xbf lone low, \xed\xa0\xbd\xed\xb8\x80 cesu pair",
    "beyond_max": b"\xf4\x90\x80\x80 \xf5\x80\x80\x80 \xf8\x88\x80\x80\x80 \xfe\xff max ok \xf4\x8f\xbf\xbf",
    "truncated_end": u("服務很好") + b"\xe4\xb8",
    "truncated_emoji_end": u("great ") + b"\xf0\x9f\x98",
    "truncated_middle": b"\xe4\xb8 \xf0\x9f\x98 \xc3 ok \xe5\xa5",
    "lone_continuation": b"\x80 a \xbf b \x80\x80\x80\x80 c \xbf\xbf",
    "replacement_char": u("already \ufffd replaced \ufffd\ufffd 壞掉"),
    "bom": b"\xef\xbb\xbf" + u("BOM first, 然後中文") + b"\xef\xbb\xbf",
    "nul_bytes": b"a\x00b\x00\x00 \xe4\xb8\xad\x00\xe6\x96\x87",
    "boundaries": u("\u0080\u07ff\u0800\uffff\U00010000\U0010ffff") + b" \xef\xbf\xbe",
    "all_lead_bytes": bytes(range(0xc0, 0x100)),
    "all_bytes": bytes(range(256)),
    "alternating_invalid": b"".join(bytes([0x80 + i]) + u("好a") for i in range(64)),
    "cuneiform_4byte": u("\U00012492\U00014514 \U00010410\U00020820"),
}

# ---- text for the analyzer ----------------------------------------------------------------
TEXTS = {
    "mixed_scripts": "APP一直閃退crash了5次orz，这个软件太差了 but the staff were lovely 👍",
    "simplified_long_change": "内存不够用，软件老是闪退，客服态度也不好，总体来说还行",
    "emoji_sequences": "全家出遊👨‍👩‍👧‍👦超開心❤️ 👩🏻‍💻🙏🏽👍🏿 🇹🇼🇯🇵🇺🇸 5️⃣ #️⃣ *️⃣ ☎︎ vs ☎️ 🏳️‍🌈",
    "fullwidth": "ＡＰＰ登入失敗，錯誤代碼ＥＲＲ－４０４，價格：ＮＴ＄１，２９９　（含稅）ＯＫ？"
                 "客服\u200b回覆好慢 \u200c\u200d\u2060\ufeff word\u00adbreak",
    "combining_50": "e" + "\u0301\u0302\u0303\u0308\u0323" * 10 + " caf\u00e9 cafe\u0301 n\u0303",
    "combining_no_base": "\u0301\u0301\u0301 starts with marks \u20dd\u0308",
    "urls_emails": "see https://farreach.example.com/plans?id=5G&ref=sms，or www.example.org. mail help@farreach.example.com! http:// https://x",
    "hashtags_mentions": "#好評#大推 #CP值之王 真的超讚#neveragain不會發生 @FarReachCare @不是帳號 #worstflightever",
    "prices": "方案從NT$1,299降到NT$999，別家只要$799，差了300元，US$ 20, HK$5.5, ¥300, €1.299,50, £7 2,580.00塊錢",
    "emoticons": "謝謝:)下次再來^^不過等太久了:-(T_T 無言orz QQ </3 <3 >:( :'( 3:30 :dog xD",
    "elongations": "好好好好好好吃!!!!! sooooooo goooood 讚讚讚讚 NOOOOO wayyyyy ?!?!?! ......",
    "contractions_caps": "I’m sure it’s fine but I can’t log in and it won’t let me reset, isn’t that weird? "
                         "y'all'd've DON'T buy this!!! NOT good. not bad at all. 不好吃不好吃 沒有不好",
    "punct_only": "!!!???...,,,;;;:::「」『』（）【】…‥、。？！‼️⁉️",
    "spaces_only": " \t\u3000\u00a0\u2028\u2029\n\r\n",
    "sentences_many": "Bad. Good! Ok? 很好。很差！還行？Mr. Smith paid $5.00 at 3 p.m. e.g. this.",
    "ligatures": "ﬁne ﬂight ½ price ㍿ ℡ ﬀ Ⅻ ㈱ ﬃ",
    "other_scripts": "שלום مرحبا Привет Ελλάδα ภาษาไทย 한국어 good このアプリ超好用，ありがとう！好ㄘ ㄅㄅ 醬子就好 ㄏㄏ",
}

LONG_WORD = "supercalifragilistic" * 150          # 3,000 letters, one word
LONG_HAN = "服務很好價格太貴" * 200               # one Han run of 1,600 characters


def analyze_seeds():
    seeds = {}
    for name, text in TEXTS.items():
        seeds[name] = u(text)
    for name in ("overlong_slash", "surrogates", "truncated_middle", "nul_bytes", "alternating_invalid"):
        seeds["bytes_" + name] = TRICKY_UTF8[name]
    seeds["long_word"] = u(LONG_WORD)
    seeds["long_han_run"] = u(LONG_HAN)
    seeds["long_elongation"] = u("n" + "o" * 300 + "!" * 300)
    seeds["empty"] = b""
    return seeds


def utf8_seeds():
    seeds = dict(TRICKY_UTF8)
    seeds["valid_mixed"] = u(TEXTS["mixed_scripts"] + TEXTS["emoji_sequences"])
    seeds["empty"] = b""
    seeds["ascii_8_aligned"] = b"abcdefgh" * 4 + b"\x00" + b"abcdefg"
    seeds["ascii_then_high"] = b"abcdefg\xe4\xb8\xad"
    return seeds


# ---- JSON lines ---------------------------------------------------------------------------
def jl(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def input_seeds():
    s = {}
    s["valid_full"] = jl({"id": "S-0001", "customer_id": "C-1", "channel": "chat",
                          "time": "2026-10-02T21:53:00Z", "lang": "zh-Hant", "label": "negative",
                          "score": -0.5, "text": "出貨很慢 😡 but ok"})
    s["valid_renamed_fields"] = jl({"msg id": 42, "body": "renamed", "cust": 7, "ts": "t", "src": "email",
                                    "gold": "positive", "valence": 1})
    s["valid_ascii_escapes"] = json.dumps({"id": "é", "text": "caf\u00e9 \U0001F600 \u2028"}).encode()
    s["crlf"] = jl({"text": "windows line"}) + b"\r"
    s["bom_prefix"] = b"\xef\xbb\xbf" + jl({"text": "bom"})
    s["truncated_object"] = b'{"id":"x","text":"unfinished'
    s["truncated_escape"] = b'{"text":"\\u12'
    s["deep_nesting"] = b'{"text":"deep","x":' + b"[" * 200 + b"]" * 200 + b"}"
    s["deep_nesting_unclosed"] = b"[" * 1000
    s["huge_numbers"] = (b'{"id":123456789012345678901234567890,"score":1e999,"customer_id":-9223372036854775809,'
                         b'"text":"big","x":-0.0e-99999}')
    s["int64_edges"] = b'{"id":9223372036854775807,"customer_id":-9223372036854775808,"text":"edges"}'
    s["duplicate_keys"] = b'{"text":"first","text":"second","id":"a","id":"b"}'
    s["nul_escape"] = b'{"id":"n\\u0000ul","text":"a\\u0000b\\u0000"}'
    s["raw_nul_in_string"] = b'{"text":"raw\x00nul"}'
    s["lone_surrogate_escape"] = b'{"text":"\\ud800 and \\udc00 and \\ud83d\\ude00"}'
    s["invalid_utf8_in_string"] = b'{"text":"bad \xff\xfe bytes \xc0\xaf"}'
    s["wrong_type_text"] = b'{"text":["not","a","string"],"id":{"a":1}}'
    s["text_null"] = b'{"text":null}'
    s["text_number"] = b'{"text":12.5,"score":"high","label":3,"lang":false}'
    s["missing_text"] = b'{"id":"no-text"}'
    s["top_level_array"] = b'[{"text":"in an array"}]'
    s["top_level_string"] = b'"just a string"'
    s["trailing_garbage"] = b'{"text":"ok"} extra'
    s["trailing_whitespace"] = b'{"text":"ok"} \t \r'
    s["two_objects"] = b'{"text":"a"}{"text":"b"}'
    s["empty"] = b""
    s["only_cr"] = b"\r"
    s["comments_and_single_quotes"] = b"{/* c */ 'text': 'single', // x\n}"
    s["unicode_keys"] = jl({"文字": "x", "text": "鍵", "\u0000": 1})
    s["long_text"] = jl({"id": "long", "text": "很好 good " * 800})
    return s


# ---- lexicon files --------------------------------------------------------------------------
def lexicon_seeds():
    s = {}
    s["sentiment_valid"] = u("term\tvalence\ttags\n# comment\n\ngreat\t2.5\temotion:delight\n"
                             "not bad\t1.0\t-\n踩雷\t-2.3\temotion:dismay,topic:product_quality\n"
                             "cp值\t1.5\ttopic:pricing\n❤️\t2\t\nhex\t0x1p1\t-\n")
    s["modifiers_valid"] = u("term\tkind\tweight\nnot\tnegator\t0\nvery\tintensifier\t0.3\n"
                             "有點\tdiminisher\t-0.3\nbut\tcontrast\t1.5\n雖然\tconcessive\t0.5\n"
                             "if\tirrealis\t0.3\n嗎\tquestion\t0.6\nplease\tpoliteness\t0\n")
    s["words_valid"] = u("word\tcount\n服務\t1200\n很好\t800\n不好\t50\n也不會\t3\nabc\t1\n價格太貴\t0\n")
    s["bom"] = b"\xef\xbb\xbf" + u("term\tvalence\ttags\ngood\t1\t-\n")
    s["crlf"] = u("term\tvalence\ttags\r\ngood\t1\t-\r\nbad\t-1\t-\r\n")
    s["missing_header"] = u("good\t1\t-\nbad\t-1\t-\n")
    s["header_only"] = u("term\tvalence\ttags\n")
    s["empty"] = b""
    s["bad_numbers"] = u("term\tvalence\ttags\nx\tNaN\t-\n")
    s["bad_number_inf"] = u("term\tvalence\ttags\nx\t1e999\t-\n")
    s["bad_number_range"] = u("term\tvalence\ttags\nx\t4.0001\t-\n")
    s["bad_number_text"] = u("term\tkind\tweight\nx\tnegator\tlots\n")
    s["unknown_tag"] = u("term\tvalence\ttags\nx\t1\temotion:joy\n")
    s["unknown_tag_prefix"] = u("term\tvalence\ttags\nx\t1\tmood:happy\n")
    s["tags_commas"] = u("term\tvalence\ttags\nx\t1\t,emotion:anger,,topic:billing,\n")
    s["unknown_modifier_kind"] = u("term\tkind\tweight\nx\tamplifier\t1\n")
    s["columns_1000"] = u("term\tvalence\ttags\n" + "\t".join(["x"] * 1000) + "\n")
    s["columns_too_few"] = u("term\tvalence\ttags\nonly-term\n")
    s["empty_term"] = u("term\tvalence\ttags\n\t1\t-\n")
    s["term_spaces_only"] = u("term\tvalence\ttags\n   \t1\t-\n")
    s["term_17_tokens"] = u("term\tvalence\ttags\n" + " ".join(["w"] * 17) + "\t1\t-\n")
    s["term_invalid_utf8"] = b"term\tvalence\ttags\nbad\xff\t1\t-\n"
    s["term_nul"] = b"term\tvalence\ttags\nn\x00ul\t1\t-\n"
    s["term_simplified"] = u("term\tvalence\ttags\n软件很差\t-2\t-\n")
    s["term_punct_emoji_mix"] = u("term\tvalence\ttags\n!!!\t1\t-\n:)\t1\t-\n#好評\t2\t-\n$5\t0\t-\nhttps://x.com\t-1\t-\n")
    s["no_final_newline"] = u("term\tvalence\ttags\nlast\t-1\t-")
    s["duplicate_terms"] = u("term\tvalence\ttags\ngood\t1\t-\ngood\t-1\t-\nGOOD\t2\t-\nｇｏｏｄ\t3\t-\n")
    s["long_term"] = u("term\tvalence\ttags\n" + "很" * 2000 + "\t1\t-\n")
    s["ngrams_valid"] = u("feature\tnegative\tneutral\tpositive\n@bias\t0.1\t0\t-0.1\n"
                          "@rules\t0.25\t0.25\t0.25\n@temperature\t1.2\t1.2\t1.2\n"
                          "b:not good\t0.5\t0\t-0.5\nc:好吃\t-0.3\t0\t0.3\nw:great\t-1\t0\t1\n")
    s["ngrams_bad_dense"] = u("feature\tnegative\tneutral\tpositive\n@nope\t1\t0\t-1\n")
    s["ngrams_repeated"] = u("feature\tnegative\tneutral\tpositive\nw:x\t1\t0\t-1\nw:x\t1\t0\t-1\n")
    s["ngrams_temperature_range"] = u("feature\tnegative\tneutral\tpositive\n@temperature\t0\t0\t0\n")
    s["ngrams_out_of_range"] = u("feature\tnegative\tneutral\tpositive\nw:x\t101\t0\t0\n")
    s["taxonomy_valid"] = u("topic\tparent\tdescription\nbilling\t-\tcharges\nlate_fee\tbilling\tfees\n")
    s["taxonomy_cycle"] = u("topic\tparent\tdescription\na\tb\tx\nb\ta\ty\n")
    s["taxonomy_bad_parent"] = u("topic\tparent\tdescription\na\tnowhere\tx\n")
    s["taxonomy_bad_id"] = u("topic\tparent\tdescription\nBad Id\t-\tx\n")
    s["topic_terms_valid"] = u("term\ttopics\tweight\nrefund\trefund_return\t1\n退款\trefund_return,billing\t0.8\n"
                               "on hold\tcustomer_service,wait_time\t0.6\n")
    s["topic_terms_unknown"] = u("term\ttopics\tweight\nx\tnot_a_topic\t1\n")
    s["topic_terms_bad_weight"] = u("term\ttopics\tweight\nx\tbilling\t0\n")
    s["patterns_valid"] = u("name\ttopics\tweight\tpattern\nfee_en\tbilling\t1\t\\b(charged|billed) twice\\b\n"
                            "fee_zh\tbilling\t1\t(扣款|刷卡).{0,4}(兩|2)次\nhours\twait_time\t0.5\t\\d+\\s*hours?\n")
    s["patterns_broken"] = u("name\ttopics\tweight\tpattern\nbroken\tbilling\t1\t(unclosed\n")
    s["patterns_backtracking"] = u("name\ttopics\tweight\tpattern\nslow\tbilling\t1\t(a+)+b\n# " + "a" * 3000 + "\n")
    s["patterns_backref"] = u("name\ttopics\tweight\tpattern\nref\tbilling\t1\t(a)\\1\n")
    return s


# ---- regressions: inputs that once broke an invariant in src/ (all fixed) --------------------
REGRESSIONS = {
    "analyze": {
        # segment.c collapse_elongation drops the third of three equal bytes even inside a
        # multi-byte character: U+12492 is F0 92 92 92, its norm becomes "aa\xf0\x92\x92"
        "elongation_splits_4byte_char": u("aaa\U00012492"),
        "elongation_splits_4byte_char_more": u("yesss\U00014514 nooo\U00011451 goood\U00012492!"),
        # normalize.c convert_run: the 1:1 substitution 机→機 is merged into the unequal block
        # 内存→記憶體, so token 手機 spans [0,12) and overlaps 記憶 [3,12)
        "opencc_block_overlap": u("手机内存不够用"),
        # a token ends inside a normalization unit (base + combining mark, or a character
        # NFKC joins to the one before): emoticon ":/" is [0,4), the mark U+034D [1,4)
        "token_inside_unit_mark": b":/\xcd\x8d",
        "token_inside_unit_jamo": b"\x02\xef\xbf\x8f\xef\xbd\x84",  # U+0002 U+FFCF ｄ
        # ";" + U+0359 is taken for a full-width "；": two sentences, both [0,3)
        "semicolon_combining_mark": b";\xcd\x99",
    },
    "input": {
        # readers/input.c reports the offset in the repaired copy: byte 24 of a 17-byte line
        "byte_offset_after_repair": b'{"text":"\xff\xff\xff\xff"} x',
    },
}


def write(target, seeds, check, prefix="seed_"):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    bad = 0
    want = {prefix + name: data for name, data in seeds.items()}
    for name, data in sorted(want.items()):
        path = os.path.join(d, name)
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        print("differs: " + path)
                        bad += 1
            except FileNotFoundError:
                print("missing: " + path)
                bad += 1
            continue
        with open(path, "wb") as f:
            f.write(data)
    for name in sorted(os.listdir(d)):  # seeds this script no longer makes
        if name.startswith(prefix) and name not in want:
            if check:
                print("stale: " + os.path.join(d, name))
                bad += 1
            else:
                os.remove(os.path.join(d, name))
    return bad


def main():
    check = "--check" in sys.argv[1:]
    targets = {"utf8": utf8_seeds(), "analyze": analyze_seeds(), "input": input_seeds(),
               "lexicon": lexicon_seeds()}
    bad = 0
    total = 0
    for target, seeds in targets.items():
        # the lexicon loader reads seven file kinds: up to 50 seeds there, 30 elsewhere
        most = 50 if target == "lexicon" else 30
        if not 10 <= len(seeds) <= most:
            print("%s: %d seeds (keep 10 to %d)" % (target, len(seeds), most))
            bad += 1
        bad += write(target, seeds, check)
        total += sum(len(v) for v in seeds.values())
    for target, seeds in REGRESSIONS.items():
        bad += write(target, seeds, check, "regress_")
    if not check:
        print("wrote %d seeds, %d bytes, in %s" % (sum(len(s) for s in targets.values()), total, CORPUS))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
