#!/usr/bin/env python3
"""Write the encoded survey samples and broken.csv in this directory.

The survey files are stored in the encodings real tools write (Big5/CP950 from Taiwanese
Excel, UTF-16LE "Unicode Text", UTF-8 with BOM, GB18030), which most editors show as
garbage; this script is their readable source.  Edit the rows here, run

    python3 make_samples.py          # (re)write the files
    python3 make_samples.py --check  # exit 1 if a committed file differs from what we write

and commit the script and the files together.  Output is deterministic: the same script
writes the same bytes on every machine (no dates, no randomness, no locale).
Encoding is strict: a character the target encoding lacks is an error, never a '?'.
See README.md for what each file exercises.
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def csv_text(rows, delimiter=",", quoting=csv.QUOTE_MINIMAL, eol="\r\n"):
    """Rows as CSV text the way a spreadsheet writes it: a field is quoted when it holds
    the delimiter, a quote or a line break (QUOTE_MINIMAL), inner quotes doubled.  Line
    breaks inside a field are written as they are in the value (CRLF or bare LF)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=eol,
                   doublequote=True, quotechar='"')
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
# 1. survey_excel_big5.csv — 遠達電信 NPS survey after a store visit or a hotline call,
#    opened in Taiwanese Excel and saved with "CSV (逗號分隔)": CP950, CRLF, no BOM.
#    Most times are as the survey tool exported them; a few cells were retyped or
#    re-parsed by Excel and come out in Excel's own formats.
# ---------------------------------------------------------------------------------------
BIG5_HEADER = ["回覆編號", "客戶編號", "填答時間", "推薦分數", "意見", "其他建議"]
BIG5_ROWS = [
    ["R-24001", "C-2101", "2026-11-02 09:14:05", "9",
     "門市人員很有耐心，幫我把舊手機的資料都轉好了，還教我爸媽怎麼用LINE視訊。", ""],
    ["R-24002", "C-2102", "2026-11-02 09:31:47", "3",
     "網路一到晚上就卡，影片一直轉圈圈，打客服只會叫我重開機，重開三次還是一樣。", ""],
    ["R-24003", "C-2103", "2026/11/2 10:02", "10",
     "5G速度真的快，機場、捷運都很穩，續約也有折扣，推！", ""],
    ["R-24004", "C-2104", "2026-11-02 10:45:12", "6",
     '客服說"系統問題"就沒下文了，到底什麼時候會好？', ""],
    ["R-24005", "C-2105", "2026-11-02 11:20:33", "7",
     "還可以，就是帳單看不太懂，各種加值服務的費用列得很亂。", ""],
    ["R-24006", "C-2106", "2026-11-02 11:58:09", "0",
     "第一次：帳單多收了199元的加值服務，我根本沒申請。\r\n"
     "第二次：打去客服說會退，結果這個月又扣。\r\n"
     "這是第三次反映了，再這樣我就攜碼到別家。", ""],
    ["R-24007", "C-2107", "2026-11-02 13:05:51", "8",
     "訊號大致OK,只是家裡浴室收不到,要走到客廳才能講電話", ""],
    ["R-24008", "C-2108", "2026-11-02 13:20:41", "9", "", ""],
    ["R-24009", "C-2109", "2026-11-02 14:47:26", "5",
     "資費方案太複雜了，比較了半天還是搞不懂哪個划算。",
     "希望官網可以做一個試算功能，輸入每月用量就推薦適合的方案。"],
    ["R-24010", "C-2110", "2026/11/3 11:05", "2",
     "門市等了快一個小時，抽號碼牌的機器還當機，店員也很無奈。", ""],
    ["R-24011", "C-2111", "2026-11-03 12:16:40", "9",
     "上個月出國漫遊開通很順，日本七天吃到飽才399，很划算。", ""],
    ["R-24012", "C-2112", "2026-11-03 13:42:18", "4",
     "客服人員態度很好,但問題完全沒解決,等於白打。", ""],
    ["R-24013", "C-2113", "2026-11-03 15:09:57", "10",
     "謝謝許小姐的協助！！幫我申請到長青優惠方案，每個月省了好幾百，真的很感謝。", ""],
    ["R-24014", "C-2114", "2026-11-03 16:33:02", "1",
     "APP登入一直失敗\n重設密碼的簡訊收不到\n最後只能跑門市，浪費我半天", ""],
    ["R-24015", "C-2115", "2026-11-03 17:28:44", "7",
     "普通，沒什麼特別的感覺。",
     "門市營業時間可以延長到晚上九點嗎？上班族下班根本來不及。"],
    ["R-24016", "C-2116", "2026-11-03 19:02:15", "8",
     "功能都有，只是APP介面有點舊，找繳費功能找很久。", ""],
    ["R-24017", "C-2117", "2026-11-03 20:11:38", "6",
     "公司地下室的員工餐廳完全沒訊號，說要蓋新基地台也蓋了半年了。", ""],
    ["R-24018", "C-2118", "2026-11-04 07:45:20", "10", "", "繼續保持！"],
    ["R-24019", "C-2119", "2026-11-04 08:02:11", "3",
     '合約到期前沒通知,自動續約又綁兩年,打去問只說"已經寄簡訊通知過了",我根本沒收到。', ""],
    ["R-24020", "C-2120", "2026/11/4 08:07", "0",
     "直接說了：我要解約。違約金我付，拜託不要再一直打電話來推銷了！", ""],
    ["R-24021", "C-2121", "2026-11-04 09:30:06", "9",
     "手機送修很快，三天就拿回來，還順便幫我換了電池 :)", ""],
    ["R-24022", "C-2122", "2026-11-04 10:14:49", "7",
     "網速還行，價格偏貴，別家同樣的方案便宜100元。",
     "可以參考別家推學生方案,我妹就是因為這個換過去的"],
    ["R-24023", "C-2123", "2026-11-04 11:52:30", "10",
     "歐洲漫遊在巴黎用得很順，比在當地買€20的預付卡還划算，客服也有先提醒我開通。", ""],
    ["R-24024", "C-2124", "2026-11-04 13:26:17", "5",
     "淚…被門市推銷加購了用不到的手機保險，要退掉還要扣手續費。", ""],
    ["R-24025", "C-2125", "2026/11/4 下午 02:47", "8",
     "整體不錯，客服回覆速度比以前快很多了。", ""],
]


