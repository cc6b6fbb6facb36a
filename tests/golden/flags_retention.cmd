# Retention flags measured on the team's labeled set (corpora/retention): per language, the
# recall of retention-worthy messages (dismay, churn_risk or escalation in the gold and any of
# the three found), false alarms (none of the three in the gold, one found), delight
# precision/recall, per-flag precision/recall and severity agreement.  The flag rules and
# lexicons were developed on dev.jsonl … dev7.jsonl only; test.jsonl is held out (measured, not tuned on).
R=../../corpora/retention
"$VOCMINE" eval $R/dev.jsonl $R/dev2.jsonl $R/dev3.jsonl $R/dev4.jsonl $R/dev5.jsonl $R/dev6.jsonl $R/dev7.jsonl; echo "exit $?"
"$VOCMINE" eval $R/test.jsonl; echo "exit $?"
"$VOCMINE" eval --json $R/test.jsonl | grep '"flags_items"'; echo "vocmine exit ${PIPESTATUS[0]}"
