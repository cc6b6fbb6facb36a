# The --explain example at the top of README.md: when this output changes, update the README.
echo '{"id":"T-1","text":"客服態度很好，但是APP一直閃退 😡"}' | "$VOCMINE" analyze --explain
