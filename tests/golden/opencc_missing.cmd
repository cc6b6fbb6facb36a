# OpenCC is opened (dlopen) by the first Simplified run.  A process that cannot load it still
# starts and analyzes everything: Simplified text is read as written (no conversion to
# Traditional, so fewer lexicon terms match) and its record says so with the warning
# simplified_unconverted; Traditional and English records are as usual.  An empty file found
# first through LD_LIBRARY_PATH stands in for the library (its SONAME from ctest; Debian 12's
# when run by hand).
# each record as: id, lang, label, warnings
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
: > "$fake/${VOCMINE_OPENCC_SONAME:-libopencc.so.1.1}"
printf '%s\n' '{"id":"s1","text":"这个客服不专业"}' '{"id":"t1","text":"這個客服不專業"}' '{"id":"e1","text":"The agent was rude."}' |
  LD_LIBRARY_PATH=$fake "$VOCMINE" analyze | sed -E 's/^\{"schema":"[^"]*","record_id":"[^"]*","id":"([^"]*)".*"lang":"([^"]*)","sentiment":\{"label":"([^"]*)".*"warnings":(\[[^]]*\]).*$/\1 \2 \3 warnings \4/'
echo "exit ${PIPESTATUS[0]}"
# with OpenCC, the same Simplified line is converted and read as Traditional
printf '%s\n' '{"id":"s1","text":"这个客服不专业"}' | "$VOCMINE" analyze |
  sed -E 's/^\{"schema":"[^"]*","record_id":"[^"]*","id":"([^"]*)".*"lang":"([^"]*)","sentiment":\{"label":"([^"]*)".*"warnings":(\[[^]]*\]).*$/\1 \2 \3 warnings \4/'
