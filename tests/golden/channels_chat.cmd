# Chats: only customer turns are scored; the record carries the trajectory (first vs last
# customer turn) and spans point into the turn they came from ("turn", then offsets in it).
# Role and field names are options.  A bot-only chat still yields a (neutral) record.
S=../../corpora/samples/channels
"$VOCMINE" analyze --output-format csv $S/chat.jsonl; echo "exit $?"
"$VOCMINE" analyze $S/chat.jsonl | grep -o '"id":"CH-[0-9]*"\|"trajectory":{"first":{[^}]*},"last":{[^}]*}[^}]*}\|"warnings":\[[^]]*\]'; echo "vocmine exit ${PIPESTATUS[0]}"
# one whole record, to read the per-turn spans
"$VOCMINE" analyze $S/chat.jsonl | sed -n 1p; echo "vocmine exit ${PIPESTATUS[0]}"
"$VOCMINE" analyze --turns-field messages --role-field speaker --text-field content \
  --customer-role user,客戶 --other-roles staff,客服 --id-field conversation_id \
  --customer-field member --time-field sent_at --output-format csv $S/chat_custom_roles.jsonl; echo "exit $?"
