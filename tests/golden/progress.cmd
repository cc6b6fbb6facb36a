# The progress line appears when stderr is a terminal (here a pseudo-terminal from script(1))
# and ends with the total; never in a pipe or with --quiet.
M=../../corpora/samples/messages.jsonl
script -qec "'$VOCMINE' analyze '$M' > /dev/null" /dev/null | tr '\r' '\n' | grep -o 'vocmine: [0-9]* documents' | tail -1
echo "with --quiet: $(script -qec "'$VOCMINE' analyze --quiet '$M' > /dev/null" /dev/null | grep -c documents) progress lines"
echo "in a pipe: $("$VOCMINE" analyze "$M" 2>&1 >/dev/null | grep -c documents) progress lines"
"$VOCMINE" analyze "$M" 2>/dev/null | wc -l; echo "vocmine exit ${PIPESTATUS[0]} (records above)"