def survey_excel_big5():
    text = csv_text([BIG5_HEADER] + BIG5_ROWS, eol="\r\n")
    return text.encode("cp950", errors="strict")


# ---------------------------------------------------------------------------------------
# 2. survey_unicode_text.tsv — AcmeAir post-flight survey from a US-locale Excel,
#    "Save as Unicode Text": UTF-16LE with BOM, tabs, CRLF; Excel quotes a cell that holds
#    a quote or a line break and doubles the quotes inside; dates in m/d/yyyy h:mm.
# ---------------------------------------------------------------------------------------
TSV_HEADER = ["Response ID", "Customer ID", "Submitted", "NPS", "Comment"]
TSV_ROWS = [
    ["A-5001", "C-2201", "11/2/2026 9:14", "9",
     "Smooth check-in, friendly crew, landed 10 minutes early. Can't ask for more! ✈️"],
    ["A-5002", "C-2202", "11/2/2026 11:40", "3",
     "Seat 32C wouldn't recline and the entertainment screen was dead for the whole 11 hours."],
    ["A-5003", "C-2203", "11/2/2026 14:05", "1",
     'The gate agent said "we\'re overbooked, not my problem" and walked away.'],
    ["A-5004", "C-2204", "11/3/2026 8:22", "6",
     "Great crew 😊 but the chicken rice was inedible."],
    ["A-5005", "C-2205", "11/3/2026 10:51", "8", ""],
    ["A-5006", "C-2206", "11/3/2026 13:37", "6",
     "空服員很親切 the crew were lovely，但是行李等了四十分鐘才出來，transfer 也沒人指引。"],
    ["A-5007", "C-2207", "11/4/2026 7:03", "2",
     "My bag arrived in Taipei two days after I did. Still waiting on the $150 reimbursement."],
    ["A-5008", "C-2208", "11/4/2026 9:48", "10",
     "Rebooked me onto the next flight in under 5 minutes. Honestly impressed 👏👏"],
    ["A-5009", "C-2209", "11/5/2026 16:12", "4",
     '"Premium economy" is just economy with a curtain and a sad little amenity kit.'],
    ["A-5010", "C-2210", "11/6/2026 18:30", "5",
     "The app kept logging me out during online check-in, so I had to queue at the counter anyway."],
    ["A-5011", "C-2211", "11/8/2026 21:15", "10",
     "Love the new lounge!!! Showers, beef noodles, a real quiet zone. Worth every mile 🙌"],
    ["A-5012", "C-2212", "11/9/2026 12:00", "2",
     "Why do I have to pay $35 to sit next to my own 4-year-old?"],
    ["A-5013", "C-2213", "11/11/2026 6:45", "7",
     "Flight itself was fine.\nThe transfer in Tokyo was a mess: no signs, nobody at the desk."],
    ["A-5014", "C-2214", "11/12/2026 19:09", "9",
     "Not bad at all, the crew kept checking on my mom, who uses a wheelchair ♿"],
    ["A-5015", "C-2215", "11/13/2026 15:27", "0",
     "45 minutes on hold to change a date, then the call dropped. Never again."],
    ["A-5016", "C-2216", "11/14/2026 10:33", "9",
     "The kids meal was a nice surprise 👨‍👩‍👧 my daughter still talks about the panda cookie"],
    ["A-5017", "C-2217", "11/17/2026 22:41", "5",
     'Wi-Fi sold as "high speed" could barely load my email.'],
    ["A-5018", "C-2218", "11/20/2026 8:05", "7", "Fine."],
    ["A-5019", "C-2219", "11/23/2026 13:56", "10",
     "Refund for the cancelled leg took 3 days. Fastest airline refund I've ever had, thank you!"],
    ["A-5020", "C-2220", "11/25/2026 17:18", "1",
     "Staff at the transfer desk were rude & the queue didn't move for an hour 😡"],
]


