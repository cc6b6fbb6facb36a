# Social posts: the handle is the customer, the platform is carried onto the record.
S=../../corpora/samples/channels
"$VOCMINE" analyze --format social --output-format csv $S/social.jsonl; echo "exit $?"
"$VOCMINE" analyze --format social $S/social.jsonl | grep -o '"customer_id":"[^"]*","channel":"social","time":"[^"]*","platform":"[^"]*"' | head -5; echo "vocmine exit ${PIPESTATUS[0]}"
