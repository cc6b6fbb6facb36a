# A live feed (a pipe that stays open) gets each record as soon as its line is processed:
# the answer to the first line arrives while the writer still holds the pipe open.
coproc VOC { "$VOCMINE" analyze --format text --channel chat 2>&1; }
pid=$VOC_PID   # (wait without an argument always returns 0: wait for this child)
echo "我要解約，客服都已讀不回" >&"${VOC[1]}"
if read -r -t 20 first <&"${VOC[0]}"; then
  echo "$first" | grep -o '"id":"[^"]*","customer_id":null,"channel":"chat"'
else
  echo "no answer within 20 s"
fi
echo "thanks, all sorted now" >&"${VOC[1]}"
if read -r -t 20 second <&"${VOC[0]}"; then
  echo "$second" | grep -o '"id":"[^"]*"' | head -1
else
  echo "no answer within 20 s"
fi
exec {VOC[1]}>&-
wait "$pid"
echo "vocmine exited $?"