def survey_unicode_text():
    text = csv_text([TSV_HEADER] + TSV_ROWS, delimiter="\t", eol="\r\n")
    assert all("\t" not in f for row in TSV_ROWS for f in row)
    return b"\xff\xfe" + text.encode("utf-16-le", errors="strict")


# ---------------------------------------------------------------------------------------
# 3. survey_utf8_bom.csv — 熊快送 / FoodBear bilingual in-app survey, exported by the
#    survey tool: UTF-8 with BOM, LF, every field quoted (also empty ones), header names
#    with spaces and punctuation; NPS (0-10) and CSAT (1-5) columns.
# ---------------------------------------------------------------------------------------
BOM_HEADER = ["Response ID", "Customer ID", "Date", "How likely to recommend (0-10)",
              "Satisfaction (1-5)", "What could we do better?"]
BOM_ROWS = [
    ["F-7001", "C-2301", "2026-11-05", "10", "5",
     "Nothing! Driver was early and the soup was still hot 🔥"],
    ["F-7002", "C-2302", "2026-11-05", "3", "2",
     "外送員把餐放在一樓就走了，我住七樓耶，也沒打電話通知。"],
    ["F-7003", "C-2303", "2026-11-06", "8", "4",
     "More vegetarian options near Xinyi, please."],
    ["F-7004", "C-2304", "2026-11-06", "6", "3",
     "The app said 'arriving in 5 min' for 40 minutes. 不要再亂報時間了"],
    ["F-7005", "C-2305", "2026-11-07", "9", "5", ""],
    ["F-7006", "C-2306", "2026-11-07", "0", "1",
     "Charged twice for one order (NT$385 ×2). 客服說 3-5 個工作天退款, still nothing after 2 weeks."],
    ["F-7007", "C-2307", "2026-11-08", "7", "4",
     "優惠券太難用了，一堆限制，滿399才能用還只限指定店家。"],
    ["F-7008", "C-2308", "2026-11-08", "10", "",
     "外送員超有禮貌，下雨天還幫我把餐用塑膠袋多包一層 ❤️"],
    ["F-7009", "C-2309", "2026-11-09", "2", "1",
     "Order arrived cold.\nMissing the drink.\nRefund offered: a NT$10 coupon. Seriously?"],
    ["F-7010", "C-2310", "2026-11-09", "5", "3",
     "外送費一直漲，以前免運現在每單49元，付費會員也沒有比較便宜。"],
    ["F-7011", "C-2311", "2026-11-10", "9", "4",
     "Fast delivery, but the packaging could be more eco-friendly. So much plastic."],
    ["F-7012", "C-2312", "2026-11-10", "4", "5",
     "This order was perfect. I just don't recommend delivery apps to friends in general lol"],
    ["F-7013", "C-2313", "2026-11-11", "8", "4",
     "客服回覆很快，問題五分鐘就解決了 👍 keep it up"],
    ["F-7014", "C-2314", "2026-11-11", "1", "1",
     "Deleting the app. Third wrong order this month."],
    ["F-7015", "C-2315", "2026-11-12", "10", "5",
     "Nothing to improve, 每次都準時，謝謝！"],
]


