#!/usr/bin/env python3
"""Write broken.jsonl: good JSON Lines records mixed with every kind of broken line a
help-desk export can contain.  The file is bytes, not text (a BOM, invalid UTF-8, a NUL,
CRLF, no final newline), so it is written from this script byte for byte:

    python3 make_broken.py          # (re)write broken.jsonl
    python3 make_broken.py --check  # exit 1 if broken.jsonl differs from what we write

Output is deterministic (no dates, no randomness).  A record's id is B-00NN where NN is
its physical line number, so a test can tell at a glance which line an error names.
README.md lists every line with what it is and what a reader should do with it.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def rec(line_no, text, channel="email", time="2026-11-10T08:00:00Z"):
    """A well-formed record as one line of UTF-8 JSON (no line end)."""
    return json.dumps({"id": f"B-{line_no:04d}", "customer_id": f"C-27{line_no:02d}",
                       "channel": channel, "time": time, "text": text},
                      ensure_ascii=False).encode("utf-8")


def long_text(min_bytes=300 * 1024):
    """A customer's pasted contact log, ~300 KB: one paragraph per contact, the slots
    (date, time, amount, agent, promise, mood) varied so that no two paragraphs are
    the same and the text compresses and segments like real prose, not like one
    repeated string."""
    agents = ["Kevin", "Ms. Lin", "Jason", "Amber", "Mr. Chang", "Vivian", "Eric", "Joanne"]
    agents_zh = ["王先生", "林小姐", "陳專員", "黃小姐", "張經理", "李專員", "吳先生", "周小姐"]
    promises = [
        "the refund was already approved and would show up within 3 business days",
        "the case had been escalated to the billing team",
        "a supervisor would call me back before 6pm",
        "the second charge was only a pending authorization",
        "the system was being upgraded and I should try again tomorrow",
        "they could not see the duplicate charge on their side",
        "I needed to send the bank statement again by e-mail",
    ]
    promises_zh = [
        "款項已經核准退回，三個工作天內會入帳",
        "已經轉交帳務部門處理",
        "主管會在下午六點前回電",
        "第二筆只是預先授權，不會真的扣款",
        "系統正在升級，請我明天再試",
        "他們那邊看不到重複扣款的紀錄",
        "要我再把銀行對帳單寄一次",
    ]
    moods = [
        "Nothing changed.",
        "Nobody called.",
        "The money is still gone.",
        "Same answer as last time.",
        "I was polite, again.",
        "I asked for a reference number and did not get one.",
    ]
    moods_zh = ["結果什麼都沒變。", "沒有人回電。", "錢還是沒退。", "又是一樣的說法。",
                "我還是很客氣地說謝謝。", "要求案件編號也沒給。"]
    days_in_month = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    parts = ["To whom it may concern, below is my full contact log about the duplicate "
             "charge, copied from my notes. 以下是我所有聯絡紀錄，請一次看完。\n\n"]
    size = len(parts[0].encode("utf-8"))
    i = 0
    while size < min_bytes:
        year = 2022 + i // 336
        month = i // 28 % 12
        day = i % 28 + 1
        day = min(day, days_in_month[month])
        hh, mm = 9 + (i * 5) % 10, (i * 17) % 60
        amount = 1200 + (i * 37) % 900
        if i % 3 == 2:
            p = (f"[{year}-{month + 1:02d}-{day:02d} {hh:02d}:{mm:02d}] 第{i + 1}次聯絡：再次詢問"
                 f"重複扣款NT${amount:,}，{agents_zh[i % 8]}表示{promises_zh[(i * 3) % 7]}。"
                 f"{moods_zh[(i * 5) % 6]}\n")
        else:
            p = (f"[{year}-{month + 1:02d}-{day:02d} {hh:02d}:{mm:02d}] Contact #{i + 1}: called "
                 f"about the duplicate charge of NT${amount:,} on my card ending 4417. "
                 f"Spoke to {agents[i % 8]}, who said "
                 f"{promises[(i * 3) % 7]}. {moods[(i * 5) % 6]}\n")
        parts.append(p)
        size += len(p.encode("utf-8"))
        i += 1
    parts.append("\nPlease refund the second charge and close this case. 請儘快處理。")
    return "".join(parts)


def build():
    lines = []  # (bytes of the line, line end)
    # 1: UTF-8 BOM, then a good record.
    lines.append((b"\xef\xbb\xbf" + rec(1, "Hi, my refund for order QM-55120934 still "
                                          "hasn't arrived after 10 days."), b"\n"))
    # 2: good, Traditional Chinese.
    lines.append((rec(2, "退款到底什麼時候會入帳？已經等兩個禮拜了，客服每次都說在處理。",
                      channel="chat"), b"\n"))
    # 3: invalid JSON, the closing brace is missing.
    lines.append((rec(3, "The app crashes every time I open my invoices.")[:-1], b"\n"))
    # 4: invalid JSON, trailing comma before the closing brace.
    lines.append((rec(4, "轉帳一直顯示失敗，但錢已經扣了")[:-1] + b",}", b"\n"))
    # 5: valid JSON, but an array, not an object.
    lines.append((json.dumps(["B-0005", "C-2705", "chat",
                              "Agent was helpful, thanks!"]).encode("utf-8"), b"\n"))
    # 6: an object without "text" (the exporter called it "body").
    lines.append((json.dumps({"id": "B-0006", "customer_id": "C-2706", "channel": "email",
                              "time": "2026-11-10T08:00:00Z",
                              "body": "Please close my account, I've moved to another bank."},
                             ensure_ascii=False).encode("utf-8"), b"\n"))
    # 7: "text" is a number (a one-star rating exported into the text column).
    lines.append((json.dumps({"id": "B-0007", "customer_id": "C-2707", "channel": "survey",
                              "time": "2026-11-10T08:00:00Z", "text": 1}).encode("utf-8"),
                  b"\n"))
    # 8: good, mixed Chinese and English.
    lines.append((rec(8, "技師今天來修好了 fiber 的問題，速度恢復正常，thanks for the quick "
                         "follow-up!"), b"\n"))
    # 9: invalid UTF-8: raw bytes FF FE (never valid in UTF-8) inside the text value.
    good = rec(9, "客服態度MARK很差，電話轉了三次還是沒人處理。")
    lines.append((good.replace(b"MARK", b"\xff\xfe"), b"\n"))
    # 10: invalid UTF-8: E4 B8 is the start of a three-byte sequence (E4 B8 8D is 不)
    #     cut short by the closing quote.
    good = rec(10, "網路又斷了，真的很MARK")
    lines.append((good.replace(b"MARK", b"\xe4\xb8"), b"\n"))
    # 11: blank line.
    lines.append((b"", b"\n"))
    # 12: a raw NUL byte inside the text value (JSON forbids raw control characters in
    #     strings; the exporter copied it from a form field).
    good = rec(12, "Please call me back MARK before 6pm, I'm at work until then.")
    lines.append((good.replace(b"MARK", b"\x00"), b"\n"))
    # 13: spaces only.
    lines.append((b"    ", b"\n"))
    # 14: good, but ends with CRLF.
    lines.append((rec(14, "Thanks, the technician fixed it in 20 minutes!"), b"\r\n"))
    # 15: good, one very long line (~300 KB of text).
    lines.append((rec(15, long_text()), b"\n"))
    # 16: good.
    lines.append((rec(16, "外送員很準時，餐點也是熱的，下次還會再訂 👍", channel="survey"),
                  b"\n"))
    # 17: good, the last line, with no line end.
    lines.append((rec(17, "Still waiting for someone to explain the NT$450 roaming charge."),
                  b""))
    return b"".join(body + end for body, end in lines)


def main(argv):
    data = build()
    path = os.path.join(HERE, "broken.jsonl")
    if "--check" in argv[1:]:
        try:
            with open(path, "rb") as f:
                same = f.read() == data
        except OSError:
            same = False
        if not same:
            print("broken.jsonl: differs from what make_broken.py writes", file=sys.stderr)
            return 1
        return 0
    with open(path, "wb") as f:
        f.write(data)
    print(f"broken.jsonl: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
