# Hard cases named by the scoring issue (sarcasm with cues, wishes, rhetorical questions,
# double negation, contrast and concession, fixed expressions, aspect sentiment, politeness):
# the explanation's header line (label, score, probabilities), emotions and topics of each.
"$VOCMINE" analyze --explain analyze_hard.jsonl | grep -E '^──|^   (emotions:|topic )'