def survey_utf8_bom():
    text = csv_text([BOM_HEADER] + BOM_ROWS, quoting=csv.QUOTE_ALL, eol="\n")
    return b"\xef\xbb\xbf" + text.encode("utf-8", errors="strict")


# ---------------------------------------------------------------------------------------
# 4. survey_gb18030.csv — 趣买网 mainland subsidiary, Simplified Chinese, GB18030, CRLF,
#    Excel-style minimal quoting.  评分 is a 0-10 recommendation score.
# ---------------------------------------------------------------------------------------
GB_HEADER = ["编号", "客户", "评分", "评论"]
GB_ROWS = [
    ["Q-9001", "C-2401", "9", "物流很快，第二天就到了，包装也很结实。"],
    ["Q-9002", "C-2402", "3", "客服回复太慢了,等了三天才有人理我,问题还是没解决"],
    ["Q-9003", "C-2403", "10", "质量超出预期，性价比很高，已经推荐给同事了👍"],
    ["Q-9004", "C-2404", "5", "衣服尺码偏小，退货流程还算顺利，就是运费要自己出。"],
    ["Q-9005", "C-2405", "0",
     "收到的耳机是坏的，申请退款被拒绝了两次，太坑了！再不处理我就去12315投诉。"],
    ["Q-9006", "C-2406", "7", "还行吧，没什么特别的。"],
    ["Q-9007", "C-2407", "8",
     '优惠券领了用不了，一直提示"不满足使用条件"，但我明明满199元了。'],
    ["Q-9008", "C-2408", "2", "app老是闪退，付款页面卡住，钱扣了订单却显示未支付。"],
]


def survey_gb18030():
    text = csv_text([GB_HEADER] + GB_ROWS, eol="\r\n")
    return text.encode("gb18030", errors="strict")


# ---------------------------------------------------------------------------------------
# 9. broken.csv — UTF-8, LF.  Written byte for byte (a CSV writer cannot write these
#    mistakes); each bad row is described in README.md.
# ---------------------------------------------------------------------------------------
BROKEN_CSV = (
    "id,customer_id,score,comment\n"
    "R-1,C-2801,9,Fast delivery and the box was undamaged\n"
    "R-2,C-2802,3,\"Driver left the parcel in the rain, everything inside was soaked\"\n"
    "R-3,C-2803,2,Refund took 3 weeks, and nobody ever called me back\n"
    "R-4,C-2804,10,\"客服很快就幫我換貨，還附了一張道歉小卡，謝謝！\"\n"
    "R-5,C-2805,8\n"
    "R-6,C-2806,1,the 32\" monitor arrived with a cracked screen\n"
    "R-7,C-2807,7,\"Okay overall, but the tracking page never updates\"\n"
    "R-8,C-2808,6,\"Checkout rejected my card three times.\n"
    "Used the website instead and it went through.\"\n"
    "R-9,C-2809,4,退貨要自己叫貨運，運費還要自己出，不太合理\n"
    "R-10,C-2810,0,\"Cancelled my order and was still charged NT$2,490. I want my money back and\n"
    "nobody answers the hotline\n"
).encode("utf-8", errors="strict")


FILES = {
    "survey_excel_big5.csv": survey_excel_big5,
    "survey_unicode_text.tsv": survey_unicode_text,
    "survey_utf8_bom.csv": survey_utf8_bom,
    "survey_gb18030.csv": survey_gb18030,
    "broken.csv": lambda: BROKEN_CSV,
}


def main(argv):
    check = "--check" in argv[1:]
    bad = 0
    for name, make in FILES.items():
        data = make()
        path = os.path.join(HERE, name)
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                print(f"{name}: differs from what make_samples.py writes", file=sys.stderr)
                bad = 1
        else:
            with open(path, "wb") as f:
                f.write(data)
            print(f"{name}: {len(data)} bytes")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
