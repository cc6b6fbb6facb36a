# Survey exports as Excel writes them, read into CSV rows (--output-format csv):
# Big5/CP950 with CRLF, quoted line breaks and two text columns joined; UTF-16LE "Unicode
# text" TSV (format guessed from the BOM and tabs); UTF-8 with BOM and CSAT on a 1-5 scale;
# GB18030 from a mainland subsidiary.  Every row yields a record, empty comments included.
# Known wrong and kept visible: R-24018 繼續保持！ ("keep it up!", NPS 10) comes out negative
# (-0.26): 繼續保持 is in no lexicon and the model leans on the "!" alone.
S=../../corpora/samples/channels
"$VOCMINE" analyze --output-format csv --text-field 意見 --text-field 其他建議 --score-field 推薦分數 $S/survey_excel_big5.csv; echo "exit $?"
"$VOCMINE" analyze --output-format csv --score-field NPS $S/survey_unicode_text.tsv; echo "exit $?"
"$VOCMINE" analyze --output-format csv --score-field "Satisfaction (1-5)" --score-kind csat $S/survey_utf8_bom.csv; echo "exit $?"
"$VOCMINE" analyze --output-format csv --score-field 评分 $S/survey_gb18030.csv; echo "exit $?"
# forcing the encoding gives the same bytes as detecting it
d=$(mktemp); f=$(mktemp)
"$VOCMINE" analyze --text-field 意見 $S/survey_excel_big5.csv > "$d"; echo "exit $?"
"$VOCMINE" analyze --encoding cp950 --text-field 意見 $S/survey_excel_big5.csv > "$f"; echo "exit $?"
test -s "$d" && cmp "$d" "$f" && echo "forced cp950 = detected"
rm -f "$d" "$f"
# a wrong column name names the columns there are
"$VOCMINE" analyze --text-field Comments --score-field NPS $S/survey_unicode_text.tsv; echo "exit $?"
"$VOCMINE" analyze --encoding no-such-charset $S/survey_gb18030.csv; echo "exit $?"
